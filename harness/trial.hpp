#pragma once
// A Trial is one variant of one benchmark: something the schedule can run again and again,
// each run an Outcome. Processes (process_trial.hpp) and Google Benchmark binaries
// (gbench_runner.hpp) are trials; tests script their own.
#include "harness/sample_set.hpp"

namespace perfguard::harness {

class Trial {
 public:
  virtual ~Trial() = default;
  // Once, before the variant's first run or warmup (hyperfine's --setup). Throws
  // perfguard::ExecutionError when that fails.
  virtual void setup() {}
  // One run. A failed run is data (Outcome::failures), not an exception; only a failure to
  // start anything at all throws perfguard::ExecutionError.
  [[nodiscard]] virtual Outcome run() = 0;
};

}  // namespace perfguard::harness
