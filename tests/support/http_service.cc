#include "tests/support/http_service.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "tests/support/agents.h"

namespace lanwatch::testing {

HttpService::HttpService(const HttpServiceOptions& options)
    : https_(!options.cert_file.empty()), port_(FreeTcpPort()) {
  std::string ready = dir_.path() + "/ready";
  std::vector<std::string> argv = {
      "/usr/bin/python3", SourceDir() + "/tests/agents/http_service.py",
      "--port",           std::to_string(port_),
      "--ready-file",     ready};
  if (https_) argv.insert(argv.end(), {"--cert", options.cert_file, "--key", options.key_file});
  process_ = ChildProcess::Start(argv, dir_.path() + "/service.log");
  bool exited = false;
  bool up = WaitUntil(std::chrono::seconds(15), [&] {
    exited = !process_.running();
    return exited || std::filesystem::exists(ready);
  });
  if (!up || exited) {
    throw std::runtime_error(fmt::format("http_service.py on port {} {}: {}", port_,
                                         exited ? "exited" : "was not ready within 15 s", Log()));
  }
}

std::string HttpService::Url(const std::string& path) const {
  return fmt::format("{}://127.0.0.1:{}{}", https_ ? "https" : "http", port_, path);
}

std::string HttpService::Log() const { return ReadFile(dir_.path() + "/service.log"); }

namespace {

void Openssl(const std::string& args) {
  CommandResult r = RunCommand("openssl " + args);
  if (r.exit_code != 0) {
    throw std::runtime_error(fmt::format("openssl {}: {}", args, r.output));
  }
}

}  // namespace

TestPki MakeTestPki(const std::string& dir) {
  TestPki pki;
  pki.ca_cert = dir + "/ca.pem";
  pki.server_key = dir + "/server.key";
  pki.cert_for_10_days = dir + "/server-10d.pem";
  pki.cert_expired = dir + "/server-expired.pem";
  std::string ca_key = dir + "/ca.key";
  std::string csr = dir + "/server.csr";
  std::string ext = dir + "/server.ext";
  const char* kEc = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  Openssl(fmt::format("req -x509 {} -keyout {} -out {} -days 30 -subj /CN=lanwatch-test-ca", kEc,
                      ca_key, pki.ca_cert));
  Openssl(fmt::format("req {} -keyout {} -out {} -subj /CN=127.0.0.1", kEc, pki.server_key, csr));
  RunCommand(fmt::format("printf 'subjectAltName=IP:127.0.0.1\\n' > {}", ext));
  // -days -1: notAfter a day before notBefore (now), an expired certificate without faketime.
  for (auto [days, out] : {std::pair{10, pki.cert_for_10_days}, std::pair{-1, pki.cert_expired}}) {
    Openssl(
        fmt::format("x509 -req -in {} -CA {} -CAkey {} -CAcreateserial -days {} -extfile {} "
                    "-out {}",
                    csr, pki.ca_cert, ca_key, days, ext, out));
  }
  return pki;
}

}  // namespace lanwatch::testing
