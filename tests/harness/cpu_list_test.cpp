// CPU lists in taskset/sysfs notation.
#include <gtest/gtest.h>

#include "harness/cpu_list.hpp"

namespace perfguard::harness {
namespace {

using Cpus = std::vector<int>;

TEST(ParseCpuList, ListsAndRanges) {
  EXPECT_EQ(parse_cpu_list("0"), Cpus{0});
  EXPECT_EQ(parse_cpu_list("0-3,6"), (Cpus{0, 1, 2, 3, 6}));
  EXPECT_EQ(parse_cpu_list("6,1,1,2-3"), (Cpus{1, 2, 3, 6}));
}

TEST(ParseCpuList, MalformedIsNullopt) {
  for (const char* bad : {"", ",", "1,", "a", "1-", "-1", "3-1", "1.5", "1 2", "0x1", "99999"}) {
    EXPECT_EQ(parse_cpu_list(bad), std::nullopt) << bad;
  }
}

TEST(FormatCpuList, CollapsesRuns) {
  EXPECT_EQ(format_cpu_list(Cpus{0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(format_cpu_list(Cpus{1}), "1");
  EXPECT_EQ(format_cpu_list(Cpus{}), "");
  EXPECT_EQ(format_cpu_list(*parse_cpu_list("0,2,4-5")), "0,2,4-5");
}

TEST(AllowedCpus, IncludesWhereWeRun) { EXPECT_FALSE(allowed_cpus().empty()); }

}  // namespace
}  // namespace perfguard::harness
