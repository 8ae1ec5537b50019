#include "config/reachability_loader.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/alert_settings_loader.h"
#include "config/listen_address.h"
#include "config/units.h"

namespace lanwatch {
namespace {

using std::chrono::milliseconds;

// A duration as the config would write it: "1s", "1500ms".
std::string Written(milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

// Where to pin a problem with `key`: at its value when given, else at the section (the value
// is a default, and the key that made it wrong is another one).
YAML::Node At(const YAML::Node& section, std::string_view key) {
  YAML::Node value = section[std::string(key)];
  return value ? value : section;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

bool IsHttps(std::string_view url) { return StartsWithIgnoreCase(url, "https://"); }

// What is wrong with a service URL, or nothing. The scheme decides the check: a request.
std::string UrlProblem(std::string_view url) {
  std::string_view rest;
  if (IsHttps(url)) {
    rest = url.substr(8);
  } else if (StartsWithIgnoreCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return "must start with http:// or https:// (a TCP service takes 'tcp: host:port')";
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') return "names no host";
  return "";
}

// A DNS name as a host: letters, digits, '-' and '.' (no scheme, no path, no spaces).
bool IsHostName(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

// What is wrong with a TCP service's "host:port" (IPv6 as "[addr]:port"), or nothing. Unlike
// an echo target, the host may be a name: each check resolves it again, as a client would.
std::string TcpProblem(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    auto address = ParseListenAddress(text, 0);
    if (!address) return address.error();
    if (address->port == 0) return "needs a port from 1 to 65535";
    return "";
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return "needs a port";
  std::string_view host = text.substr(0, colon);
  if (host.find(':') != std::string_view::npos) return "an IPv6 address goes in brackets";
  if (!IsHostName(host)) return "the host must be an address or a DNS name";
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 1 || port > 65535) {
    return "the port must be a number from 1 to 65535";
  }
  return "";
}

// "200", 200 or "200-399": the status codes that count as up, inclusive.
bool ParseStatusRange(std::string_view text, long& low, long& high) {
  auto number = [](std::string_view s, long& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size() && out >= 100 &&
           out <= 599;
  };
  long a = 0, b = 0;
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!number(text, a)) return false;
    b = a;
  } else if (!number(text.substr(0, dash), a) || !number(text.substr(dash + 1), b) || a > b) {
    return false;
  }
  low = a;
  high = b;
  return true;
}

// Why `path` cannot serve as a CA file, or nothing. Checked now rather than at the first
// check, where it would only show as every HTTPS check failing.
std::string UnreadableFile(const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return "no such file";
  if (!std::filesystem::is_regular_file(status)) return "not a regular file";
  std::ifstream in(path);
  if (!in) return fmt::format("cannot be read ({})", std::strerror(errno));
  return "";
}

void ReadService(YamlReader& r, const YAML::Node& node, const Config& cfg, ServiceConfig& s) {
  r.CheckKeys(
      node,
      {"name", "url", "tcp", "device", "interval", "timeout", "expect_status", "method", "ca_file",
       "down_severity", "down_for", "cert_severity", "cert_warning_days", "cert_critical_days"},
      "a service");
  if (!r.ReadString(node, "name", s.name) || s.name.empty()) {
    r.Report(node, "a service needs a 'name'");
  }
  std::string where = fmt::format("service '{}'", s.name);
  bool has_url = r.ReadString(node, "url", s.url) && !s.url.empty();
  bool has_tcp = r.ReadString(node, "tcp", s.tcp) && !s.tcp.empty();
  if (has_url && has_tcp) {
    r.Report(node, fmt::format("{}: give either 'url' or 'tcp', not both", where));
  } else if (!has_url && !has_tcp) {
    r.Report(node, fmt::format("{} needs a 'url' (http:// or https://: a request) or a 'tcp' "
                               "(host:port: a connect)",
                               where));
  } else if (has_url) {
    if (std::string wrong = UrlProblem(s.url); !wrong.empty()) {
      r.Report(node["url"], fmt::format("{}: url '{}' {}", where, s.url, wrong));
    } else {
      // The scheme in lower case, as everything after the loader compares it (RFC 3986
      // schemes are case-insensitive; "HTTPS://" must still read the certificate).
      const size_t colon = s.url.find(':');
      for (size_t i = 0; i < colon; ++i) {
        s.url[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s.url[i])));
      }
    }
  } else if (std::string wrong = TcpProblem(s.tcp); !wrong.empty()) {
    r.Report(node["tcp"], fmt::format("{}: tcp '{}': {} (host:port, like 198.18.1.10:8080 or "
                                      "[2001:db8::10]:8080)",
                                      where, s.tcp, wrong));
  }
  if (r.ReadString(node, "device", s.device) && !s.device.empty() && !cfg.FindDevice(s.device)) {
    r.Report(node["device"], fmt::format("{} names unknown device '{}'", where, s.device));
  }
  r.ReadDuration(node, "interval", s.interval);
  r.ReadDuration(node, "timeout", s.timeout);
  if (s.interval < std::chrono::seconds(1)) {
    r.Report(At(node, "interval"), fmt::format("{}: interval must be at least 1s", where));
  } else if (s.timeout <= milliseconds(0)) {
    r.Report(At(node, "timeout"), fmt::format("{}: timeout must be more than 0", where));
  } else if (s.timeout >= s.interval) {
    // A check still running when the next is due would pile checks up on a dead server.
    r.Report(At(node, "timeout"),
             fmt::format("{}: timeout ({}) must be shorter than interval ({}): a check ends "
                         "before the next one starts",
                         where, Written(s.timeout), Written(s.interval)));
  }
  std::string status;
  if (r.ReadString(node, "expect_status", status) &&
      !ParseStatusRange(status, s.expect_status_low, s.expect_status_high)) {
    r.Report(node["expect_status"],
             fmt::format("{}: expect_status '{}' must be a status code like 200 or a range like "
                         "200-399 (codes 100 to 599, low to high)",
                         where, status));
  }
  r.ReadEnum<bool>(node, "method", {{"HEAD", false}, {"GET", true}}, s.get);
  if (r.ReadString(node, "ca_file", s.ca_file) && !s.ca_file.empty()) {
    if (!has_url || !IsHttps(s.url)) {
      r.Report(node["ca_file"], fmt::format("{}: ca_file is for https:// URLs only", where));
    } else if (std::string wrong = UnreadableFile(s.ca_file); !wrong.empty()) {
      r.Report(node["ca_file"],
               fmt::format("{}: ca_file '{}': {} (a PEM file of the CA that signed the "
                           "server's certificate, readable by lanwatchd)",
                           where, s.ca_file, wrong));
    }
  }
  ReadSeverity(r, node, "down_severity", s.down_severity);
  r.ReadDuration(node, "down_for", s.down_for);
  ReadSeverity(r, node, "cert_severity", s.cert_severity);
  long long days = 0;
  if (r.ReadInt(node, "cert_warning_days", 0, 3650, days))
    s.cert_warning_days = static_cast<int>(days);
  if (r.ReadInt(node, "cert_critical_days", 0, 3650, days))
    s.cert_critical_days = static_cast<int>(days);
  if (s.cert_critical_days > s.cert_warning_days) {
    r.Report(At(node, "cert_critical_days"),
             fmt::format("{}: cert_critical_days ({}) is above cert_warning_days ({}): the "
                         "warning comes first",
                         where, s.cert_critical_days, s.cert_warning_days));
  }
}

}  // namespace

