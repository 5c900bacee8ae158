#include "core/json_source.hpp"

#include <array>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard {
namespace {

using nlohmann::json;
using Pointer = JsonSource::Pointer;

// "line:column" of the value (or key) at `pointer`, to compare against positions counted by
// hand in the test texts (1-based, columns in bytes).
std::string at(const JsonSource& source, const std::string& pointer) {
  const SourceLocation where = source.location(Pointer(pointer));
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string key_at(const JsonSource& source, const std::string& pointer) {
  const SourceLocation where = source.key_location(Pointer(pointer));
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

// The message of the UsageError parsing `text` throws, or "" when it parses.
std::string error_of(std::string_view text) {
  try {
    (void)JsonSource::parse(text, "in.json");
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  return "";
}

// Columns:           1234567890123456789012345678901234567890
constexpr std::string_view kText =
    "// leading comment\n"                   // line 1
    "{\n"                                    // line 2
    "  \"name\": \"tool\",  /* inline */\n"  // line 3: key at 3, value at 11
    "  \"n\": 42,\n"                         // line 4: key 3, value 8
    "  \"neg\": -1.5e3,\n"                   // line 5: key 3, value 10
    "  \"flags\": [true, false, null],\n"    // line 6: array 12, true 13, false 19, null 26
    "  \"nested\": {\"a/b\": [1, {\"t~x\": \"q\\\"\"}]},\n"  // line 7
    "  \"last\": 7\n"  // line 8: key 3, value 11 (number before newline)
    "}\n";

TEST(JsonSource, ParsesJsonWithComments) {
  const JsonSource source = JsonSource::parse(kText, "in.json");
  const json expected = {{"name", "tool"},
                         {"n", 42},
                         {"neg", -1.5e3},
                         {"flags", {true, false, nullptr}},
                         {"nested", {{"a/b", {1, {{"t~x", "q\""}}}}}},
                         {"last", 7}};
  EXPECT_EQ(source.document(), expected);
  EXPECT_EQ(source.origin(), "in.json");
}

TEST(JsonSource, LocatesEveryKindOfValue) {
  const JsonSource source = JsonSource::parse(kText, "in.json");
  EXPECT_EQ(at(source, ""), "2:1");
  EXPECT_EQ(at(source, "/name"), "3:11");
  EXPECT_EQ(at(source, "/n"), "4:8");
  EXPECT_EQ(at(source, "/neg"), "5:10");
  EXPECT_EQ(at(source, "/flags"), "6:12");
  EXPECT_EQ(at(source, "/flags/0"), "6:13");
  EXPECT_EQ(at(source, "/flags/1"), "6:19");
  EXPECT_EQ(at(source, "/flags/2"), "6:26");
  EXPECT_EQ(at(source, "/nested"), "7:13");
  EXPECT_EQ(at(source, "/nested/a~1b"), "7:21");
  EXPECT_EQ(at(source, "/nested/a~1b/0"), "7:22");
  EXPECT_EQ(at(source, "/nested/a~1b/1"), "7:25");
  EXPECT_EQ(at(source, "/nested/a~1b/1/t~0x"), "7:33");  // a string holding an escaped quote
  EXPECT_EQ(at(source, "/last"), "8:11");
}

TEST(JsonSource, LocatesKeysOfMembers) {
  const JsonSource source = JsonSource::parse(kText, "in.json");
  EXPECT_EQ(key_at(source, "/name"), "3:3");
  EXPECT_EQ(key_at(source, "/neg"), "5:3");
  EXPECT_EQ(key_at(source, "/nested/a~1b"), "7:14");
  EXPECT_EQ(key_at(source, "/nested/a~1b/1/t~0x"), "7:26");
  // Not a member: the value itself.
  EXPECT_EQ(key_at(source, "/flags/1"), "6:19");
}

TEST(JsonSource, MissingValueFallsBackToNearestAncestor) {
  const JsonSource source = JsonSource::parse(kText, "in.json");
  EXPECT_EQ(at(source, "/nested/a~1b/1/absent"), "7:25");
  EXPECT_EQ(at(source, "/absent/deeper"), "2:1");
  EXPECT_EQ(source.location(Pointer("/name")).to_string(), "in.json:3:11");
}

// 100,000 nested arrays once took ~22 GB (a JSON-pointer string per value and per level) and
// a copy or dump of such a document overflows the stack: refused at the bracket of level 257.
TEST(JsonSource, NestingDeeperThanTheCapIsRefused) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(error_of(deep),
            "in.json:1:257: nesting deeper than 256 levels of arrays and objects; expected a "
            "flatter document");
  std::string objects;
  for (int i = 0; i < 300; ++i) objects += "{\"k\":\n";
  EXPECT_EQ(error_of(objects),
            "in.json:257:1: nesting deeper than 256 levels of arrays and objects; expected a "
            "flatter document");
}

// At the cap: accepted, and every level's values and keys are still located.
TEST(JsonSource, DeepestAllowedNestingIsLocated) {
  std::string text;
  std::string pointer;
  for (std::size_t level = 0; level + 1 < JsonSource::kMaxNesting; ++level) {
    text += "{\"a\": ";
    pointer += "/a";
  }
  text += "[1, 22]" + std::string(JsonSource::kMaxNesting - 1, '}');
  const JsonSource source = JsonSource::parse(text, "in.json");
  const std::size_t last = 6 * (JsonSource::kMaxNesting - 1);  // bytes before the array
  EXPECT_EQ(at(source, pointer), "1:" + std::to_string(last + 1));
  EXPECT_EQ(at(source, pointer + "/1"), "1:" + std::to_string(last + 5));
  EXPECT_EQ(key_at(source, pointer), "1:" + std::to_string(last - 4));
  EXPECT_EQ(at(source, pointer + "/1/absent"), "1:" + std::to_string(last + 5));
  EXPECT_EQ(at(source, "/a/a"), "1:13");
}

TEST(JsonSource, NumberAtEndOfInputAndBeforeComments) {
  EXPECT_EQ(at(JsonSource::parse("  12", "x"), ""), "1:3");
  EXPECT_EQ(at(JsonSource::parse("[3/* c */, 40// c\n]", "x"), "/0"), "1:2");
  EXPECT_EQ(at(JsonSource::parse("[3/* c */, 40// c\n]", "x"), "/1"), "1:12");
}

TEST(JsonSource, StringEndingInEscapedBackslash) {
  // "a\\" ends at the quote after two backslashes; "b\"c" holds an escaped quote.
  const JsonSource source = JsonSource::parse(R"(["a\\", "b\"c", "\\\""])", "x");
  EXPECT_EQ(at(source, "/0"), "1:2");
  EXPECT_EQ(at(source, "/1"), "1:9");
  EXPECT_EQ(at(source, "/2"), "1:17");
}

TEST(JsonSource, CrLfLineEndings) {
  const JsonSource source = JsonSource::parse("{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}\r\n", "x");
  EXPECT_EQ(at(source, "/a"), "2:8");
  EXPECT_EQ(at(source, "/b"), "3:8");
}

// The text after "invalid JSON: " is nlohmann's own description, kept as it is; the line and
// column are ours, counted by hand here.
TEST(JsonSource, InvalidJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"a\": 1,\n}"),
            "in.json:3:1: invalid JSON: syntax error while parsing object key - unexpected '}'; "
            "expected string literal");
  EXPECT_EQ(error_of("{\"a\": tru}"),
            "in.json:1:10: invalid JSON: syntax error while parsing value - invalid literal; "
            "last read: '\"a\": tru}'");
  EXPECT_EQ(
      error_of("[1, 2"),
      "in.json:1:6: invalid JSON: syntax error while parsing array - unexpected end of input; "
      "expected ']'");
  EXPECT_EQ(
      error_of(""),
      "in.json:1:1: invalid JSON: syntax error while parsing value - unexpected end of input; "
      "expected '[', '{', or a literal");
  EXPECT_EQ(error_of("{} {}"),
            "in.json:1:4: invalid JSON: syntax error while parsing value - unexpected '{'; "
            "expected end of input");
  EXPECT_EQ(error_of("[1e999]"), "in.json:1:6: invalid JSON: number overflow parsing '1e999'");
}

