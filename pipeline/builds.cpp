#include "pipeline/builds.hpp"

#include <cstdint>
#include <deque>
#include <fstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/fnv1a.hpp"
#include "core/text.hpp"

namespace perfguard::pipeline {
namespace {

constexpr const char* kStampFile = ".perfguard-build-stamp";
constexpr std::size_t kLogTailLines = 25;
// Build output kept per step; compilers can be chatty, but the log is for people.
constexpr std::size_t kBuildOutputLimit = 8 << 20;

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

std::vector<std::string> substitute(const std::vector<std::string>& argv,
                                    const RevisionPaths& paths) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const std::string& arg : argv) {
    out.push_back(replace_all(replace_all(arg, "{build}", paths.build.string()), "{worktree}",
                              paths.worktree.string()));
  }
  return out;
}

std::string build_digest(const std::vector<std::vector<std::string>>& steps) {
  std::uint64_t hash = kFnv1aOffsetBasis;
  for (const auto& step : steps) {
    for (const auto& arg : step) {
      hash = fnv1a(arg, hash);
      hash = fnv1a(std::string_view("\0", 1), hash);  // argument boundary
    }
    hash = fnv1a("\n", hash);  // step boundary
  }
  return fmt::format("{:016x}", hash);
}

std::string tail_of(const std::filesystem::path& file, std::size_t lines) {
  std::ifstream in(file, std::ios::binary);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(std::move(line));
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const std::string& line : last) out += line + "\n";
  return out;
}

BuildOutcome build_revision(harness::ProcessRunner& runner,
                            const std::vector<std::vector<std::string>>& steps,
                            const RevisionPaths& paths, const std::string& digest) {
  std::filesystem::create_directories(paths.build);
  const std::filesystem::path stamp = paths.build / kStampFile;
  {
    std::ifstream in(stamp);
    std::string previous;
    if (in >> previous && previous == digest) return BuildOutcome::reused;
  }
  // A build that fails half-way must not be taken for a finished one next time.
  std::filesystem::remove(stamp);
  const std::filesystem::path log_path = paths.build / "build.log";
  std::ofstream log(log_path, std::ios::binary | std::ios::trunc);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    harness::ProcessSpec spec;
    spec.argv = substitute(steps[i], paths);
    spec.working_directory = paths.worktree.string();
    spec.stdout_mode = harness::OutputMode::capture;
    spec.stderr_mode = harness::OutputMode::capture;
    spec.capture_limit = kBuildOutputLimit;
    log << fmt::format("$ {}\n", join(spec.argv, " "));
    log.flush();
    const harness::RunResult result = runner.run(spec);
    log << result.stdout_text << result.stderr_text;
    log.flush();
    if (!result.succeeded()) {
      log.close();
      throw BuildFailed(fmt::format(
          "build step {} of {} ({}) failed in {}: {}\nlast lines of {}:\n{}", i + 1, steps.size(),
          join(spec.argv, " "), paths.worktree.string(), harness::describe_termination(result),
          log_path.string(), tail_of(log_path, kLogTailLines)));
    }
  }
  std::ofstream(stamp) << digest << '\n';
  return BuildOutcome::built;
}

}  // namespace perfguard::pipeline
