// Internal to probes/snmp: the one place that includes Net-SNMP headers, plus conversions
// between Net-SNMP's types and ours and the RAII wrapper for a single-session handle.
#pragma once

// clang-format off
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
// clang-format on

#include <chrono>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch::netsnmp {

struct PduDeleter {
  void operator()(netsnmp_pdu* pdu) const noexcept { snmp_free_pdu(pdu); }
};
using PduPtr = std::unique_ptr<netsnmp_pdu, PduDeleter>;

// Closes the opaque handle from snmp_sess_open(); the session's pending requests die with it.
struct SessionCloser {
  void operator()(void* handle) const noexcept { snmp_sess_close(handle); }
};
using SessionHandle = std::unique_ptr<void, SessionCloser>;

using Callback = int (*)(int op, netsnmp_session*, int reqid, netsnmp_pdu*, void* magic);

// Opens a session to `ip` (an IPv4 or IPv6 literal: host names are resolved before, off the
// polling thread) with the port and credentials of `target`. Never touches the network:
// snmp_sess_open would otherwise probe an SNMPv3 engine synchronously on the first send, and
// v3 passphrases are turned into keys once per process (cached), not per session.
std::expected<SessionHandle, Error> OpenSession(const SnmpTarget& target, const std::string& ip,
                                                Callback callback, void* magic);

// SNMPv3 engine discovery (RFC 3414 4), done asynchronously by the caller: while
// EngineKnown() is false, send EngineProbe() (an empty noAuth GET that the agent answers with a
// Report carrying its engine ID, boots and time); once the Report has been read, call
// FinishEngineDiscovery() to localise the user's keys for that engine.
bool EngineKnown(void* handle);
PduPtr EngineProbe();
std::expected<void, Error> FinishEngineDiscovery(void* handle);

// The session's socket (for poll()), or -1.
int SessionSocket(void* handle);
// How long until the session needs snmp_sess_timeout() for a retransmission or a timeout;
// nullopt when no request is pending.
std::optional<std::chrono::microseconds> SessionTimeout(void* handle);
// Reads and dispatches what arrived on the session's socket (callbacks run inside).
void SessionRead(void* handle);

// Adds `oid` to `pdu` as a NULL varbind (a request).
void AddNullVarBind(netsnmp_pdu* pdu, const Oid& oid);
VarBind DecodeVarBind(const netsnmp_variable_list& var);

// Text of the session's last library error.
std::string SessionError(void* handle);

}  // namespace lanwatch::netsnmp
