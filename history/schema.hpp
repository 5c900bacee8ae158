#pragma once
// The history store's schema, versioned (docs/history.md, "Schema"). A database records its
// version in the table schema_version; opening one applies the migrations it lacks, together in
// one transaction, and refuses one written by a newer perfguard.
#include <span>
#include <string_view>

#include "history/database.hpp"

namespace perfguard::history {

// One step from version - 1 to version. `sql` may say {serial_key}: the dialect's
// auto-numbered primary key column type.
struct Migration {
  int version = 0;
  std::string_view sql;
};

// This perfguard's migrations, in order; the last one's version is kSchemaVersion.
[[nodiscard]] std::span<const Migration> migrations() noexcept;
inline constexpr int kSchemaVersion = 1;

// The database's version: 0 when nothing was ever migrated.
[[nodiscard]] int schema_version(Database& db);

// Applies the steps the database lacks and returns its version afterwards. Throws StoreError
// when the database is newer than the last step. Two writers migrating at once are serialised
// (SQLite's write lock, a PostgreSQL advisory lock), so each step runs once.
int migrate(Database& db, std::span<const Migration> steps = migrations());

}  // namespace perfguard::history
