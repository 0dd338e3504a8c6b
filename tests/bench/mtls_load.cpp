// mtls_load: a load client for mutual-TLS HTTPS servers, which wrk and h2load
// cannot be (they present no client certificate). See tests/bench/README.md.
//
//   mtls_load --port 8443 --ca ca-chain.crt --cert pc01.crt --key pc01.key
//             --mode keepalive --connections 50 --seconds 10 [--watch gateway=PID]
//
// Prints requests/s, latency percentiles, errors, its own CPU and, for each
// --watch group, that group's CPU per response over the same window; the last
// line, "RESULT key=value ...", is for scripts.
#include <arpa/inet.h>
#include <signal.h>
#include <time.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include "tests/bench/load_worker.h"
#include "tests/bench/proc_cpu.h"
#include "tests/bench/single_connection.h"
#include "tests/bench/tls_client.h"

namespace bench = nanbyo::bench;
using bench::Clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8443;
  std::string server_name;  // default: host
  std::string path = "/";
  std::string attack_path;  // the attack mix: this target instead, attack_percent of the time
  double attack_percent = 0;
  std::string mode = "keepalive";
  bench::ClientTlsFiles tls;
  int connections = 50;
  int threads = 1;
  double seconds = 10;
  double warmup = 1;
  long long expect_body = -1;
  double hold_timeout = 30;
  std::string watch_file;
  std::string label = "run";
  std::vector<std::string> watch;
  std::vector<std::string> watch_threads;
};

