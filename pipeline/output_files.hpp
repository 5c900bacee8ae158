#pragma once
// Where perfguard's output files go. Nothing is ever half-written: each file is written to a
// temporary file in its folder, flushed to disk, then renamed over the target.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

namespace perfguard::pipeline {

// Creates the folder (and parents) if needed; ExecutionError (exit 3) naming it otherwise.
void ensure_directory(const std::filesystem::path& dir);

// Writes `path` atomically with `write`; ExecutionError (exit 3) naming the path when it
// cannot be written, and then the target is untouched.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

// The current time as RFC 3339 in UTC: "2026-11-22T01:02:03Z".
[[nodiscard]] std::string rfc3339_now();

}  // namespace perfguard::pipeline
