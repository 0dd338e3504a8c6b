#include "policy/schema.h"

#include <algorithm>

#include "policy/formats.h"

namespace nanbyo::policy::schema {
namespace {

using formats::quote;

bool is_plain(const YAML::Node& node) {
  return node.Tag() == "?";
}

bool is_integer_text(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// What a node is, for "expected X, got Y".
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return is_plain(node) ? quote(node.Scalar()) : "the quoted string " + quote(node.Scalar());
    default:
      return "null";
  }
}

std::string key_list(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (f.retired.empty()) out += (out.empty() ? "" : ", ") + f.key;
  }
  return out;
}

class Validator {
 public:
  explicit Validator(std::string_view file) : file_(file) {}

  // `fallback` locates a null value (yaml-cpp marks it at the next token).
  Result<void> check(const YAML::Node& node, const Type& type, const std::string& path,
                     const YAML::Mark& fallback) {
    const YAML::Mark mark = node.IsNull() ? fallback : node.Mark();
    auto expected = [&](std::string_view what) {
      return located(file_, mark, path,
                     "expected " + std::string(what) + ", got " + describe(node));
    };
    switch (type.kind) {
      case Type::Kind::Map:
        if (!node.IsMap()) return expected("a map");
        return check_map(node, type, path);
      case Type::Kind::List:
        if (!node.IsSequence()) return expected("a list");
        return check_list(node, type, path);
      case Type::Kind::String:
        if (!node.IsScalar()) return expected("a string");
        return check_string(node.Scalar(), type, path, mark);
      case Type::Kind::Integer:
        if (!node.IsScalar() || !is_plain(node) || !is_integer_text(node.Scalar())) {
          return expected("an integer");
        }
        return check_integer(node.Scalar(), type, path, mark);
      case Type::Kind::Boolean: {
        if (!node.IsScalar() || !is_plain(node)) return expected("true or false");
        auto parsed = formats::parse_boolean(node.Scalar());
        if (!parsed) return located(file_, mark, path, parsed.error().message);
        return {};
      }
    }
    return {};
  }

 private:
  Result<void> check_map(const YAML::Node& node, const Type& type, const std::string& path) {
    std::vector<std::pair<std::string, int>> seen;  // key, line
    for (const auto& entry : node) {                // by value: it->first would dangle
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        return located(file_, key.IsNull() ? node.Mark() : key.Mark(), path,
                       "expected a string key, got " + describe(key));
      }
      const std::string& name = key.Scalar();
      const std::string key_path = child_path(path, name);
      auto field = std::find_if(type.fields.begin(), type.fields.end(),
                                [&](const Field& f) { return f.key == name; });
      if (field == type.fields.end()) {
        return located(file_, key.Mark(), key_path,
                       "unknown key (expected one of: " + key_list(type.fields) + ")");
      }
      if (!field->retired.empty()) return located(file_, key.Mark(), key_path, field->retired);
      auto first = std::find_if(seen.begin(), seen.end(), [&](auto& s) { return s.first == name; });
      if (first != seen.end()) {
        return located(file_, key.Mark(), key_path,
                       "duplicate key (first on line " + std::to_string(first->second) + ")");
      }
      seen.emplace_back(name, key.Mark().line + 1);
      NANBYO_TRY_VOID(check(entry.second, *field->type, key_path, key.Mark()));
    }
    for (const auto& f : type.fields) {
      bool present =
          std::any_of(seen.begin(), seen.end(), [&](auto& s) { return s.first == f.key; });
      if (f.required && !present) {
        return located(file_, node.Mark(), path, "missing required key \"" + f.key + "\"");
      }
    }
    return {};
  }

  Result<void> check_list(const YAML::Node& node, const Type& type, const std::string& path) {
    if (node.size() < type.min_items) {
      return located(file_, node.Mark(), path,
                     "expected at least " + std::to_string(type.min_items) +
                         (type.min_items == 1 ? " entry" : " entries") + ", got an empty list");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      NANBYO_TRY_VOID(check(item, *type.item, item_path(path, i), node.Mark()));
    }
    return {};
  }

  Result<void> check_string(const std::string& text, const Type& type, const std::string& path,
                            const YAML::Mark& mark) {
    if (text.empty()) return located(file_, mark, path, "expected a non-empty string");
    if (!type.one_of.empty() &&
        std::find(type.one_of.begin(), type.one_of.end(), text) == type.one_of.end()) {
      std::string values;
      for (const auto& v : type.one_of) values += (values.empty() ? "" : ", ") + quote(v);
      return located(file_, mark, path, "expected one of " + values + ", got " + quote(text));
    }
    if (type.check) {
      auto checked = type.check(text);
      if (!checked) return located(file_, mark, path, checked.error().message);
    }
    return {};
  }

  Result<void> check_integer(const std::string& text, const Type& type, const std::string& path,
                             const YAML::Mark& mark) {
    auto parsed = formats::parse_integer(text);  // fails here only on overflow
    if (!parsed || *parsed < type.min || *parsed > type.max) {
      std::string range = type.min == type.max ? std::to_string(type.min)
                                               : "an integer from " + std::to_string(type.min) +
                                                     " to " + std::to_string(type.max);
      return located(file_, mark, path, "expected " + range + ", got " + text);
    }
    return {};
  }

  std::string_view file_;
};

TypeRef make(Type type) {
  return std::make_shared<const Type>(std::move(type));
}

bool is_simple_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

TypeRef map(std::vector<Field> fields) {
  Type t;
  t.kind = Type::Kind::Map;
  t.fields = std::move(fields);
  return make(std::move(t));
}

TypeRef list(TypeRef item, std::size_t min_items) {
  Type t;
  t.kind = Type::Kind::List;
  t.item = std::move(item);
  t.min_items = min_items;
  return make(std::move(t));
}

TypeRef string(Check check) {
  Type t;
  t.check = std::move(check);
  return make(std::move(t));
}

TypeRef one_of(std::vector<std::string> values) {
  Type t;
  t.one_of = std::move(values);
  return make(std::move(t));
}

TypeRef integer(std::int64_t min, std::int64_t max) {
  Type t;
  t.kind = Type::Kind::Integer;
  t.min = min;
  t.max = max;
  return make(std::move(t));
}

TypeRef boolean() {
  Type t;
  t.kind = Type::Kind::Boolean;
  return make(std::move(t));
}

Field required(std::string key, TypeRef type) {
  return {std::move(key), true, std::move(type), {}};
}
Field optional(std::string key, TypeRef type) {
  return {std::move(key), false, std::move(type), {}};
}
Field retired(std::string key, std::string migration) {
  return {std::move(key), false, nullptr, std::move(migration)};
}

Result<void> validate(const YAML::Node& doc, const Type& type, std::string_view file) {
  return Validator(file).check(doc, type, "", doc.Mark());
}

Error located(std::string_view file, const YAML::Mark& mark, std::string_view path,
              std::string_view message) {
  std::string out(file);
  if (!mark.is_null()) {
    out += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  out += ": ";
  if (!path.empty()) out += std::string(path) + ": ";
  out += message;
  return fail(std::move(out));
}

std::string child_path(std::string_view parent, std::string_view key) {
  std::string k = is_simple_key(key) ? std::string(key) : formats::quote(key);
  return parent.empty() ? k : std::string(parent) + "." + k;
}

std::string item_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

}  // namespace nanbyo::policy::schema
