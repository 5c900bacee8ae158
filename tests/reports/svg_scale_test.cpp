// Tick placement of index.html's axes. Every expected value here was worked out by hand from
// the rules stated in reports/svg_scale.hpp (the arithmetic is in each test's comment), not by
// running the code.
#include "reports/svg_scale.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace perfguard::reports {
namespace {

std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const Tick& t : ticks) out.push_back(t.label);
  return out;
}

using Labels = std::vector<std::string>;

TEST(NiceStep, SmallestOneTwoFiveStepWithinTheCount) {
  // 7 / 5 = 1.4: 1 is too small, 2 fits.
  EXPECT_DOUBLE_EQ(nice_step(7.0, 5.0, false), 2.0);
  // 10 / 5 = 2: 2 fits exactly.
  EXPECT_DOUBLE_EQ(nice_step(10.0, 5.0, false), 2.0);
  // 0.37 / 8 = 0.04625: 0.01, 0.02, 0.025 too small; 0.05 fits.
  EXPECT_DOUBLE_EQ(nice_step(0.37, 8.0, true), 0.05);
  // 18 / 8 = 2.25: with quarters 2.5 fits; without, 5.
  EXPECT_DOUBLE_EQ(nice_step(18.0, 8.0, true), 2.5);
  EXPECT_DOUBLE_EQ(nice_step(18.0, 8.0, false), 5.0);
}

TEST(FactorLabel, FactorsAndSpeedUps) {
  EXPECT_EQ(factor_label(1.0, 0), "±0%");
  EXPECT_EQ(factor_label(2.0, 0), "×2");
  EXPECT_EQ(factor_label(1.0, 2), "×100");
  EXPECT_EQ(factor_label(5.0, 3), "×5000");
  EXPECT_EQ(factor_label(1.0, 4), "×1e4");
  EXPECT_EQ(factor_label(1.0, -1), "÷10");
  EXPECT_EQ(factor_label(5.0, -1), "÷2");  // 0.5: twice as fast
  EXPECT_EQ(factor_label(2.0, -1), "÷5");  // 0.2
  EXPECT_EQ(factor_label(1.0, -9), "÷1e9");
  EXPECT_EQ(factor_label(2.0, -5), "÷5e4");  // 2e-5: 1e5 / 2 = 50000
}

Tick at(double value, double fraction) { return {value, fraction, ""}; }

TEST(Thin, KeepsTheAnchorAndSpacesTheRest) {
  // Right of 0.5: 0.55 is within 0.075 of it, 0.7 is kept, 0.98 is past 0.96. Left: 0.35 is
  // kept, 0.3 within 0.075 of it, 0.02 before 0.04.
  const std::vector<Tick> kept = thin({at(0.9, 0.02), at(0.95, 0.3), at(0.97, 0.35), at(1.0, 0.5),
                                       at(1.02, 0.55), at(1.05, 0.7), at(1.2, 0.98)},
                                      1.0, 0.075);
  ASSERT_EQ(kept.size(), 3U);
  EXPECT_DOUBLE_EQ(kept[0].value, 0.97);
  EXPECT_DOUBLE_EQ(kept[1].value, 1.0);
  EXPECT_DOUBLE_EQ(kept[2].value, 1.05);
}

TEST(Thin, WithoutTheAnchorTicksStaySortedAndWhole) {
  const std::vector<Tick> kept = thin({at(2.0, 0.6), at(3.0, 0.61), at(1.5, 0.1)}, 1.0, 0.075);
  ASSERT_EQ(kept.size(), 3U);
  EXPECT_DOUBLE_EQ(kept[0].value, 1.5);
  EXPECT_DOUBLE_EQ(kept[2].value, 3.0);
}

TEST(RatioScale, NoChangeSitsMidwayAndHalvingMirrorsDoubling) {
  const RatioScale scale(1.0 / 1.05, 1.05);
  EXPECT_NEAR(scale.fraction(1.0), 0.5, 1e-12);
  // A log scale: r and 1/r are equally far from 1.
  EXPECT_NEAR(scale.fraction(1.03) + scale.fraction(1.0 / 1.03), 1.0, 1e-12);
}

TEST(RatioScale, NarrowRangeIsLabelledInPercent) {
  // ln(1.05) = 0.04879; padded by 6% of 0.09758 to +-0.054647, i.e. 0.946819 .. 1.056168.
  // 10.93 percentage points / 8 = 1.367 -> a step of 2: -4, -2, 0, +2, +4 (+6 is past 5.6).
  // At fractions 0.126, 0.315, 0.5, 0.681, 0.859: all 0.075 apart and off the edges.
  const std::vector<Tick> ticks = RatioScale(1.0 / 1.05, 1.05).ticks();
  EXPECT_EQ(labels(ticks), (Labels{"-4%", "-2%", "±0%", "+2%", "+4%"}));
  EXPECT_NEAR(ticks[0].fraction, 0.12649, 1e-4);
  EXPECT_NEAR(ticks[3].fraction, 0.68118, 1e-4);
  EXPECT_NEAR(ticks[0].value, 0.96, 1e-12);
}

