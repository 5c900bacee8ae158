# shellcheck shell=bash
# The browser the opt-in HTML report tests drive (tests/reports/browser_test.cpp): headless
# Chromium from Debian, and a font so text renders the same everywhere. Source it after
# scripts/lib/deps.sh; it defines a function and runs nothing.

# Debian 12 package names.
# shellcheck disable=SC2034  # used by the scripts that source this file
PERFGUARD_BROWSER_PACKAGES=(chromium fonts-dejavu-core)

# perfguard_ensure_browser: install Chromium when it is missing (quiet when present), through
# perfguard_ensure_packages; fails when it cannot.
perfguard_ensure_browser() {
  if ! declare -F perfguard_ensure_packages >/dev/null; then
    echo "perfguard: scripts/lib/browser.sh needs scripts/lib/deps.sh sourced first" >&2
    return 1
  fi
  perfguard_ensure_packages "${PERFGUARD_BROWSER_PACKAGES[@]}" || return 1
  if ! command -v chromium >/dev/null 2>&1; then
    echo "perfguard: chromium is installed but not on PATH" >&2
    return 1
  fi
}
