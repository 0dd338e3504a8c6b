#include "appcore/web/request_context.h"

namespace nanbyo::web {

void SessionIssueTimes::remember(const std::string& hash, int64_t issued) {
  std::lock_guard lock(mutex_);
  issued_[hash] = issued;
}

void SessionIssueTimes::forget(const std::string& hash) {
  std::lock_guard lock(mutex_);
  issued_.erase(hash);
}

int64_t SessionIssueTimes::issued(const std::string& hash) const {
  std::lock_guard lock(mutex_);
  auto it = issued_.find(hash);
  return it == issued_.end() ? started_ : it->second;
}

appcore::Terminal RequestContext::terminal() const {
  return {gateway.hospital, gateway.terminal.empty() ? gateway.client_address : gateway.terminal,
          gateway.cert_serial};
}

std::string RequestContext::field(const std::string& name) const {
  if (form) return form->get(name);
  if (json.is_object()) {
    auto it = json.find(name);
    if (it == json.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number() || it->is_boolean()) return it->dump();
  }
  return {};
}

std::string RequestContext::query_value(const std::string& name) const {
  auto parsed = FormData::parse(query);
  return parsed ? parsed->get(name) : std::string();
}

}  // namespace nanbyo::web
