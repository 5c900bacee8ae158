#pragma once
// Natural order of names: runs of digits compare by their value, so Google Benchmark's
// "BM_UFlat/2" comes before "BM_UFlat/10" (plain string order puts /10, /11 before /2).
#include <cstddef>
#include <string_view>

namespace perfguard {

// Whether `a` comes before `b`. Text outside digit runs compares byte by byte; digit runs
// compare by value (leading zeros ignored), then by length ("01" after "1"), so the order is
// total and two names are equivalent only when equal.
[[nodiscard]] inline bool natural_less(std::string_view a, std::string_view b) noexcept {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  std::size_t j = 0;
  int length_tiebreak = 0;  // the first difference in digit-run length, for equal values
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ei = i;
      std::size_t ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      std::size_t si = i;
      std::size_t sj = j;
      while (si + 1 < ei && a[si] == '0') ++si;
      while (sj + 1 < ej && b[sj] == '0') ++sj;
      const std::string_view x = a.substr(si, ei - si);
      const std::string_view y = b.substr(sj, ej - sj);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      if (length_tiebreak == 0 && ei - i != ej - j) length_tiebreak = (ei - i) < (ej - j) ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (i < a.size() || j < b.size()) return j < b.size();  // the shorter rest comes first
  return length_tiebreak < 0;
}

}  // namespace perfguard
