#pragma once
// Where a value stood in its file, for error messages: "perfguard.json:12:5".
#include <cstddef>
#include <string>

namespace perfguard {

struct SourceLocation {
  std::string file;
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in bytes

  // "FILE:LINE:COLUMN", or FILE alone when the line is unknown (0).
  [[nodiscard]] std::string to_string() const {
    if (line == 0) return file;
    return file + ':' + std::to_string(line) + ':' + std::to_string(column);
  }
};

}  // namespace perfguard
