// `perfguard time`'s session (pipeline/time_session.hpp): what it refuses before any command
// runs. The runs themselves are tested end to end, by tests/guard/time_cli_test.cpp.
#include "pipeline/time_session.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace perfguard::pipeline {
namespace {

TEST(VariantNames, TheCommandsThemselves) {
  EXPECT_EQ(variant_names({"./a", "./b"}), (std::vector<std::string>{"./a", "./b"}));
}

TEST(VariantNames, NumberedWhenOneRepeats) {
  EXPECT_EQ(variant_names({"./a", "./b", "./a"}),
            (std::vector<std::string>{"#1 ./a", "#2 ./b", "#3 ./a"}));
}

TimeRequest without_shell(std::vector<std::string> commands) {
  TimeRequest request;
  request.commands = std::move(commands);
  request.settings.min_runs = 1;
  request.settings.max_runs = 1;
  return request;
}

std::string error_of(const TimeRequest& request) {
  try {
    (void)run_time_session(request);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(TimeSession, UnsplittableCommandWithoutAShell) {
  EXPECT_EQ(error_of(without_shell({"echo 'a"})),
            "CMD 'echo 'a': unbalanced quotes or a trailing backslash (-N splits it like sh)");
  TimeRequest request = without_shell({"true"});
  request.setup = "";
  EXPECT_EQ(error_of(request), "--setup: an empty command needs a shell; drop -N");
}

TEST(TimeSession, JournalThatCannotBeWritten) {
  TimeRequest request = without_shell({"true"});
  request.journal = "/nonexistent-folder/samples.jsonl";
  EXPECT_EQ(error_of(request), "cannot write /nonexistent-folder/samples.jsonl");
}

}  // namespace
}  // namespace perfguard::pipeline
