// The gateway as charon's controller (S-10, issue 16). A thread of its own runs two VICI
// connections: commands, taken one at a time from a queue, and the ike-updown and
// child-updown subscription.
// At start, on reconnect and on every reload it loads the CA, the server certificate and key
// (the key over VICI, never as a file charon reads), the CRL, the pool and the connection;
// ike-updown becomes audit records and registry entries; closing an entry (disconnect,
// revocation, IPS block, hospital removed) terminates the IKE SA by its id. Its OCSP responder
// (ocsp_responder.h) tells charon inside IKE authentication which certificates the gateway
// refuses, so such a PC gets no SA at all. Every public function is thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>

#include "gateway/asio.h"
#include "gateway/ipsec/charon_loading.h"
#include "gateway/ipsec/ipsec_sa.h"
#include "gateway/ipsec/ocsp_listener.h"
#include "gateway/ipsec/ocsp_responder.h"
#include "gateway/ipsec/vici_client.h"
#include "gateway/services.h"
#include "pki/audit/audit_record.h"
#include "policy/policy.h"

namespace nanbyo::ipsec {

class IpsecController {
 public:
  explicit IpsecController(gw::Services& services);
  ~IpsecController();

  // Binds the OCSP responder's address and starts the thread; charon need not be up yet (it
  // is retried every second). Fails when the address cannot be bound.
  Result<void> start(policy::Ipsec config);
  // A reload: loads the changed configuration and ends the SAs of hospitals no longer allowed.
  void apply(policy::Ipsec config);
  // The CRL file changed: load it into charon before anything else queued.
  void crl_changed();
  void terminate(const std::string& ike_id, const std::string& reason);
  // An SA closed from the registry (revocation, IPS block, disconnect): terminated as above,
  // counted with the TLS connections in the revocation-to-close histogram (until charon has
  // deleted it).
  void close_sa(const std::string& ike_id, const std::string& reason);
  // A certificate revoked, a terminal blocked or unblocked: charon forgets the OCSP answers
  // it cached, so the next authentication asks the gateway again.
  void verdicts_changed();
  void stop();

 private:
  using Job = std::function<gw::awaitable<void>(ViciClient&)>;
  void enqueue(Job job);
  void terminate_sa(const std::string& ike_id, const std::string& reason,
                    std::optional<std::chrono::steady_clock::time_point> asked);
  gw::awaitable<void> command_loop();
  gw::awaitable<void> event_loop();
  gw::awaitable<void> ike_updown(ViciClient& vici, ViciSection event);
  void child_updown(const ViciSection& event);
  gw::awaitable<void> sa_up(ViciClient& vici, const std::string& name, const ViciSection& sa);
  void sa_down(const ViciSection& sa, const std::string& name);
  gw::awaitable<void> reconcile(ViciClient& vici);
  static void count_bytes(const ViciSection& sa, IpsecSa& entry);
  void end_disallowed();
  Result<void> read_issuers(const policy::Ipsec& config);
  std::string answer_ocsp(std::string_view request_der);
  SerialStatus status_of(const std::string& serial) const;
  void audit(const std::string& event, audit::Outcome outcome, const std::string& actor,
             const std::string& source, std::map<std::string, std::string> detail);

  gw::Services& services_;
  boost::asio::io_context io_;
  std::thread thread_;
  // Below: touched on the controller's thread only.
  std::shared_ptr<const policy::Ipsec> config_;
  std::deque<Job> jobs_;
  boost::asio::basic_waitable_timer<
      std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>, gw::Executor>
      wake_;
  std::map<std::string, std::shared_ptr<IpsecSa>> sas_;  // by IKE SA id
  bool charon_reachable_ = true;
  std::optional<OcspResponder> ocsp_;
  OcspSetup ocsp_setup_;
  std::unique_ptr<OcspListener> ocsp_listener_;  // on io_: destroyed before it
  // The hospital of every PC certificate seen in an SA: an OCSP request names a serial only,
  // and the allow-list is by hospital.
  std::map<std::string, std::string> hospital_of_serial_;
  // The serial of every peer identity (charon's subject text) seen in an SA, for when charon's
  // certificate cache no longer holds the certificate (sa_up).
  std::map<std::string, std::string> serial_of_peer_;
};

}  // namespace nanbyo::ipsec
