#pragma once
// A JSON document read from text that people write by hand, together with where each of its
// values stood, so that errors found after parsing (a wrong type, an unknown key, a bad unit)
// can still name FILE:LINE:COLUMN. Used for perfguard.json and perfguard-approvals.json; fit
// for any other perfguard input that a human edits.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/source_location.hpp"
#include "core/error.hpp"
#include "core/text.hpp"  // join, for "expected one of: a, b, c"

namespace perfguard {

class JsonSource {
 public:
  using Pointer = nlohmann::json::json_pointer;

  // Arrays and objects nest at most this deep: no perfguard input needs more, and a bound keeps
  // recursive copies and dumps of the document far from the end of the stack.
  static constexpr std::size_t kMaxNesting = 256;

  // Parses `text`: JSON with // and /* */ comments. `origin` names the text in locations and
  // errors ("perfguard.json"). Throws UsageError, one line:
  //   "ORIGIN:LINE:COL: invalid JSON: <nlohmann's description>"
  // for malformed JSON, "ORIGIN:LINE:COL: duplicate key "k" (first at line L); ..." for an
  // object that repeats a key -- nlohmann would keep the last silently, and in a hand-written
  // file a repeated key is a mistake -- and "ORIGIN:LINE:COL: nesting deeper than 256 ..." at
  // the bracket that opens level 257. Memory is linear in the size of the text.
  [[nodiscard]] static JsonSource parse(std::string_view text, std::string origin);

  // Reads the file (UsageError naming it when unreadable) and parses it with origin = path.
  [[nodiscard]] static JsonSource load(const std::string& path);

  [[nodiscard]] const nlohmann::json& document() const noexcept { return document_; }
  [[nodiscard]] const std::string& origin() const noexcept { return origin_; }

  // Where the value at `pointer` starts (its first byte: the quote of a string, the '{' of an
  // object). A pointer that names no value of the document gives the location of its nearest
  // ancestor that does, so an error about a missing member points at the object lacking it.
  [[nodiscard]] SourceLocation location(const Pointer& pointer) const;

  // For an object member, where its key starts (the opening quote); otherwise location().
  // Errors about the member itself ("unknown key") read better pointing at the key.
  [[nodiscard]] SourceLocation key_location(const Pointer& pointer) const;

  // Checks that the document is an object whose "schema" is `schema`, before anything else, so
  // a file of another kind or version is named as such instead of as a list of odd keys. `what`
  // names the file in the message ("the config"). UsageError otherwise.
  void require_schema(std::string_view schema, std::string_view what) const;

  // Of the members of the object at `object`, the key that is not in `allowed` and comes first
  // in the text (nlohmann keeps keys sorted; people read files top-down); nullopt if none.
  [[nodiscard]] std::optional<std::string> first_unknown_key(
      const Pointer& object, std::span<const std::string_view> allowed) const;

  // Of the `candidates` present in the object at `object`, those in text order.
  [[nodiscard]] std::vector<std::string_view> present_in_order(
      const Pointer& object, std::span<const std::string_view> candidates) const;

  // located_error() at location(pointer) / key_location(pointer).
  [[nodiscard]] UsageError error_at(const Pointer& pointer, std::string_view message) const;
  [[nodiscard]] UsageError error_at_key(const Pointer& pointer, std::string_view message) const;

  // 1-based line and column (in bytes) of where something starts.
  struct Position {
    std::size_t line = 0;
    std::size_t column = 0;
  };

  // Where the values of the document start, as a tree: each value is a node under its parent,
  // reached by its reference token (member name or array index). One token per value, never a
  // whole JSON pointer, so memory stays linear in the text however deep it nests.
  class Locations {
   public:
    static constexpr std::size_t kRoot = 0;

    // Adds the root (first call) or a child of `parent`; returns its index.
    std::size_t add(std::size_t parent, std::string token, Position value);
    void set_key(std::size_t node, Position key) { nodes_[node].key = key; }
    [[nodiscard]] std::optional<std::size_t> child(std::size_t parent,
                                                   const std::string& token) const;
    [[nodiscard]] const Position& value(std::size_t node) const { return nodes_[node].value; }
    [[nodiscard]] const std::optional<Position>& key(std::size_t node) const {
      return nodes_[node].key;
    }
    // The node `pointer` names, or its deepest ancestor that is a node; nullopt for an empty
    // tree. `exact` tells which.
    [[nodiscard]] std::optional<std::size_t> find(const Pointer& pointer, bool& exact) const;

   private:
    struct Node {
      Position value;
      std::optional<Position> key;  // object members: where the key starts
    };
    struct ChildHash {
      std::size_t operator()(const std::pair<std::size_t, std::string>& k) const noexcept;
    };
    std::vector<Node> nodes_;
    std::unordered_map<std::pair<std::size_t, std::string>, std::size_t, ChildHash> children_;
  };

 private:
  JsonSource(nlohmann::json document, std::string origin, Locations locations);

  [[nodiscard]] SourceLocation located(const Position& position) const;

  nlohmann::json document_;
  std::string origin_;
  Locations locations_;
};

// "a string", "a number", "a boolean", "null", "an array", "an object": for messages of the
// form "... is a string; expected ...".
[[nodiscard]] std::string_view json_type_name(const nlohmann::json& value) noexcept;

// A value as a message shows it: scalars as JSON text ("1 s" with its quotes, 3, null), arrays
// and objects as [...] and {...} (their content has locations of its own).
[[nodiscard]] std::string json_shown(const nlohmann::json& value);

// The whole content of a file ("-" is standard input); UsageError "cannot read PATH: <reason>"
// when it cannot be read.
[[nodiscard]] std::string read_text_file(const std::string& path);

// "ORIGIN:LINE:COL: message" as the UsageError every located input error is.
[[nodiscard]] UsageError located_error(const SourceLocation& where, std::string_view message);

}  // namespace perfguard
