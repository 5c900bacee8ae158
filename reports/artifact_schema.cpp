#include "reports/artifact_schema.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/json_source.hpp"
#include "core/check.hpp"
#include "reports/artifacts.hpp"
#include "reports/bisect_output.hpp"
#include "reports/schema_texts.hpp"

namespace perfguard::reports {
namespace {

using nlohmann::json;
using Pointer = json::json_pointer;
using perfguard::json_shown;
using perfguard::json_type_name;

// Keywords that only describe (or are read together with another keyword).
constexpr std::array<std::string_view, 9> kAnnotations = {
    "$schema", "$id", "title", "description", "$comment", "$defs", "default", "then", "else"};
constexpr std::array<std::string_view, 22> kAssertions = {"$ref",
                                                          "type",
                                                          "const",
                                                          "enum",
                                                          "minimum",
                                                          "maximum",
                                                          "exclusiveMinimum",
                                                          "exclusiveMaximum",
                                                          "minLength",
                                                          "pattern",
                                                          "minItems",
                                                          "maxItems",
                                                          "items",
                                                          "required",
                                                          "properties",
                                                          "additionalProperties",
                                                          "propertyNames",
                                                          "allOf",
                                                          "anyOf",
                                                          "oneOf",
                                                          "not",
                                                          "if"};

bool is_type(const json& value, std::string_view type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    const double v = value.get<double>();
    return std::floor(v) == v;
  }
  PG_CHECK(false && "unknown JSON Schema type");
  return false;
}

// "a string", "an integer", "null".
std::string type_phrase(std::string_view type) {
  if (type == "null") return "null";
  if (type == "integer" || type == "object" || type == "array") return fmt::format("an {}", type);
  return fmt::format("a {}", type);
}

std::string expected_types(const json& types) {
  if (types.is_string()) return type_phrase(types.get<std::string>());
  std::string out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    out += type_phrase(types[i].get<std::string>());
  }
  return out;
}

bool has_type(const json& value, const json& types) {
  if (types.is_string()) return is_type(value, types.get<std::string>());
  return std::any_of(types.begin(), types.end(),
                     [&](const json& t) { return is_type(value, t.get<std::string>()); });
}

