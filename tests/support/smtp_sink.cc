#include "tests/support/smtp_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "tests/support/agents.h"

namespace lanwatch::testing {

SmtpSink::SmtpSink(const SmtpSinkOptions& options)
    : options_(options),
      mail_dir_(dir_.path() + "/mail"),
      port_(options.port ? options.port : FreeTcpPort()) {
  Start();
}

void SmtpSink::Stop() { process_.Stop(); }

void SmtpSink::Start() {
  const SmtpSinkOptions& options = options_;
  std::string ready = dir_.path() + "/ready";
  std::filesystem::remove(ready);
  std::vector<std::string> argv;
  if (!options.netns.empty()) argv = {"ip", "netns", "exec", options.netns};
  // Debian's python3-aiosmtpd belongs to /usr/bin/python3, not to a python3 first on PATH.
  argv.insert(argv.end(), {"/usr/bin/python3", SourceDir() + "/tests/agents/smtp_sink.py", "--port",
                           std::to_string(port_), "--dir", mail_dir_, "--ready-file", ready,
                           "--fail-code", std::to_string(options.fail_code)});
  if (options.fail_first > 0) {
    argv.insert(argv.end(), {"--fail-first", std::to_string(options.fail_first)});
  }
  if (!options.fail_while.empty()) argv.insert(argv.end(), {"--fail-while", options.fail_while});
  if (!options.auth_user.empty()) {
    argv.insert(argv.end(),
                {"--auth-user", options.auth_user, "--auth-password", options.auth_password});
  }
  process_ = ChildProcess::Start(argv, fmt::format("{}/sink.{}.log", dir_.path(), ++starts_));
  bool exited = false;
  bool up = WaitUntil(std::chrono::seconds(15), [&] {
    exited = !process_.running();
    return exited || std::filesystem::exists(ready);
  });
  if (!up || exited) {
    throw std::runtime_error(fmt::format("smtp_sink.py on port {} {}: {}", port_,
                                         exited ? "exited" : "was not ready within 15 s", Log()));
  }
}

std::string SmtpSink::url() const { return fmt::format("smtp://127.0.0.1:{}", port_); }

std::vector<std::string> SmtpSink::Messages() const {
  std::vector<std::string> out;
  std::error_code ignored;
  for (const auto& e : std::filesystem::directory_iterator(mail_dir_, ignored)) {
    if (e.path().extension() == ".eml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());  // NNNN.eml: arrival order
  return out;
}

std::vector<std::string> SmtpSink::WaitForMessages(size_t n,
                                                   std::chrono::milliseconds timeout) const {
  WaitUntil(timeout, [&] { return Messages().size() >= n; });
  return Messages();
}

std::string SmtpSink::Log() const {
  std::string log;
  for (int i = 1; i <= starts_; ++i) log += ReadFile(fmt::format("{}/sink.{}.log", dir_.path(), i));
  return log;
}

nlohmann::json ParseMail(const std::string& eml_path) {
  CommandResult r = RunCommand(
      fmt::format("/usr/bin/python3 {}/tests/agents/parse_mail.py '{}'", SourceDir(), eml_path));
  if (r.exit_code != 0) {
    throw std::runtime_error(fmt::format("parse_mail.py {}: {}", eml_path, r.output));
  }
  return nlohmann::json::parse(r.output);
}

}  // namespace lanwatch::testing
