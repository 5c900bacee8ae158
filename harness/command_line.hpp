#pragma once
// Command strings as users type them on perfguard's own command line ("perfguard time -N
// 'grep -c foo file'"), split into argv without a shell.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perfguard::harness {

// POSIX shell word splitting without expansions: words are separated by unquoted blanks;
// '...' keeps everything literally, "..." keeps everything but \" \\ \$ \` (backslash-newline
// is removed), and an unquoted backslash quotes the next character. nullopt when a quote is
// left open or the string ends in a lone backslash. No words (an empty string) is an empty
// vector. Globs, variables and redirections are not interpreted: that needs a shell.
[[nodiscard]] std::optional<std::vector<std::string>> split_words(std::string_view text);

}  // namespace perfguard::harness
