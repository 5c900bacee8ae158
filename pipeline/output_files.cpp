#include "pipeline/output_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rfc3339.hpp"

namespace perfguard::pipeline {

void ensure_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw ExecutionError(fmt::format("cannot create output folder {}: {}", dir.string(),
                                     ec ? ec.message() : "not a directory"));
  }
}

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0)
    throw ExecutionError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  close(fd);
  const auto fail = [&](const std::string& why) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw ExecutionError(fmt::format("cannot write {}: {}", path.string(), why));
  };
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    errno = 0;
    write(out);
    out.flush();
    // The stream keeps no reason; errno still holds the failed write(2)'s (ENOSPC, EFBIG, EIO).
    if (!out) fail(errno != 0 ? std::strerror(errno) : "write failed");
  }
  // Flush to disk before the rename, so a crash cannot leave a renamed but empty file.
  const int sync_fd = open(temp.c_str(), O_RDONLY);
  if (sync_fd < 0 || fsync(sync_fd) != 0) {
    const std::string why = std::strerror(errno);
    if (sync_fd >= 0) close(sync_fd);
    fail(why);
  }
  close(sync_fd);
  // mkstemp creates 0600; artifacts are for sharing.
  std::error_code ec;
  std::filesystem::permissions(temp, std::filesystem::perms(0644), ec);
  if (std::rename(temp.c_str(), path.c_str()) != 0) fail(std::strerror(errno));
}

std::string rfc3339_now() { return perfguard::rfc3339_now(); }

}  // namespace perfguard::pipeline
