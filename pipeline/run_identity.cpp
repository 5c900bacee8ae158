#include "pipeline/run_identity.hpp"

#include <fstream>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "core/json_source.hpp"
#include "core/printable.hpp"
#include "pipeline/builds.hpp"
#include "pipeline/output_files.hpp"

namespace perfguard::pipeline {
namespace {

using nlohmann::json;

json host_identity(const reports::Host& host) {
  return {{"hostname", host.hostname},
          {"cpu_model", host.cpu_model},
          {"logical_cpus", host.logical_cpus},
          {"kernel", host.kernel},
          {"pinned_cpus", host.pinned_cpus}};
}

std::string short_commit(const std::string& commit) { return commit.substr(0, 12); }

// "a: b here, c in the interrupted run" for the first key of two objects that differ.
std::optional<std::string> first_difference(const json& interrupted, const json& now,
                                            std::string_view what) {
  for (const auto& [key, value] : now.items()) {
    const json before = interrupted.contains(key) ? interrupted.at(key) : json(nullptr);
    if (before != value) {
      return fmt::format("{} {} is {} here, {} in the interrupted run", what, key,
                         printable(value.dump()), printable(before.dump()));
    }
  }
  for (const auto& [key, value] : interrupted.items()) {
    if (!now.contains(key)) {
      return fmt::format("{} {} is unset here, {} in the interrupted run", what, key,
                         printable(value.dump()));
    }
  }
  return std::nullopt;
}

}  // namespace

void write_run_identity(const std::filesystem::path& file, const RunIdentity& identity) {
  const nlohmann::ordered_json document = {
      {"schema", kRunSchema},
      {"base", {{"ref", identity.base.ref}, {"commit", identity.base.commit}}},
      {"candidate", {{"ref", identity.candidate.ref}, {"commit", identity.candidate.commit}}},
      {"config",
       {{"path", identity.config_path},
        {"digest", identity.config_digest},
        {"text", identity.config_text}}},
      {"build_digest", identity.build_digest},
      {"settings", identity.settings},
      {"host", host_identity(identity.host)},
      {"planned_runs", identity.planned_runs ? json(*identity.planned_runs) : json(nullptr)}};
  write_file_atomically(file, [&](std::ostream& out) { out << document.dump(2) << '\n'; });
}

RunIdentity read_run_identity(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw UsageError(fmt::format(
        "{}: not found; --resume continues a run that `perfguard compare` started in this --out",
        file.string()));
  }
  const std::string text = read_text_file(file.string());
  try {
    const json document = json::parse(text);
    if (document.value("schema", "") != kRunSchema)
      throw UsageError(fmt::format("{}: schema is not \"{}\"", file.string(), kRunSchema));
    RunIdentity identity;
    identity.base = {document.at("base").at("ref").get<std::string>(),
                     document.at("base").at("commit").get<std::string>()};
    identity.candidate = {document.at("candidate").at("ref").get<std::string>(),
                          document.at("candidate").at("commit").get<std::string>()};
    const json& config = document.at("config");
    identity.config_path = config.at("path").get<std::string>();
    identity.config_digest = config.at("digest").get<std::string>();
    identity.config_text = config.at("text").get<std::string>();
    identity.build_digest = document.at("build_digest").get<std::string>();
    identity.settings = document.at("settings");
    if (!identity.settings.is_object())
      throw UsageError(fmt::format("{}: \"settings\" is not an object", file.string()));
    const json& host = document.at("host");
    identity.host.hostname = host.at("hostname").get<std::string>();
    identity.host.cpu_model = host.at("cpu_model").get<std::string>();
    identity.host.logical_cpus = host.at("logical_cpus").get<unsigned>();
    identity.host.kernel = host.at("kernel").get<std::string>();
    identity.host.pinned_cpus = host.at("pinned_cpus").get<std::vector<int>>();
    // Absent or null until the schedule planned N.
    if (const auto planned = document.find("planned_runs");
        planned != document.end() && !planned->is_null()) {
      if (!planned->is_number_unsigned() || planned->get<std::size_t>() == 0) {
        throw UsageError(fmt::format("{}: \"planned_runs\" is not a positive whole number: {}",
                                     file.string(), printable(planned->dump())));
      }
      identity.planned_runs = planned->get<std::size_t>();
    }
    return identity;
  } catch (const json::exception& e) {
    throw UsageError(fmt::format("{}: not a run record ({})", file.string(), e.what()));
  }
}

stats::RatioMethod recorded_ratio_method(const json& settings, std::string_view where) {
  const auto found = settings.find("ratio_method");
  if (found == settings.end()) return budgets::kDefaultRatioMethod;
  const std::optional<stats::RatioMethod> method =
      found->is_string() ? stats::parse_ratio_method(found->get<std::string>()) : std::nullopt;
  if (!method) {
    throw UsageError(fmt::format("{}: settings.ratio_method {} is not one of {}", where,
                                 printable(found->dump()), stats::ratio_method_names()));
  }
  return *method;
}

std::optional<std::string> plan_mismatch(const RunIdentity& interrupted, const RunIdentity& now) {
  if (interrupted.base.commit != now.base.commit) {
    return fmt::format("the base is commit {} here, {} in the interrupted run",
                       short_commit(now.base.commit), short_commit(interrupted.base.commit));
  }
  if (interrupted.candidate.commit != now.candidate.commit) {
    return fmt::format("the candidate is commit {} here, {} in the interrupted run",
                       short_commit(now.candidate.commit),
                       short_commit(interrupted.candidate.commit));
  }
  if (interrupted.config_digest != now.config_digest) {
    return fmt::format("the config {} changed since the interrupted run (digest {} there, {} now)",
                       now.config_path, interrupted.config_digest, now.config_digest);
  }
  return first_difference(interrupted.settings, now.settings, "setting");
}

std::optional<std::string> build_mismatch(const RunIdentity& interrupted, const RunIdentity& now) {
  if (interrupted.build_digest != now.build_digest) {
    return fmt::format("the build steps' digest is {} here, {} in the interrupted run",
                       now.build_digest, interrupted.build_digest);
  }
  return first_difference(host_identity(interrupted.host), host_identity(now.host), "host");
}

}  // namespace perfguard::pipeline
