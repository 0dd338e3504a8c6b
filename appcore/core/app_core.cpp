// AppCore: opening, and the operator's set-up calls (first operator, staff
// users, municipalities, hospitals).
#include "appcore/core/app_core.h"

#include <SQLiteCpp/Database.h>

#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/passwords.h"

namespace nanbyo::appcore {
namespace {

bool digits(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Principal as_principal(const UserRow& u, const Terminal& from) {
  return Principal{u.user_id, role_from_string(u.role).value_or(Role::Clerk), from.hospital,
                   from.name, ""};
}

}  // namespace

AppCore::AppCore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AppCore::~AppCore() = default;

Result<std::unique_ptr<AppCore>> AppCore::open(const CoreConfig& config, const Clock& clock,
                                               audit::AuditSink& audit) {
  NANBYO_TRY(master, load_master_key(config.master_key, config.create_master_key));
  NANBYO_TRY(store, open_sqlite_store(config.database));
  NANBYO_TRY(keys, KeyHierarchy::open(*store, master));
  auto impl = std::make_unique<Impl>(config, clock, audit, std::move(store), std::move(keys));
  try {
    impl->key_db =
        std::make_unique<SQLite::Database>(config.database.string(), SQLite::OPEN_READWRITE);
    impl->key_db->setBusyTimeout(5000);
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("cannot open the key registry: ") + e.what());
  }
  NANBYO_TRY(registry,
             pki::UserKeyRegistry::open(*impl->key_db, impl->keys.user_key_wrap_key(), clock));
  impl->key_registry = std::make_unique<pki::UserKeyRegistry>(std::move(registry));
  return std::unique_ptr<AppCore>(new AppCore(std::move(impl)));
}

Result<IssuedCredential> AppCore::bootstrap_operator(const std::string& name,
                                                     const Terminal& from) {
  auto lease = impl_->write();
  Principal anon{"", Role::Operator, from.hospital, from.name, ""};
  NANBYO_TRY(count, impl_->store->count_users(std::string(to_string(Role::Operator))));
  if (count > 0) {
    return impl_->deny(anon, "operator-bootstrap", "",
                       fail(Errc::Conflict, "an operator exists already; ask them for an account"));
  }
  if (trim(name).empty()) return fail(Errc::InvalidInput, "name: is required");
  IssuedCredential cred;
  UserRow row;
  NANBYO_TRY_VOID(impl_->store->transaction([&]() -> Result<void> {
    NANBYO_TRY(c, impl_->create_user(Role::Operator, trim(name), "", "", "", &row));
    cred = std::move(c);
    return {};
  }));
  NANBYO_TRY_VOID(impl_->record(as_principal(row, from), "operator-bootstrap", row.user_id));
  return cred;
}

Result<IssuedCredential> AppCore::create_staff_user(const Principal& p, Role role,
                                                    const std::string& name,
                                                    const std::string& kana,
                                                    const std::string& municipality) {
  auto lease = impl_->write();
  NANBYO_TRY(a, impl_->actor(p));
  NANBYO_TRY_VOID(impl_->authorize(p, a, Action::StaffCreate));
  if (role != Role::MunicipalAdmin && role != Role::Operator && role != Role::SecurityAuditor) {
    return fail(Errc::InvalidInput,
                "role: staff users are municipal admins, operators or security auditors");
  }
  if (trim(name).empty()) return fail(Errc::InvalidInput, "name: is required");
  std::string town;
  if (role == Role::MunicipalAdmin) {
    NANBYO_TRY(m, impl_->store->get_municipality(municipality));
    if (!m) return fail(Errc::NotFound, "municipality " + municipality + " is not registered");
    town = municipality;
  }
  IssuedCredential cred;
  NANBYO_TRY_VOID(impl_->store->transaction([&]() -> Result<void> {
    NANBYO_TRY(c, impl_->create_user(role, trim(name), trim(kana), "", town));
    cred = std::move(c);
    return {};
  }));
  NANBYO_TRY_VOID(impl_->record(p, "staff-create", cred.user_id,
                                {{"role", std::string(to_string(role))}, {"municipality", town}}));
  return cred;
}

Result<void> AppCore::register_municipality(const Principal& p, const Municipality& m) {
  auto lease = impl_->write();
  NANBYO_TRY(a, impl_->actor(p));
  if (Impl::role_of(a) != Role::Operator) {
    return impl_->deny(p, "municipality-register", m.code,
                       fail(Errc::Forbidden, "only operators register municipalities"));
  }
  if (!digits(m.code, 6)) return fail(Errc::InvalidInput, "code: must be 6 digits");
  if (trim(m.name).empty()) return fail(Errc::InvalidInput, "name: is required");
  NANBYO_TRY_VOID(impl_->store->put_municipality(Municipality{m.code, trim(m.name)}));
  return impl_->record(p, "municipality-register", m.code);
}

Result<void> AppCore::register_hospital(const Principal& p, const Hospital& h) {
  auto lease = impl_->write();
  NANBYO_TRY(a, impl_->actor(p));
  // A known hospital is edited only by the municipality that registered it (or the operator).
  NANBYO_TRY(known, impl_->store->get_hospital(h.number));
  if (known)
    NANBYO_TRY_VOID(
        impl_->authorize(p, a, Action::HospitalEdit, HospitalFacts{known->municipality}, h.number));
  else
    NANBYO_TRY_VOID(impl_->authorize(p, a, Action::HospitalRegister, {}, h.number));
  if (!digits(h.number, 10)) return fail(Errc::InvalidInput, "number: must be 10 digits");
  if (trim(h.name).empty()) return fail(Errc::InvalidInput, "name: is required");
  const std::string owner = known ? known->municipality : a.municipality;
  NANBYO_TRY_VOID(
      impl_->store->put_hospital(Hospital{h.number, trim(h.name), trim(h.address), "", owner}));
  return impl_->record(p, known ? "hospital-edit" : "hospital-register", h.number);
}

Result<Hospital> AppCore::hospital(const Principal& p, const std::string& number) {
  auto lease = impl_->read();
  NANBYO_TRY(a, impl_->actor(p));
  (void)a;
  NANBYO_TRY(h, impl_->store->get_hospital(number));
  if (!h) return fail(Errc::NotFound, "hospital " + number + " is not registered");
  return std::move(*h);
}

}  // namespace nanbyo::appcore
