// The receivers a config asks for: email when notify.email.url is set, Alertmanager when
// notify.alertmanager.urls lists any. Each call makes fresh instances (the daemon renders on
// one set and delivers on another, on the dispatcher's thread).
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/receiver.h"

namespace lanwatch {

std::vector<std::unique_ptr<Receiver>> MakeReceivers(const Config& config);

}  // namespace lanwatch