// UTF-8 code points: JSON Schema's string length.
std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  [[nodiscard]] std::optional<SchemaViolation> check(const json& value, const json& schema,
                                                     const Pointer& at) const {
    if (schema.is_boolean()) {
      if (schema.get<bool>()) return std::nullopt;
      return SchemaViolation{at, "is not allowed here"};
    }
    PG_CHECK(schema.is_object());
    for (const auto& [keyword, ignored] : schema.items()) {
      const bool known =
          std::find(kAnnotations.begin(), kAnnotations.end(), keyword) != kAnnotations.end() ||
          std::find(kAssertions.begin(), kAssertions.end(), keyword) != kAssertions.end();
      PG_CHECK(known && "a JSON Schema keyword artifact_schema.cpp does not implement");
    }
    if (const auto ref = schema.find("$ref"); ref != schema.end()) {
      const std::string& target = ref->get_ref<const std::string&>();
      PG_CHECK(target.starts_with("#/"));
      if (auto v = check(value, root_.at(Pointer(target.substr(1))), at)) return v;
    }
    if (const auto type = schema.find("type"); type != schema.end() && !has_type(value, *type)) {
      return SchemaViolation{
          at, fmt::format("is {}; expected {}", describe(value), expected_types(*type))};
    }
    if (const auto c = schema.find("const"); c != schema.end() && value != *c) {
      return SchemaViolation{at, fmt::format("is {}; expected {}", describe(value), c->dump())};
    }
    if (const auto e = schema.find("enum"); e != schema.end()) {
      if (std::find(e->begin(), e->end(), value) == e->end()) {
        std::string allowed;
        for (const json& option : *e) allowed += (allowed.empty() ? "" : ", ") + option.dump();
        return SchemaViolation{at,
                               fmt::format("is {}; expected one of {}", describe(value), allowed)};
      }
    }
    if (value.is_number()) {
      if (auto v = check_number(value, schema, at)) return v;
    }
    if (value.is_string()) {
      if (auto v = check_string(value, schema, at)) return v;
    }
    if (value.is_array()) {
      if (auto v = check_array(value, schema, at)) return v;
    }
    if (value.is_object()) {
      if (auto v = check_object(value, schema, at)) return v;
    }
    return check_combinators(value, schema, at);
  }

 private:
  static std::string describe(const json& value) {
    if (value.is_array() || value.is_object()) return std::string(json_type_name(value));
    return fmt::format("{} ({})", json_shown(value), json_type_name(value));
  }

  static std::optional<SchemaViolation> check_number(const json& value, const json& schema,
                                                     const Pointer& at) {
    const double v = value.get<double>();
    const auto bound = [&](const char* keyword, auto violates,
                           const char* words) -> std::optional<SchemaViolation> {
      const auto found = schema.find(keyword);
      if (found == schema.end() || !violates(v, found->get<double>())) return std::nullopt;
      return SchemaViolation{
          at, fmt::format("is {}; expected {} {}", json_shown(value), words, found->dump())};
    };
    if (auto b = bound("minimum", std::less<>(), "at least")) return b;
    if (auto b = bound("maximum", std::greater<>(), "at most")) return b;
    if (auto b = bound("exclusiveMinimum", std::less_equal<>(), "more than")) return b;
    if (auto b = bound("exclusiveMaximum", std::greater_equal<>(), "less than")) return b;
    return std::nullopt;
  }

  static std::optional<SchemaViolation> check_string(const json& value, const json& schema,
                                                     const Pointer& at) {
    const std::string& text = value.get_ref<const std::string&>();
    if (const auto min = schema.find("minLength");
        min != schema.end() && code_points(text) < min->get<std::size_t>()) {
      return SchemaViolation{at, fmt::format("is {}; expected at least {} characters",
                                             json_shown(value), min->get<std::size_t>())};
    }
    if (const auto pattern = schema.find("pattern"); pattern != schema.end()) {
      const std::regex re(pattern->get<std::string>(), std::regex::ECMAScript);
      if (!std::regex_search(text, re)) {
        return SchemaViolation{at, fmt::format("is {}; expected a string matching {}",
                                               json_shown(value), pattern->get<std::string>())};
      }
    }
    return std::nullopt;
  }

  std::optional<SchemaViolation> check_array(const json& value, const json& schema,
                                             const Pointer& at) const {
    const std::size_t size = value.size();
    if (const auto min = schema.find("minItems");
        min != schema.end() && size < min->get<std::size_t>()) {
      return SchemaViolation{
          at, fmt::format("has {} items; expected at least {}", size, min->get<std::size_t>())};
    }
    if (const auto max = schema.find("maxItems");
        max != schema.end() && size > max->get<std::size_t>()) {
      return SchemaViolation{
          at, fmt::format("has {} items; expected at most {}", size, max->get<std::size_t>())};
    }
    if (const auto items = schema.find("items"); items != schema.end()) {
      for (std::size_t i = 0; i < size; ++i) {
        if (auto v = check(value[i], *items, at / i)) return v;
      }
    }
    return std::nullopt;
  }

  std::optional<SchemaViolation> check_object(const json& value, const json& schema,
                                              const Pointer& at) const {
    if (const auto required = schema.find("required"); required != schema.end()) {
      for (const json& name : *required) {
        if (!value.contains(name.get<std::string>())) {
          return SchemaViolation{at, fmt::format("lacks \"{}\"", name.get<std::string>())};
        }
      }
    }
    const auto properties = schema.find("properties");
    const auto additional = schema.find("additionalProperties");
    const auto names = schema.find("propertyNames");
    for (const auto& [key, member] : value.items()) {
      const Pointer member_at = at / key;
      if (names != schema.end()) {
        if (auto v = check(json(key), *names, member_at)) {
          return SchemaViolation{at, fmt::format("has a member \"{}\" that {}", key, v->message)};
        }
      }
      if (properties != schema.end() && properties->contains(key)) {
        if (auto v = check(member, (*properties)[key], member_at)) return v;
      } else if (additional != schema.end()) {
        if (additional->is_boolean() && !additional->get<bool>()) {
          return SchemaViolation{at, fmt::format("has an unknown member \"{}\"", key)};
        }
        if (auto v = check(member, *additional, member_at)) return v;
      }
    }
    return std::nullopt;
  }

  std::optional<SchemaViolation> check_combinators(const json& value, const json& schema,
                                                   const Pointer& at) const {
    if (const auto all = schema.find("allOf"); all != schema.end()) {
      for (const json& branch : *all) {
        if (auto v = check(value, branch, at)) return v;
      }
    }
    for (const char* keyword : {"anyOf", "oneOf"}) {
      const auto branches = schema.find(keyword);
      if (branches == schema.end()) continue;
      std::size_t matched = 0;
      std::optional<SchemaViolation> closest;  // from a branch of the value's own type
      for (const json& branch : *branches) {
        const std::optional<SchemaViolation> v = check(value, branch, at);
        if (!v) {
          ++matched;
        } else if (!closest && branch.is_object() && branch.contains("type") &&
                   has_type(value, branch["type"])) {
          closest = v;
        }
      }
      if (matched == 0) {
        if (closest) return closest;
        std::string forms;
        for (const json& branch : *branches) {
          if (!branch.is_object() || !branch.contains("type")) continue;
          forms += (forms.empty() ? "" : " or ") + expected_types(branch["type"]);
        }
        return SchemaViolation{at, fmt::format("is {}; expected {}", describe(value),
                                               forms.empty() ? "another form" : forms)};
      }
      if (std::string_view(keyword) == "oneOf" && matched > 1) {
        return SchemaViolation{at, "matches more than one of the allowed forms"};
      }
    }
    if (const auto n = schema.find("not"); n != schema.end() && !check(value, *n, at)) {
      return SchemaViolation{at, fmt::format("is {}, which is not allowed here", describe(value))};
    }
    if (const auto condition = schema.find("if"); condition != schema.end()) {
      const bool holds = !check(value, *condition, at);
      const auto branch = schema.find(holds ? "then" : "else");
      if (branch != schema.end()) {
        if (auto v = check(value, *branch, at)) return v;
      }
    }
    return std::nullopt;
  }

  const json& root_;
};

