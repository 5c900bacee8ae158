#pragma once
// history.html: every series of a history store as one self-contained page (docs/history.md,
// "The trend page"), with the conventions of index.html (reports/html.hpp): inline CSS (the
// same style sheet), inline SVG drawn here, no script and nothing fetched over the network.
// Every name from the store goes through reports::html_escape; numbers have fixed precision, so
// equal inputs give byte-identical pages.
#include <iosfwd>
#include <string>
#include <vector>

#include "history/change_report.hpp"
#include "history/store.hpp"

namespace perfguard::history {

// One small trend plot per host x benchmark x metric: each night's candidate median as a dot
// on a line, its interval as a band, each step a dashed line labelled with its commit range and
// change, and the level before and after it. Series with a regression come first, then those
// with other steps, then the flat ones. `steps` are find_steps() of `series`.
void write_trend_page(std::ostream& out, const std::vector<Series>& series,
                      const std::vector<Step>& steps, const std::string& generated_at);

}  // namespace perfguard::history
