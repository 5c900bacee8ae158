#include "reports/html_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/text.hpp"
#include "reports/format.hpp"

// index.html, "Every benchmark": per row a strip plot of both sides' runs on one axis, the
// ratio on the overview's scale, the statistics table and the test results (docs/report.md).
namespace perfguard::reports::html_detail {
namespace {

// ---- One row in detail: the runs of both sides on one axis ----------------------------------

// Vertical jitter without randomness (the golden ratio's multiples mod 1 spread evenly), so a
// page renders byte-identically from the same samples.
double jitter(std::size_t i) {
  return std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0) - 0.5;
}

constexpr std::size_t kMaxDots = 2000;  // per side; beyond that every k-th run is drawn

// 2 -> "2nd", 11 -> "11th", 23 -> "23rd".
std::string ordinal(std::size_t n) {
  const std::size_t tens = n % 100;
  const std::size_t ones = n % 10;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    if (ones == 1) suffix = "st";
    if (ones == 2) suffix = "nd";
    if (ones == 3) suffix = "rd";
  }
  return fmt::format("{}{}", n, suffix);
}

std::string side_description(const char* name, const Side& side, const std::string& unit) {
  if (side.empty()) return fmt::format("{}: no samples", name);
  const std::size_t n = side.n ? *side.n : side.values.size();
  std::string d = fmt::format("{}: {} {}", name, n, n == 1 ? "run" : "runs");
  if (side.median) d += ", median " + budgets::format_quantity_precise(*side.median, unit);
  if (side.p25 && side.p75)
    d += fmt::format(", middle half {} to {}", budgets::format_quantity_precise(*side.p25, unit),
                     budgets::format_quantity_precise(*side.p75, unit));
  if (side.min && side.max)
    d += fmt::format(", range {} to {}", budgets::format_quantity_precise(*side.min, unit),
                     budgets::format_quantity_precise(*side.max, unit));
  return d;
}

void write_strip_plot(std::ostream& out, std::size_t index, const Json& row, const Side& base,
                      const Side& candidate, const Page& page) {
  const std::string unit = text_of(field(row, "unit"));
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  for (const Side* side : {&base, &candidate}) {
    for (const double v : side->values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    for (const auto& v : {side->median, side->p25, side->p75, side->min, side->max}) {
      if (v) {
        lo = std::min(lo, *v);
        hi = std::max(hi, *v);
      }
    }
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;

  constexpr double kLeft = 104.0;
  constexpr double kRight = 708.0;
  constexpr double kLaneHeight = 34.0;
  const double lane_top[] = {8.0, 52.0};
  constexpr double kAxisY = 96.0;
  const ValueScale scale(lo, hi, kLeft, kRight);
  const std::vector<Tick> ticks = scale.ticks(unit);
  const std::string id = fmt::format("r{}", index);
  const std::string what = text_of(field(row, "benchmark")) + " " + text_of(field(row, "metric"));

  out << "<figure>\n";
  out << fmt::format("<svg viewBox=\"0 0 720 122\" role=\"img\" aria-labelledby=\"{0}-t {0}-d\">",
                     id);
  out << fmt::format("<title id=\"{}-t\">{}: every run of base and candidate</title>", id,
                     esc(what));
  out << fmt::format("<desc id=\"{}-d\">{}; {}.</desc>\n", id,
                     esc(side_description("base", base, unit)),
                     esc(side_description("candidate", candidate, unit)));
  for (int lane = 0; lane < 2; ++lane) {
    out << fmt::format(
        "<rect class=\"lane\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
        co(kLeft - 6), co(lane_top[lane]), co(kRight - kLeft + 12), co(kLaneHeight));
  }
  for (const Tick& t : ticks) {
    const double x = kLeft + t.fraction * (kRight - kLeft);
    out << fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"4\" y2=\"{1}\"/>", co(x),
                       co(kAxisY));
  }
  out << "\n";
  const Side* sides[] = {&base, &candidate};
  const char* names[] = {"base", "candidate"};
  for (int lane = 0; lane < 2; ++lane) {
    const Side& side = *sides[lane];
    const double mid = lane_top[lane] + kLaneHeight / 2.0;
    out << fmt::format("<g class=\"s-{}\">", names[lane]);
    out << fmt::format("<text class=\"lane-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                       co(kLeft - 14), co(mid - 2), names[lane]);
    const std::size_t n = side.n ? *side.n : side.values.size();
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", co(kLeft - 14),
                       co(mid + 11),
                       side.empty() ? std::string("no runs") : fmt::format("n = {}", n));
    if (side.empty()) {
      out << fmt::format("<text x=\"{}\" y=\"{}\">no samples</text></g>\n", co(kLeft + 4),
                         co(mid + 4));
      continue;
    }
    if (side.p25 && side.p75) {
      out << fmt::format("<rect class=\"iqr\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                         co(scale.x(*side.p25)), co(mid - 12),
                         co(scale.x(*side.p75) - scale.x(*side.p25)), co(24));
    }
    if (side.values.empty() && side.min && side.max) {
      // No runs given: the summary's range stands in for them.
      out << fmt::format("<line class=\"whisker\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
                         co(scale.x(*side.min)), co(scale.x(*side.max)), co(mid), co(mid));
    }
    const std::size_t stride = (side.values.size() + kMaxDots - 1) / kMaxDots;
    for (std::size_t i = 0; i < side.values.size(); i += std::max<std::size_t>(stride, 1)) {
      out << fmt::format("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"2.6\"/>",
                         co(scale.x(side.values[i])), co(mid + jitter(i) * 24.0));
    }
    if (side.median) {
      const double x = scale.x(*side.median);
      out << fmt::format("<line class=\"median\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>",
                         co(x), co(mid - 15), co(mid + 15));
    }
    out << "</g>\n";
  }
  out << fmt::format("<line class=\"axis-line\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>",
                     co(kLeft - 6), co(kRight + 6), co(kAxisY));
  for (const Tick& t : ticks) {
    const double x = kLeft + t.fraction * (kRight - kLeft);
    out << fmt::format("<line class=\"axis-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>",
                       co(x), co(kAxisY), co(kAxisY + 4));
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", co(x),
                       co(kAxisY + 17), esc(t.label));
  }
  out << "</svg>\n";
  const bool runs = !base.values.empty() || !candidate.values.empty();
  std::string thinned;
  for (const Side* side : {&base, &candidate}) {
    const std::size_t stride = (side->values.size() + kMaxDots - 1) / kMaxDots;
    if (stride > 1) {
      thinned = fmt::format(" With this many runs every {} is drawn ({} of {}).", ordinal(stride),
                            (side->values.size() + stride - 1) / stride, side->values.size());
    }
  }
  out << fmt::format(
      "<figcaption>{}{} The box spans the middle half (p25–p75), the bar marks the "
      "median.</figcaption>\n",
      runs ? "Each dot is one run (spread vertically only to be seen)."
           : (page.have_samples ? "No runs recorded for this row; the line spans min to max."
                                : "Without samples.jsonl the line spans min to max."),
      thinned);
  out << "</figure>\n";
}

