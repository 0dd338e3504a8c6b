// A small declarative schema for YAML documents: maps with required and
// optional keys, lists, strings (free, enumerated or format-checked), integers
// in a range, booleans. validate() walks a document against a schema and
// reports the first error as "file:line:column: key.path: message", one line,
// with yaml-cpp's marks (CONVENTIONS.md rule 5). Internal to policy/.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pki/result.h"

namespace nanbyo::policy::schema {

struct Type;
using TypeRef = std::shared_ptr<const Type>;
// A format check on a string's text: ok, or a message without a location.
using Check = std::function<Result<void>(std::string_view text)>;

struct Field {
  std::string key;
  bool required = false;
  TypeRef type;
  std::string retired;  // not empty: a key no longer read; the message says what replaced it
};

struct Type {
  enum class Kind { Map, List, String, Integer, Boolean };
  Kind kind = Kind::String;
  std::vector<Field> fields;        // Map: the only keys allowed
  TypeRef item;                     // List
  std::size_t min_items = 0;        // List
  std::int64_t min = 0, max = 0;    // Integer, inclusive
  std::vector<std::string> one_of;  // String: an enumeration when not empty
  Check check;                      // String: a format check when set
};

TypeRef map(std::vector<Field> fields);
TypeRef list(TypeRef item, std::size_t min_items = 0);
TypeRef string(Check check = {});
TypeRef one_of(std::vector<std::string> values);
TypeRef integer(std::int64_t min, std::int64_t max);
TypeRef boolean();
Field required(std::string key, TypeRef type);
Field optional(std::string key, TypeRef type);
// A key older policies used: its presence is an error with `migration` as the message.
Field retired(std::string key, std::string migration);

// Checks `doc` against `type`; the first error names `file`, the line and
// column of the offending node (1-based) and its key path.
Result<void> validate(const YAML::Node& doc, const Type& type, std::string_view file);

// "file:line:column: path: message" (": path" left out when path is empty).
Error located(std::string_view file, const YAML::Mark& mark, std::string_view path,
              std::string_view message);

// Key paths as the messages write them: "listeners[0].tls".
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, std::size_t index);

}  // namespace nanbyo::policy::schema
