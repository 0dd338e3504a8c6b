// Domain values of users and designated-doctor ID issuance (ID-1 ... ID-9).
// Plain values: what the facade (app_core.h) takes and returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/core/designation.h"
#include "appcore/core/role.h"

namespace nanbyo::appcore {

// The acting user of a facade call. Built by AppCore::resolve_session() from the
// session token and the identity the gateway passed; the facade re-reads the
// user from storage on every call, so a stale role here cannot widen access.
struct Principal {
  std::string user_id;
  Role role = Role::Clerk;
  std::string hospital;         // 医療機関番号 of the PC certificate (gateway), "" if none
  std::string terminal;         // terminal name from the certificate CN, or the peer address
  std::string session_id_hash;  // hex; "" for calls made outside a session (bootstrap, tests)
  std::string cert_serial{};    // of the client certificate the session is bound to, "" for none
};

// Where a login comes from, as the gateway reports it.
struct Terminal {
  std::string hospital;  // 医療機関番号 (10 digits) of the client certificate; "" for none
  std::string name;      // certificate CN or peer address, for the audit record
  std::string cert_serial{};  // serial of the client certificate (hex); "" for none
};

// The person behind a break-glass command (issue 12), from the OS.
struct BreakGlassActor {
  std::string os_user;  // getpwuid(getuid())
  long uid = -1;
  std::string sudo_user;  // $SUDO_USER when run through sudo, else ""
  std::string host;
};

struct Municipality {
  std::string code;  // 地方公共団体コード, 6 digits
  std::string name;
};

struct Hospital {
  std::string number;  // 医療機関番号, 10 digits
  std::string name;
  std::string address;
  std::string administrator;  // user id of the 責任者, "" if none
  std::string municipality;   // the municipality that registered it (edits it); "" operator's
};

// A doctor as entered by a municipality (ID-1) or one CSV row (ID-2).
struct DoctorInput {
  std::string name;                 // 氏名 (required)
  std::string kana;                 // 氏名カナ
  std::string registration_number;  // 医籍登録番号 (required, dedupe key)
  Role kind = Role::NanbyoDoctor;   // NanbyoDoctor | CooperatingDoctor | PediatricDoctor
  std::string hospital_number;      // 医療機関番号 (required)
  std::string hospital_name;        // required when the hospital is not yet known
  std::string hospital_address;
  std::string department;     // 診療科
  std::string designated_on;  // 指定年月日 YYYY-MM-DD
  std::string expires_on;     // 指定有効期限 YYYY-MM-DD
  std::string doctor_number;  // 指定医番号
};

// A user as shown to administrators (decrypted).
struct UserView {
  std::string user_id;
  Role role = Role::Clerk;
  std::string name, kana;
  std::string hospital;      // main hospital, "" for municipal/operator/auditor
  std::string municipality;  // for doctors and municipal admins
  bool locked = false;
  bool hospital_admin = false;  // this user is the hospital's 責任者
  std::string setup_step;       // "active", "register-email", "issue-key", "set-password"
  // Doctors only: the designations the viewer may see (a municipality sees its
  // own, the doctor all of them), and the 医籍登録番号 for those two only.
  std::vector<Designation> designations;
  std::string registration_number;
};

// A machine-issued ID and initial password: shown once, never stored in clear.
struct IssuedCredential {
  std::string user_id;
  std::string initial_password;
  std::string password_expires_at;  // ISO 8601 UTC
};

// 指定通知書 (seed 別紙2-6, items ①-⑥, common to 難病 and 小慢).
struct DesignationNotice {
  std::string designation_id;
  std::string kind;  // 指定医種別 as printed: 難病指定医, 協力難病指定医, 小慢指定医
  std::string municipality_name;  // the designating municipality (the notice's sender)
  std::string doctor_name;        // ① 医師氏名
  std::string hospital_name;      // ② 主に従事する医療機関の名称
  std::string hospital_address;   // ② 同 所在地
  std::string department;         // ③ 診療科名
  std::string designated_on;      // ④ 指定年月日
  std::string expires_on;         // ④ 指定有効期限
  std::string doctor_number;      // ⑤ 指定医番号
  std::string user_id;            // ⑥ ID
  std::string initial_password;   // ⑥ パスワード: only at issuance or reset, else ""
};

// IDPW発行通知書: the ID and password of a user, addressed to them.
struct IdPasswordNotice {
  std::string user_id;
  std::string initial_password;  // only at issuance or reset, else ""
  std::string password_expires_at;
  std::string name;
  std::string role;  // to_string(Role)
  std::string hospital_name;
};

}  // namespace nanbyo::appcore
