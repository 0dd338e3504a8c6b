// The running gateway: one io_context and thread per core for connections
// (each with its own SO_REUSEPORT acceptor per listener), and one control
// io_context for signals, CRL changes, metrics and the control bus.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "gateway/control_api.h"
#include "gateway/crl_watcher.h"
#include "gateway/ipsec/ipsec_controller.h"
#include "gateway/services.h"
#include "gateway/tund/tun_provider.h"
#include "pki/audit/detecting_sink.h"
#include "pki/audit/queued_sink.h"
#include "pki/clock.h"

namespace nanbyo::gw {

class Gateway final : public ControlApi {
 public:
  Gateway(std::filesystem::path policy_file, unsigned threads, const Clock& clock);
  ~Gateway() override;

  // Where VPN sessions get their TUN interfaces (default: created in this process).
  void set_tun_provider(std::unique_ptr<TunProvider> provider);

  // Loads the policy, opens the audit log, binds every listener, calls
  // `before_threads` (still single-threaded: the place to give privileges up,
  // which are per thread) and starts the workers and the audit writer. Fails
  // without side effects a caller must undo.
  Result<void> start(const std::function<Result<void>()>& before_threads = {});
  // Runs the control loop in the calling thread until stop().
  void run();
  void stop();

  Services& services() { return services_; }
  asio::io_context& control() { return control_; }

  // ControlApi
  std::vector<ConnectionSummary> connections() override;
  bool disconnect(uint64_t id, const std::string& requested_by) override;
  RevocationEvent revoke_certificate(const std::string& serial,
                                     const std::string& requested_by) override;
  RevocationEvent revoke_user(const std::string& user, const std::string& requested_by) override;
  Result<void> reload(const std::string& requested_by) override;
  std::vector<std::pair<std::string, uint64_t>> statistics() override;
  std::vector<ips::Block> blocks() override;  // gateway_ips.cpp
  Result<std::size_t> block(const ips::Subject& subject, std::chrono::seconds duration,
                            const std::string& reason, const std::string& requested_by) override;
  Result<bool> lift(const ips::Subject& subject, const std::string& requested_by) override;
  bool report_failed_login(const std::string& serial, const std::string& source,
                           const std::string& reported_by) override;

 private:
  Result<void> bind_listeners(const policy::Policy& policy);
  Result<void> start_metrics(const policy::Policy& policy);
  void crl_changed();
  void restore_ips_blocks(const policy::Policy& policy);  // gateway_ips.cpp
  void audit(const std::string& event, audit::Outcome outcome, const std::string& actor,
             const std::string& subject, std::map<std::string, std::string> detail);

  std::filesystem::path policy_file_;
  unsigned thread_count_;
  const Clock& clock_;
  Services services_;
  std::unique_ptr<audit::AnchorExporter> anchors_;
  std::unique_ptr<audit::QueuedAuditSink> audit_;
  std::unique_ptr<audit::DetectingSink> detecting_;  // over audit_: what connections use
  std::unique_ptr<VpnState> vpn_;
  std::unique_ptr<TunProvider> tun_;
  std::map<tcp::endpoint, int> inherited_;  // listening sockets from systemd, until bound
  asio::io_context control_;
  std::vector<std::unique_ptr<asio::io_context>> worker_contexts_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::unique_ptr<CrlWatcher> crl_watcher_;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> control_guard_;
  std::atomic<bool> stopped_{false};
  std::unique_ptr<ipsec::IpsecController> ipsec_;  // with an ipsec section (S-10)
};

}  // namespace nanbyo::gw
