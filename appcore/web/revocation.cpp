#include "appcore/web/revocation.h"

#include <cstdio>

namespace nanbyo::web {

GatewayNotice tell_gateway(RequestContext& ctx, const appcore::RevocationOutcome& outcome) {
  auto closed = ctx.services.gateway.revoke_user(outcome.user_id);
  if (!closed) {
    // The operator needs this; it names the bus, not the user's data.
    std::fprintf(stderr, "nanbyo-appcore: request %s: gateway not told of revocation: %s\n",
                 ctx.gateway.request_id.c_str(), closed.error().message.c_str());
    return {};
  }
  return {true, closed.value()};
}

nlohmann::json to_json(const appcore::RevocationOutcome& o, const GatewayNotice& g) {
  return {{"user_id", o.user_id},
          {"revoked_key_ids", o.revoked_key_ids},
          {"ended_sessions", o.ended_sessions},
          {"gateway_told", g.told},
          {"gateway_closed_connections", g.closed}};
}

std::string describe(const appcore::RevocationOutcome& o, const GatewayNotice& g) {
  std::string text = "暗号化鍵を失効し（" + std::to_string(o.revoked_key_ids.size()) +
                     "件）、ログイン中のセッションを終了しました（" +
                     std::to_string(o.ended_sessions) + "件）。";
  text += g.told ? "ゲートウェイの接続も切断しました（" + std::to_string(g.closed) + "件）。"
                 : "ゲートウェイへの通知に失敗しました。運用事業者に連絡してください。";
  return text;
}

}  // namespace nanbyo::web
