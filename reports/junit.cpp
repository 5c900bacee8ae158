#include "reports/artifacts.hpp"

#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "reports/families.hpp"
#include "reports/html.hpp"
#include "reports/json_helpers.hpp"

// junit.xml: one testcase per benchmark x metric, budget, family and invalid approval, so CI
// systems list the gate's failures beside the test suite's.
namespace perfguard::reports {
namespace {

std::string xml_escape(std::string_view text) {
  std::string allowed(text);
  for (char& ch : allowed) {
    if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') ch = ' ';
  }
  return html_escape(allowed);
}

}  // namespace

void write_junit(std::ostream& out, const Json& doc) {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::string cases;
  const auto add_case = [&](const std::string& classname, const std::string& name, bool failed,
                            const std::string& type, const std::string& message,
                            const std::string& details) {
    ++tests;
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(classname),
                         xml_escape(name));
    if (!failed) {
      cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                           xml_escape(message));
      return;
    }
    ++failures;
    cases +=
        fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml_escape(type), xml_escape(message), xml_escape(details));
  };
  for (const Json& row : doc["results"]) {
    const std::string replay =
        row["replay"].is_string() ? "\nreplay: " + text_of(row["replay"]) : "";
    add_case(text_of(row["benchmark"]), text_of(row["metric"]), !passes_of(row),
             text_of(row["verdict"]), text_of(row["verdict"]) + ": " + text_of(row["reason"]),
             text_of(row["reason"]) + replay);
  }
  for (const Json& budget : doc["budgets"]) {
    const bool failed = !passes_of(budget);
    const std::string replay =
        budget["replay"].is_string() ? "\nreplay: " + text_of(budget["replay"]) : "";
    add_case(text_of(budget["benchmark"]),
             fmt::format("budget {} {}", text_of(budget["metric"]), text_of(budget["statistic"])),
             failed, text_of(budget["status"]), text_of(budget["reason"]),
             text_of(budget["reason"]) + " (" + text_of(budget["rule"]) + ")" + replay);
  }
  for (const JunitCase& family : family_junit_cases(doc)) {
    add_case(family.classname, family.name, family.failed, family.type, family.message,
             family.details);
  }
  for (const Json& note : doc["approvals"]) {
    if (text_of(note["use"]) == "invalid") {
      add_case("approvals", text_of(note["location"]), true, "invalid_approval",
               text_of(note["message"]), text_of(note["message"]));
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"perfguard\" tests=\"{}\" failures=\"{}\">\n", tests,
                     failures);
  out << fmt::format(
      "  <testsuite name=\"perfguard\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "timestamp=\"{}\">\n",
      tests, failures, xml_escape(text_of(doc["generated_at"])));
  out << cases << "  </testsuite>\n</testsuites>\n";
}

}  // namespace perfguard::reports
