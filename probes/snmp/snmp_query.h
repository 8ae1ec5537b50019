// What to ask one agent, and what came back. A query is a GET of scalars followed by a walk of
// table columns (or subtrees), all columns advanced together in each GETBULK/GETNEXT request.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "probes/snmp/snmp_value.h"

namespace lanwatch {

struct SnmpTarget {
  std::string name;     // for messages and the `device` label
  std::string address;  // host name, IPv4 or IPv6 literal
  SnmpSettings settings;
};

struct SnmpQuery {
  std::vector<Oid> get;   // scalars, e.g. sysUpTime.0; missing ones are simply absent
  std::vector<Oid> walk;  // column or subtree roots, walked to their end
};

// Takes a query's walked cells as their replies arrive (SnmpJob::on_cell): `column` is the
// index of the cell's SnmpQuery::walk entry.
using CellSink = std::function<void(size_t column, const VarBind& cell)>;

// Why a request or a whole query failed; the `reason` label of lanwatch_snmp_errors_total.
namespace snmp_error {
inline constexpr const char* kTimeout = "timeout";      // no answer after all retries (v3 engine
                                                        // discovery included)
inline constexpr const char* kAuth = "auth";            // v3 USM rejected us
inline constexpr const char* kSend = "send";            // could not send (no route, ...)
inline constexpr const char* kSession = "session";      // could not open a session
inline constexpr const char* kDns = "dns";              // the host name did not resolve (in time)
inline constexpr const char* kDeadline = "deadline";    // the device's poll deadline passed
inline constexpr const char* kCancelled = "cancelled";  // the caller interrupted the round
// The round's deadline came while the job still waited its turn (RunOptions::max_in_flight):
// the agent was never asked, so this says nothing about it.
inline constexpr const char* kNotStarted = "not_started";
inline constexpr const char* kAgentError = "agent_error";  // error-status in the reply
// Reply too big: asked again for fewer rows or objects; fatal only for an object that does
// not fit even alone (the rest of the query is still done).
inline constexpr const char* kTooBig = "too_big";
inline constexpr const char* kNonIncreasing = "non_increasing_oid";  // walk went backwards
inline constexpr const char* kMalformed = "malformed";  // reply did not match the request
// Every reason above, so that each device's counters exist (at 0) before the first error.
// (kCancelled is left out: a cancelled poll says nothing about the device and is dropped.)
inline constexpr const char* kAllReasons[] = {kTimeout,       kAuth,     kSend,       kSession,
                                              kDns,           kDeadline, kAgentError, kTooBig,
                                              kNonIncreasing, kMalformed};
}  // namespace snmp_error

struct SnmpResult {
  std::vector<VarBind> scalars;  // GET answers, exceptions left out
  // One per SnmpQuery::walk entry, in OID order; left empty where the cells went to the job's
  // on_cell (a follow-up's are always kept).
  std::vector<std::vector<VarBind>> columns;
  // One per SnmpQuery::walk entry: true when that column's walk reached its end. A failed or
  // cut-short query keeps what arrived; only complete columns can say a row is gone.
  std::vector<bool> column_complete;
  // Set when the query could not complete; what was gathered before stays above.
  std::optional<std::string> failure_reason;  // one of snmp_error::*
  std::string failure_message;
  std::map<std::string, int> errors;  // every error seen, fatal or not, by reason
  int requests = 0;
  std::chrono::steady_clock::time_point started;
  // When the reply to the GET of scalars (the agent's clocks) arrived, and the first walk
  // reply (most counters): the moments the sample describes. A retry or a fresh v3 session
  // makes them later than `started`; a slow agent puts them well apart. Unset: none came.
  std::chrono::steady_clock::time_point scalars_at, first_walk_reply_at;
  std::chrono::steady_clock::duration elapsed{};

  bool ok() const { return !failure_reason; }
  const SnmpValue* Scalar(const Oid& oid) const;
};

}  // namespace lanwatch
