#include "budgets/approvals.hpp"

#include <array>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_source.hpp"
#include "core/error.hpp"

namespace perfguard::budgets {
namespace {

using nlohmann::json;
using Pointer = JsonSource::Pointer;
namespace chrono = std::chrono;

constexpr std::array<std::string_view, 2> kTopLevelKeys{"schema", "approvals"};
constexpr std::array<std::string_view, 8> kFields{"benchmark", "metric", "max_ratio", "reason",
                                                  "approver",  "ticket", "created",   "expires"};
// kFields and "removed", which stands in for max_ratio in an approval of a removal.
constexpr std::array<std::string_view, 9> kAllowedFields{"benchmark", "metric",   "max_ratio",
                                                         "reason",    "approver", "ticket",
                                                         "created",   "expires",  "removed"};
constexpr std::array<std::string_view, 5> kTextFields{"benchmark", "metric", "reason", "approver",
                                                      "ticket"};

// Why an entry cannot be used, and where in the file.
struct Rejection {
  std::string reason;
  Pointer where;
  bool at_key = false;
};

// Reads one entry of "approvals"; either the approval or why it is invalid. Checks run in the
// order a reader fixes things: the shape of the entry, each field, then the dates' relations.
class EntryReader {
 public:
  EntryReader(const JsonSource& source, Pointer pointer, chrono::year_month_day today)
      : source_(source),
        pointer_(std::move(pointer)),
        entry_(source.document().at(pointer_)),
        today_(today) {}

  [[nodiscard]] std::variant<Approval, Rejection> read() const {
    if (const auto unknown = source_.first_unknown_key(pointer_, kAllowedFields)) {
      return Rejection{
          fmt::format("unknown field \"{}\"; expected only: {}", *unknown, join(kAllowedFields)),
          pointer_ / *unknown, true};
    }
    bool removed = false;
    if (entry_.contains("removed")) {
      const json& value = entry_["removed"];
      if (!value.is_boolean()) {
        return Rejection{
            fmt::format("\"removed\" is {}; expected true or false", json_type_name(value)),
            field_pointer("removed")};
      }
      removed = value.get<bool>();
    }
    if (removed && entry_.contains("max_ratio")) {
      return Rejection{
          "\"max_ratio\" with \"removed\": true; expected one of them (a removed benchmark has "
          "no ratio)",
          field_pointer("max_ratio"), true};
    }
    for (const std::string_view field : kFields) {
      if (removed && field == "max_ratio") continue;
      if (!entry_.contains(field)) {
        return Rejection{fmt::format("missing field \"{}\"", field), pointer_};
      }
    }
    for (const std::string_view field : kTextFields) {
      const json& value = entry_[std::string(field)];
      if (!value.is_string()) {
        return Rejection{
            fmt::format("\"{}\" is {}; expected a non-empty string", field, json_type_name(value)),
            field_pointer(field)};
      }
      if (value.get_ref<const std::string&>().empty()) {
        return Rejection{fmt::format("\"{}\" is empty; expected a non-empty string", field),
                         field_pointer(field)};
      }
    }
    Approval approval;
    approval.location = source_.location(pointer_);
    approval.benchmark = entry_["benchmark"].get<std::string>();
    approval.metric = entry_["metric"].get<std::string>();
    approval.reason = entry_["reason"].get<std::string>();
    approval.approver = entry_["approver"].get<std::string>();
    approval.ticket = entry_["ticket"].get<std::string>();
    // An approval accepts one named regression; a glob would accept regressions nobody has seen.
    if (approval.benchmark.find_first_of("*?") != std::string::npos) {
      return Rejection{
          fmt::format("benchmark \"{}\" is a glob; expected the exact id of one benchmark",
                      approval.benchmark),
          field_pointer("benchmark")};
    }

    approval.removed = removed;
    if (!removed) {
      const json& ratio = entry_["max_ratio"];
      if (!ratio.is_number()) {
        return Rejection{fmt::format("\"max_ratio\" is {}; expected a number above 1, like 1.15",
                                     json_type_name(ratio)),
                         field_pointer("max_ratio")};
      }
      approval.max_ratio = ratio.get<double>();
      if (!(approval.max_ratio > 1.0)) {
        return Rejection{fmt::format("max_ratio {} is not above 1; expected the largest accepted "
                                     "candidate/base ratio, like 1.15",
                                     json_shown(ratio)),
                         field_pointer("max_ratio")};
      }
    }

    for (const std::string_view field : {"created", "expires"}) {
      const json& value = entry_[std::string(field)];
      if (!value.is_string()) {
        return Rejection{
            fmt::format("\"{}\" is {}; expected a date (YYYY-MM-DD)", field, json_type_name(value)),
            field_pointer(field)};
      }
      const std::optional<chrono::year_month_day> date =
          parse_date(value.get_ref<const std::string&>());
      if (!date) {
        return Rejection{fmt::format("{} {} is not a date (YYYY-MM-DD)", field,
                                     value.get_ref<const std::string&>()),
                         field_pointer(field)};
      }
      (field == "created" ? approval.created : approval.expires) = *date;
    }

    const int span = static_cast<int>(
        (chrono::sys_days(approval.expires) - chrono::sys_days(approval.created)).count());
    if (span < 0) {
      return Rejection{fmt::format("expires {} is before created {}", format_date(approval.expires),
                                   format_date(approval.created)),
                       field_pointer("expires")};
    }
    if (span > kMaxApprovalDays) {
      return Rejection{
          fmt::format("expires - created is {} days, more than {}", span, kMaxApprovalDays),
          field_pointer("expires")};
    }
    // Dated ahead, an approval could be renewed in advance and so outlive the 30-day limit.
    if (approval.created > today_) {
      return Rejection{fmt::format("created {} is in the future", format_date(approval.created)),
                       field_pointer("created")};
    }
    if (approval.expires < today_) {
      return Rejection{fmt::format("expired on {}", format_date(approval.expires)),
                       field_pointer("expires")};
    }
    return approval;
  }

