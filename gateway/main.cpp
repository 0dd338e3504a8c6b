// nanbyo-gateway: the appliance's only Internet-facing process (S-1, S-2, S-8).
#include <CLI/CLI.hpp>

#include <iostream>
#include <thread>

#include "gateway/gateway.h"

int main(int argc, char** argv) {
  std::string policy_file = "/etc/nanbyo/gateway.yaml";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App app{"nanbyo-gateway: mutual-TLS reverse proxy and VPN gateway"};
  app.add_option("--policy", policy_file, "policy file (YAML)")->capture_default_str();
  app.add_option("--threads", threads, "worker threads (one io_context each)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  nanbyo::SystemClock clock;
  nanbyo::gw::Gateway gateway(policy_file, threads, clock);
  if (auto started = gateway.start(); !started) {
    std::cerr << "nanbyo-gateway: error: " << started.error().message << "\n";
    return 1;
  }
  std::cerr << "nanbyo-gateway: serving with policy " << policy_file << " on " << threads
            << " thread(s)\n";
  gateway.run();
  return 0;
}