const json& schema_document(std::string_view schema_id) {
  static const json perf_comparison = json::parse(kPerfComparisonSchemaText);
  static const json budget_summary = json::parse(kBudgetSummarySchemaText);
  static const json bisect = json::parse(kBisectSchemaText);
  if (schema_id == kPerfComparisonSchema) return perf_comparison;
  if (schema_id == kBisectSchema) return bisect;
  PG_CHECK(schema_id == kBudgetSummarySchema);
  return budget_summary;
}

}  // namespace

std::string SchemaViolation::text() const {
  std::vector<std::string> tokens;
  for (Pointer p = pointer; !p.empty(); p = p.parent_pointer()) tokens.push_back(p.back());
  std::string subject;
  for (auto token = tokens.rbegin(); token != tokens.rend(); ++token) {
    const bool index =
        !token->empty() && token->find_first_not_of("0123456789") == std::string::npos;
    subject += index ? fmt::format("[{}]", *token) : (subject.empty() ? "" : ".") + *token;
  }
  return fmt::format("{} {}", subject.empty() ? "the document" : subject, message);
}

std::optional<SchemaViolation> schema_violation(const json& document, std::string_view schema_id) {
  const json& schema = schema_document(schema_id);
  return Validator(schema).check(document, schema, Pointer());
}

}  // namespace perfguard::reports
