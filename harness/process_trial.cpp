#include "harness/process_trial.hpp"

#include <string>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace perfguard::harness {
namespace {

// A helper command's stderr is shown when it fails: it is usually the only explanation.
ProcessSpec with_stderr(ProcessSpec spec) {
  spec.stderr_mode = OutputMode::capture;
  spec.capture_limit = std::size_t{64} * 1024;
  return spec;
}

std::string helper_failure(const char* what, const ProcessSpec& spec, const RunResult& result) {
  return fmt::format("{} command '{}' failed: {}", what, fmt::join(spec.argv, " "),
                     describe_failure(result));
}

}  // namespace

ProcessTrial::ProcessTrial(ProcessRunner& runner, ProcessTrialOptions options)
    : runner_(runner), options_(std::move(options)) {
  if (options_.setup) options_.setup = with_stderr(*options_.setup);
  if (options_.prepare) options_.prepare = with_stderr(*options_.prepare);
}

void ProcessTrial::setup() {
  if (!options_.setup) return;
  const RunResult result = runner_.run(*options_.setup);
  if (!result.succeeded()) throw ExecutionError(helper_failure("setup", *options_.setup, result));
}

Outcome ProcessTrial::run() {
  Outcome outcome;
  if (options_.prepare) {
    const RunResult prepared = runner_.run(*options_.prepare);
    if (!prepared.succeeded()) {
      outcome.failures.push_back({"", helper_failure("prepare", *options_.prepare, prepared)});
      return outcome;
    }
  }
  const RunResult result = runner_.run(options_.command);
  if (result.termination == Termination::exited) outcome.exit_code = result.exit_code;
  const bool measured = result.termination == Termination::exited &&
                        (result.exit_code == 0 || options_.ignore_exit_code);
  if (!measured) {
    outcome.failures.push_back({"", describe_termination(result)});
    return outcome;
  }
  const std::string seconds(kSeconds);
  outcome.observations = {
      {"", std::string(kWallTime), seconds, result.wall_time, ""},
      {"", std::string(kUserTime), seconds, result.user_time, ""},
      {"", std::string(kSysTime), seconds, result.sys_time, ""},
      {"", std::string(kMaxRss), std::string(kBytes), static_cast<double>(result.max_rss), ""},
  };
  return outcome;
}

}  // namespace perfguard::harness