double process_cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double percentile_ms(std::vector<uint64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

std::string request_text(const Options& o, const std::string& path, bool keep_alive) {
  std::string host = o.server_name.empty() ? o.host : o.server_name;
  return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mtls_load\r\n" +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
}

struct CpuSample {
  double client = 0;
  bench::MachineCpu machine;
  std::map<std::string, double> groups;
  std::map<std::string, std::map<pid_t, double>> threads;
};

CpuSample sample(const std::vector<bench::WatchedGroup>& groups) {
  CpuSample s;
  s.client = process_cpu_now();
  s.machine = bench::machine_cpu_seconds();
  for (const auto& g : groups) {
    s.groups[g.name] = g.cpu_seconds();
    if (g.per_thread) s.threads[g.name] = g.thread_cpu_seconds();
  }
  return s;
}

int run_load(const Options& o, const bench::LoadPlan& base,
             std::vector<bench::WatchedGroup> groups) {
  const bool keep_alive = o.mode == "keepalive";
  bench::LoadPlan plan = base;
  plan.mode = keep_alive ? bench::LoadMode::KeepAlive : bench::LoadMode::NewConnection;
  const auto start = Clock::now();
  plan.measure_from =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  plan.measure_until = plan.measure_from + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(o.seconds));

  const int threads = std::max(1, std::min(o.threads, o.connections));
  std::vector<std::unique_ptr<bench::LoadWorker>> workers;
  for (int t = 0; t < threads; ++t) {
    int share = o.connections / threads + (t < o.connections % threads ? 1 : 0);
    workers.push_back(std::make_unique<bench::LoadWorker>(plan, share));
  }
  std::vector<std::thread> running;
  for (auto& w : workers) running.emplace_back([&w] { w->run(); });

  std::this_thread::sleep_until(plan.measure_from);
  CpuSample before = sample(groups);
  std::this_thread::sleep_until(plan.measure_until);
  CpuSample after = sample(groups);
  for (auto& t : running) t.join();

  bench::LoadCounters total;
  for (auto& w : workers) total.merge(std::move(w->counters()));
  std::sort(total.latency_ns.begin(), total.latency_ns.end());
  std::sort(total.handshake_ns.begin(), total.handshake_ns.end());
  const double n = static_cast<double>(total.completed);
  const double rps = n / o.seconds;
  auto per_response_us = [&](double seconds) { return n > 0 ? seconds * 1e6 / n : 0.0; };
  const double client_cpu = after.client - before.client;

  std::printf("mtls_load %s: %s, %d connection(s), %d thread(s), %.1f s after %.1f s warm-up\n",
              o.label.c_str(), o.mode.c_str(), o.connections, threads, o.seconds, o.warmup);
  std::printf("  responses/s     %.1f  (%llu good responses in the window)\n", rps,
              static_cast<unsigned long long>(total.completed));
  std::printf("  latency ms      p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n",
              percentile_ms(total.latency_ns, 0.50), percentile_ms(total.latency_ns, 0.90),
              percentile_ms(total.latency_ns, 0.99), percentile_ms(total.latency_ns, 0.999),
              percentile_ms(total.latency_ns, 1.0));
  if (!keep_alive) {
    std::printf("  connect+handshake ms  p50 %.3f  p99 %.3f\n",
                percentile_ms(total.handshake_ns, 0.5), percentile_ms(total.handshake_ns, 0.99));
  }
  std::printf(
      "  errors          %llu  (connect %llu, handshake %llu, io %llu, status %llu, body %llu);"
      " keep-alive connections closed by the server: %llu\n",
      static_cast<unsigned long long>(total.errors()),
      static_cast<unsigned long long>(total.err_connect),
      static_cast<unsigned long long>(total.err_handshake),
      static_cast<unsigned long long>(total.err_io),
      static_cast<unsigned long long>(total.err_status),
      static_cast<unsigned long long>(total.err_body),
      static_cast<unsigned long long>(total.server_closed));
  if (base.attack_every != 0) {
    std::printf("  attacks         1 in %u requests: %llu refused (403), %llu passed (200)\n",
                base.attack_every, static_cast<unsigned long long>(total.attacks_blocked),
                static_cast<unsigned long long>(total.attacks_passed));
  }
  std::printf("  client CPU      %.2f cores, %.1f us per response\n", client_cpu / o.seconds,
              per_response_us(client_cpu));
  std::string result_cpu;
  double watched = client_cpu;
  for (const auto& g : groups) {
    double cpu = after.groups[g.name] - before.groups[g.name];
    watched += cpu;
    std::printf("  CPU %-11s %.2f cores, %.1f us per response\n", g.name.c_str(), cpu / o.seconds,
                per_response_us(cpu));
    char buf[96];
    std::snprintf(buf, sizeof buf, " cpu_%s_us=%.1f cpu_%s_cores=%.2f", g.name.c_str(),
                  per_response_us(cpu), g.name.c_str(), cpu / o.seconds);
    result_cpu += buf;
    for (const auto& [tid, secs] : after.threads[g.name]) {
      double d = secs - before.threads[g.name][tid];
      pid_t pid = g.pids.front();
      std::printf("    thread %d (%s): %.2f cores, %.1f us per response\n", tid,
                  bench::thread_name(pid, tid).c_str(), d / o.seconds, per_response_us(d));
    }
  }
  // What else ran on the machine meanwhile: a benchmark on a shared machine is not one.
  const double busy = after.machine.busy - before.machine.busy;
  const double steal = after.machine.steal - before.machine.steal;
  const double others = std::max(0.0, busy - watched) / o.seconds;
  std::printf(
      "  machine         %.2f cores busy, %.2f of them not this client nor a watched process;"
      " %.2f cores stolen by the hypervisor\n",
      busy / o.seconds, others, steal / o.seconds);
  char machine[96];
  std::snprintf(machine, sizeof machine, " other_cores=%.2f steal_cores=%.2f", others,
                steal / o.seconds);
  result_cpu += machine;
  std::printf(
      "RESULT label=%s mode=%s rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%llu"
      " server_closed=%llu attacks_blocked=%llu attacks_passed=%llu client_cpu_us=%.1f%s\n",
      o.label.c_str(), o.mode.c_str(), rps, percentile_ms(total.latency_ns, 0.5),
      percentile_ms(total.latency_ns, 0.99), static_cast<unsigned long long>(total.errors()),
      static_cast<unsigned long long>(total.server_closed),
      static_cast<unsigned long long>(total.attacks_blocked),
      static_cast<unsigned long long>(total.attacks_passed), per_response_us(client_cpu),
      result_cpu.c_str());
  return total.completed > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "mtls_load: load client for mutual-TLS HTTPS (client certificate, keep-alive or "
      "a new handshake per request)"};
  app.add_option("--host", o.host, "server IPv4 address")->capture_default_str();
  app.add_option("--port", o.port, "server port")->capture_default_str();
  app.add_option("--server-name", o.server_name,
                 "name or IP the server certificate must carry (default: --host)");
  app.add_option("--path", o.path, "request target")->capture_default_str();
  app.add_option("--mode", o.mode, "keepalive | newconn | once | hold")
      ->check(CLI::IsMember({"keepalive", "newconn", "once", "hold"}))
      ->capture_default_str();
  app.add_option("--ca", o.tls.ca_file, "CA bundle the server certificate is verified against")
      ->required();
  app.add_option("--cert", o.tls.cert_file, "client certificate chain (PEM)")->required();
  app.add_option("--key", o.tls.key_file, "client private key (PEM)")->required();
  app.add_option("--connections,-c", o.connections, "concurrent connections")
      ->capture_default_str();
  app.add_option("--threads,-t", o.threads, "client threads (epoll loops)")->capture_default_str();
  app.add_option("--seconds,-d", o.seconds, "measured duration")->capture_default_str();
  app.add_option("--warmup", o.warmup, "seconds before measuring (connections open here)")
      ->capture_default_str();
  app.add_option("--expect-body", o.expect_body, "body length of a good response (-1: any)")
      ->capture_default_str();
  app.add_option("--hold-timeout", o.hold_timeout, "hold mode: seconds to wait for the close")
      ->capture_default_str();
  app.add_option("--watch-file", o.watch_file,
                 "hold mode: also report when this file (the CRL) is replaced");
  app.add_option("--attack-path", o.attack_path,
                 "a request the proxy should refuse (403), sent instead of --path now and then");
  app.add_option("--attack-percent", o.attack_percent, "how often, in percent (e.g. 5)")
      ->check(CLI::Range(0.0, 50.0));
  app.add_option("--label", o.label, "name printed in the RESULT line")->capture_default_str();
  app.add_option("--watch", o.watch, "NAME=PID[,PID...]: report that group's CPU per response");
  app.add_option("--watch-threads", o.watch_threads,
                 "NAME of a --watch group to break down per thread");
  CLI11_PARSE(app, argc, argv);
  signal(SIGPIPE, SIG_IGN);

  try {
    auto ctx = bench::make_client_context(o.tls);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(o.port));
    if (inet_pton(AF_INET, o.host.c_str(), &server.sin_addr) != 1) {
      std::cerr << "mtls_load: --host must be an IPv4 address\n";
      return 2;
    }
    const std::string name = o.server_name.empty() ? o.host : o.server_name;
    if (o.mode == "once" || o.mode == "hold") {
      bench::SingleRequest r{server, name, ctx.get(), request_text(o, o.path, true), o.watch_file};
      return o.mode == "once" ? bench::run_once(r) : bench::run_hold(r, o.hold_timeout);
    }
    std::vector<bench::WatchedGroup> groups;
    for (const auto& spec : o.watch) {
      groups.push_back(bench::parse_watch(spec));
      groups.back().per_thread =
          std::count(o.watch_threads.begin(), o.watch_threads.end(), groups.back().name) > 0;
    }
    bench::LoadPlan plan;
    plan.server = server;
    plan.server_name = name;
    plan.tls = ctx.get();
    plan.request = request_text(o, o.path, o.mode == "keepalive");
    if (!o.attack_path.empty() && o.attack_percent > 0) {
      plan.attack_request = request_text(o, o.attack_path, o.mode == "keepalive");
      plan.attack_every = static_cast<unsigned>(std::lround(100.0 / o.attack_percent));
    }
    plan.expect_body = o.expect_body;
    return run_load(o, plan, std::move(groups));
  } catch (const std::exception& e) {
    std::cerr << "mtls_load: " << e.what() << "\n";
    return 2;
  }
}
