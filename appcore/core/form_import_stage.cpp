// FormService: the CPU work of importing a form, done outside the write lock
// (issue 18 item 7). Staging decides whether the form registers, fills its
// 医療機関情報 from the uploading doctor's designation, runs the calculations,
// seals the contents, computes the blind indexes and issues the access key;
// the chunk's transaction then only writes rows (form_import.cpp). What staging
// read of the doctor is read again in that transaction and compared: if a
// designation changed meanwhile, the chunk's forms are staged again with what
// the transaction sees.
#include <algorithm>

#include "appcore/core/form_service_impl.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {
namespace {

template <typename T>
bool same_result(const Result<T>& a, const Result<T>& b) {
  if (static_cast<bool>(a) != static_cast<bool>(b)) return false;
  return a ? *a == *b : a.error().message == b.error().message;
}

}  // namespace

bool same_signing(const SigningCache& a, const SigningCache& b) {
  return std::equal(a.may_sign.begin(), a.may_sign.end(), b.may_sign.begin(), b.may_sign.end(),
                    [](const auto& x, const auto& y) {
                      return x.first == y.first && same_result(x.second.first, y.second.first) &&
                             x.second.second == y.second.second;
                    }) &&
         std::equal(a.facts.begin(), a.facts.end(), b.facts.begin(), b.facts.end(),
                    [](const auto& x, const auto& y) {
                      return x.first == y.first && same_result(x.second, y.second);
                    });
}

// Everything a doctor's registration may depend on: both programs, new and
// renewal. Nothing for a clerk's upload or a municipality's paper forms.
Result<SigningCache> FormService::Impl::read_signing(const UserRow& u, const ImportMode& mode) {
  SigningCache c;
  if (!mode.registers || mode.paper) return c;
  for (Program program : {Program::Nanbyo, Program::Shoman})
    for (bool renewal : {false, true}) {
      std::string reason;
      auto signs = may_sign(*store, u.user_id, program, renewal, today(), reason);
      c.may_sign.emplace(std::pair{program, renewal}, std::pair{std::move(signs), reason});
    }
  for (const char* kind : {"nanbyo", "shoman"})
    c.facts.emplace(kind, signed_items(u.user_id, mode.hospital, kind));
  return c;
}

StagedForm FormService::Impl::stage_import(const UserRow& u, const ImportCandidate& in,
                                           const ImportMode& mode, const SigningCache& signing) {
  StagedForm s;
  const forms::FormDefinition& def = *in.def;
  s.messages = in.messages;
  forms::FormValues values = in.form->values;  // kept: a changed designation stages again
  FormRow& row = s.row;
  row.form_id = new_form_id();
  row.definition = def.id;
  row.hospital = mode.hospital;
  row.created_by = u.user_id;
  row.source = mode.source;
  // A paper form was signed by its doctor: registered with its missing items
  // listed. An upload registers only a doctor's complete forms.
  bool registers = mode.registers && (mode.paper || s.messages.empty());
  if (registers && !mode.paper) {
    const auto& [signs, reason] = signing.may_sign.at({signing_program(def), is_renewal(values)});
    if (!signs || !*signs) {
      registers = false;  // kept as a draft for a doctor who may register it
      forms::CheckMessage m;
      m.field = "doctor";
      m.severity = forms::CheckMessage::Severity::Missing;
      m.text = signs ? reason : signs.error().message;
      s.messages.push_back(std::move(m));
    }
  }
  if (registers && !mode.paper &&
      std::any_of(def.fields.begin(), def.fields.end(),
                  [](const auto& f) { return f.from_designation; })) {
    const auto& facts = signing.facts.at(def.kind == "shoman" ? "shoman" : "nanbyo");
    if (facts)
      apply_signed_items(*facts, def, values, s.mismatches);
    else
      s.mismatches.push_back(facts.error().message);
    if (!s.mismatches.empty()) return s;
  }
  row.status = registers ? "registered" : "draft";
  if (registers) {
    forms::apply_calculations(def, values);
    if (!mode.paper) row.assigned_doctor = u.user_id;
  }
  set_contents(row, def, values);
  if (registers) s.access_key = issue_access_key(row);
  return s;
}

}  // namespace nanbyo::appcore
