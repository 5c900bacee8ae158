// The PostgreSQL backend, through libpq: the same schema as SQLite on a server that many CI
// hosts write to (docs/history.md, "Backends").
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "history/database.hpp"

namespace perfguard::history {
namespace {

// PostgreSQL's type ids (src/include/catalog/pg_type.dat) for the columns read back as numbers.
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

// The URL as it may be printed: a password, if any, masked.
std::string masked(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const std::size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// libpq's messages end with a newline and may span lines: one line for an error message.
std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text)
    if (c == '\n' || c == '\t') c = ' ';
  return text;
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : name_(masked(url)) {
    conn_ = PQconnectdb(url.c_str());
    if (conn_ == nullptr) fail("out of memory connecting");
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = one_line(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      fail(fmt::format("cannot connect: {}", why));
    }
    // "relation already exists, skipping" and the like are not the user's business.
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  }
  ~PostgresDatabase() override { PQfinish(conn_); }

  [[nodiscard]] Dialect dialect() const noexcept override { return Dialect::postgresql; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }

  void begin() override { execute("BEGIN"); }

  void execute(std::string_view sql) override {
    const Result result(PQexec(conn_, std::string(sql).c_str()));
    check(result.get());
  }

  std::vector<ValueRow> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        texts[i] = std::to_string(*integer);
      } else if (const auto* real = std::get_if<double>(&value)) {
        texts[i] = fmt::format("{}", *real);  // shortest text that reads back to the same double
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        texts[i] = *text;
      } else {
        continue;  // NULL
      }
      pointers[i] = texts[i].c_str();
    }
    const Result result(PQexecParams(conn_, std::string(sql).c_str(),
                                     static_cast<int>(params.size()), nullptr, pointers.data(),
                                     nullptr, nullptr, 0));
    check(result.get());
    std::vector<ValueRow> rows;
    const int count = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    for (int r = 0; r < count; ++r) {
      ValueRow row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const char* text = PQgetvalue(result.get(), r, c);
        switch (PQftype(result.get(), c)) {
          case kInt2:
          case kInt4:
          case kInt8:
            row.emplace_back(std::int64_t{std::strtoll(text, nullptr, 10)});
            break;
          case kFloat4:
          case kFloat8:
          case kNumeric:
            row.emplace_back(std::strtod(text, nullptr));
            break;
          default:
            row.emplace_back(std::string(text));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  struct ClearResult {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
  };
  using Result = std::unique_ptr<PGresult, ClearResult>;

  void check(PGresult* result) const {
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    fail(one_line(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_)));
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw StoreError(fmt::format("history {}: {}", name_, why));
  }

  std::string name_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Database> open_postgresql(const std::string& url) {
  return std::make_unique<PostgresDatabase>(url);
}

}  // namespace perfguard::history
