// The SQLite backend: one file, written by one writer at a time (docs/history.md, "Backends").
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "history/database.hpp"

namespace perfguard::history {
namespace {

// What SQLite's result code means for the user: a locked database and a file that is not one
// are the two anyone meets in practice, so they get their own words.
std::string describe(sqlite3* db, int code) {
  const int primary = code & 0xff;
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return fmt::format("database is locked by another writer ({})", detail);
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    return fmt::format("not a perfguard history database, or corrupt ({})", detail);
  return detail;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const OpenOptions& options) : name_(path) {
    const int code =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (code != SQLITE_OK) {
      const std::string why = describe(db_, code);
      sqlite3_close(db_);
      db_ = nullptr;
      fail(why);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
    execute("PRAGMA foreign_keys = ON");
  }
  ~SqliteDatabase() override { sqlite3_close(db_); }

  [[nodiscard]] Dialect dialect() const noexcept override { return Dialect::sqlite; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }

  void begin() override { execute("BEGIN IMMEDIATE"); }

  void execute(std::string_view sql) override {
    char* message = nullptr;
    const int code = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (code != SQLITE_OK) {
      sqlite3_free(message);
      fail(describe(db_, code));
    }
  }

  std::vector<ValueRow> query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* raw = nullptr;
    int code = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    if (code != SQLITE_OK) fail(describe(db_, code));
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& value = params[i];
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        code = sqlite3_bind_int64(raw, index, *integer);
      } else if (const auto* real = std::get_if<double>(&value)) {
        code = sqlite3_bind_double(raw, index, *real);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        code = sqlite3_bind_text(raw, index, text->data(), static_cast<int>(text->size()),
                                 SQLITE_TRANSIENT);
      } else {
        code = sqlite3_bind_null(raw, index);
      }
      if (code != SQLITE_OK) fail(describe(db_, code));
    }
    std::vector<ValueRow> rows;
    while ((code = sqlite3_step(raw)) == SQLITE_ROW) {
      ValueRow row;
      const int columns = sqlite3_column_count(raw);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(raw, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(std::int64_t{sqlite3_column_int64(raw, c)});
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(raw, c));
            break;
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, c));
            row.emplace_back(
                std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(raw, c))));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    if (code != SQLITE_DONE) fail(describe(db_, code));
    return rows;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw StoreError(fmt::format("history {}: {}", name_, why));
  }

  std::string name_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const OpenOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace perfguard::history
