#include "reports/families.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "budgets/families.hpp"
#include "budgets/units.hpp"
#include "reports/format.hpp"
#include "reports/html.hpp"
#include "reports/json_helpers.hpp"

namespace perfguard::reports {
namespace {

Json fit_json(const stats::ComplexityFit& fit) {
  Json points = Json::array();
  for (const stats::SizePoint& p : fit.points) {
    points.push_back({{"n", json_number(p.n)},
                      {"median", json_number(p.median)},
                      {"weight", json_number(p.weight)}});
  }
  Json curves = Json::array();
  for (const stats::CurveFit& c : fit.curves) {
    curves.push_back({{"complexity", stats::big_o(c.complexity)},
                      {"intercept", json_number(c.intercept)},
                      {"coefficient", json_number(c.coefficient)},
                      {"r_squared", json_number(c.r_squared)},
                      {"qaic", json_number(c.qaic)}});
  }
  const stats::CurveFit& chosen = fit.chosen();
  return {{"complexity", stats::big_o(fit.complexity)},
          {"intercept", json_number(chosen.intercept)},
          {"coefficient", json_number(chosen.coefficient)},
          {"r_squared", json_number(chosen.r_squared)},
          {"runner_up", stats::big_o(fit.runner_up)},
          {"margin", json_number(fit.margin)},
          {"dispersion", json_number(fit.dispersion)},
          {"points", points},
          {"curves", curves}};
}

// What --only re-runs a family: the gbench benchmark of a compare (its id is the spec), or a
// glob of the cases of a diff (the first case with its size replaced by '*').
std::string replay_only(const budgets::FamilyRow& row) {
  if (row.cases.empty() || row.cases.front().rfind(row.spec + "/", 0) == 0) return row.spec;
  std::string id = row.spec;
  const budgets::FamilyKey key = *budgets::family_key(id);
  const std::string size = fmt::format("{:g}", key.size);
  const std::size_t at = id.rfind("/" + size);
  if (at != std::string::npos) id.replace(at + 1, size.size(), "*");
  return id;
}

Json family_json(const budgets::FamilyRow& row, const ArtifactContext& context) {
  Json projection = nullptr;
  if (row.projection) {
    const stats::Projection& p = *row.projection;
    projection = {{"n", json_number(p.n)},
                  {"base_complexity", stats::big_o(p.base_complexity)},
                  {"candidate_complexity", stats::big_o(p.candidate_complexity)},
                  {"base", json_number(p.base)},
                  {"candidate", json_number(p.candidate)},
                  {"ratio", json_number(p.ratio)},
                  {"ratio_ci", json_interval(p.ratio_ci)}};
  }
  Json budget = nullptr;
  if (row.complexity_budget) {
    budget = {{"complexity", stats::big_o(*row.complexity_budget)},
              {"rule", row.complexity_budget_rule->to_string()},
              {"status", row.candidate && row.candidate->complexity > *row.complexity_budget
                             ? "over_budget"
                             : "pass"}};
  }
  Json approval = nullptr;
  if (row.approval) {
    approval = {{"benchmark", row.approval->benchmark},
                {"metric", row.approval->metric},
                {"max_ratio", json_number(row.approval->max_ratio)},
                {"ticket", row.approval->ticket},
                {"approver", row.approval->approver},
                {"expires", budgets::format_date(row.approval->expires)}};
  }
  return {
      {"family", row.family},
      {"spec", row.spec},
      {"metric", row.metric},
      {"unit", row.unit},
      {"cases", row.cases},
      {"verdict", std::string(budgets::to_string(row.verdict))},
      {"passes", budgets::passes(row.verdict)},
      {"reason", row.reason},
      {"severity", json_text_or_null(budgets::to_string(row.severity))},
      {"threshold", json_number(row.threshold)},
      {"confidence", json_number(row.confidence)},
      {"base", row.base ? fit_json(*row.base) : Json(nullptr)},
      {"candidate", row.candidate ? fit_json(*row.candidate) : Json(nullptr)},
      {"projection", projection},
      {"complexity_budget", budget},
      {"approval", approval},
      {"replay", budgets::passes(row.verdict) ? Json(nullptr)
                                              : Json(replay_command(context, replay_only(row)))}};
}

std::string class_of(const Json& fit) { return fit.is_object() ? text_of(fit["complexity"]) : "–"; }

std::string projection_text(const Json& family, bool with_size) {
  const Json& p = family["projection"];
  if (!p.is_object() || !p["ratio"].is_number()) return "–";
  std::string text = fmt::format("{:+.1f}%", (p["ratio"].get<double>() - 1.0) * 100.0);
  if (p["ratio_ci"].is_array()) {
    text += fmt::format(" ({:+.1f}…{:+.1f}%)", (p["ratio_ci"][0].get<double>() - 1.0) * 100.0,
                        (p["ratio_ci"][1].get<double>() - 1.0) * 100.0);
  }
  if (with_size) text += fmt::format(" at N = {:g}", p["n"].get<double>());
  return text;
}

// ---- The plot ------------------------------------------------------------------------------

constexpr double kWidth = 640;
constexpr double kHeight = 300;
constexpr double kLeft = 78;
constexpr double kRight = 16;
constexpr double kTop = 14;
constexpr double kBottom = 40;

struct LogAxis {
  double lo = 0.0;  // log10 of the range
  double hi = 1.0;
  double from = 0.0;  // pixels
  double to = 1.0;
  [[nodiscard]] double at(double value) const {
    return from + (std::log10(value) - lo) / (hi - lo) * (to - from);
  }
};

LogAxis log_axis(double min, double max, double from, double to) {
  double lo = std::floor(std::log10(min));
  double hi = std::ceil(std::log10(max));
  if (hi <= lo) hi = lo + 1.0;
  return {lo, hi, from, to};
}

double curve_at(const Json& fit, double n) {
  const stats::Complexity c = *stats::parse_complexity(text_of(fit["complexity"]));
  return fit["intercept"].get<double>() +
         fit["coefficient"].get<double>() * stats::complexity_term(c, n);
}

// The fitted curve from the smallest size to the projection, in segments of one line each so
// that a curve that dips to 0 or below (a negative intercept at small N) is simply not drawn
// there; solid over the measured sizes, dashed beyond.
std::string curve_svg(const Json& fit, double n_min, double n_max, double n_to, const LogAxis& x,
                      const LogAxis& y, const char* side) {
  std::string solid;
  std::string dashed;
  constexpr int kSteps = 60;
  const double a = std::log10(n_min);
  const double b = std::log10(n_to);
  for (int i = 0; i <= kSteps; ++i) {
    const double n = std::pow(10.0, a + (b - a) * i / kSteps);
    const double t = curve_at(fit, n);
    if (!(t > 0.0)) continue;
    const double clamped = std::clamp(t, std::pow(10.0, y.lo), std::pow(10.0, y.hi));
    const std::string point = fmt::format("{:.1f},{:.1f} ", x.at(n), y.at(clamped));
    (n <= n_max * 1.0000001 ? solid : dashed) += point;
    if (n <= n_max * 1.0000001 && i < kSteps) {
      const double next = std::pow(10.0, a + (b - a) * (i + 1) / kSteps);
      if (next > n_max * 1.0000001) dashed += point;  // join the two parts
    }
  }
  std::string out;
  const auto line = [&](const std::string& points, const char* dash) {
    if (points.empty()) return;
    out += fmt::format(
        "<polyline class=\"{}\" points=\"{}\" fill=\"none\" style=\"stroke: var(--side); "
        "stroke-width: 2{}\"/>\n",
        side, points, dash);
  };
  line(solid, "");
  line(dashed, "; stroke-dasharray: 5 4");
  return out;
}

// The plot's text alternative: each side's class, its measured range and its projection.
std::string plot_description(const Json& family) {
  const std::string unit = text_of(family["unit"]);
  const Json& p = family["projection"];
  std::vector<std::string> parts;
  for (const char* side : {"base", "candidate"}) {
    const Json& points = family[side]["points"];
    parts.push_back(
        fmt::format("{} {}: {} at N = {:g} to {} at N = {:g}, projected {} at N = {:g}", side,
                    class_of(family[side]),
                    budgets::format_quantity(points.front()["median"].get<double>(), unit),
                    points.front()["n"].get<double>(),
                    budgets::format_quantity(points.back()["median"].get<double>(), unit),
                    points.back()["n"].get<double>(),
                    budgets::format_quantity(p[side].get<double>(), unit), p["n"].get<double>()));
  }
  return parts[0] + "; " + parts[1] + ".";
}

// The fitted curve a side is projected with (its own class, or the common one).
const Json& projected_curve(const Json& fit, const std::string& complexity) {
  for (const Json& curve : fit["curves"]) {
    if (text_of(curve["complexity"]) == complexity) return curve;
  }
  return fit;
}

std::string plot_svg(const Json& family, const std::string& id) {
  const Json& base = family["base"];
  const Json& candidate = family["candidate"];
  const Json& p = family["projection"];
  const std::string unit = text_of(family["unit"]);
  double n_min = INFINITY;
  double n_max = 0.0;
  double t_min = INFINITY;
  double t_max = 0.0;
  for (const Json* fit : {&base, &candidate}) {
    for (const Json& point : (*fit)["points"]) {
      const double n = point["n"].get<double>();
      const double t = point["median"].get<double>();
      n_min = std::min(n_min, n);
      n_max = std::max(n_max, n);
      if (t > 0.0) {
        t_min = std::min(t_min, t);
        t_max = std::max(t_max, t);
      }
    }
  }
  const double n_to = std::max(p["n"].get<double>(), n_max);
  for (const char* side : {"base", "candidate"}) {
    const double t = p[side].get<double>();
    if (t > 0.0) {
      t_min = std::min(t_min, t);
      t_max = std::max(t_max, t);
    }
  }
  if (!(t_max > 0.0)) return "";
  const LogAxis x = log_axis(n_min, n_to, kLeft, kWidth - kRight);
  const LogAxis y = log_axis(t_min, t_max, kHeight - kBottom, kTop);

  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 {0} {1}\" role=\"img\" aria-labelledby=\"{2}-t {2}-d\">\n"
      "<title id=\"{2}-t\">{3}: time per iteration against input size, log-log; base {4} and "
      "candidate {5}</title>\n<desc id=\"{2}-d\">{6}</desc>\n",
      kWidth, kHeight, id, html_escape(text_of(family["family"])), html_escape(class_of(base)),
      html_escape(class_of(candidate)), html_escape(plot_description(family)));
  for (double e = x.lo; e <= x.hi + 1e-9; e += 1.0) {
    const double px = x.at(std::pow(10.0, e));
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:g}</text>\n",
        px, kTop, kHeight - kBottom, kHeight - kBottom + 14, std::pow(10.0, e));
  }
  for (double e = y.lo; e <= y.hi + 1e-9; e += 1.0) {
    const double py = y.at(std::pow(10.0, e));
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, kWidth - kRight, py, kLeft - 6, py + 4,
        html_escape(budgets::format_quantity(std::pow(10.0, e), unit)));
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">input size N</text>\n",
                     (kLeft + kWidth - kRight) / 2.0, kHeight - 6);
  for (const auto& [fit, side] : {std::pair{&base, "base"}, std::pair{&candidate, "candidate"}}) {
    svg += fmt::format("<g class=\"s-{}\">\n", side);
    svg += curve_svg(projected_curve(*fit, text_of(p[std::string(side) + "_complexity"])), n_min,
                     n_max, n_to, x, y, "fit");
    for (const Json& point : (*fit)["points"]) {
      const double t = point["median"].get<double>();
      if (!(t > 0.0)) continue;
      svg += fmt::format("<circle class=\"dot\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\"/>\n",
                         x.at(point["n"].get<double>()), y.at(t));
    }
    const double projected = p[side].get<double>();
    if (projected > 0.0) {
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"9\" height=\"9\" style=\"fill: "
          "var(--side)\"/>\n",
          x.at(n_to) - 4.5, y.at(projected) - 4.5);
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace

Json families_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = Json::array();
  for (const budgets::FamilyRow& row : gate.families) out.push_back(family_json(row, context));
  return out;
}

