#pragma once
// The JSON type of every document perfguard writes. Keys keep the order they are written in,
// so documents read top to bottom.
#include <nlohmann/json.hpp>

namespace perfguard {

using Json = nlohmann::ordered_json;

}  // namespace perfguard
