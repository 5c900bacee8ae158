// wordfreq FILE [--top N]: prints the N (default 10) most frequent words of FILE.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "wordfreq.hpp"

namespace {

constexpr std::string_view kUsage = "usage: wordfreq FILE [--top N]\n";

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> read_file(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);  // fails on a directory
  std::ifstream in(path, std::ios::binary);
  if (error || !in) return std::nullopt;
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> path;
  std::size_t top = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--top") {
      const auto n = i + 1 < argc ? parse_count(argv[++i]) : std::nullopt;
      if (!n) {
        std::cerr << "wordfreq: --top needs a non-negative integer\n" << kUsage;
        return 2;
      }
      top = *n;
    } else if (!path && !arg.starts_with("-")) {
      path = std::string(arg);
    } else {
      std::cerr << "wordfreq: unexpected argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  if (!path) {
    std::cerr << kUsage;
    return 2;
  }

  const std::optional<std::string> text = read_file(*path);
  if (!text) {
    std::cerr << "wordfreq: cannot read " << *path << '\n';
    return 1;
  }
  for (const auto& [word, count] : wordfreq::top_words(wordfreq::count_words(*text), top)) {
    std::printf("%8zu %s\n", count, word.c_str());
  }
  return 0;
}
