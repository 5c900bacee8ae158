#pragma once
// A command as a trial: each run measures wall, user and system time and peak RSS.
#include <optional>

#include "harness/process_runner.hpp"
#include "harness/trial.hpp"

namespace perfguard::harness {

struct ProcessTrialOptions {
  ProcessSpec command;
  std::optional<ProcessSpec> setup;    // once before the first run (--setup)
  std::optional<ProcessSpec> prepare;  // before every run and warmup, not timed (--prepare)
  // A non-zero exit is still a measurement (--ignore-failure). Signals and timeouts never are:
  // a killed run measured nothing complete.
  bool ignore_exit_code = false;
};

class ProcessTrial final : public Trial {
 public:
  // The runner must outlive the trial.
  ProcessTrial(ProcessRunner& runner, ProcessTrialOptions options);
  void setup() override;
  [[nodiscard]] Outcome run() override;

 private:
  ProcessRunner& runner_;
  ProcessTrialOptions options_;
};

}  // namespace perfguard::harness
