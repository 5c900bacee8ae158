#pragma once
// PG_CHECK: a broken internal invariant is a bug in perfguard, not a user error, so it
// aborts with the location instead of throwing (google/benchmark's BM_CHECK does the same).
#include <cstdio>
#include <cstdlib>

#define PG_CHECK(condition)                                                                    \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: perfguard internal check failed: %s\n", __FILE__, __LINE__, \
                   #condition);                                                                \
      std::abort();                                                                            \
    }                                                                                          \
  } while (false)
