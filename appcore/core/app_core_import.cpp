// AppCore: bulk registration of doctors from a CSV/TSV file (ID-2).
// Mode: every row is judged on its own (issued / designation added / already
// registered / invalid); a row is stored only when every field is right.
// Chunks: the file is written in chunks of kChunk rows, each its own
// transaction under the database's write lock, released between chunks so
// other users' writes (logins, sessions) wait for one chunk at most, not for
// the file (issue 12). A chunk's audit records are in the log before it
// commits. A crash or a storage error keeps the chunks committed so far:
// re-uploading the same file finds those doctors by 医籍登録番号, reports their
// rows as already registered (or designation added) and issues nothing twice;
// their initial passwords are reissued by password reset.
// Speed: the rows are folded and checked on every core first (import_rows.h);
// then, chunk by chunk, the rows are decided in file order against storage,
// the new people's fields are sealed and their passwords made, and the rows
// are written in file order.
#include <algorithm>
#include <thread>
#include <unordered_map>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/import_rows.h"
#include "appcore/core/parallel.h"
#include "appcore/core/text_decoding.h"

namespace nanbyo::appcore {
namespace {

constexpr std::size_t kAuditChunk = 5000;
// Rows decided, sealed and written in one transaction: a writer waiting behind
// a chunk waits for this many rows at most (docs/appcore-data.md, "Concurrency").
constexpr std::size_t kChunk = 256;
// The WAL is copied into the database every this many chunks (a page rewritten
// by several chunks is copied once), outside the write lock.
constexpr std::size_t kChunksPerCheckpoint = 16;

RowStatus row_status(RegistrationStatus s) {
  switch (s) {
    case RegistrationStatus::Issued:
      return RowStatus::Issued;
    case RegistrationStatus::DesignationAdded:
      return RowStatus::DesignationAdded;
    case RegistrationStatus::AlreadyRegistered:
      return RowStatus::AlreadyRegistered;
  }
  return RowStatus::Invalid;
}

// One file, chunk by chunk; the caller runs each chunk in a transaction.
class ChunkedImport {
 public:
  ChunkedImport(AppCore::Impl& m, const Principal& p, const UserRow& a,
                std::vector<PreparedRow>& rows, ImportReport& report)
      : m_(m), p_(p), a_(a), rows_(rows), report_(report) {
    events_.reserve(kAuditChunk);
  }
  ~ChunkedImport() { (void)wait_for_audit(); }
  ChunkedImport(const ChunkedImport&) = delete;
  ChunkedImport& operator=(const ChunkedImport&) = delete;

  Result<void> run_chunk(std::size_t begin, std::size_t end);
  // Appends the records so far; call before the chunk's commit.
  Result<void> write_audit();
  Result<void> finish(std::size_t total);

 private:
  enum class Plan { Done, NewPerson, AddToFilePerson, SameAsFilePerson };
  struct FileDesignation {
    Role kind;
    std::string doctor_number, id;
  };
  // A person whose ID this file issues: later rows may name them again.
  struct FilePerson {
    std::string user_id;  // set when the chunk's ids are reserved
    std::vector<FileDesignation> designations;
  };

  Result<Plan> decide(std::size_t i);
  Plan decide_for_file_person(std::size_t i, FilePerson& person);
  Result<Hospital*> hospital(const DoctorInput& d);
  // A new person's sealed rows, made in parallel before the chunk is written.
  struct NewPerson {
    UserRow user;
    IssuedCredential credential;
    std::string registration_enc;
  };
  Result<void> write(std::size_t i, Plan plan, NewPerson* person);
  void event(const ImportRow& row);
  // Hands the records so far to a thread that seals and appends them while the
  // next rows are written; the previous batch must have been appended first.
  Result<void> flush();
  Result<void> wait_for_audit();

