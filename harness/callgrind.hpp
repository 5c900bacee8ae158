#pragma once
// Instruction counts as a measuring instrument: a command run under Valgrind's Callgrind,
// whose counts do not depend on the machine's load, so that one pair of runs can decide what
// timings need dozens for (iai-callgrind and CodSpeed measure the same way).
//
// Determinism first. Each run has address space randomisation off (setarch -R, for the
// command and everything it starts), a fixed environment (env -i with PATH, HOME and
// LC_ALL=C, plus what the benchmark sets), follows the processes it starts
// (--trace-children=yes) and sums their counts, and simulates one fixed cache geometry, not
// the host's, so estimated cycles agree between machines.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/process_runner.hpp"
#include "harness/trial.hpp"

namespace perfguard::harness {

inline constexpr std::string_view kInstructions = "instructions";         // Callgrind's Ir
inline constexpr std::string_view kEstimatedCycles = "estimated_cycles";  // see below
inline constexpr std::string_view kInstructionsUnit = "instructions";
inline constexpr std::string_view kCyclesUnit = "cycles";

// A run under Callgrind is tens of times slower than a native one (Valgrind's manual: 20-100x
// for Callgrind, more with cache simulation); a default timeout meant for native runs is
// multiplied by this for it.
inline constexpr double kCallgrindTimeoutFactor = 50.0;

// Event totals by name ("Ir", "Dr", "D1mr", ...).
using CallgrindEvents = std::map<std::string, std::uint64_t, std::less<>>;

// The totals of one Callgrind output file: the "events:" names and the "summary:" lines (one
// per part, summed). nullopt when the text has no events or summary line, or a summary that
// is not as many non-negative integers as there are events.
[[nodiscard]] std::optional<CallgrindEvents> parse_callgrind_totals(std::string_view text);

// The cycle estimate iai and iai-callgrind use (Itamar Turner-Trauring, "Consistent
// benchmarking in CI", pythonspeed.com/articles/consistent-benchmarking-in-ci/):
//   L1 hits  = Ir + Dr + Dw - (I1mr + D1mr + D1mw)
//   LL hits  = (I1mr + D1mr + D1mw) - (ILmr + DLmr + DLmw)
//   RAM hits = ILmr + DLmr + DLmw
//   estimated cycles = L1 hits + 5 * LL hits + 35 * RAM hits
// nullopt when an event is missing (no cache simulation).
[[nodiscard]] std::optional<std::uint64_t> estimated_cycles(const CallgrindEvents& events);

struct CallgrindOptions {
  // The command; its working directory, timeout and CPUs apply to the run, and its
  // environment entries are set on top of the fixed environment.
  ProcessSpec command;
  bool estimate_cycles = false;       // simulate the caches (slower) and report estimated_cycles
  std::string valgrind = "valgrind";  // the program, looked up in PATH unless it has a '/'
};

// The argv of one measured run, its output files named `out_pattern` (with %p for the pid).
[[nodiscard]] std::vector<std::string> callgrind_argv(const CallgrindOptions& options,
                                                      const std::string& out_pattern);

// Each run yields `instructions` (and `estimated_cycles` when asked), summed over every
// process the command started. A run that exits non-zero, is killed or times out is a failure,
// as is one that leaves no readable Callgrind output.
class CallgrindTrial final : public Trial {
 public:
  // The runner must outlive the trial.
  CallgrindTrial(ProcessRunner& runner, CallgrindOptions options);
  // Throws perfguard::ExecutionError naming the Debian package when valgrind is not installed.
  void setup() override;
  [[nodiscard]] Outcome run() override;

 private:
  ProcessRunner& runner_;
  CallgrindOptions options_;
};

}  // namespace perfguard::harness