std::string cell_or_dash(const std::optional<double>& v, const std::string& unit) {
  return v ? esc(budgets::format_quantity_precise(*v, unit)) : std::string("–");
}

void write_summary_table(std::ostream& out, const Json& row, const Side& base,
                         const Side& candidate) {
  const std::string unit = text_of(field(row, "unit"));
  out << "<div class=\"scroll\"><table class=\"summary\">\n";
  out << fmt::format("<caption class=\"sr-only\">{} {}: statistics of each side</caption>\n",
                     esc(text_of(field(row, "benchmark"))), esc(text_of(field(row, "metric"))));
  out << "<thead><tr><th scope=\"col\">side</th><th scope=\"col\" class=\"num\">runs</th><th "
         "scope=\"col\" "
         "class=\"num\">median</th><th scope=\"col\" class=\"num\">median CI</th><th scope=\"col\" "
         "class=\"num\">p25 – p75</th><th scope=\"col\" class=\"num\">p95</th><th scope=\"col\" "
         "class=\"num\">min – "
         "max</th></tr></thead>\n<tbody>\n";
  const Side* sides[] = {&base, &candidate};
  const char* names[] = {"base", "candidate"};
  for (int i = 0; i < 2; ++i) {
    const Side& s = *sides[i];
    if (s.empty()) {
      out << fmt::format(
          "<tr><th scope=\"row\">{}</th><td class=\"num\">0</td><td colspan=\"5\">no "
          "samples</td></tr>\n",
          names[i]);
      continue;
    }
    const auto pair = [&](const std::optional<double>& a, const std::optional<double>& b) {
      if (!a || !b) return std::string("–");
      const std::string lo = esc(budgets::format_quantity_precise(*a, unit));
      const std::string hi = esc(budgets::format_quantity_precise(*b, unit));
      return lo == hi ? lo : fmt::format("{} – {}", lo, hi);  // one run, or an exact measurement
    };
    out << fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        names[i], s.n ? *s.n : s.values.size(), cell_or_dash(s.median, unit),
        s.median_ci ? pair(s.median_ci->lo, s.median_ci->hi) : "–", pair(s.p25, s.p75),
        cell_or_dash(s.p95, unit), pair(s.min, s.max));
  }
  out << "</tbody></table></div>\n";
}

