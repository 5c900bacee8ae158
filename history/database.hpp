#pragma once
// The two databases the history store can live in, behind one small interface: SQLite (a file,
// the default) and PostgreSQL (a server shared by many CI hosts), chosen by the location's
// form (docs/history.md, "Backends"). Statements use $1, $2, ... placeholders, numbered in the
// order they appear, which both understand. Every failure is a history::StoreError: one line
// naming the database and what went wrong.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace perfguard::history {

// A locked, corrupt, unreachable or newer-than-us database: exit 3, the gate's artifacts are
// already written when a store is used.
class StoreError : public ExecutionError {
 public:
  explicit StoreError(const std::string& message) : ExecutionError(message) {}
};

// One SQL value: NULL, an integer, a floating-point number or text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using ValueRow = std::vector<Value>;

enum class Dialect { sqlite, postgresql };

class Database {
 public:
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] virtual Dialect dialect() const noexcept = 0;
  // The location as the user gave it, for messages (a URL's password is masked).
  [[nodiscard]] virtual const std::string& name() const noexcept = 0;
  // Starts a transaction that will write (SQLite: BEGIN IMMEDIATE, so a second writer waits
  // at the start instead of failing at commit).
  virtual void begin() = 0;
  // One or more statements without parameters (schema changes, COMMIT, ROLLBACK).
  virtual void execute(std::string_view sql) = 0;
  // One statement with parameters; the rows it returned (none for most writes).
  virtual std::vector<ValueRow> query(std::string_view sql, const std::vector<Value>& params) = 0;
};

struct OpenOptions {
  // How long SQLite waits for another writer before calling the database locked.
  std::chrono::milliseconds busy_timeout{5000};
};

// Whether a --history location names a PostgreSQL server (postgresql:// or postgres://).
[[nodiscard]] bool is_postgresql_url(std::string_view location) noexcept;

// Opens (SQLite: creates) the database at `location`. Throws StoreError.
[[nodiscard]] std::unique_ptr<Database> open_database(const std::string& location,
                                                      const OpenOptions& options = {});
[[nodiscard]] std::unique_ptr<Database> open_sqlite(const std::string& path,
                                                    const OpenOptions& options);
[[nodiscard]] std::unique_ptr<Database> open_postgresql(const std::string& url);

// Reading a Value back: the type each column was written with.
[[nodiscard]] std::optional<double> as_double(const Value& value);
[[nodiscard]] std::optional<std::int64_t> as_int(const Value& value);
[[nodiscard]] std::optional<std::string> as_text(const Value& value);

// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
template <typename Body>
auto in_transaction(Database& db, Body&& body) {
  db.begin();
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      db.execute("COMMIT");
    } else {
      auto result = body();
      db.execute("COMMIT");
      return result;
    }
  } catch (...) {
    try {
      db.execute("ROLLBACK");
    } catch (...) {
      // The first failure is the one to report; a failed rollback leaves nothing committed.
    }
    throw;
  }
}

}  // namespace perfguard::history
