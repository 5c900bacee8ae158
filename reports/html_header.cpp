#include "reports/html_parts.hpp"

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "reports/families.hpp"
#include "reports/format.hpp"

// index.html's banner (verdict, refs, counts, host, settings), its section links, and the
// approvals and warnings at its end (docs/report.md).
namespace perfguard::reports::html_detail {
namespace {

std::string short_commit(const std::string& commit) { return commit.substr(0, 12); }

std::string revision_html(const Json& revision) {
  const std::string ref = text_of(field(revision, "ref"));
  const std::string commit = text_of(field(revision, "commit"));
  std::string out = fmt::format("<code>{}</code>", ref.empty() ? "–" : esc(ref));
  if (!commit.empty()) {
    out += fmt::format(" <span class=\"commit mono\" title=\"{}\">{}</span>", esc(commit),
                       esc(short_commit(commit)));
  }
  return out;
}

std::string load_text(const Json& load) {
  if (!load.is_array() || load.empty()) return "";
  const auto one = number_of(load[0]);
  return one ? fmt::format("{:.2f}", *one) : "";
}

std::string host_line(const Json& host) {
  std::vector<std::string> parts;
  if (const std::string name = text_of(field(host, "hostname")); !name.empty())
    parts.push_back("<b>" + esc(name) + "</b>");
  if (const std::string cpu = text_of(field(host, "cpu_model")); !cpu.empty())
    parts.push_back(esc(cpu));
  if (const auto cpus = number_of(field(host, "logical_cpus")); cpus && *cpus > 0) {
    std::string cpu_text = fmt::format("{:g} logical CPUs", *cpus);
    const Json& pinned = field(host, "pinned_cpus");
    if (pinned.is_array() && !pinned.empty()) {
      std::vector<std::string> ids;
      for (const Json& id : pinned)
        ids.push_back(id.is_number_integer() ? std::to_string(id.get<long>()) : "?");
      cpu_text += ", pinned to " + join(ids, ",");
    }
    parts.push_back(cpu_text);
  }
  if (const std::string kernel = text_of(field(host, "kernel")); !kernel.empty())
    parts.push_back("kernel " + esc(kernel));
  const std::string before = load_text(field(host, "load_before"));
  const std::string after = load_text(field(host, "load_after"));
  if (!before.empty() || !after.empty()) {
    parts.push_back(
        fmt::format("load {} → {}", before.empty() ? "?" : before, after.empty() ? "?" : after));
  }
  if (const std::string governor = text_of(field(host, "governor")); !governor.empty()) {
    parts.push_back("governor " + esc(governor));
  }
  if (const auto aslr = number_of(field(host, "aslr")))
    parts.push_back(fmt::format("ASLR {:g}", *aslr));
  return join(parts, " · ");
}

std::string settings_line(const Json& settings) {
  std::vector<std::string> parts;
  if (!settings.is_object()) return "";
  for (const auto& [key, value] : settings.items()) {
    if (key == "alpha") continue;  // 1 − confidence, already shown
    std::string shown;
    if ((key == "confidence" || key == "default_threshold") && number_of(value)) {
      shown = percent_text(*number_of(value));
    } else if (key == "shard" && value.is_object()) {
      // One shard of a sharded run; merged_shards: the shards a merged gate joined.
      shown = fmt::format("{}/{}", value.value("index", Json()).dump(),
                          value.value("count", Json()).dump());
    } else if (key == "merged_shards" && value.is_array()) {
      shown = fmt::format("{} joined", value.size());
    } else if (value.is_string()) {
      shown = esc(value.get<std::string>());
    } else if (value.is_number_integer()) {
      shown = value.dump();  // seeds: every digit, never 1.23457e+10
    } else if (value.is_number()) {
      shown = number_of(value) ? fmt::format("{:g}", *number_of(value)) : "–";
    } else {
      shown = esc(value.dump());
    }
    const std::string name = key == "default_threshold" ? "threshold" : words(key);
    parts.push_back(fmt::format("{} <b>{}</b>", esc(name), shown));
  }
  return join(parts, " · ");
}

// Verdict order in the count chips: what fails first, by how it is triaged.
constexpr std::string_view kVerdictOrder[] = {
    "error",   "over_budget", "complexity_regressed", "regressed", "inconclusive",
    "insufficient", "missing", "approved", "new", "improved", "unchanged"};

// The tone of a count chip: the tone its rows have (rows of one verdict share whether they
// pass); a verdict no row carries counts as failing.
Tone chip_tone(const Json& doc, const std::string& verdict) {
  if (const Json& results = field(doc, "results"); results.is_array()) {
    for (const Json& row : results) {
      if (text_of(field(row, "verdict")) == verdict) return row_tone(row);
    }
  }
  if (const Json& families = field(doc, "families"); families.is_array()) {
    for (const Json& family : families) {
      if (text_of(field(family, "verdict")) == verdict)
        return verdict_tone(verdict, passes_of(family));
    }
  }
  return Tone::fail;
}

// The gate's counts per verdict, and the complexity families' verdicts beside them: a family
// fails the gate like a row does (docs/complexity.md), so the banner counts it.
Json verdict_counts(const Json& doc) {
  Json counts = field(field(doc, "gate"), "counts");
  if (!counts.is_object()) counts = Json::object();
  if (const Json& families = field(doc, "families"); families.is_array()) {
    for (const Json& family : families) {
      const std::string verdict = text_of(field(family, "verdict"));
      if (verdict.empty()) continue;
      counts[verdict] = number_of(field(counts, verdict.c_str())).value_or(0.0) + 1.0;
    }
  }
  return counts;
}

}  // namespace

void write_header(std::ostream& out, const Page& page) {
  const Json& doc = page.doc;
  const Json& gate = field(doc, "gate");
  const bool passed = field(gate, "passed").is_boolean() && field(gate, "passed").get<bool>();
  const Json& results = field(doc, "results");
  std::size_t rows = 0;
  std::size_t failing = 0;
  if (results.is_array()) {
    for (const Json& row : results) {
      ++rows;
      failing += passes_of(row) ? 0 : 1;
    }
  }
  std::size_t families = 0;
  std::size_t families_failing = 0;
  if (const Json& rows_of_families = field(doc, "families"); rows_of_families.is_array()) {
    for (const Json& family : rows_of_families) {
      ++families;
      families_failing += passes_of(family) ? 0 : 1;
    }
  }
  std::size_t budgets = 0;
  std::size_t budgets_failing = 0;
  if (page.budgets.is_array()) {
    for (const Json& budget : page.budgets) {
      ++budgets;
      budgets_failing += passes_of(budget) ? 0 : 1;
    }
  }

  out << fmt::format("<header class=\"banner {}\">\n", passed ? "t-good" : "t-fail");
  out << "<p class=\"brand\">perfguard · release gate</p>\n";
  out << fmt::format("<h1 id=\"verdict\"><span aria-hidden=\"true\">{}</span> Gate {}</h1>\n",
                     passed ? "✓" : "✗", passed ? "passed" : "failed");
  std::vector<std::string> headline;
  const auto results_word = rows == 1 ? "result" : "results";
  const auto budgets_word = budgets == 1 ? "budget" : "budgets";
  headline.push_back(failing == 0
                         ? fmt::format("{} {} {}", rows == 1 ? "the" : fmt::format("all {}", rows),
                                       results_word, rows == 1 ? "passes" : "pass")
                         : fmt::format("{} of {} {} fail the gate", failing, rows, results_word));
  if (families > 0) {
    const auto families_word = families == 1 ? "complexity family" : "complexity families";
    headline.push_back(
        families_failing == 0
            ? fmt::format("{} {} {}", families, families_word, families == 1 ? "passes" : "pass")
            : fmt::format("{} of {} {} {}", families_failing, families, families_word,
                          families_failing == 1 ? "fails" : "fail"));
  }
  if (budgets > 0) {
    headline.push_back(
        budgets_failing == 0
            ? fmt::format("{} {} within {}", budgets, budgets_word,
                          budgets == 1 ? "its limit" : "their limits")
            : fmt::format("{} of {} {} fail", budgets_failing, budgets, budgets_word));
  }
  if (const auto code = number_of(field(gate, "exit_code")))
    headline.push_back(fmt::format("exit code {:g}", *code));
  out << fmt::format("<p class=\"headline\">{}</p>\n", join(headline, " · "));

  out << "<dl class=\"refs\">\n";
  out << fmt::format("<div><dt>base</dt><dd>{}</dd></div>\n", revision_html(field(doc, "base")));
  out << fmt::format("<div><dt>candidate</dt><dd>{}</dd></div>\n",
                     revision_html(field(doc, "candidate")));
  out << "</dl>\n";

  const Json counts = verdict_counts(doc);
  if (!counts.empty()) {
    out << "<ul class=\"counts\" aria-label=\"Results by verdict\">\n";
    std::vector<std::string> names;
    for (const std::string_view name : kVerdictOrder) {
      if (counts.contains(name)) names.emplace_back(name);
    }
    for (const auto& [name, value] : counts.items()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    for (const std::string& name : names) {
      const auto count = number_of(counts[name]);
      out << fmt::format("<li class=\"badge {}\">{:g} {}</li>\n",
                         tone_class(chip_tone(doc, name)), count.value_or(0), esc(words(name)));
    }
    out << "</ul>\n";
  }
  if (const std::string host = host_line(field(doc, "host")); !host.empty()) {
    out << fmt::format("<p class=\"facts\"><span class=\"sr-only\">Host: </span>{}</p>\n", host);
  }
  if (const std::string settings = settings_line(field(doc, "settings")); !settings.empty()) {
    out << fmt::format("<p class=\"facts\"><span class=\"sr-only\">Settings: </span>{}</p>\n",
                       settings);
  }
  out << "</header>\n";
}

void write_notes(std::ostream& out, const Page& page) {
  std::vector<std::string> items;
  if (const Json& approvals = field(page.doc, "approvals"); approvals.is_array()) {
    for (const Json& note : approvals) {
      const std::string use = text_of(field(note, "use"));
      std::string item = fmt::format(
          "<li><span class=\"badge {}\">{}</span> {}", use == "invalid" ? "t-fail" : "t-warn",
          esc(use.empty() ? "note" : use), esc(text_of(field(note, "message"))));
      if (const auto days = number_of(field(note, "days_left")))
        item += fmt::format(" <span class=\"muted\">({:g} days left)</span>", *days);
      items.push_back(item + "</li>");
    }
  }
  if (const Json& warnings = field(field(page.doc, "gate"), "warnings"); warnings.is_array()) {
    for (const Json& warning : warnings) {
      items.push_back(fmt::format("<li><span class=\"badge t-warn\">warning</span> {}</li>",
                                  esc(text_of(warning))));
    }
  }
  if (items.empty()) return;
  out << "<section aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Approvals and "
         "warnings</h2>\n<ul class=\"notes\">\n"
      << join(items, "\n") << "\n</ul>\n</section>\n";
}

void write_nav(std::ostream& out, const Page& page, bool failing, bool notes) {
  std::vector<std::string> links;
  // In page order (write_html): a failing family comes right after the overview.
  const Json& families = field(page.doc, "families");
  const bool have_families = families.is_array() && !families.empty();
  const bool families_first = any_family_fails(page.doc);
  const char* families_link = "<li><a href=\"#families-h\">Complexity families</a></li>";
  links.emplace_back("<li><a href=\"#overview-h\">Overview</a></li>");
  if (families_first) links.emplace_back(families_link);
  if (failing) links.emplace_back("<li><a href=\"#failing-h\">Failing</a></li>");
  if (page.budgets.is_array() && !page.budgets.empty())
    links.emplace_back("<li><a href=\"#budgets-h\">Budgets</a></li>");
  if (have_families && !families_first) links.emplace_back(families_link);
  links.emplace_back("<li><a href=\"#details-h\">Every benchmark</a></li>");
  if (notes) links.emplace_back("<li><a href=\"#notes-h\">Approvals and warnings</a></li>");
  out << "<nav aria-label=\"Sections\"><ul>" << join(links, "") << "</ul></nav>\n";
}

}  // namespace perfguard::reports::html_detail