void write_tests_line(std::ostream& out, const Json& row) {
  std::vector<std::string> parts;
  if (const auto p = number_of(field(row, "mann_whitney_p")))
    parts.push_back(fmt::format("Mann–Whitney U p = {:.2g}", *p));
  if (const auto p = number_of(field(row, "welch_p")))
    parts.push_back(fmt::format("Welch t p = {:.2g}", *p));
  if (const auto hl = number_of(field(row, "hodges_lehmann"))) {
    parts.push_back("Hodges–Lehmann shift " +
                    esc(signed_quantity(*hl, text_of(field(row, "unit")))));
  }
  if (!parts.empty()) out << fmt::format("<p class=\"tests\">{}</p>\n", join(parts, " · "));
}

void write_failures(std::ostream& out, const Json& row) {
  const Json& failures = field(row, "failures");
  const std::string reason = text_of(field(row, "reason"));
  std::vector<std::string> items;
  for (const char* side : {"base", "candidate"}) {
    const Json& list = field(failures, side);
    if (!list.is_array()) continue;
    for (const Json& failure : list) {
      // "candidate: run 2: killed by SIGSEGV" is often the reason itself; say it once.
      if (reason.find(text_of(failure)) != std::string::npos) continue;
      items.push_back(fmt::format("<li>{}: {}</li>", side, esc(text_of(failure))));
    }
  }
  if (items.empty()) return;
  out << "<ul class=\"failures\">" << join(items, "") << "</ul>\n";
}

}  // namespace

void write_details(std::ostream& out, const Page& page, const RatioScale& scale) {
  const Json& results = field(page.doc, "results");
  if (!results.is_array() || results.empty()) return;
  const std::vector<Tick> ticks = scale.ticks();
  out << "<section aria-labelledby=\"details-h\">\n<h2 id=\"details-h\">Every benchmark</h2>\n";
  out << "<p class=\"legend\">Base and candidate on one axis:<span class=\"swatch base\" "
         "aria-hidden=\"true\"></span>"
         "base<span class=\"swatch candidate\" aria-hidden=\"true\"></span>candidate. Below each "
         "plot, the ratio on the "
         "overview's scale and the statistics the verdict was computed from.</p>\n";
  out << "<div class=\"details\">\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& row = results[i];
    const std::string verdict = text_of(field(row, "verdict"));
    const Tone tone = row_tone(row);
    const Side base = side_of(row, "base", page.samples);
    const Side candidate = side_of(row, "candidate", page.samples);
    const RowRatio r = ratio_of(row);
    out << fmt::format(
        "<article class=\"result {}\" id=\"r{}\" aria-labelledby=\"r{}-h\">\n<header>",
        tone_class(tone), i, i);
    out << fmt::format("<h3 id=\"r{}-h\">{}<span class=\"metric\">{}</span>{}</h3>", i,
                       esc(text_of(field(row, "benchmark"))), esc(text_of(field(row, "metric"))),
                       label_html(row));
    out << fmt::format(" <span class=\"badge {}\">{}</span> {}</header>\n", tone_class(tone),
                       esc(words(verdict.empty() ? "unknown" : verdict)),
                       severity_html(field(row, "severity")));
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text_of(field(row, "reason"))));
    out << approval_html(field(row, "approval"));
    write_failures(out, row);
    if (!base.empty() || !candidate.empty()) write_strip_plot(out, i, row, base, candidate, page);
    if (r.ratio || r.ci) {
      std::string words_line =
          r.ratio ? "candidate median " + change_text(*r.ratio) : std::string("ratio");
      const bool exact = is_exact(row, r);
      if (!exact && r.ci && r.ci->lo < r.ci->hi)
        words_line += fmt::format(" (CI {})", change_interval_text(*r.ci));
      if (exact) words_line += ", exact (the same value in every run of each side)";
      words_line += fmt::format(", threshold {}", percent_text(r.threshold));
      out << fmt::format("<p class=\"ratio-line\">{}</p>\n", words_line);
      out << "<div class=\"ratio-mini\">" << ratio_cell_svg(scale, ticks, r, tone)
          << axis_html(ticks) << "</div>\n";
    }
    if (!base.empty() || !candidate.empty()) write_summary_table(out, row, base, candidate);
    write_tests_line(out, row);
    out << "</article>\n";
  }
  out << "</div>\n</section>\n";
}

}  // namespace perfguard::reports::html_detail
