// AppCore: export of the public list of designated doctors (ID-9).
#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/csv_writer.h"
#include "appcore/core/doctor_fields.h"

namespace nanbyo::appcore {

// 指定医の公表 (ID-9): the columns a municipality publishes on its web site.
// One row per designation of the municipality valid today; no ID, 医籍登録番号, kana or e-mail.
Result<std::string> AppCore::export_public_doctor_list(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (Impl::role_of(a) != Role::MunicipalAdmin) {
    return m.deny(p, "doctor-publish", "",
                  fail(Errc::Forbidden, "only municipalities export their doctor list"));
  }
  NANBYO_TRY(rows, m.store->designations_of_municipality(a.municipality));
  CsvWriter w;
  w.row({"指定医番号", "氏名", "指定医種別", "医療機関名称", "医療機関所在地", "診療科",
         "指定年月日", "指定有効期限"});
  std::map<std::string, Hospital> hospitals;
  const std::string today = m.today();
  std::size_t count = 0;
  for (const auto& [u, d] : rows) {
    if (!designation_valid(d.ended, d.expires_on, today)) continue;
    auto it = hospitals.find(d.hospital);
    if (it == hospitals.end()) {
      NANBYO_TRY(h, m.store->get_hospital(d.hospital));
      it = hospitals.emplace(d.hospital, h.value_or(Hospital{})).first;
    }
    NANBYO_TRY(name, m.decrypt(u, "name", u.name_enc));
    const Role kind = role_from_string(d.kind).value_or(Role::NanbyoDoctor);
    w.row({d.doctor_number, name, doctor_kind_text(kind), it->second.name, it->second.address,
           d.department, d.designated_on, d.expires_on});
    ++count;
  }
  NANBYO_TRY_VOID(
      m.record(p, "doctor-publish", a.municipality, {{"count", std::to_string(count)}}));
  return w.text();
}

}  // namespace nanbyo::appcore
