#include "appcore/check/batch.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace nanbyo::check {

std::string encode_batch(const Batch& batch) {
  nlohmann::json forms = nlohmann::json::array();
  for (const auto& f : batch.forms)
    forms.push_back(
        {{"file", f.file}, {"ref", f.ref}, {"definition", f.definition}, {"xml", f.xml}});
  nlohmann::json j = {{"format", "nanbyo-forms-batch"},     {"format_version", 1},
                      {"tool_version", batch.tool_version}, {"user_id", batch.user_id},
                      {"created_at", batch.created_at},     {"forms", std::move(forms)}};
  return j.dump();
}

Result<Batch> decode_batch(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail("the batch is not readable");
  auto str = [&](const nlohmann::json& o, const char* key) -> std::optional<std::string> {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  if (str(j, "format") != "nanbyo-forms-batch") return fail("the file is not a forms batch");
  auto fv = j.find("format_version");
  if (fv == j.end() || !fv->is_number_integer() || fv->get<int>() != 1)
    return fail("unknown batch format version");
  Batch b;
  auto tv = str(j, "tool_version");
  auto user = str(j, "user_id");
  auto created = str(j, "created_at");
  auto forms = j.find("forms");
  if (!tv || !user || !created || forms == j.end() || !forms->is_array())
    return fail("the batch lacks tool_version, user_id, created_at or forms");
  if (forms->size() > kMaxBatchForms) return fail("too many forms in one batch");
  b.tool_version = *tv;
  b.user_id = *user;
  b.created_at = *created;
  for (const auto& f : *forms) {
    if (!f.is_object()) return fail("a batch entry is not an object");
    auto file = str(f, "file"), ref = str(f, "ref"), def = str(f, "definition"),
         xml = str(f, "xml");
    if (!file || !ref || !def || !xml)
      return fail("a batch entry lacks file, ref, definition or xml");
    b.forms.push_back({*file, *ref, *def, *xml});
  }
  return b;
}

Result<std::string> seal_batch(const Batch& batch, const pki::UserKey& key, TimePoint now) {
  return pki::seal_with_key(key, encode_batch(batch), now);
}

std::optional<int> compare_versions(std::string_view a, std::string_view b) {
  auto parts = [](std::string_view v) -> std::optional<std::vector<long>> {
    std::vector<long> out;
    while (!v.empty()) {
      auto dot = v.find('.');
      auto part = v.substr(0, dot);
      long n = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
      if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
      out.push_back(n);
      if (dot == std::string_view::npos) break;
      v.remove_prefix(dot + 1);
    }
    if (out.empty()) return std::nullopt;
    out.resize(3, 0);
    return out;
  };
  auto x = parts(a), y = parts(b);
  if (!x || !y) return std::nullopt;
  return *x < *y ? -1 : (*x > *y ? 1 : 0);
}

}  // namespace nanbyo::check
