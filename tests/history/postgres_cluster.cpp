#include "tests/history/postgres_cluster.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "history/database.hpp"
#include "tests/support/run_command.hpp"

namespace perfguard::history::tests {
namespace {

namespace fs = std::filesystem;

fs::path find_bin() {
  if (const char* configured = std::getenv("PERFGUARD_PG_BIN")) return configured;
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  if (found.empty())
    throw std::runtime_error(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb): install "
        "Debian's postgresql package (scripts/lib/deps.sh lists it) or set PERFGUARD_PG_BIN");
  // Newest major version: 9.6 < 10 < 15, so compare numerically.
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return std::stod(a.parent_path().filename().string()) <
           std::stod(b.parent_path().filename().string());
  });
  return found.back();
}

std::string tail(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  if (all.size() > 600) all = all.substr(all.size() - 600);
  return all;
}

}  // namespace

// Run as root, the server's commands run as `postgres` through runuser.
static std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

PostgresCluster::PostgresCluster() : bin_(find_bin()) {
  std::string pattern = (fs::temp_directory_path() / "perfguard-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr)
      throw std::runtime_error("running as root and there is no `postgres` user to run the server");
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user");
  }
  try {
    start();
  } catch (...) {
    stop();
    throw;
  }
}

void PostgresCluster::start() {
  const fs::path data = dir_ / "data";
  const perfguard::tests::CommandResult init = perfguard::tests::run_command(
      as_server_user({(bin_ / "initdb").string(), "-D", data.string(), "-U", "postgres", "-A",
                      "trust", "--no-sync", "-E", "UTF8", "--locale=C"}));
  if (init.exit_code != 0)
    throw std::runtime_error("initdb failed (exit " + std::to_string(init.exit_code) +
                             "): " + init.err);
  const perfguard::tests::CommandResult start = perfguard::tests::run_command(as_server_user(
      {(bin_ / "pg_ctl").string(), "-D", data.string(), "-l", (dir_ / "server.log").string(), "-o",
       "-k " + dir_.string() + " -c listen_addresses= -c fsync=off", "-w", "-t", "60", "start"}));
  if (start.exit_code != 0)
    throw std::runtime_error("pg_ctl start failed: " + start.err + " " + tail(dir_ / "server.log"));
  started_ = true;
}

PostgresCluster::~PostgresCluster() { stop(); }

void PostgresCluster::stop() noexcept {
  try {
    if (started_)
      (void)perfguard::tests::run_command(
          as_server_user({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m",
                          "immediate", "-w", "stop"}));
  } catch (...) {
    // The directory goes anyway; a server left running loses its socket directory and exits.
  }
  started_ = false;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresCluster::url(const std::string& database) const {
  return "postgresql://postgres@/" + database + "?host=" + dir_.string();
}

std::string PostgresCluster::fresh_database() {
  const std::string name = "history_" + std::to_string(++databases_);
  const std::unique_ptr<Database> admin = open_postgresql(url("postgres"));
  admin->execute("CREATE DATABASE " + name);
  return url(name);
}

}  // namespace perfguard::history::tests
