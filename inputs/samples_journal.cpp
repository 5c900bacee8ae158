#include "inputs/samples_journal.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_source.hpp"

namespace perfguard::inputs {
namespace {

using nlohmann::ordered_json;

// A malformed line: the reader's only error, caught and given its line number.
struct BadLine {
  std::string reason;
};

const ordered_json& field(const ordered_json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) throw BadLine{fmt::format("missing \"{}\"", key)};
  return *found;
}

std::string string_field(const ordered_json& object, const char* key) {
  const ordered_json& value = field(object, key);
  if (!value.is_string()) throw BadLine{fmt::format("\"{}\" is not a string", key)};
  return value.get<std::string>();
}

std::string optional_string(const ordered_json& object, const char* key) {
  return object.contains(key) ? string_field(object, key) : std::string();
}

std::size_t count_field(const ordered_json& object, const char* key) {
  const ordered_json& value = field(object, key);
  if (!value.is_number_unsigned())
    throw BadLine{fmt::format("\"{}\" is not a non-negative integer", key)};
  return value.get<std::size_t>();
}

const ordered_json& array_field(const ordered_json& object, const char* key) {
  const ordered_json& value = field(object, key);
  if (!value.is_array()) throw BadLine{fmt::format("\"{}\" is not an array", key)};
  return value;
}

JournalRun parse_line(std::string_view text) {
  const ordered_json line = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded()) throw BadLine{"not valid JSON"};
  if (!line.is_object()) throw BadLine{"not a JSON object"};
  if (const std::string schema = string_field(line, "schema"); schema != kSamplesSchema) {
    throw BadLine{fmt::format(R"(schema "{}", expected "{}")", schema, kSamplesSchema)};
  }
  JournalRun record;
  record.benchmark = string_field(line, "benchmark");
  record.variant = string_field(line, "variant");
  record.run = count_field(line, "run");
  const ordered_json& warmup = field(line, "warmup");
  if (!warmup.is_boolean()) throw BadLine{"\"warmup\" is not true or false"};
  record.warmup = warmup.get<bool>();
  if (line.contains("exit_code")) {
    const ordered_json& code = line.at("exit_code");
    if (!code.is_number_integer()) throw BadLine{"\"exit_code\" is not an integer"};
    record.exit_code = code.get<int>();
  }
  for (const ordered_json& sample : array_field(line, "samples")) {
    if (!sample.is_object()) throw BadLine{"a sample is not an object"};
    const ordered_json& value = field(sample, "value");
    if (!value.is_number() || !std::isfinite(value.get<double>()))
      throw BadLine{"a sample value is not a finite number"};
    record.samples.push_back(
        {optional_string(sample, "case"), string_field(sample, "metric"),
         string_field(sample, "unit"), value.get<double>(), optional_string(sample, "label")});
  }
  for (const ordered_json& failure : array_field(line, "failures")) {
    if (!failure.is_object()) throw BadLine{"a failure is not an object"};
    record.failures.push_back(
        {optional_string(failure, "case"), string_field(failure, "reason")});
  }
  return record;
}

}  // namespace

std::vector<JournalRun> read_journal(std::string_view text, const std::string& origin) {
  std::vector<JournalRun> records;
  std::size_t number = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    ++number;
    const std::size_t newline = text.find('\n', begin);
    const bool complete = newline != std::string::npos;
    const std::string_view line =
        text.substr(begin, complete ? newline - begin : std::string::npos);
    begin = complete ? newline + 1 : text.size();
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      records.push_back(parse_line(line));
    } catch (const BadLine& bad) {
      if (!complete) break;
      throw UsageError(fmt::format("{}:{}: {}", origin, number, bad.reason));
    }
  }
  return records;
}

std::vector<JournalRun> read_journal_file(const std::string& path) {
  return read_journal(read_text_file(path), path);
}

}  // namespace perfguard::inputs
