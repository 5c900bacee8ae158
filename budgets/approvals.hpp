#pragma once
// perfguard-approvals.json: time-limited acceptance of a known regression
// (docs/approvals.md). Every field is required; expires - created <= 30 days.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "budgets/config.hpp"

namespace perfguard::budgets {

inline constexpr std::string_view kApprovalsSchema = "perfguard.approvals.v1";
inline constexpr int kMaxApprovalDays = 30;
inline constexpr int kExpiryWarningDays = 3;

struct Approval {
  std::string benchmark;  // exact id (no globs: an approval names what it accepts)
  std::string metric;
  double max_ratio = 1.0;  // > 1: the candidate may be up to this ratio of the base
  // "removed": true accepts that the benchmark is gone from the candidate (no max_ratio then).
  bool removed = false;
  std::string reason;
  std::string approver;
  std::string ticket;
  std::chrono::year_month_day created{};
  std::chrono::year_month_day expires{};
  SourceLocation location;
};

// An approval the file holds but that cannot be used, with why. The gate fails on any.
struct InvalidApproval {
  std::size_t index = 0;    // position in the file's "approvals" array
  std::string benchmark;    // when it could be read, else ""
  std::string reason;       // "expired on 2026-11-01", "expires - created is 45 days, more than 30"
  SourceLocation location;  // the offending field's value (its key, for an unknown field), or
                            // the entry for a missing field
};

struct Approvals {
  std::string path;
  std::vector<Approval> valid;           // usable today
  std::vector<InvalidApproval> invalid;  // expired, too long, missing fields, bad dates
};

// Parses the file and sorts its entries into valid and invalid as of `today`. A file that is
// not JSON, has the wrong schema, unknown keys or no "approvals" array is a UsageError (exit 2)
// with file:line:column; an individual bad entry is an InvalidApproval, so the gate can fail
// naming it while still judging the rest.
// An entry is valid when it has exactly the eight fields; benchmark (an exact id, no '*' or '?'),
// metric, reason, approver and ticket are non-empty strings; max_ratio is a number > 1 -- or,
// instead of max_ratio, "removed": true accepts the benchmark's removal; created
// and expires are YYYY-MM-DD dates with created <= expires <= created + kMaxApprovalDays; created
// is not after `today` (an approval dated ahead could outlive the limit) and expires is not
// before it (the last day counts). The first failing check, in that order, is the reason:
//   unknown field "x"; ...   missing field "ticket"   "ticket" is empty; ...
//   created 2026-13-01 is not a date (YYYY-MM-DD)   expires 2026-11-19 is before created ...
//   expires - created is 45 days, more than 30   created 2026-12-01 is in the future
//   expired on 2026-11-01
// The metric is not checked against the config here: an approval that matches nothing is the
// gate's to report.
[[nodiscard]] Approvals parse_approvals(std::string_view text, const std::string& origin,
                                        std::chrono::year_month_day today);
[[nodiscard]] Approvals load_approvals(const std::string& path, std::chrono::year_month_day today);

// Days from `today` until the approval expires (0 on its last day).
[[nodiscard]] int days_left(const Approval& approval, std::chrono::year_month_day today);

// "2026-11-20" -> a valid calendar date; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// The inverse: a date as "2026-11-20".
[[nodiscard]] std::string format_date(std::chrono::year_month_day date);

// Today's date in UTC.
[[nodiscard]] std::chrono::year_month_day today_utc();

}  // namespace perfguard::budgets
