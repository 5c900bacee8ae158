#include "harness/callgrind.hpp"

#include <stdlib.h>  // mkdtemp

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace perfguard::harness {
namespace {

namespace fs = std::filesystem;

// Fixed geometry (size, associativity, line size): a 32 KiB 8-way L1 for instructions and
// data and an 8 MiB 16-way last level, so estimated cycles do not depend on the host.
constexpr const char* kI1 = "--I1=32768,8,64";
constexpr const char* kD1 = "--D1=32768,8,64";
constexpr const char* kLL = "--LL=8388608,16,64";

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string environment_value(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

// A fresh directory for one run's output files, removed when the run is read.
class RunDirectory {
 public:
  RunDirectory() {
    std::string pattern = (fs::temp_directory_path() / "perfguard-callgrind-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw ExecutionError(fmt::format("cannot create a folder for Callgrind's output in {}",
                                       fs::temp_directory_path().string()));
    }
    path_ = pattern;
  }
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;
  ~RunDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  [[nodiscard]] const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<CallgrindEvents> parse_callgrind_totals(std::string_view text) {
  std::vector<std::string_view> names;
  CallgrindEvents totals;
  bool any_summary = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("events:")) {
      names = words(line.substr(7));
      continue;
    }
    if (!line.starts_with("summary:")) continue;
    const std::vector<std::string_view> values = words(line.substr(8));
    if (names.empty() || values.size() != names.size()) return std::nullopt;
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::uint64_t value = 0;
      const auto [ptr, ec] =
          std::from_chars(values[i].data(), values[i].data() + values[i].size(), value);
      if (ec != std::errc{} || ptr != values[i].data() + values[i].size()) return std::nullopt;
      totals[std::string(names[i])] += value;
    }
    any_summary = true;
  }
  if (!any_summary) return std::nullopt;
  return totals;
}

std::optional<std::uint64_t> estimated_cycles(const CallgrindEvents& events) {
  std::uint64_t e[9] = {};
  const char* names[9] = {"Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"};
  for (int i = 0; i < 9; ++i) {
    const auto found = events.find(names[i]);
    if (found == events.end()) return std::nullopt;
    e[i] = found->second;
  }
  const std::uint64_t accesses = e[0] + e[1] + e[2];
  const std::uint64_t l1_misses = e[3] + e[4] + e[5];
  const std::uint64_t ll_misses = e[6] + e[7] + e[8];
  // Callgrind counts every LL miss as an L1 miss too; a file that says otherwise is corrupt.
  if (l1_misses > accesses || ll_misses > l1_misses) return std::nullopt;
  return (accesses - l1_misses) + 5 * (l1_misses - ll_misses) + 35 * ll_misses;
}

std::vector<std::string> callgrind_argv(const CallgrindOptions& options,
                                        const std::string& out_pattern) {
  std::vector<std::string> argv = {"env", "-i",
                                   "PATH=" + environment_value("PATH", "/usr/bin:/bin"),
                                   "HOME=" + environment_value("HOME", "/"), "LC_ALL=C"};
  for (const auto& [name, value] : options.command.environment) argv.push_back(name + "=" + value);
  for (const char* word : {"setarch", "-R"}) argv.emplace_back(word);
  argv.push_back(options.valgrind);
  for (const char* word : {"--tool=callgrind", "-q", "--trace-children=yes"}) {
    argv.emplace_back(word);
  }
  argv.push_back("--callgrind-out-file=" + out_pattern);
  if (options.estimate_cycles) {
    for (const char* word : {"--cache-sim=yes", kI1, kD1, kLL}) argv.emplace_back(word);
  }
  argv.emplace_back("--");
  argv.insert(argv.end(), options.command.argv.begin(), options.command.argv.end());
  return argv;
}

CallgrindTrial::CallgrindTrial(ProcessRunner& runner, CallgrindOptions options)
    : runner_(runner), options_(std::move(options)) {}

void CallgrindTrial::setup() {
  ProcessSpec probe;
  probe.argv = {options_.valgrind, "--version"};
  RunResult result;
  try {
    result = runner_.run(probe);
  } catch (const ExecutionError&) {
    throw ExecutionError(
        fmt::format("cannot run '{}': instruction counts need Valgrind (Debian package valgrind)",
                    options_.valgrind));
  }
  if (!result.succeeded()) {
    throw ExecutionError(
        fmt::format("'{} --version' failed: {}", options_.valgrind, describe_termination(result)));
  }
}

Outcome CallgrindTrial::run() {
  const RunDirectory directory;
  ProcessSpec spec = options_.command;
  spec.argv = callgrind_argv(options_, (directory.path() / "callgrind.%p.out").string());
  spec.environment.clear();  // set through env -i above
  spec.stderr_mode = OutputMode::capture;
  spec.capture_limit = std::size_t{64} * 1024;
  const RunResult result = runner_.run(spec);

  Outcome outcome;
  if (result.termination == Termination::exited) outcome.exit_code = result.exit_code;
  if (!result.succeeded()) {
    outcome.failures.push_back({"", describe_failure(result)});
    return outcome;
  }
  CallgrindEvents total;
  std::size_t files = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory.path(), ec)) {
    const std::optional<CallgrindEvents> events = parse_callgrind_totals(slurp(entry.path()));
    if (!events) {
      outcome.failures.push_back(
          {"", fmt::format("unreadable Callgrind output {}", entry.path().filename().string())});
      return outcome;
    }
    for (const auto& [name, value] : *events) total[name] += value;
    ++files;
  }
  if (files == 0 || !total.contains("Ir")) {
    outcome.failures.push_back({"", "Callgrind wrote no counts"});
    return outcome;
  }
  outcome.observations.push_back({"", std::string(kInstructions), std::string(kInstructionsUnit),
                                  static_cast<double>(total.at("Ir")), ""});
  if (options_.estimate_cycles) {
    const std::optional<std::uint64_t> cycles = estimated_cycles(total);
    if (!cycles) {
      outcome.failures.push_back({"", "Callgrind's cache simulation counts are missing"});
      outcome.observations.clear();
      return outcome;
    }
    outcome.observations.push_back({"", std::string(kEstimatedCycles), std::string(kCyclesUnit),
                                    static_cast<double>(*cycles), ""});
  }
  return outcome;
}

}  // namespace perfguard::harness