void write_family_markdown(std::ostream& out, const Json& doc) {
  if (!doc.contains("families") || doc["families"].empty()) return;
  out << "### Complexity families\n\n"
      << "| family | metric | verdict | sizes | base | candidate | projected change | reason |\n"
      << "|---|---|---|---|---|---|---|---|\n";
  for (const bool failing : {true, false}) {
    for (const Json& family : doc["families"]) {
      if (passes_of(family) == failing) continue;
      const Json& points = family["base"].is_object() ? family["base"]["points"] : Json::array();
      const std::string sizes = points.empty() ? "–"
                                               : fmt::format("{} ({:g}…{:g})", points.size(),
                                                             points.front()["n"].get<double>(),
                                                             points.back()["n"].get<double>());
      out << fmt::format("| {} | {} | **{}** | {} | {} | {} | {} | {} |\n",
                         markdown_cell(text_of(family["family"])),
                         markdown_cell(text_of(family["metric"])), text_of(family["verdict"]),
                         sizes, class_of(family["base"]), class_of(family["candidate"]),
                         projection_text(family, true), markdown_cell(text_of(family["reason"])));
    }
  }
  out << "\n";
}

std::vector<JunitCase> family_junit_cases(const Json& doc) {
  std::vector<JunitCase> cases;
  if (!doc.contains("families")) return cases;
  for (const Json& family : doc["families"]) {
    const std::string replay =
        family["replay"].is_string() ? "\nreplay: " + text_of(family["replay"]) : "";
    cases.push_back({text_of(family["family"]), "complexity " + text_of(family["metric"]),
                     !passes_of(family), text_of(family["verdict"]),
                     text_of(family["verdict"]) + ": " + text_of(family["reason"]),
                     text_of(family["reason"]) + replay});
  }
  return cases;
}