  // The benchmark, when the entry names one as a string; "" otherwise.
  [[nodiscard]] std::string benchmark() const {
    const auto found = entry_.find("benchmark");
    return found != entry_.end() && found->is_string() ? found->get<std::string>() : std::string();
  }

 private:
  [[nodiscard]] Pointer field_pointer(std::string_view field) const {
    return pointer_ / std::string(field);
  }

  const JsonSource& source_;
  Pointer pointer_;
  const json& entry_;
  chrono::year_month_day today_;
};

}  // namespace

Approvals parse_approvals(std::string_view text, const std::string& origin,
                          chrono::year_month_day today) {
  const JsonSource source = JsonSource::parse(text, origin);
  source.require_schema(kApprovalsSchema, "the approvals file");
  if (const auto unknown = source.first_unknown_key(Pointer(), kTopLevelKeys)) {
    throw source.error_at_key(
        Pointer("/" + *unknown),
        fmt::format("unknown key \"{}\"; expected one of: {}", *unknown, join(kTopLevelKeys)));
  }
  const json& document = source.document();
  if (!document.contains("approvals")) {
    throw source.error_at(Pointer(), "missing \"approvals\"; expected an array of approvals");
  }
  const Pointer list("/approvals");
  const json& entries = document.at(list);
  if (!entries.is_array()) {
    throw source.error_at(list,
                          fmt::format("\"approvals\": {} is {}; expected an array of approvals",
                                      json_shown(entries), json_type_name(entries)));
  }

  Approvals approvals;
  approvals.path = origin;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Pointer pointer = list / i;
    if (!entries[i].is_object()) {
      throw source.error_at(
          pointer, fmt::format("approvals[{}]: {} is {}; expected an object with the fields {}", i,
                               json_shown(entries[i]), json_type_name(entries[i]), join(kFields)));
    }
    const EntryReader reader(source, pointer, today);
    std::variant<Approval, Rejection> entry = reader.read();
    if (auto* approval = std::get_if<Approval>(&entry)) {
      approvals.valid.push_back(std::move(*approval));
      continue;
    }
    const Rejection& rejection = std::get<Rejection>(entry);
    approvals.invalid.push_back(InvalidApproval{i, reader.benchmark(), rejection.reason,
                                                rejection.at_key
                                                    ? source.key_location(rejection.where)
                                                    : source.location(rejection.where)});
  }
  return approvals;
}

Approvals load_approvals(const std::string& path, chrono::year_month_day today) {
  return parse_approvals(read_text_file(path), path, today);
}

int days_left(const Approval& approval, chrono::year_month_day today) {
  return static_cast<int>((chrono::sys_days(approval.expires) - chrono::sys_days(today)).count());
}

std::string format_date(chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::optional<chrono::year_month_day> parse_date(std::string_view text) {
  // Exactly YYYY-MM-DD: the form people and `date -I` write, and the only one accepted, so
  // "2026-1-5" or "2026/01/05" are refused instead of guessed at.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  std::size_t field = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) {
      ++field;
      continue;
    }
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    fields[field] = fields[field] * 10 + (text[i] - '0');
  }
  const chrono::year_month_day date{chrono::year(fields[0]),
                                    chrono::month(static_cast<unsigned>(fields[1])),
                                    chrono::day(static_cast<unsigned>(fields[2]))};
  if (!date.ok()) return std::nullopt;
  return date;
}

chrono::year_month_day today_utc() {
  // system_clock counts UTC (POSIX time), so flooring to days gives the UTC date, with no time
  // zone database or locale involved.
  return chrono::year_month_day{chrono::floor<chrono::days>(chrono::system_clock::now())};
}

}  // namespace perfguard::budgets
