# Settings every perfguard target shares: warnings (errors with PERFGUARD_WERROR), and the
# sanitizers when asked for. docs/design.md, "Build settings", says why these warnings.
# Third-party headers (fmt, nlohmann_json, CLI11, Eigen, Boost, GoogleTest, Google Benchmark)
# come from imported targets, whose include directories CMake passes as -isystem: their own
# code does not warn.
add_library(perfguard_options INTERFACE)
add_library(perfguard::options ALIAS perfguard_options)
target_compile_options(perfguard_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast)
if(PERFGUARD_WERROR)
  target_compile_options(perfguard_options INTERFACE -Werror)
endif()
target_compile_definitions(perfguard_options INTERFACE
  PERFGUARD_VERSION="${PROJECT_VERSION}")
if(PERFGUARD_SANITIZE)
  target_compile_options(perfguard_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(perfguard_options INTERFACE -fsanitize=address,undefined)
endif()

# perfguard_module(NAME SOURCES... [DEPS targets...]): one folder, one static library,
# aliased perfguard::NAME. Includes are spelled from the repository root ("stats/median.hpp").
function(perfguard_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPS")
  add_library(perfguard_${name} STATIC ${arg_SOURCES})
  add_library(perfguard::${name} ALIAS perfguard_${name})
  target_include_directories(perfguard_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(perfguard_${name} PUBLIC perfguard::options ${arg_DEPS})
endfunction()
