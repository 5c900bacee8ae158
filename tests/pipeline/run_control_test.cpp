// pipeline/run_control.hpp: the event log stays whole when two threads record at once, as the
// interrupt cleanup and the main thread of `perfguard compare` may.
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/run_control.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::pipeline {
namespace {

TEST(EventLog, TwoThreadsWriteWholeLines) {
  const tests::TempDir dir;
  const auto path = dir.path() / "events.jsonl";
  constexpr int kLinesPerThread = 2000;
  {
    EventLog events(path);
    // Long lines, so a torn write would show.
    const std::string padding(300, 'x');
    const auto writer = [&](const std::string& stage) {
      for (int i = 0; i < kLinesPerThread; ++i) events.record(stage, {{"i", i}, {"pad", padding}});
    };
    std::thread other(writer, "cleanup");
    writer("run");
    other.join();
  }
  std::ifstream in(path);
  std::string line;
  int run = 0;
  int cleanup = 0;
  while (std::getline(in, line)) {
    const auto event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(event.is_discarded()) << line.substr(0, 120);
    (event.at("stage") == "run" ? run : cleanup) += 1;
  }
  EXPECT_EQ(run, kLinesPerThread);
  EXPECT_EQ(cleanup, kLinesPerThread);
}

}  // namespace
}  // namespace perfguard::pipeline