TEST(JsonSource, UnterminatedComment) {
  EXPECT_EQ(error_of("{\"a\": 1 /* no end"),
            "in.json:1:18: invalid JSON: syntax error while parsing object - invalid comment; "
            "missing closing '*/'; last read: '1 /* no end'; expected '}'");
}

TEST(JsonSource, DuplicateKeyNamesTheFirst) {
  EXPECT_EQ(error_of("{\n  \"a\": 1,\n  \"b\": {\"c\": 1, \"c\": 2}\n}"),
            "in.json:3:17: duplicate key \"c\" (first at line 3); expected each key once");
  EXPECT_EQ(error_of("{\"a\": 1,\n\"a\": 2}"),
            "in.json:2:1: duplicate key \"a\" (first at line 1); expected each key once");
}

TEST(JsonSource, RequireSchema) {
  const auto schema_error = [](std::string_view text) -> std::string {
    try {
      JsonSource::parse(text, "f.json").require_schema("perfguard.x.v1", "the file");
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(schema_error(R"({"schema": "perfguard.x.v1", "other": 1})"), "");
  EXPECT_EQ(
      schema_error("[1]"),
      "f.json:1:1: the file is an array; expected an object with \"schema\": \"perfguard.x.v1\"");
  EXPECT_EQ(schema_error("{\n \"a\": 1}"),
            "f.json:1:1: missing \"schema\"; expected \"schema\": \"perfguard.x.v1\"");
  EXPECT_EQ(
      schema_error(R"({"schema": "perfguard.x.v2"})"),
      "f.json:1:12: \"schema\": \"perfguard.x.v2\" is not supported; expected \"perfguard.x.v1\"");
  EXPECT_EQ(schema_error(R"({"schema": 1})"),
            "f.json:1:12: \"schema\": 1 is not supported; expected \"perfguard.x.v1\"");
}

TEST(JsonSource, UnknownKeysAndPresentKeysInTextOrder) {
  const JsonSource source = JsonSource::parse(R"({"zeta": 1, "b": 2, "alpha": 3, "c": 4})", "x");
  constexpr std::array<std::string_view, 2> kAllowed{"b", "c"};
  // nlohmann sorts keys, so "alpha" would come first; the text has "zeta" first.
  EXPECT_EQ(source.first_unknown_key(Pointer(), kAllowed), "zeta");
  constexpr std::array<std::string_view, 4> kAll{"alpha", "b", "c", "zeta"};
  EXPECT_EQ(source.first_unknown_key(Pointer(), kAll), std::nullopt);
  constexpr std::array<std::string_view, 3> kCandidates{"alpha", "c", "zeta"};
  EXPECT_EQ(source.present_in_order(Pointer(), kCandidates),
            (std::vector<std::string_view>{"zeta", "alpha", "c"}));
}

TEST(JsonSource, ErrorsAtValuesAndKeys) {
  const JsonSource source = JsonSource::parse("{\n  \"key\":   \"value\"\n}", "f.json");
  EXPECT_STREQ(source.error_at(Pointer("/key"), "bad").what(), "f.json:2:12: bad");
  EXPECT_STREQ(source.error_at_key(Pointer("/key"), "bad").what(), "f.json:2:3: bad");
}

TEST(JsonSource, TypeNamesAndShownValues) {
  EXPECT_EQ(json_type_name(json("s")), "a string");
  EXPECT_EQ(json_type_name(json(1)), "a number");
  EXPECT_EQ(json_type_name(json(-1)), "a number");
  EXPECT_EQ(json_type_name(json(1.5)), "a number");
  EXPECT_EQ(json_type_name(json(true)), "a boolean");
  EXPECT_EQ(json_type_name(json(nullptr)), "null");
  EXPECT_EQ(json_type_name(json::array()), "an array");
  EXPECT_EQ(json_type_name(json::object()), "an object");
  EXPECT_EQ(json_shown(json("1 s")), "\"1 s\"");
  EXPECT_EQ(json_shown(json(3)), "3");
  EXPECT_EQ(json_shown(json::array({1, 2})), "[...]");
  EXPECT_EQ(json_shown(json::object()), "{...}");
}

TEST(JsonSource, LoadReadsTheFileAndNamesIt) {
  const tests::TempDir dir;
  const std::string path = dir.write("a.json", "{\n\"k\": [1,]}").string();
  try {
    (void)JsonSource::load(path);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              path +
                  ":2:9: invalid JSON: syntax error while parsing value - unexpected ']'; "
                  "expected '[', '{', or a literal");
  }
  const std::string good = dir.write("b.json", "{\"k\": 1}").string();
  EXPECT_EQ(JsonSource::load(good).location(Pointer("/k")).to_string(), good + ":1:7");
  const std::string missing = (dir.path() / "absent.json").string();
  EXPECT_THROW((void)read_text_file(missing), UsageError);
  try {
    (void)read_text_file(missing);
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
  }
  try {
    (void)read_text_file(dir.path().string());
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + dir.path().string() + ": is a directory");
  }
}

}  // namespace
}  // namespace perfguard
