// Internal to probes/snmp: the one place that includes Net-SNMP headers, plus conversions
// between Net-SNMP's types and ours and the RAII wrapper for a single-session handle.
#pragma once

// clang-format off
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
// clang-format on

#include <expected>
#include <memory>
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

// Opens a session for `target` without blocking on the network: SNMPv3 engine discovery
// happens on the first request, inside the asynchronous exchange.
std::expected<SessionHandle, Error> OpenSession(const SnmpTarget& target, Callback callback,
                                                void* magic);

// Adds `oid` to `pdu` as a NULL varbind (a request).
void AddNullVarBind(netsnmp_pdu* pdu, const Oid& oid);
VarBind DecodeVarBind(const netsnmp_variable_list& var);

// Text of the session's last library error.
std::string SessionError(void* handle);

}  // namespace lanwatch::netsnmp