  AppCore::Impl& m_;
  const Principal& p_;
  const UserRow& a_;
  std::vector<PreparedRow>& rows_;
  ImportReport& report_;
  // 医籍登録番号 → (first line, name key): one number, one person in a file.
  std::unordered_map<std::string, std::pair<std::size_t, std::string>> names_;
  std::unordered_map<std::string, FilePerson> people_;  // by registration index
  std::unordered_map<std::string, Hospital> hospitals_;
  std::vector<audit::AuditEvent> events_;
  std::thread audit_thread_;
  Result<void> audit_result_;
};

Result<Hospital*> ChunkedImport::hospital(const DoctorInput& d) {
  auto it = hospitals_.find(d.hospital_number);
  if (it == hospitals_.end()) {
    NANBYO_TRY(h, m_.named_hospital(d, a_.municipality));
    it = hospitals_.emplace(d.hospital_number, std::move(h)).first;
  }
  return &it->second;
}

ChunkedImport::Plan ChunkedImport::decide_for_file_person(std::size_t i, FilePerson& person) {
  PreparedRow& r = rows_[i];
  ImportRow& out = report_.rows[i];
  const DoctorInput& d = r.doctor;
  for (const auto& e : person.designations) {
    if (program_of(e.kind) != program_of(d.kind)) continue;
    if (same_designation(e.kind, e.doctor_number, d.kind, d.doctor_number))
      return Plan::SameAsFilePerson;
    out.errors.push_back(
        FieldError{r.line, "指定医種別",
                   "the doctor already holds a valid designation of your municipality under " +
                       std::string(program_label(program_of(d.kind))) + " (" +
                       std::string(doctor_kind_text(e.kind)) + ", 指定医番号 " + e.doctor_number +
                       "); extend or end it first"});
    return Plan::Done;
  }
  if (auto h = hospital(d); !h) {
    out.errors.push_back(field_error_of(r.line, error_text(h.error())));
    return Plan::Done;
  }
  person.designations.push_back({d.kind, d.doctor_number, ""});
  return Plan::AddToFilePerson;
}

Result<ChunkedImport::Plan> ChunkedImport::decide(std::size_t i) {
  PreparedRow& r = rows_[i];
  ImportRow& out = report_.rows[i];
  out.line = r.line;
  if (!r.errors.empty()) {
    out.errors = std::move(r.errors);
    return Plan::Done;
  }
  const DoctorInput& d = r.doctor;
  // One number, one person: a second row with another name is refused here,
  // naming the first line, before it can reach the stored registration.
  auto [first, inserted] = names_.try_emplace(d.registration_number, r.line, r.name_key);
  if (!inserted && first->second.second != r.name_key) {
    out.errors.push_back(FieldError{r.line, "医籍登録番号",
                                    "line " + std::to_string(first->second.first) +
                                        " has the same number with another name (氏名); check "
                                        "both lines"});
    return Plan::Done;
  }
  if (auto it = people_.find(r.registration_index); it != people_.end())
    return decide_for_file_person(i, it->second);
  NANBYO_TRY(existing, m_.store->doctor_by_registration(r.registration_index));
  if (existing) {
    auto added = m_.add_designation(a_, *existing, d);
    if (!added) {
      // A refusal of this row; anything else (storage) ends the whole file.
      if (error_code(added.error()) != Errc::InvalidInput) return added.error();
      out.errors.push_back(field_error_of(r.line, error_text(added.error())));
      return Plan::Done;
    }
    out.user_id = added->user_id;
    out.designation_id = added->designation_id;
    out.status = row_status(added->status);
    return Plan::Done;
  }
  if (auto h = hospital(d); !h) {
    if (error_code(h.error()) != Errc::InvalidInput) return h.error();
    out.errors.push_back(field_error_of(r.line, error_text(h.error())));
    return Plan::Done;
  }
  people_[r.registration_index].designations.push_back({d.kind, d.doctor_number, ""});
  return Plan::NewPerson;
}

Result<void> ChunkedImport::write(std::size_t i, Plan plan, NewPerson* created) {
  PreparedRow& r = rows_[i];
  ImportRow& out = report_.rows[i];
  const DoctorInput& d = r.doctor;
  FilePerson& person = people_[r.registration_index];
  auto designation_of_row = [&]() -> FileDesignation& {
    for (auto& e : person.designations)
      if (same_designation(e.kind, e.doctor_number, d.kind, d.doctor_number)) return e;
    return person.designations.back();  // unreachable: decide() added it
  };
  if (plan == Plan::SameAsFilePerson) {
    out.user_id = person.user_id;
    out.designation_id = designation_of_row().id;
    out.status = RowStatus::AlreadyRegistered;
    return {};
  }
  if (plan == Plan::NewPerson) {
    const std::string& user_id = created->user.user_id;
    NANBYO_TRY_VOID(m_.store->insert_user(created->user));
    NANBYO_TRY_VOID(m_.store->insert_doctor(
        DoctorRow{user_id, r.registration_index, std::move(created->registration_enc)}));
    Hospital& h = hospitals_.at(d.hospital_number);
    if (h.administrator.empty()) {
      // Another writer may have named one between two chunks: ask storage.
      NANBYO_TRY(stored, m_.store->get_hospital(h.number));
      if (stored) h.administrator = stored->administrator;
    }
    if (h.administrator.empty()) {
      NANBYO_TRY_VOID(m_.store->set_hospital_admin(h.number, user_id));
      h.administrator = user_id;
    }
    out.status = RowStatus::Issued;
    out.initial_password = std::move(created->credential.initial_password);
    out.doctor_name = d.name;
  } else {
    out.status = RowStatus::DesignationAdded;
  }
  NANBYO_TRY(id, m_.insert_designation(person.user_id, a_.municipality, d));
  designation_of_row().id = std::to_string(id);
  out.user_id = person.user_id;
  out.designation_id = std::to_string(id);
  return {};
}

Result<void> ChunkedImport::run_chunk(std::size_t begin, std::size_t end) {
  // 1. Decide every row in file order; known people get their designation now.
  std::vector<Plan> plans(end - begin, Plan::Done);
  std::unordered_map<char, long long> new_ids;
  std::vector<std::size_t> new_people;
  for (std::size_t i = begin; i < end; ++i) {
    NANBYO_TRY(plan, decide(i));
    plans[i - begin] = plan;
    if (plans[i - begin] == Plan::NewPerson) {
      ++new_ids[id_prefix(rows_[i].doctor.kind)];
      new_people.push_back(i);
    }
  }
  // 2. Reserve the chunk's ids per letter and hand them out in file order.
  std::unordered_map<char, long long> next;
  for (const auto& [prefix, count] : new_ids) {
    NANBYO_TRY(number, m_.store->reserve_user_numbers(prefix, count));
    if (number + count - 1 > AppCore::Impl::kMaxUserNumber)
      return fail(Errc::Conflict, "no user ids left for this role");
    next[prefix] = number;
  }
  std::vector<NewPerson> created(new_people.size());
  for (std::size_t k = 0; k < new_people.size(); ++k) {
    const DoctorInput& d = rows_[new_people[k]].doctor;
    people_[rows_[new_people[k]].registration_index].user_id =
        AppCore::Impl::user_id_text(d.kind, next[id_prefix(d.kind)]++);
  }
  // 3. Seal the new people's fields and make their passwords on every core.
  parallel_for(new_people.size(), [&](std::size_t k) {
    const PreparedRow& r = rows_[new_people[k]];
    const DoctorInput& d = r.doctor;
    const std::string& user_id = people_.at(r.registration_index).user_id;
    created[k].user = m_.new_user_row(d.kind, user_id, d.name, d.kana, d.hospital_number,
                                      a_.municipality, created[k].credential);
    created[k].registration_enc =
        m_.keys.seal("doctors", "registration", user_id, d.registration_number);
  });
  // 4. Write in file order.
  std::size_t k = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const Plan plan = plans[i - begin];
    if (plan != Plan::Done) {
      const bool is_new = plan == Plan::NewPerson;
      NANBYO_TRY_VOID(write(i, plan, is_new ? &created[k] : nullptr));
      if (is_new) ++k;
    }
    ImportRow& row = report_.rows[i];
    if (!row.errors.empty()) row.status = RowStatus::Invalid;
    if (row.status != RowStatus::Invalid && !rows_[i].check_digit_ok) {
      row.warnings.push_back(FieldError{row.line, "医療機関番号",
                                        "the check digit (検証番号) does not match; the hospital "
                                        "was stored as written"});
    }
    switch (row.status) {
      case RowStatus::Issued:
        ++report_.issued;
        break;
      case RowStatus::DesignationAdded:
        ++report_.designation_added;
        break;
      case RowStatus::AlreadyRegistered:
        ++report_.already_registered;
        break;
      case RowStatus::Invalid:
        ++report_.invalid;
        break;
    }
    event(row);
    if (events_.size() >= kAuditChunk) NANBYO_TRY_VOID(flush());
  }
  return {};
}

void ChunkedImport::event(const ImportRow& row) {
  if (row.status != RowStatus::Issued && row.status != RowStatus::DesignationAdded) return;
  events_.push_back(m_.event(p_, "doctor-register", audit::Outcome::Allow, row.user_id,
                             {{"result", std::string(to_string(row.status))},
                              {"designation", row.designation_id},
                              {"line", std::to_string(row.line)}}));
}

Result<void> ChunkedImport::wait_for_audit() {
  if (audit_thread_.joinable()) audit_thread_.join();
  auto r = std::move(audit_result_);
  audit_result_ = Result<void>();
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return {};
}

Result<void> ChunkedImport::flush() {
  NANBYO_TRY_VOID(wait_for_audit());
  if (events_.empty()) return {};
  audit_thread_ =
      std::thread([this, batch = std::move(events_)] { audit_result_ = m_.audit.append(batch); });
  events_.clear();
  events_.reserve(kAuditChunk);
  return {};
}

Result<void> ChunkedImport::write_audit() {
  NANBYO_TRY_VOID(flush());
  return wait_for_audit();
}

Result<void> ChunkedImport::finish(std::size_t total) {
  events_.push_back(m_.event(p_, "doctor-import", audit::Outcome::Allow, a_.municipality,
                             {{"rows", std::to_string(total)},
                              {"issued", std::to_string(report_.issued)},
                              {"designation_added", std::to_string(report_.designation_added)},
                              {"already_registered", std::to_string(report_.already_registered)},
                              {"invalid", std::to_string(report_.invalid)},
                              {"encoding", report_.encoding}}));
  NANBYO_TRY_VOID(flush());
  return wait_for_audit();  // every record is in the log before the commit
}

}  // namespace

