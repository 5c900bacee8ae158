#pragma once
// Each perfguard command registers itself on the top-level CLI11 app and returns the
// function that runs it once the command line is parsed. main only wires them.
#include <functional>

#include <CLI/CLI.hpp>

namespace perfguard::guard {

// Runs a parsed command; returns the process exit code (docs/design.md). Throws perfguard::Error
// for usage/config (2) and execution (3) failures.
using CommandRunner = std::function<int()>;

struct Command {
  CLI::App* app = nullptr;  // the subcommand, to ask whether it was chosen
  CommandRunner run;
};

Command add_stats_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_diff_command(CLI::App& app);
Command add_check_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_time_command(CLI::App& app);
Command add_history_command(CLI::App& app);
Command add_bisect_command(CLI::App& app);
Command add_merge_command(CLI::App& app);

}  // namespace perfguard::guard
