// Internal to probes/snmp: the state machine of one SnmpQuery against one agent.
// GET the scalars, then walk every column, all columns advanced together in one
// GETBULK (v2c/v3) or GETNEXT (v1) per round trip. Knows nothing about sockets or time:
// SnmpClient feeds it replies and asks it for the next request.
#pragma once

#include <vector>

#include "probes/snmp/net_snmp.h"

namespace lanwatch {

class QueryRun {
 public:
  QueryRun(const SnmpQuery& query, SnmpVersion version, int bulk_repetitions, SnmpResult& result);

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
  bool RetryAfterTimeout();
  void StartWalk();
  void Count(const char* reason) { ++result_.errors[reason]; }

  Phase phase_ = Phase::kGet;
  SnmpVersion version_;
  int max_repetitions_;
  int timeouts_retried_ = 0;
  std::vector<Oid> pending_get_;
  std::vector<Column> columns_;
  std::vector<size_t> in_flight_;  // columns_ indices carried by the request in flight
  SnmpResult& result_;
};

}  // namespace lanwatch
