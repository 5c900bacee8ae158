// perfguard: guards releases against performance regressions. main only wires commands.
#include <cstdio>
#include <exception>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/error.hpp"
#include "core/printable.hpp"
#include "guard/commands.hpp"

int main(int argc, char** argv) {
  using namespace perfguard;
  CLI::App app{"perfguard: guards releases against performance regressions", "perfguard"};
  app.set_version_flag("--version", PERFGUARD_VERSION);
  app.require_subcommand(1);

  const std::vector<guard::Command> commands = {
      guard::add_compare_command(app), guard::add_stats_command(app),
      guard::add_diff_command(app),    guard::add_check_command(app),
      guard::add_report_command(app),  guard::add_time_command(app),
      guard::add_history_command(app), guard::add_bisect_command(app),
      guard::add_merge_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0; real usage errors exit 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.run();
    }
    return kExitUsage;
  } catch (const Error& e) {
    // Messages echo input (file contents, refs, names): never raw control bytes. Newlines
    // stay: a failed build's message ends with its log's last lines.
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", printable(e.what(), /*keep_newlines=*/true));
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", printable(e.what(), /*keep_newlines=*/true));
    return kExitExecution;
  }
}
