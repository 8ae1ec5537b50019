#include "config/web_loader.h"

namespace lanwatch {

void ReadWeb(YamlReader& r, const YAML::Node& node, WebSettings& w) {
  if (!r.ExpectMap(node, "'web'")) return;
  r.CheckKeys(node, {"basic_auth", "refresh", "history"}, "'web'");
  if (r.ReadDuration(node, "refresh", w.refresh) && w.refresh < std::chrono::seconds(5)) {
    r.Report(node["refresh"], "'web.refresh' must be at least 5s (each reload renders the page)");
  }
  r.ReadEnum<bool>(node, "history",
                   {{"true", true}, {"false", false}, {"yes", true}, {"no", false}}, w.history);
  const YAML::Node auth = node["basic_auth"];
  if (!auth) return;
  if (!r.ExpectMap(auth, "'web.basic_auth'")) return;
  r.CheckKeys(auth, {"user", "password_file"}, "'web.basic_auth'");
  r.ReadString(auth, "user", w.basic_auth_user);
  r.ReadString(auth, "password_file", w.basic_auth_password_file);
  if (w.basic_auth_user.empty() || w.basic_auth_password_file.empty()) {
    r.Report(auth,
             "'web.basic_auth' needs both 'user' and 'password_file' (a file holding the "
             "password, readable by lanwatchd only; never the password itself)");
  } else if (w.basic_auth_user.find(':') != std::string::npos) {
    r.Report(auth["user"], "'web.basic_auth.user' cannot contain ':' (HTTP basic auth)");
  }
}

}  // namespace lanwatch
