#include "core/json_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/check.hpp"

namespace perfguard {
namespace {

using nlohmann::json;
using Position = JsonSource::Position;

// Walks the text for nlohmann's iterator input adapter and publishes how many bytes the lexer
// has consumed, which is the only window into the parser's progress that a SAX handler gets.
class CountingIterator {
 public:
  // NOLINTBEGIN(readability-identifier-naming): the standard's names, read by iterator_traits.
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  // NOLINTEND(readability-identifier-naming)

  CountingIterator(const char* at, std::size_t* consumed) noexcept : at_(at), consumed_(consumed) {}

  reference operator*() const noexcept { return *at_; }
  CountingIterator& operator++() noexcept {
    ++at_;
    ++*consumed_;
    return *this;
  }
  CountingIterator operator++(int) noexcept {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) noexcept {
    return a.at_ == b.at_;
  }

 private:
  const char* at_;
  std::size_t* consumed_;
};

// Byte offset -> line and column, by binary search over the offsets where lines start.
class LineTable {
 public:
  explicit LineTable(std::string_view text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  [[nodiscard]] Position at(std::size_t offset) const {
    const auto next = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const auto line = static_cast<std::size_t>(next - starts_.begin());
    return {line, offset - *(next - 1) + 1};
  }

 private:
  std::vector<std::size_t> starts_;
};

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 3, column 5:
// <description>"; the location is ours, so keep only the description.
std::string description_of(const json::exception& error) {
  std::string_view text = error.what();
  if (const auto bracket = text.find("] ");
      text.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    text.remove_prefix(bracket + 2);
  }
  if (text.starts_with("parse error")) {
    if (const auto colon = text.find(": "); colon != std::string_view::npos) {
      text.remove_prefix(colon + 2);
    }
  }
  return std::string(text);
}

bool is_number_char(char c) noexcept {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Builds the DOM as nlohmann's json_sax_dom_parser does, and records where each value (and each
// member's key) starts. At a callback the lexer has just consumed the token, so the token's start
// is found by looking back from the consumed count: a string back to its opening quote, a number
// over its characters (after the one character of look-ahead the lexer reads to end it).
class LocatingHandler {
 public:
  LocatingHandler(std::string_view text, const std::string& origin, const std::size_t& consumed)
      : text_(text), origin_(origin), consumed_(consumed), lines_(text) {}

  bool null() { return add(json(nullptr), consumed_ - 4); }
  bool boolean(bool value) { return add(json(value), consumed_ - (value ? 4 : 5)); }
  bool number_integer(std::int64_t value) { return add(json(value), number_start()); }
  bool number_unsigned(std::uint64_t value) { return add(json(value), number_start()); }
  bool number_float(double value, const std::string& /*text*/) {
    return add(json(value), number_start());
  }
  bool string(std::string& value) { return add(json(std::move(value)), string_start()); }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value)), consumed_ - 1); }