void write_family_plots(std::ostream& out, const Json& doc) {
  if (!doc.contains("families") || doc["families"].empty()) return;
  out << "<section aria-labelledby=\"families-h\">\n<h2 id=\"families-h\">Complexity "
         "families</h2>\n<div class=\"details\">\n";
  std::size_t index = 0;
  for (const Json& family : doc["families"]) {
    const std::string id = fmt::format("family-{}", index++);
    const std::string verdict = text_of(family["verdict"]);
    out << fmt::format(
        "<article class=\"result\">\n<header><h3>{}</h3> <span>{} · "
        "<strong>{}</strong></span></header>\n",
        html_escape(text_of(family["family"])), html_escape(text_of(family["metric"])),
        html_escape(verdict));
    out << fmt::format("<p class=\"ratio-line\">base {} · candidate {} · projected {}</p>\n",
                       html_escape(class_of(family["base"])),
                       html_escape(class_of(family["candidate"])),
                       html_escape(projection_text(family, true)));
    if (family["base"].is_object() && family["candidate"].is_object() &&
        family["projection"].is_object()) {
      out << "<figure>\n" << plot_svg(family, id);
      out << "<figcaption>Medians per size (dots), fitted curves (solid over the measured sizes, "
             "dashed to the projection) and the projected times (squares); "
             "<span class=\"s-base\" style=\"color: var(--side)\">■ base</span> "
             "<span class=\"s-candidate\" style=\"color: var(--side)\">■ "
             "candidate</span>.</figcaption>\n</figure>\n";
    }
    out << fmt::format("<p>{}</p>\n</article>\n", html_escape(text_of(family["reason"])));
  }
  out << "</div>\n</section>\n";
}

}  // namespace perfguard::reports
