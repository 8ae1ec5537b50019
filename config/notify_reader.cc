#include "config/notify_reader.h"

#include <fmt/format.h>

#include <string>

namespace lanwatch {
namespace {

// yes/no, true/false, on/off: what YAML 1.1 and people write for a switch.
bool ReadBool(YamlReader& r, const YAML::Node& map, std::string_view key, bool& out) {
  return r.ReadEnum<bool>(map, key,
                          {{"true", true},
                           {"false", false},
                           {"yes", true},
                           {"no", false},
                           {"on", true},
                           {"off", false}},
                          out);
}

// `to: a@x` or `to: [a@x, b@x]`.
void ReadStringList(YamlReader& r, const YAML::Node& map, std::string_view key,
                    std::vector<std::string>& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  if (node.IsScalar()) {
    out = {node.Scalar()};
    return;
  }
  if (!r.ExpectSequence(node, fmt::format("'{}'", key))) return;
  out.clear();
  for (const YAML::Node& item : node) {
    if (item.IsScalar() && !item.Scalar().empty()) {
      out.push_back(item.Scalar());
    } else {
      r.Report(item, fmt::format("'{}': each item must be a single value", key));
    }
  }
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

void ReadEmail(YamlReader& r, const YAML::Node& node, EmailSettings& e) {
  if (!r.ExpectMap(node, "'notify: email'")) return;
  r.CheckKeys(node, {"url", "starttls", "from", "to", "username", "password_file"},
              "'notify: email'");
  r.ReadString(node, "url", e.url);
  ReadBool(r, node, "starttls", e.starttls);
  r.ReadString(node, "from", e.from);
  ReadStringList(r, node, "to", e.to);
  r.ReadString(node, "username", e.username);
  r.ReadString(node, "password_file", e.password_file);
  if (e.url.empty()) return;  // email off: the rest is kept but unused
  bool smtps = StartsWith(e.url, "smtps://");
  if (!smtps && !StartsWith(e.url, "smtp://")) {
    r.Report(node["url"], fmt::format("email 'url' must be smtp://HOST[:PORT] or "
                                      "smtps://HOST[:PORT], not '{}'",
                                      e.url));
  }
  if (smtps && e.starttls) {
    r.Report(node["starttls"],
             "email 'starttls' is for smtp:// (port 25/587); smtps:// is TLS from the start");
  }
  if (e.from.empty()) r.Report(node, "email needs a 'from' address");
  if (e.to.empty()) r.Report(node, "email needs at least one 'to' address");
  if (!e.username.empty() && e.password_file.empty()) {
    r.Report(node["username"],
             "email 'username' needs a 'password_file' (the password is never written inline)");
  }
}

}  // namespace

void ReadNotify(YamlReader& r, const YAML::Node& node, NotifySettings& out) {
  if (!r.ExpectMap(node, "'notify'")) return;
  r.CheckKeys(node,
              {"language", "dashboard_url", "group_wait", "repeat_interval", "timezone", "email",
               "alertmanager_urls"},
              "'notify'");
  r.ReadEnum<NotifyLanguage>(
      node, "language", {{"zh", NotifyLanguage::kZh}, {"en", NotifyLanguage::kEn}}, out.language);
  r.ReadString(node, "dashboard_url", out.dashboard_url);
  r.ReadDuration(node, "group_wait", out.group_wait);
  r.ReadDuration(node, "repeat_interval", out.repeat_interval);
  r.ReadString(node, "timezone", out.timezone);
  if (node["email"]) ReadEmail(r, node["email"], out.email);
  ReadStringList(r, node, "alertmanager_urls", out.alertmanager_urls);
}

}  // namespace lanwatch
