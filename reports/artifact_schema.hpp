#pragma once
// Validation of an artifact read back from disk against its committed JSON Schema
// (reports/schema/*.schema.json, compiled in), before anything reads its fields: a hand-edited,
// truncated or foreign file is then one clear error instead of a wrong type deep in a renderer.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace perfguard::reports {

// Where a document breaks its schema.
struct SchemaViolation {
  nlohmann::json::json_pointer pointer;  // the offending value (or the object lacking a member)
  std::string message;  // what is wrong with it: "lacks \"gate\"", "is 3 (a number); expected ..."

  // The pointer as a path, then the message: "results[0].verdict is \"odd\" (a string);
  // expected one of ...", "the document lacks \"gate\"".
  [[nodiscard]] std::string text() const;
};

// The first place where `document` breaks the schema whose id is `schema_id`
// (kPerfComparisonSchema, kBudgetSummarySchema or kBisectSchema); nullopt when it conforms.
// The JSON Schema (draft 2020-12) keywords the committed schemas use are supported: type, enum,
// const, properties, required, additionalProperties, propertyNames, items, minItems, maxItems,
// minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, pattern, oneOf, anyOf,
// allOf, not, if/then/else and local $ref. A schema using any other keyword is a broken
// invariant (the tests validate every artifact kind, so it cannot ship).
[[nodiscard]] std::optional<SchemaViolation> schema_violation(const nlohmann::json& document,
                                                              std::string_view schema_id);

}  // namespace perfguard::reports
