// `lanwatch silence add|list|remove`: planned work, kept in the daemon's state database so
// the running lanwatchd sees it at its next round and `check --explain` shows it.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>

#include "config/config_loader.h"
#include "config/units.h"
#include "daemon/alerts/alert_store.h"
#include "daemon/commands.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

std::string WhoAmI() {
  if (const char* sudo = getenv("SUDO_USER"); sudo && *sudo) return sudo;
  const passwd* pw = getpwuid(getuid());
  return pw ? pw->pw_name : std::to_string(getuid());
}

// DEVICE or DEVICE/LINK, both configured; the link on that device.
std::expected<Silence, std::string> ParseTarget(const Config& config, const std::string& target) {
  Silence s;
  auto slash = target.find('/');
  s.device = target.substr(0, slash);
  if (slash != std::string::npos) s.link = target.substr(slash + 1);
  if (!config.FindDevice(s.device)) {
    return std::unexpected(fmt::format("no device '{}' in {}", s.device, config.source));
  }
  if (!s.link.empty()) {
    bool found = false;
    for (const LinkConfig& l : config.links) found |= l.name == s.link && l.device == s.device;
    if (!found) {
      return std::unexpected(
          fmt::format("no link '{}' on device '{}' in {}", s.link, s.device, config.source));
    }
  }
  return s;
}

}  // namespace

int RunSilenceCommand(const SilenceOptions& options) {
  auto config = LoadConfigFile(options.config_path);
  if (!config) {
    for (const Diagnostic& d : config.error()) fmt::print(stderr, "{}\n", d.ToString());
    return 2;
  }
  const std::string dir = options.state_dir.empty() ? config->state_dir : options.state_dir;
  auto store = AlertStore::Open(dir);
  if (!store) {
    fmt::print(stderr, "{}\n", store.error().message);
    return 1;
  }
  const WallTime now = std::chrono::system_clock::now();
  switch (options.action) {
    case SilenceOptions::Action::kAdd: {
      auto silence = ParseTarget(*config, options.target);
      if (!silence) {
        fmt::print(stderr, "{}\n", silence.error());
        return 2;
      }
      silence->starts = now;
      silence->ends = now + options.duration;
      silence->comment = options.comment;
      silence->author = WhoAmI();
      auto id = (*store)->AddSilence(*silence);
      if (!id) {
        fmt::print(stderr, "{}\n", id.error().message);
        return 1;
      }
      fmt::print(
          "silence {}: {} for {} (no alert mail until then)\n", *id, options.target,
          FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(options.duration)));
      return 0;
    }
    case SilenceOptions::Action::kRemove: {
      auto removed = (*store)->RemoveSilence(options.id);
      if (!removed) {
        fmt::print(stderr, "{}\n", removed.error().message);
        return 1;
      }
      if (!*removed) {
        fmt::print(stderr, "no silence {}\n", options.id);
        return 2;
      }
      fmt::print("silence {} removed\n", options.id);
      return 0;
    }
    case SilenceOptions::Action::kList: {
      auto silences = (*store)->Silences(now);
      if (!silences) {
        fmt::print(stderr, "{}\n", silences.error().message);
        return 1;
      }
      std::vector<std::vector<std::string>> rows{{"ID", "TARGET", "ENDS IN", "BY", "COMMENT"}};
      for (const Silence& s : *silences) {
        rows.push_back(
            {std::to_string(s.id), s.link.empty() ? s.device : s.device + "/" + s.link,
             FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(s.ends - now)),
             s.author, s.comment});
      }
      fmt::print("{}",
                 silences->empty() ? std::string("no silences in force\n") : RenderTable(rows));
      return 0;
    }
  }
  return 2;
}

}  // namespace lanwatch
