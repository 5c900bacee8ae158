#pragma once
// Whether the tests were built with AddressSanitizer (PERFGUARD_SANITIZE=ON). valgrind cannot
// run such binaries, so tests that run a built helper under Callgrind skip there.

namespace perfguard::tests {

#ifdef __SANITIZE_ADDRESS__
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

constexpr const char* kValgrindCannotRunSanitized =
    "valgrind cannot run AddressSanitizer binaries (PERFGUARD_SANITIZE)";

}  // namespace perfguard::tests
