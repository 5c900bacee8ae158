#pragma once
// Text from the user or a benchmark, made safe to echo on a terminal: control bytes and bytes
// that are not UTF-8 become \xNN, so an error message cannot clear a screen, fake a prompt or
// split into lines a log parser would misread.
#include <cstddef>
#include <string>
#include <string_view>

namespace perfguard {

// Length of the valid UTF-8 sequence starting at text[at], or 0 when it is not one.
[[nodiscard]] inline std::size_t utf8_sequence(std::string_view text, std::size_t at) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  else return 0;
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
  if (lead == 0xE0 && byte(at + 1) < 0xA0) return 0;
  if (lead == 0xED && byte(at + 1) > 0x9F) return 0;
  if (lead == 0xF0 && byte(at + 1) < 0x90) return 0;
  if (lead == 0xF4 && byte(at + 1) > 0x8F) return 0;
  return length;
}

// `text` with every control byte (newlines too, unless keep_newlines) and every byte outside
// valid UTF-8 written as \xNN; tabs stay.
[[nodiscard]] inline std::string printable(std::string_view text, bool keep_newlines = false) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c >= 0x80) {
      if (const std::size_t length = utf8_sequence(text, at); length > 0) {
        out.append(text.substr(at, length));
        at += length;
        continue;
      }
    }
    const bool control = c < 0x20 || c == 0x7F || c >= 0x80;
    if (control && !(c == '\t') && !(keep_newlines && c == '\n')) {
      constexpr const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
    ++at;
  }
  return out;
}

}  // namespace perfguard
