#include "gateway/ipsec/ipsec_controller.h"

#include <openssl/ocsp.h>

#include <cstdlib>
#include <iostream>
#include <set>

#include "gateway/ipsec/charon_config.h"
#include "gateway/ipsec/charon_loading.h"
#include "gateway/ipsec/peer_certificate.h"
#include "pki/atomic_file.h"
#include "pki/audit/audit_sink.h"

namespace nanbyo::ipsec {

namespace asio = boost::asio;
using gw::awaitable;
using gw::use_awaitable;

namespace {

constexpr std::chrono::milliseconds kRefusalDelay{20};
// How often an idle controller lists charon's SAs (byte counts, missed events).
constexpr std::chrono::seconds kRefresh{5};
// Serials remembered with their hospital (the allow-list's OCSP answers); more start afresh.
constexpr std::size_t kKnownSerials = 100'000;

}  // namespace

IpsecController::IpsecController(gw::Services& services)
    : services_(services), wake_(io_.get_executor()) {}

IpsecController::~IpsecController() {
  stop();
}

void IpsecController::audit(const std::string& event, audit::Outcome outcome,
                            const std::string& actor, const std::string& source,
                            std::map<std::string, std::string> detail) {
  if (services_.audit)
    services_.audit->record({event, outcome, actor, "", source, std::move(detail)});
}

Result<void> IpsecController::start(policy::Ipsec config) {
  config_ = std::make_shared<const policy::Ipsec>(std::move(config));
  NANBYO_TRY(responder, OcspResponder::create());
  ocsp_.emplace(std::move(responder));
  if (auto issuers = read_issuers(*config_); !issuers) {  // retried at every reload
    audit("ipsec-config", audit::Outcome::Deny, "system", "", {{"error", issuers.error().message}});
  }
  NANBYO_TRY(listener, OcspListener::listen(io_, config_->ocsp_listen,
                                            [this](std::string_view r) { return answer_ocsp(r); }));
  ocsp_listener_ = std::move(listener);
  ocsp_setup_ = OcspSetup{ocsp_->signer_pem(), ocsp_listener_->uri()};
  wake_.expires_at(std::chrono::steady_clock::time_point::max());
  asio::co_spawn(io_, command_loop(), asio::detached);
  asio::co_spawn(io_, event_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
  return {};
}

// The CA certificates the responder answers for: those PC certificates must chain to.
Result<void> IpsecController::read_issuers(const policy::Ipsec& config) {
  NANBYO_TRY(text, read_file(config.client_ca, 4 << 20));
  return ocsp_->set_issuers(pem_blocks(text, "CERTIFICATE"));
}

// What the gateway refuses, by serial: revoked (CRL or live), a blocked terminal, a hospital
// not allowed (known from an earlier SA). Runs on the controller's thread.
SerialStatus IpsecController::status_of(const std::string& serial) const {
  using State = SerialStatus::State;
  if (services_.revocations.certificate_revoked(serial)) {
    return {State::Revoked, OCSP_REVOKED_STATUS_NOSTATUS, "revoked"};
  }
  if (services_.ips.blocked({gw::ips::SubjectKind::Terminal, serial})) {
    return {State::Revoked, OCSP_REVOKED_STATUS_PRIVILEGEWITHDRAWN, "blocked"};
  }
  if (const auto known = hospital_of_serial_.find(serial);
      known != hospital_of_serial_.end() && !config_->allowed_hospitals.allows(known->second)) {
    return {State::Revoked, OCSP_REVOKED_STATUS_PRIVILEGEWITHDRAWN, "hospital-not-allowed"};
  }
  return {};
}

// charon asks inside IKE authentication: every answer is a decision, and audited as one.
std::string IpsecController::answer_ocsp(std::string_view request_der) {
  OcspOutcome outcome =
      ocsp_->respond(request_der, [this](const std::string& serial) { return status_of(serial); });
  if (!outcome.error.empty()) {
    audit("ipsec-ocsp", audit::Outcome::Deny, "system", "", {{"error", outcome.error}});
  }
  for (const auto& answered : outcome.answered) {
    std::map<std::string, std::string> detail{{"status", answered.status}};
    if (!answered.check.empty()) detail["check"] = answered.check;
    if (const auto known = hospital_of_serial_.find(answered.serial);
        known != hospital_of_serial_.end()) {
      detail["hospital"] = known->second;
    }
    audit("ipsec-ocsp", answered.status == "good" ? audit::Outcome::Allow : audit::Outcome::Deny,
          answered.serial, "", std::move(detail));
  }
  return std::move(outcome.response_der);
}

void IpsecController::stop() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void IpsecController::enqueue(Job job) {
  asio::post(io_, [this, job = std::move(job)]() mutable {
    jobs_.push_back(std::move(job));
    wake_.cancel();
  });
}

void IpsecController::apply(policy::Ipsec config) {
  auto next = std::make_shared<const policy::Ipsec>(std::move(config));
  asio::post(io_, [this, next] {
    if (next->name != config_->name) {  // the old connection leaves charon; its SAs run out
      enqueue([old = config_->name](ViciClient& vici) -> awaitable<void> {
        ViciSection request;
        request.add("name", old);
        (void)co_await vici.command("unload-conn", std::move(request));
      });
    }
    config_ = next;
    if (auto issuers = read_issuers(*config_); !issuers) {
      audit("ipsec-config", audit::Outcome::Deny, "system", "",
            {{"error", issuers.error().message}});
    }
    end_disallowed();
  });
  enqueue([this](ViciClient& vici) -> awaitable<void> {
    const auto config = config_;  // kept alive across the awaits: a reload may replace it
    auto loaded = co_await load_everything(vici, *config, &ocsp_setup_);
    if (loaded) loaded = co_await forget_ocsp_answers(vici);
    audit("ipsec-config", loaded ? audit::Outcome::Info : audit::Outcome::Deny, "system", "",
          loaded ? std::map<std::string, std::string>{{"connection", config_->name}}
                 : std::map<std::string, std::string>{{"error", loaded.error().message}});
  });
}

void IpsecController::crl_changed() {
  enqueue([this](ViciClient& vici) -> awaitable<void> {
    const auto config = config_;
    auto loaded = co_await load_crl(vici, *config);
    audit("ipsec-crl", loaded ? audit::Outcome::Info : audit::Outcome::Deny, "system", "",
          loaded ? std::map<std::string, std::string>{{"crl", config_->crl.string()}}
                 : std::map<std::string, std::string>{{"error", loaded.error().message}});
  });
}

void IpsecController::terminate(const std::string& ike_id, const std::string& reason) {
  terminate_sa(ike_id, reason, std::nullopt);
}

void IpsecController::close_sa(const std::string& ike_id, const std::string& reason) {
  services_.metrics.revocation_closes++;
  terminate_sa(ike_id, reason, std::chrono::steady_clock::now());
}

void IpsecController::terminate_sa(const std::string& ike_id, const std::string& reason,
                                   std::optional<std::chrono::steady_clock::time_point> asked) {
  enqueue([this, ike_id, reason, asked](ViciClient& vici) -> awaitable<void> {
    // The PC may try again at once: charon must not answer it from a cached "good".
    (void)co_await forget_ocsp_answers(vici);
    ViciSection request = terminate_message(ike_id);
    auto done = co_await vici.command("terminate", std::move(request));
    if (asked && done) {
      services_.metrics.revocation_close_seconds.observe(std::chrono::steady_clock::now() - *asked);
    }
    audit("ipsec-terminate", done ? audit::Outcome::Info : audit::Outcome::Deny, "system", "",
          {{"ike-id", ike_id}, {"reason", reason}, {"result", done ? "ok" : done.error().message}});
  });
}

void IpsecController::verdicts_changed() {
  enqueue([](ViciClient& vici) -> awaitable<void> { (void)co_await forget_ocsp_answers(vici); });
}

// A hospital removed from the allow-list by a reload: its SAs end (closing the entry
// terminates the SA). Runs on the controller's thread.
void IpsecController::end_disallowed() {
  for (const auto& [id, sa] : sas_) {
    if (!config_->allowed_hospitals.allows(sa->identity.hospital)) {
      sa->close("hospital " + sa->identity.hospital + " no longer allowed");
    }
  }
}

awaitable<void> IpsecController::command_loop() {
  auto client = make_vici_client(io_.get_executor());
  ViciClient& vici = *client;
  for (;;) {
    if (!vici.is_open()) {
      const std::string socket = config_->vici_socket.string();
      Result<void> loaded = co_await vici.connect(socket);
      const auto config = config_;
      if (loaded) loaded = co_await load_everything(vici, *config, &ocsp_setup_);
      if (!loaded) {
        if (charon_reachable_) {  // said once, not every second
          audit("ipsec-config", audit::Outcome::Deny, "system", "",
                {{"error", loaded.error().message}});
          std::cerr << "nanbyo-gateway: ipsec: " << loaded.error().message << "\n";
        }
        charon_reachable_ = false;
        vici.close();
        wake_.expires_after(std::chrono::seconds(1));
        boost::system::error_code ignored;
        co_await wake_.async_wait(asio::redirect_error(use_awaitable, ignored));
        continue;
      }
      charon_reachable_ = true;
      audit("ipsec-config", audit::Outcome::Info, "system", "", {{"connection", config_->name}});
      co_await reconcile(vici);
    }
    if (jobs_.empty()) {
      // Idle: the SA list again now and then, for the byte counts `nanbyoctl connections`
      // shows (charon sends none in events) and for any event the connection missed.
      wake_.expires_after(kRefresh);
      boost::system::error_code waited;
      co_await wake_.async_wait(asio::redirect_error(use_awaitable, waited));
      if (!waited && jobs_.empty() && vici.is_open()) co_await reconcile(vici);
      continue;
    }
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    co_await job(vici);
  }
}

awaitable<void> IpsecController::event_loop() {
  auto client = make_vici_client(io_.get_executor());
  ViciClient& events = *client;
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, gw::Executor>
      retry(io_.get_executor());
  for (;;) {
    const std::string socket = config_->vici_socket.string();
    Result<void> subscribed = co_await events.connect(socket);
    std::vector<std::string> names{"ike-updown", "child-updown"};
    if (subscribed) {
      subscribed = co_await events.subscribe(std::move(names));
      if (!subscribed) {  // charon is there but answered something broken
        audit("ipsec-vici-error", audit::Outcome::Deny, "system", "",
              {{"error", subscribed.error().message}});
      }
    }
    while (subscribed) {
      auto event = co_await events.next_event();
      if (!event) {
        // A malformed or hostile packet, or charon gone: recorded, then connect again.
        audit("ipsec-vici-error", audit::Outcome::Deny, "system", "",
              {{"error", event.error().message}});
        break;
      }
      auto message = std::make_shared<ViciSection>(std::move(event->message));
      if (event->name == "child-updown") {
        child_updown(*message);
        continue;
      }
      enqueue([this, message](ViciClient& vici) { return ike_updown(vici, *message); });
    }
    events.close();
    // charon may have restarted: the command connection connects again too, loads everything
    // and reconciles the SA list (command_loop()).
    enqueue([](ViciClient& vici) -> awaitable<void> {
      vici.close();
      co_return;
    });
    retry.expires_after(std::chrono::seconds(1));
    boost::system::error_code ignored;
    co_await retry.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
}

awaitable<void> IpsecController::ike_updown(ViciClient& vici, ViciSection event) {
  const bool up = event.get("up") == "yes";
  for (const auto& element : event.elements()) {
    if (element.kind != ViciElement::Kind::Section) continue;
    if (up) {
      co_await sa_up(vici, element.name, element.section);
    } else {
      sa_down(element.section, element.name);
    }
  }
}

awaitable<void> IpsecController::sa_up(ViciClient& vici, const std::string& name,
                                       const ViciSection& sa) {
  const std::string ike_id = sa.get("uniqueid");
  if (sas_.contains(ike_id)) co_return;  // seen by reconcile() already
  const std::string remote_id = sa.get("remote-id");
  const std::string peer = sa.get("remote-host") + ":" + sa.get("remote-port");
  ViciSection query;
  query.add("type", "X509");
  auto certs = co_await vici.streamed("list-certs", "list-cert", std::move(query));
  auto identity =
      certs ? peer_identity(*certs, remote_id) : Result<gw::PeerIdentity>(certs.error());
  if (!identity) {
    // charon's certificate cache holds 32 entries: after a burst of authentications the
    // PC's certificate may be gone from it already. A PC seen before is known by its
    // identity; charon verified its certificate (and asked the responder) just now.
    if (const auto seen = serial_of_peer_.find(remote_id); seen != serial_of_peer_.end()) {
      const NamedPeer named = named_peer(remote_id);
      identity = gw::PeerIdentity{};
      identity->serial = seen->second;
      identity->hospital = named.hospital;
      identity->terminal = named.terminal;
    }
  }
  std::string refused;
  if (!identity) {
    refused = "no-identity: " + identity.error().message;
  } else if (services_.revocations.certificate_revoked(identity->serial)) {
    refused = "revoked: certificate " + identity->serial + " is revoked";
  } else if (services_.ips.blocked({gw::ips::SubjectKind::Terminal, identity->serial})) {
    refused = "blocked: the terminal is blocked";
  } else if (!config_->allowed_hospitals.allows(identity->hospital)) {
    refused = "hospital-not-allowed: hospital " + identity->hospital + " may not use " + name;
  }
  std::map<std::string, std::string> detail{
      {"ike-id", ike_id}, {"connection", name}, {"remote-id", remote_id}};
  if (identity) {
    detail["hospital"] = identity->hospital;
    detail["terminal"] = identity->terminal;
  }
  if (identity) {
    if (hospital_of_serial_.size() >= kKnownSerials) hospital_of_serial_.clear();
    if (serial_of_peer_.size() >= kKnownSerials) serial_of_peer_.clear();
    hospital_of_serial_[identity->serial] = identity->hospital;
    serial_of_peer_[remote_id] = identity->serial;
  }
  const std::string actor = identity ? identity->serial : remote_id;
  if (!refused.empty()) {
    detail["check"] = refused;
    audit("ipsec-reject", audit::Outcome::Deny, actor, peer, detail);
    // charon reports the SA up just before it sends its last IKE_AUTH answer: a DELETE sent
    // at once overtakes that answer and the PC ignores it (its SA is still connecting).
    auto delay = std::make_shared<asio::steady_timer>(io_, kRefusalDelay);
    delay->async_wait([this, delay, ike_id, refused](boost::system::error_code ec) {
      if (!ec) terminate(ike_id, refused);
    });
    co_return;
  }
  auto entry = std::make_shared<IpsecSa>(
      ike_id, [this](const std::string& id, const std::string& why) { close_sa(id, why); });
  entry->peer = peer;
  entry->listener = name;
  entry->identity = *identity;
  if (const auto* vips = sa.list("remote-vips"); vips && !vips->empty()) {
    entry->set_tunnel_address(vips->front());
    detail["address"] = vips->front();
  }
  services_.registry.add(entry);
  sas_[ike_id] = entry;
  audit("ipsec-up", audit::Outcome::Allow, actor, peer, detail);
}

// A CHILD SA (the ESP SA carrying the service traffic) came up or went down: audited with
// the selectors charon agreed, which must lie inside the service networks.
void IpsecController::child_updown(const ViciSection& event) {
  const bool up = event.get("up") == "yes";
  auto join = [](const std::vector<std::string>* items) {
    std::string out;
    for (const auto& item : items ? *items : std::vector<std::string>{}) {
      out += (out.empty() ? "" : " ") + item;
    }
    return out;
  };
  for (const auto& ike : event.elements()) {
    if (ike.kind != ViciElement::Kind::Section) continue;
    const ViciSection* children = ike.section.section("child-sas");
    for (const auto& child : children ? children->elements() : std::vector<ViciElement>{}) {
      if (child.kind != ViciElement::Kind::Section) continue;
      audit(up ? "ipsec-child-up" : "ipsec-child-down", audit::Outcome::Info,
            ike.section.get("remote-id"),
            ike.section.get("remote-host") + ":" + ike.section.get("remote-port"),
            {{"ike-id", ike.section.get("uniqueid")},
             {"child", child.section.get("name", child.name)},
             {"local-ts", join(child.section.list("local-ts"))},
             {"remote-ts", join(child.section.list("remote-ts"))}});
    }
  }
}

// After a (re)connection: charon may have restarted (its SAs are gone) or SAs may have come
// up while the event connection was down. The registry follows charon's list.
awaitable<void> IpsecController::reconcile(ViciClient& vici) {
  ViciSection query;
  query.add("noblock", "yes");
  auto listed = co_await vici.streamed("list-sas", "list-sa", std::move(query));
  if (!listed) co_return;  // the connection broke: the next reconnect reconciles again
  std::set<std::string> alive;
  std::vector<std::pair<std::string, ViciSection>> unknown;
  for (const auto& event : *listed) {
    for (const auto& element : event.elements()) {
      if (element.kind != ViciElement::Kind::Section) continue;
      const std::string id = element.section.get("uniqueid");
      alive.insert(id);
      if (auto known = sas_.find(id); known != sas_.end())
        count_bytes(element.section, *known->second);
      if (element.section.get("state") == "ESTABLISHED" && !sas_.contains(id)) {
        unknown.emplace_back(element.name, element.section);
      }
    }
  }
  for (auto it = sas_.begin(); it != sas_.end();) {
    if (alive.contains(it->first)) {
      ++it;
      continue;
    }
    services_.registry.remove(it->second->id);
    audit("ipsec-down", audit::Outcome::Info, it->second->identity.serial, it->second->peer,
          {{"ike-id", it->first}, {"reason", "gone from charon"}});
    it = sas_.erase(it);
  }
  for (const auto& [name, sa] : unknown) co_await sa_up(vici, name, sa);
}

// The SA's bytes as charon counts them over its CHILD SAs (inbound: from the site).
void IpsecController::count_bytes(const ViciSection& sa, IpsecSa& entry) {
  const ViciSection* children = sa.section("child-sas");
  if (children == nullptr) return;
  std::uint64_t in = 0, out = 0;
  for (const auto& child : children->elements()) {
    if (child.kind != ViciElement::Kind::Section) continue;
    in += std::strtoull(child.section.get("bytes-in", "0").c_str(), nullptr, 10);
    out += std::strtoull(child.section.get("bytes-out", "0").c_str(), nullptr, 10);
  }
  entry.bytes_in = in;
  entry.bytes_out = out;
}

void IpsecController::sa_down(const ViciSection& sa, const std::string& name) {
  const auto found = sas_.find(sa.get("uniqueid"));
  if (found == sas_.end()) return;  // refused at its start: already recorded
  services_.registry.remove(found->second->id);
  audit("ipsec-down", audit::Outcome::Info, found->second->identity.serial, found->second->peer,
        {{"ike-id", found->first}, {"connection", name}});
  sas_.erase(found);
}

}  // namespace nanbyo::ipsec