void ReadProbes(YamlReader& r, const YAML::Node& node, ProbeSettings& p) {
  if (!r.ExpectMap(node, "'probes'")) return;
  r.CheckKeys(node, {"interval", "window", "timeout", "mode"}, "'probes'");
  r.ReadDuration(node, "interval", p.interval);
  r.ReadDuration(node, "window", p.window);
  r.ReadDuration(node, "timeout", p.timeout);
  r.ReadEnum<ProbeSocketMode>(node, "mode",
                              {{"auto", ProbeSocketMode::kAuto},
                               {"datagram", ProbeSocketMode::kDatagram},
                               {"raw", ProbeSocketMode::kRaw}},
                              p.mode);
  if (p.interval < milliseconds(10)) {
    // A lab that wants many samples may probe fast; a real switch polices ICMP to its own CPU
    // well before this (README: faster probing reads as loss that is not there).
    r.Report(At(node, "interval"),
             "'probes.interval' must be at least 10ms (one echo request per target each "
             "interval; switches rate-limit ICMP to themselves)");
  } else if (p.window < 3 * p.interval) {
    r.Report(At(node, "window"),
             fmt::format("'probes.window' ({}) must be at least 3 x 'probes.interval' ({}): a "
                         "far end is judged on three probes at least",
                         Written(p.window), Written(p.interval)));
  }
  if (p.timeout < milliseconds(10)) {
    r.Report(At(node, "timeout"),
             "'probes.timeout' must be at least 10ms (shorter, every reply reads as lost)");
  } else if (p.timeout > p.window) {
    r.Report(At(node, "timeout"),
             fmt::format("'probes.timeout' ({}) must be at most 'probes.window' ({}): a probe's "
                         "outcome must be known inside its window",
                         Written(p.timeout), Written(p.window)));
  }
}

void ReadEchoTarget(YamlReader& r, const YAML::Node& link, std::string_view key,
                    std::string_view where, std::string& out) {
  std::string text;
  if (!r.ReadString(link, key, text) || text.empty()) return;
  if (!IsIpLiteral(text)) {
    // Targets are fixed when lanwatchd starts (raw sockets open before privileges drop), and
    // a name's address can change, or fail to resolve when DNS is what is down.
    r.Report(link[std::string(key)],
             fmt::format("{}: {} '{}' is not an IPv4 or IPv6 address: echo targets must be "
                         "numeric, not host names",
                         where, key, text));
    return;
  }
  out = text.front() == '[' ? text.substr(1, text.size() - 2) : text;
}

void ReadServices(YamlReader& r, const YAML::Node& list, Config& cfg) {
  if (!r.ExpectSequence(list, "'services'")) return;
  NameRegistry names("service");
  for (const YAML::Node& node : list) {
    if (!r.ExpectMap(node, "a service")) continue;
    ServiceConfig s;
    ReadService(r, node, cfg, s);
    names.Add(r, node, s.name);
    cfg.services.push_back(std::move(s));
  }
}

}  // namespace lanwatch
