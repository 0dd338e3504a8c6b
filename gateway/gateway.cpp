#include "gateway/gateway.h"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "gateway/certificate_dates.h"
#include "gateway/https_session.h"
#include "gateway/inherited_listeners.h"
#include "gateway/inspection/inspector.h"
#include "gateway/metrics_text.h"
#include "gateway/runtime_builder.h"
#include "gateway/vpn_state.h"
#include "metrics/http_listener.h"
#include "pki/names.h"
#include "pki/random.h"
#include "policy/loader.h"
#include "service/journal.h"
#include "service/systemd_notify.h"

namespace nanbyo::gw {
namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

awaitable<void> accept_loop(TcpAcceptor acceptor, std::string listener, Services& services,
                            Worker& worker) {
  ListenerMetrics& counted_as = services.metrics.listener(listener);  // once, not per connection
  for (;;) {
    beast::error_code ec;
    TcpSocket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. EMFILE: the next accept may succeed
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(worker.io,
                   serve_connection(std::move(socket), listener, services, worker, counted_as),
                   asio::detached);
  }
}

// What a reload cannot change without a restart, or "" when nothing.
std::string needs_restart(const policy::Policy& a, const policy::Policy& b) {
  if (a.audit.path != b.audit.path) return "audit.path";
  if (a.audit.rotate_bytes != b.audit.rotate_bytes) return "audit.rotate_bytes";
  if (a.audit.anchor_interval_s != b.audit.anchor_interval_s) return "audit.anchor_interval_s";
  if (a.audit.detection_rules != b.audit.detection_rules) return "audit.detection_rules";
  if (!(a.admin.metrics_listen == b.admin.metrics_listen)) return "admin.metrics_listen";
  if (a.admin.control_bus.kind != b.admin.control_bus.kind ||
      a.admin.control_bus.address != b.admin.control_bus.address) {
    return "admin.control_bus";
  }
  if (a.ipsec.has_value() != b.ipsec.has_value()) return "ipsec";
  return vpn_needs_restart(a, b);
}

bool same_listeners(const policy::Policy& a, const policy::Policy& b) {
  if (a.listeners.size() != b.listeners.size()) return false;
  for (std::size_t i = 0; i < a.listeners.size(); ++i) {
    if (a.listeners[i].name != b.listeners[i].name ||
        !(a.listeners[i].listen == b.listeners[i].listen)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Worker::Worker(asio::io_context& context)
    : io(context),
      upstreams(context.get_executor()),
      request_id_prefix(to_hex(random_bytes(6)) + "-") {}

Gateway::Gateway(std::filesystem::path policy_file, unsigned threads, const Clock& clock)
    : policy_file_(std::move(policy_file)), thread_count_(threads ? threads : 1), clock_(clock) {}

Gateway::~Gateway() {
  stop();
  if (audit_) audit_->flush();
  for (auto& t : threads_) t.join();
}

void Gateway::audit(const std::string& event, audit::Outcome outcome, const std::string& actor,
                    const std::string& subject, std::map<std::string, std::string> detail) {
  if (services_.audit)
    services_.audit->record({event, outcome, actor, subject, "", std::move(detail)});
}

void Gateway::set_tun_provider(std::unique_ptr<TunProvider> provider) {
  tun_ = std::move(provider);
}

Result<void> Gateway::start(const std::function<Result<void>()>& before_threads) {
  inherited_ = take_inherited_listeners();  // first: before any file takes descriptor 3
  NANBYO_TRY(policy, policy::load_policy_file(policy_file_));
  NANBYO_TRY(runtime, build_runtime(policy));
  services_.metrics.start_unix = clock_.now().time_since_epoch().count();
  std::vector<std::string> listener_names;
  for (const auto& l : policy->listeners) listener_names.push_back(l.name);
  services_.metrics.set_listeners(listener_names);  // before any accept loop looks one up
  NANBYO_TRY(log, audit::AuditLog::open(policy->audit.path, clock_,
                                        {.rotate_bytes = policy->audit.rotate_bytes}));
  anchors_ = audit::make_journal_anchor_exporter("nanbyo-gateway");
  audit::QueuedSinkOptions sink_options;
  sink_options.anchors = anchors_.get();
  sink_options.anchor_interval = std::chrono::seconds(policy->audit.anchor_interval_s);
  sink_options.report = [this](std::string_view message) {
    services_.metrics.audit_write_failures++;
    service::log(service::Priority::Error, "nanbyo-gateway", message);
  };
  audit_ = std::make_unique<audit::QueuedAuditSink>(std::move(log), std::move(sink_options));
  // Illicit operations (S-7, docs/detection.md): every record passes the rules on its way.
  detecting_ = std::make_unique<audit::DetectingSink>(
      *audit_, policy->audit.detection, clock_, [this](const audit::AuditEvent& alert) {
        services_.metrics.illicit_operations.count(alert.detail.at("rule"));
        service::log(service::Priority::Warning, "nanbyo-gateway", audit::describe_alert(alert));
      });
  services_.audit = detecting_.get();
  services_.runtime.replace(runtime);
  restore_ips_blocks(*policy);
  if (policy->vpn) {
    NANBYO_TRY(vpn, build_vpn_state(*policy->vpn, clock_));
    vpn_ = std::move(vpn);
    services_.vpn = vpn_.get();
    if (!tun_) tun_ = make_local_tun_provider();
    services_.tun = tun_.get();
  }
  NANBYO_TRY(serials, revoked_serials(*policy));
  services_.revocations.apply_crl(serials);
  services_.revocations.subscribe([this](const RevocationEvent& e) {
    audit(e.kind == RevocationEvent::Kind::Certificate ? "revoke-certificate" : "revoke-user",
          audit::Outcome::Info, e.source, e.id, {{"closed", std::to_string(e.closed)}});
    if (ipsec_ && e.kind == RevocationEvent::Kind::Certificate) ipsec_->verdicts_changed();
  });

  for (unsigned i = 0; i < thread_count_; ++i) {
    worker_contexts_.push_back(std::make_unique<asio::io_context>(1));
    workers_.push_back(std::make_unique<Worker>(*worker_contexts_.back()));
  }
  NANBYO_TRY_VOID(bind_listeners(*policy));
  crl_watcher_ = std::make_unique<CrlWatcher>(control_, [this] { crl_changed(); });
  crl_watcher_->watch(crl_files(*policy));
  NANBYO_TRY_VOID(start_metrics(*policy));
  if (before_threads) NANBYO_TRY_VOID(before_threads());
  audit_->start();
  for (auto& context : worker_contexts_) {
    threads_.emplace_back([ctx = context.get()] {
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  }
  if (policy->ipsec) {  // a thread too: after the privileges are gone
    ipsec_ = std::make_unique<ipsec::IpsecController>(services_);
    NANBYO_TRY_VOID(ipsec_->start(*policy->ipsec));
  }
  std::map<std::string, std::string> start{{"policy", policy_file_.string()},
                                           {"threads", std::to_string(thread_count_)}};
  if (const auto& inspector = services_.runtime.current()->inspector) {
    start["inspection"] = inspector->summary();
  }
  audit("gateway-start", audit::Outcome::Info, "system", "", start);
  return {};
}

Result<void> Gateway::bind_listeners(const policy::Policy& policy) {
  // Sockets from systemd (nanbyo-gateway.socket) serve the listener with the same address;
  // the others are bound here, one SO_REUSEPORT socket per worker.
  std::map<tcp::endpoint, int>& inherited = inherited_;
  for (const auto& listener : policy.listeners) {
    tcp::endpoint endpoint(asio::ip::make_address(listener.listen.host), listener.listen.port);
    const auto passed = inherited.find(endpoint);
    for (auto& worker : workers_) {
      TcpAcceptor acceptor(worker->io);
      beast::error_code ec;
      if (passed != inherited.end()) {
        // Every worker accepts on its own duplicate of the one socket systemd bound.
        const int copy = ::fcntl(passed->second, F_DUPFD_CLOEXEC, 3);
        if (copy < 0) {
          ec.assign(errno, boost::system::system_category());
        } else {
          acceptor.assign(endpoint.protocol(), copy, ec);
        }
      } else {
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor.set_option(ReusePort(true), ec);
        if (!ec) acceptor.bind(endpoint, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
      }
      if (ec) {
        return fail("listener " + listener.name + ": cannot listen on " +
                    listener.listen.to_string() + ": " + ec.message());
      }
      asio::co_spawn(worker->io,
                     accept_loop(std::move(acceptor), listener.name, services_, *worker),
                     asio::detached);
    }
    if (passed != inherited.end()) {
      ::close(passed->second);
      inherited.erase(passed);
    }
  }
  for (const auto& [endpoint, fd] : inherited) {
    std::cerr << "nanbyo-gateway: warning: no listener for the socket systemd passed on "
              << endpoint << "; closing it\n";
    ::close(fd);
  }
  return {};
}

Result<void> Gateway::start_metrics(const policy::Policy& policy) {
  const auto& where = policy.admin.metrics_listen;
  return metrics::serve_http(control_, where.host, where.port,
                             [this] { return render_metrics(services_); });
}

void Gateway::run() {
  asio::signal_set signals(control_, SIGINT, SIGTERM, SIGHUP);
  std::function<void(beast::error_code, int)> on_signal = [&](beast::error_code ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      if (auto reloaded = reload("SIGHUP"); !reloaded) {
        std::cerr << "nanbyo-gateway: reload refused, the running policy stays: "
                  << reloaded.error().message << "\n";
      }
      signals.async_wait(on_signal);
      return;
    }
    stop();
  };
  signals.async_wait(on_signal);
  service::Watchdog watchdog(control_);
  service::notify_ready();
  control_guard_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
      control_.get_executor());
  control_.run();
}

void Gateway::stop() {
  if (stopped_.exchange(true)) return;
  service::notify_stopping();
  if (audit_) audit("gateway-stop", audit::Outcome::Info, "system", "", {});
  control_guard_.reset();
  control_.stop();
  for (auto& context : worker_contexts_) context->stop();
  if (ipsec_) ipsec_->stop();
}

void Gateway::crl_changed() {
  auto current = services_.runtime.current();
  auto rebuilt = build_runtime(current->policy, current.get());
  auto serials = revoked_serials(*current->policy);
  if (!rebuilt || !serials) {
    audit("crl-reload", audit::Outcome::Deny, "system", "",
          {{"error", !rebuilt ? rebuilt.error().message : serials.error().message}});
    return;  // keep serving with the last good CRL
  }
  services_.runtime.replace(rebuilt.value());
  // charon gets the CRL first, so that the SAs the revocations below end cannot come back.
  if (ipsec_) ipsec_->crl_changed();
  auto events = services_.revocations.apply_crl(serials.value());
  audit("crl-reload", audit::Outcome::Info, "system", "",
        {{"revoked", std::to_string(serials->size())},
         {"newly-revoked", std::to_string(events.size())}});
}

std::vector<ConnectionSummary> Gateway::connections() {
  return services_.registry.list();
}

bool Gateway::disconnect(uint64_t id, const std::string& requested_by) {
  auto closed = services_.registry.close_where([id](const LiveConnection& c) { return c.id == id; },
                                               "disconnected by " + requested_by);
  audit("disconnect", closed ? audit::Outcome::Info : audit::Outcome::Deny, requested_by,
        std::to_string(id), {{"closed", std::to_string(closed)}});
  return closed > 0;
}

RevocationEvent Gateway::revoke_certificate(const std::string& serial,
                                            const std::string& requested_by) {
  auto normalized = pki::normalize_serial(serial);
  return services_.revocations.revoke_certificate(normalized ? *normalized : serial, requested_by);
}

RevocationEvent Gateway::revoke_user(const std::string& user, const std::string& requested_by) {
  return services_.revocations.revoke_user(user, clock_.now().time_since_epoch().count(),
                                           requested_by);
}

Result<void> Gateway::reload(const std::string& requested_by) {
  service::notify_reloading();
  auto result = [&]() -> Result<void> {
    NANBYO_TRY(policy, policy::load_policy_file(policy_file_));
    auto current = services_.runtime.current();
    if (!same_listeners(*current->policy, *policy)) {
      return fail("listener names or addresses changed; restart the gateway to apply them");
    }
    if (auto key = needs_restart(*current->policy, *policy); !key.empty()) {
      return fail(key + " changed; restart the gateway to apply it");
    }
    NANBYO_TRY(runtime, build_runtime(policy, current.get()));
    NANBYO_TRY(serials, revoked_serials(*policy));
    services_.runtime.replace(runtime);
    services_.revocations.apply_crl(serials);  // the CRL file may have moved too
    crl_watcher_->watch(crl_files(*policy));
    if (ipsec_) ipsec_->apply(*policy->ipsec);
    return {};
  }();
  (result ? services_.metrics.policy_reloads : services_.metrics.policy_reloads_failed)++;
  if (result) services_.metrics.last_reload_unix = clock_.now().time_since_epoch().count();
  audit("policy-reload", result ? audit::Outcome::Allow : audit::Outcome::Deny, requested_by, "",
        result ? std::map<std::string, std::string>{{"policy", policy_file_.string()}}
               : std::map<std::string, std::string>{{"error", result.error().message}});
  service::notify_ready();
  return result;
}

std::vector<std::pair<std::string, uint64_t>> Gateway::statistics() {
  std::vector<std::pair<std::string, uint64_t>> out{
      {"open_connections", services_.registry.size()}};
  for (const auto& c : services_.metrics.counters()) out.emplace_back(c.name, c.value);
  return out;
}

}  // namespace nanbyo::gw
