// Internal to probes/snmp: the state machine of one SnmpQuery against one agent.
// GET the scalars, then walk the columns, several columns advanced together in one
// GETBULK (v2c/v3) or GETNEXT (v1) per round trip. Knows nothing about sockets or time:
// SnmpClient feeds it replies and asks it for the next request.
//
// When the agent says a reply would be too big, it asks for less: fewer GETBULK repetitions
// first, then fewer objects per request (the GET split, the columns split), and at last gives
// up only the one object that does not fit even alone. Whatever arrived is kept; a column whose
// walk did not reach its end is reported incomplete (SnmpResult::column_complete).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "probes/snmp/net_snmp.h"

namespace lanwatch {

// What an agent has been found to accept; kept with its session, so that the next poll asks
// the right way at once.
struct QueryLimits {
  int max_repetitions = 25;       // GETBULK rows per request
  size_t max_objects = SIZE_MAX;  // objects (scalars or columns) per request
};

class QueryRun {
 public:
  // `limits` is read at the start and updated as the agent answers; it, `query` and
  // `on_cell` (null or empty: the cells are kept in `result`) must outlive the run.
  QueryRun(const SnmpQuery& query, const CellSink* on_cell, SnmpVersion version,
           QueryLimits& limits, SnmpResult& result);

  // The next request to send, or null when the query is finished (done or failed).
  netsnmp::PduPtr NextRequest();
  // A Net-SNMP callback event for the request in flight (op is NETSNMP_CALLBACK_OP_*).
  void OnEvent(int op, const netsnmp_pdu* reply);
  void Fail(const char* reason, std::string message);

  bool finished() const { return phase_ == Phase::kDone; }

 private:
  enum class Phase { kGet, kWalk, kDone };
  struct Column {
    Oid root;
    Oid cursor;
    bool done = false;
  };

  void OnReply(const netsnmp_pdu& reply);
  void OnGetReply(const netsnmp_pdu& reply);
  void OnWalkReply(const netsnmp_pdu& reply);
  // v1 noSuchName, tooBig and timeouts of large requests are answered by asking differently.
  bool RetryAfterError(long status, long index);
  bool RetryTooBig();
  bool RetryAfterTimeout();
  void StartWalk();
  void Finish();
  void Count(const char* reason) { ++result_.errors[reason]; }

  Phase phase_ = Phase::kGet;
  SnmpVersion version_;
  QueryLimits& limits_;
  int timeouts_retried_ = 0;
  std::vector<Oid> pending_get_;  // scalars not yet answered; the first get_in_flight_ are asked
  size_t get_in_flight_ = 0;
  std::vector<Column> columns_;
  std::vector<size_t> in_flight_;     // columns_ indices carried by the request in flight
  std::vector<std::string> skipped_;  // objects given up because even alone they were too big
  const CellSink* on_cell_;
  SnmpResult& result_;
};

}  // namespace lanwatch
