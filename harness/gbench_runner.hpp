#pragma once
// Google Benchmark binaries as a measuring instrument: run with --benchmark_format=json and
// --benchmark_repetitions=K, and read every repetition's real_time and cpu_time (seconds per
// iteration) -- not the aggregates, which would hide the spread the verdict needs. The output
// is read by the one Google Benchmark reader, inputs/gbench_json.hpp, which `diff` uses too.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/process_runner.hpp"
#include "harness/trial.hpp"
#include "inputs/gbench_json.hpp"

namespace perfguard::harness {

// The output of a Google Benchmark binary is parsed within this bound; larger output is a
// failure rather than a slow, huge allocation.
inline constexpr std::size_t kGBenchOutputLimit = 64 << 20;

// What one execution of the binary produced: its cases as inputs/gbench_json.hpp reads them,
// every time in seconds per iteration, each failed repetition a failure of its case.
struct GBenchReport {
  std::vector<inputs::GBenchCase> cases;  // in the binary's order
  // Why the run as a whole produced nothing: the exit status, truncated output, or output that
  // is not Google Benchmark JSON ("Google Benchmark output: unreadable JSON: ...").
  std::optional<std::string> failure;
};

struct GBenchOptions {
  // The binary and any arguments of its own; working directory, environment, timeout and CPUs
  // apply as for any process. Output modes are set by the runner.
  ProcessSpec command;
  std::string filter;  // --benchmark_filter; empty runs every benchmark
  std::size_t repetitions = 1;
  // Each case in a process of its own: the trial lists the cases the filter selects once
  // (--benchmark_list_tests), then each run starts the binary once per case with the filter
  // ^name$. The timeout applies to each of those processes.
  bool isolate = false;
};

class GBenchRunner {
 public:
  // The process runner must outlive this.
  explicit GBenchRunner(ProcessRunner& runner) : runner_(runner) {}
  [[nodiscard]] GBenchReport run(const GBenchOptions& options);
  // The names of the cases the options' filter selects (--benchmark_list_tests), in the
  // binary's order. A binary that cannot be run or fails throws perfguard::ExecutionError.
  [[nodiscard]] std::vector<std::string> list(const GBenchOptions& options);

 private:
  ProcessRunner& runner_;
};

// A regular expression (POSIX extended, as Google Benchmark's filter is) matching exactly
// `name`: "^BM_x/8$" with every metacharacter of the name escaped.
[[nodiscard]] std::string exact_filter(std::string_view name);

// A Google Benchmark binary as one variant of a schedule benchmark: each run is one execution
// of the binary, its cases reported as "benchmark/run_name" with metrics real_time and cpu_time.
// With options.isolate, setup() lists the cases and each run executes the binary once per case.
class GBenchTrial final : public Trial {
 public:
  GBenchTrial(ProcessRunner& runner, GBenchOptions options)
      : runner_(runner), options_(std::move(options)) {}
  void setup() override;
  [[nodiscard]] Outcome run() override;

 private:
  GBenchRunner runner_;
  GBenchOptions options_;
  std::vector<std::string> cases_;  // isolate: the cases listed by setup()
};

}  // namespace perfguard::harness