TEST(RatioScale, WideRangeIsLabelledInFactors) {
  // 0.01 .. 100, padded to 0.005754 .. 173.8: decades -3 .. 3, stride 1; more than two
  // decades, so powers of ten only; 0.001 and 1000 fall outside. Fractions 0.054, 0.277, 0.5,
  // 0.723, 0.946: all kept.
  const std::vector<Tick> ticks = RatioScale(0.01, 100.0).ticks();
  EXPECT_EQ(labels(ticks), (Labels{"÷100", "÷10", "±0%", "×10", "×100"}));
  EXPECT_NEAR(ticks[0].fraction, 0.05357, 1e-4);
}

TEST(RatioScale, NineDecadesShowEveryOtherPowerOfTen) {
  // 1e-9 .. 1, padded to 2.88e-10 .. 3.467: decades -10 .. 1, stride (11 + 5) / 6 = 2: even
  // exponents, 1e-10 below the range. No "×1e-09".
  const std::vector<Tick> ticks = RatioScale(1e-9, 1.0).ticks();
  EXPECT_EQ(labels(ticks), (Labels{"÷1e8", "÷1e6", "÷1e4", "÷100", "±0%"}));
}

TEST(RatioScale, TinyRangeIsWidenedToTwoPercent) {
  // ln range 0 < 0.02: widened to +-0.01, padded by 0.0012; 1.0 stays in the middle.
  const RatioScale scale(1.0, 1.0);
  EXPECT_NEAR(scale.fraction(1.0), 0.5, 1e-12);
  EXPECT_NEAR(scale.fraction(std::exp(0.0112)), 1.0, 1e-9);
}

TEST(ValueScale, MapsThePaddedRangeOntoTheWidth) {
  // 10 .. 20 padded by 0.5 each side: 9.5 .. 20.5 onto 0 .. 100.
  const ValueScale scale(10.0, 20.0, 0.0, 100.0);
  EXPECT_DOUBLE_EQ(scale.x(9.5), 0.0);
  EXPECT_DOUBLE_EQ(scale.x(20.5), 100.0);
  EXPECT_DOUBLE_EQ(scale.x(15.0), 50.0);
}

TEST(ValueScale, TicksAtMultiplesOfTheStep) {
  // 11 / 5 = 2.2 -> step 5: 10, 15, 20 (25 > 20.5); no decimals for a step of 5.
  const std::vector<Tick> ticks = ValueScale(10.0, 20.0, 0.0, 100.0).ticks("");
  EXPECT_EQ(labels(ticks), (Labels{"10", "15", "20"}));
  EXPECT_NEAR(ticks[0].fraction, 0.5 / 11.0, 1e-12);
  EXPECT_NEAR(ticks[2].fraction, 10.5 / 11.0, 1e-12);
}

TEST(ValueScale, SecondsInTheUnitOfTheLargerEnd) {
  // 10 ms .. 20 ms: step 5 ms, labelled in ms with no decimals.
  EXPECT_EQ(labels(ValueScale(0.010, 0.020, 0.0, 100.0).ticks("s")),
            (Labels{"10 ms", "15 ms", "20 ms"}));
}

TEST(ValueScale, NeighboursNeverReadTheSame) {
  // 9.9 .. 10.1 ms padded to 9.89 .. 10.11 ms: 0.22 ms / 5 = 0.044 -> step 0.05 ms, two
  // decimals; ticks 198 .. 202 times the step.
  EXPECT_EQ(labels(ValueScale(9.9e-3, 10.1e-3, 0.0, 100.0).ticks("s")),
            (Labels{"9.90 ms", "9.95 ms", "10.00 ms", "10.05 ms", "10.10 ms"}));
}

TEST(ValueScale, ZeroSpreadIsWidened) {
  // All values 0: widened by 1 each side, padded to -1.1 .. 1.1; 2.2 / 5 = 0.44 -> step 0.5,
  // one decimal.
  const ValueScale scale(0.0, 0.0, 0.0, 100.0);
  EXPECT_DOUBLE_EQ(scale.x(0.0), 50.0);
  EXPECT_EQ(labels(scale.ticks("")), (Labels{"-1.0", "-0.5", "0.0", "0.5", "1.0"}));
  // A constant 5: widened by 1% (0.05) each side, 5 stays in the middle.
  EXPECT_DOUBLE_EQ(ValueScale(5.0, 5.0, 0.0, 100.0).x(5.0), 50.0);
}

}  // namespace
}  // namespace perfguard::reports