Result<ImportReport> AppCore::import_doctors(const Principal& p, std::string_view bytes,
                                             const ImportProgress& progress) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::DoctorRegister, {}, "", "doctor-import"));
  if (bytes.size() > m.config.max_import_bytes) {
    return fail(Errc::InvalidInput, "the file is larger than " +
                                        std::to_string(m.config.max_import_bytes >> 20) + " MiB");
  }
  NANBYO_TRY(text, decode_upload(bytes));
  NANBYO_TRY(table, parse_delimited(text.utf8));
  if (table.records.empty()) return fail(Errc::InvalidInput, "the file has no header row");
  NANBYO_TRY(columns, map_doctor_header(table.records.front()));
  const std::size_t total = table.records.size() - 1;
  if (total == 0) return fail(Errc::InvalidInput, "the file has a header row but no doctors");
  if (total > m.config.max_import_rows) {
    return fail(Errc::InvalidInput,
                "the file has more than " + std::to_string(m.config.max_import_rows) + " rows");
  }

  // Fold and check every row on every core; nothing here touches storage.
  std::vector<PreparedRow> rows(total);
  parallel_for(total, [&](std::size_t i) {
    rows[i] = prepare_doctor_row(table.records[i + 1], columns, m.keys);
  });
  ImportReport report;
  report.encoding = text.encoding;
  report.delimiter = table.delimiter;
  report.rows.resize(total);
  ChunkedImport run(m, p, a, rows, report);
  // Chunks commit without waiting for the disk, the last one with: nothing is
  // shown before it, and its sync makes every chunk before it durable too.
  // Checkpoints run between chunks, outside the write lock.
  struct BulkModeOff {
    Store& store;
    ~BulkModeOff() { (void)store.set_bulk_mode(false); }
  } bulk_mode_off{*m.store};
  NANBYO_TRY_VOID(m.store->set_bulk_mode(true));
  for (std::size_t begin = 0; begin < total; begin += kChunk) {
    const std::size_t end = std::min(begin + kChunk, total);
    if (end == total) {  // the last chunk: a short WAL, then a durable commit
      NANBYO_TRY_VOID(m.store->checkpoint());
      NANBYO_TRY_VOID(m.store->set_bulk_mode(false));
    }
    {
      auto writing = m.write_lock();
      NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
        NANBYO_TRY_VOID(run.run_chunk(begin, end));
        return run.write_audit();
      }));
    }
    if (end != total && (begin / kChunk) % kChunksPerCheckpoint == kChunksPerCheckpoint - 1)
      NANBYO_TRY_VOID(m.store->checkpoint());
    if (progress) progress(end, total);
  }
  NANBYO_TRY_VOID(run.finish(total));
  return report;
}

}  // namespace nanbyo::appcore
