#pragma once
// A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, a server on a
// Unix socket in that directory only (no TCP), stopped and removed at the end. Run as root, the
// server runs as the `postgres` user (PostgreSQL refuses root). The binaries come from
// $PERFGUARD_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian's `postgresql`).
// Nothing is skipped: a missing server is a failure that says what to install.
#include <filesystem>
#include <string>

namespace perfguard::history::tests {

class PostgresCluster {
 public:
  // Throws std::runtime_error with one line saying what failed (and the server log's tail).
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // A postgresql:// URL of `database` on this cluster.
  [[nodiscard]] std::string url(const std::string& database) const;
  // Creates an empty database and returns its URL.
  [[nodiscard]] std::string fresh_database();

 private:
  void start();
  void stop() noexcept;

  std::filesystem::path bin_;
  std::filesystem::path dir_;
  bool started_ = false;
  int databases_ = 0;
};

}  // namespace perfguard::history::tests
