// Test support: child processes started and stopped by PID (never by name), free loopback
// ports, temporary directories, running a command for its output, and a plain HTTP GET.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lanwatch::testing {

// A child process whose stdout and stderr go to files. Stopped (SIGTERM, then SIGKILL) and
// reaped on destruction.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess() { Stop(); }

  // Throws std::runtime_error when the program cannot be started.
  static ChildProcess Start(const std::vector<std::string>& argv, const std::string& log_path,
                            const std::map<std::string, std::string>& env = {});

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig) const;
  // Waits for the process to exit; returns its exit status, or -1 if still running at timeout.
  int Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after 3 s. Returns the exit status (or -signal).
  int Stop();

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// A port on 127.0.0.1 free right now (the kernel's pick).
int FreeUdpPort();
int FreeTcpPort();

// A fresh directory under /tmp, readable by everyone (snmpsimd runs as nobody). Removed by
// ~TempDir.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs `command` through /bin/sh, with stdin from /dev/null.
CommandResult RunCommand(const std::string& command);

// GET http://127.0.0.1:PORT/PATH. Returns the status code (0 when unreachable) and the body.
std::pair<int, std::string> HttpGet(int port, const std::string& path);

// Polls `ok` every 50 ms until it returns true or `timeout` passes.
bool WaitUntil(std::chrono::milliseconds timeout, const std::function<bool()>& ok);

std::string ReadFile(const std::string& path);

}  // namespace lanwatch::testing