  bool start_object(std::size_t /*size*/) { return open(json::object()); }
  bool start_array(std::size_t /*size*/) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    Frame& object = stack_.back();
    const Position at = lines_.at(string_start());
    if (object.value->contains(name)) {
      const std::optional<std::size_t> first = locations_.child(object.node, name);
      PG_CHECK(first.has_value());
      throw located_error(
          SourceLocation{origin_, at.line, at.column},
          fmt::format("duplicate key \"{}\" (first at line {}); expected each key once", name,
                      locations_.key(*first)->line));
    }
    object.key = std::move(name);
    object.key_at = at;
    return true;
  }

  bool parse_error(std::size_t byte, const std::string& /*last_token*/,
                   const json::exception& error) {
    // `byte` counts the offending character (or the end of input) as read: 1-based.
    const std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text_.size());
    const Position at = lines_.at(offset);
    throw located_error(SourceLocation{origin_, at.line, at.column},
                        "invalid JSON: " + description_of(error));
  }

  [[nodiscard]] json take_document() { return std::move(root_); }
  [[nodiscard]] JsonSource::Locations take_locations() { return std::move(locations_); }

 private:
  struct Frame {
    json* value;
    std::size_t node;   // in locations_
    std::string key;    // objects: the member whose value comes next
    Position key_at{};  // and where its key starts
  };

  // Places `value` in its parent and records its start; returns where it now lives and its node.
  std::pair<json*, std::size_t> place(json value, std::size_t start) {
    json* placed = nullptr;
    std::size_t node = 0;
    const Position at = lines_.at(start);
    if (stack_.empty()) {
      root_ = std::move(value);
      placed = &root_;
      node = locations_.add(JsonSource::Locations::kRoot, {}, at);
    } else if (Frame& parent = stack_.back(); parent.value->is_array()) {
      node = locations_.add(parent.node, std::to_string(parent.value->size()), at);
      parent.value->push_back(std::move(value));
      placed = &parent.value->back();
    } else {
      node = locations_.add(parent.node, parent.key, at);
      locations_.set_key(node, parent.key_at);
      placed = &(*parent.value)[parent.key];
      *placed = std::move(value);
    }
    return {placed, node};
  }

  bool add(json value, std::size_t start) {
    place(std::move(value), start);
    return true;
  }

  bool open(json container) {
    const std::size_t start = consumed_ - 1;
    if (stack_.size() >= JsonSource::kMaxNesting) {
      const Position at = lines_.at(start);
      throw located_error(SourceLocation{origin_, at.line, at.column},
                          fmt::format("nesting deeper than {} levels of arrays and objects; "
                                      "expected a flatter document",
                                      JsonSource::kMaxNesting));
    }
    const auto [placed, node] = place(std::move(container), start);
    stack_.push_back(Frame{placed, node, {}, {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  // The closing quote was the last byte consumed; the opening one is the previous quote not
  // escaped by an odd run of backslashes (a raw quote cannot occur inside a JSON string).
  [[nodiscard]] std::size_t string_start() const {
    const std::size_t closing = consumed_ - 1;
    for (std::size_t i = closing; i-- > 0;) {
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return closing;
  }

  [[nodiscard]] std::size_t number_start() const {
    std::size_t end = std::min(consumed_, text_.size());
    if (end > 0 && !is_number_char(text_[end - 1])) --end;  // the look-ahead that ended it
    std::size_t start = end;
    while (start > 0 && is_number_char(text_[start - 1])) --start;
    return start;
  }

  std::string_view text_;
  const std::string& origin_;
  const std::size_t& consumed_;
  LineTable lines_;
  json root_;
  std::vector<Frame> stack_;
  JsonSource::Locations locations_;
};

}  // namespace

std::size_t JsonSource::Locations::add(std::size_t parent, std::string token, Position value) {
  const std::size_t node = nodes_.size();
  nodes_.push_back(Node{value, std::nullopt});
  if (node != kRoot) children_.emplace(std::pair(parent, std::move(token)), node);
  return node;
}

std::optional<std::size_t> JsonSource::Locations::child(std::size_t parent,
                                                        const std::string& token) const {
  const auto found = children_.find(std::pair(parent, token));
  if (found == children_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::size_t> JsonSource::Locations::find(const Pointer& pointer, bool& exact) const {
  exact = false;
  if (nodes_.empty()) return std::nullopt;
  std::vector<std::string> tokens;  // root first
  for (Pointer at = pointer; !at.empty(); at = at.parent_pointer()) tokens.push_back(at.back());
  std::size_t node = kRoot;
  for (auto token = tokens.rbegin(); token != tokens.rend(); ++token) {
    const std::optional<std::size_t> next = child(node, *token);
    if (!next) return node;
    node = *next;
  }
  exact = true;
  return node;
}

std::size_t JsonSource::Locations::ChildHash::operator()(
    const std::pair<std::size_t, std::string>& k) const noexcept {
  // boost::hash_combine's mixing of the parent into the token's hash.
  const std::size_t h = std::hash<std::string>{}(k.second);
  return h ^ (k.first + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

JsonSource::JsonSource(json document, std::string origin, Locations locations)
    : document_(std::move(document)),
      origin_(std::move(origin)),
      locations_(std::move(locations)) {}

JsonSource JsonSource::parse(std::string_view text, std::string origin) {
  std::size_t consumed = 0;
  LocatingHandler handler(text, origin, consumed);
  const CountingIterator first(text.data(), &consumed);
  const CountingIterator last(text.data() + text.size(), &consumed);
  // The handler throws on every error, so a false return would be a broken invariant.
  const bool parsed =
      json::sax_parse(first, last, &handler, json::input_format_t::json, /*strict=*/true,
                      /*ignore_comments=*/true);
  PG_CHECK(parsed);
  return {handler.take_document(), std::move(origin), handler.take_locations()};
}

JsonSource JsonSource::load(const std::string& path) { return parse(read_text_file(path), path); }

SourceLocation JsonSource::location(const Pointer& pointer) const {
  bool exact = false;
  const std::optional<std::size_t> node = locations_.find(pointer, exact);
  if (!node) return SourceLocation{origin_, 0, 0};
  return located(locations_.value(*node));
}

SourceLocation JsonSource::key_location(const Pointer& pointer) const {
  bool exact = false;
  const std::optional<std::size_t> node = locations_.find(pointer, exact);
  if (node && exact && locations_.key(*node)) return located(*locations_.key(*node));
  return location(pointer);
}

void JsonSource::require_schema(std::string_view schema, std::string_view what) const {
  const Pointer root;
  if (!document_.is_object()) {
    throw error_at(root, fmt::format(R"({} is {}; expected an object with "schema": "{}")", what,
                                     json_type_name(document_), schema));
  }
  const auto found = document_.find("schema");
  if (found == document_.end()) {
    throw error_at(root, fmt::format(R"(missing "schema"; expected "schema": "{}")", schema));
  }
  if (!found->is_string() || found->get_ref<const std::string&>() != schema) {
    throw error_at(
        Pointer("/schema"),
        fmt::format(R"("schema": {} is not supported; expected "{}")", json_shown(*found), schema));
  }
}

std::optional<std::string> JsonSource::first_unknown_key(
    const Pointer& object, std::span<const std::string_view> allowed) const {
  std::optional<std::string> first;
  std::pair<std::size_t, std::size_t> first_at;
  for (const auto& [key, value] : document_.at(object).items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const SourceLocation at = key_location(object / key);
    if (!first || std::pair(at.line, at.column) < first_at) {
      first = key;
      first_at = {at.line, at.column};
    }
  }
  return first;
}

std::vector<std::string_view> JsonSource::present_in_order(
    const Pointer& object, std::span<const std::string_view> candidates) const {
  const json& value = document_.at(object);
  std::vector<std::string_view> present;
  for (const std::string_view key : candidates) {
    if (value.contains(key)) present.push_back(key);
  }
  std::sort(present.begin(), present.end(), [&](std::string_view a, std::string_view b) {
    const SourceLocation at_a = key_location(object / std::string(a));
    const SourceLocation at_b = key_location(object / std::string(b));
    return std::pair(at_a.line, at_a.column) < std::pair(at_b.line, at_b.column);
  });
  return present;
}

UsageError JsonSource::error_at(const Pointer& pointer, std::string_view message) const {
  return located_error(location(pointer), message);
}

UsageError JsonSource::error_at_key(const Pointer& pointer, std::string_view message) const {
  return located_error(key_location(pointer), message);
}

SourceLocation JsonSource::located(const Position& position) const {
  return SourceLocation{origin_, position.line, position.column};
}

std::string_view json_type_name(const json& value) noexcept {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
    case json::value_t::discarded:
      break;
  }
  return value.is_number() ? "a number" : "nothing";
}

std::string json_shown(const json& value) {
  if (value.is_array()) return "[...]";
  if (value.is_object()) return "{...}";
  // Parsed strings are valid UTF-8 (the lexer checks); replace keeps dump() from ever throwing.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string read_text_file(const std::string& path) {
  if (path == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (std::cin.bad()) throw UsageError("cannot read standard input");
    return text;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw UsageError(fmt::format("cannot read {}: is a directory", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << file.rdbuf();
  if (file.bad()) throw UsageError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  return buffer.str();
}

UsageError located_error(const SourceLocation& where, std::string_view message) {
  return UsageError(fmt::format("{}: {}", where.to_string(), message));
}

}  // namespace perfguard
