#include "probes/snmp/query_run.h"

#include <fmt/format.h>

#include <algorithm>

namespace lanwatch {

QueryRun::QueryRun(const SnmpQuery& query, const CellSink* on_cell, SnmpVersion version,
                   QueryLimits& limits, SnmpResult& result)
    : version_(version),
      limits_(limits),
      pending_get_(query.get),
      on_cell_(on_cell && *on_cell ? on_cell : nullptr),
      result_(result) {
  limits_.max_repetitions = std::max(1, limits_.max_repetitions);
  limits_.max_objects = std::max<size_t>(1, limits_.max_objects);
  result_.columns.assign(query.walk.size(), {});
  result_.column_complete.assign(query.walk.size(), false);
  for (const Oid& root : query.walk) columns_.push_back(Column{root, root, false});
  if (pending_get_.empty()) StartWalk();
}

void QueryRun::StartWalk() {
  phase_ = Phase::kWalk;
  if (columns_.empty()) Finish();
}

void QueryRun::Finish() {
  phase_ = Phase::kDone;
  if (!skipped_.empty() && !result_.failure_reason) {
    result_.failure_reason = snmp_error::kTooBig;
    result_.failure_message =
        fmt::format("the agent could not send {} even alone (reply too big): left out",
                    fmt::join(skipped_, ", "));
  }
}

netsnmp::PduPtr QueryRun::NextRequest() {
  if (phase_ == Phase::kGet) {
    get_in_flight_ = std::min(limits_.max_objects, pending_get_.size());
    netsnmp::PduPtr pdu(snmp_pdu_create(SNMP_MSG_GET));
    for (size_t i = 0; i < get_in_flight_; ++i) netsnmp::AddNullVarBind(pdu.get(), pending_get_[i]);
    in_flight_.clear();
    ++result_.requests;
    return pdu;
  }
  if (phase_ == Phase::kWalk) {
    in_flight_.clear();
    for (size_t i = 0; i < columns_.size() && in_flight_.size() < limits_.max_objects; ++i) {
      if (!columns_[i].done) in_flight_.push_back(i);
    }
    if (in_flight_.empty()) {
      Finish();
      return nullptr;
    }
    bool bulk = version_ != SnmpVersion::kV1;
    netsnmp::PduPtr pdu(snmp_pdu_create(bulk ? SNMP_MSG_GETBULK : SNMP_MSG_GETNEXT));
    if (bulk) {
      pdu->non_repeaters = 0;
      pdu->max_repetitions = limits_.max_repetitions;
    }
    for (size_t i : in_flight_) netsnmp::AddNullVarBind(pdu.get(), columns_[i].cursor);
    ++result_.requests;
    return pdu;
  }
  return nullptr;
}

void QueryRun::Fail(const char* reason, std::string message) {
  Count(reason);
  result_.failure_reason = reason;
  result_.failure_message = std::move(message);
  phase_ = Phase::kDone;
}

void QueryRun::OnEvent(int op, const netsnmp_pdu* reply) {
  switch (op) {
    case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
      if (reply) OnReply(*reply);
      return;
    case NETSNMP_CALLBACK_OP_TIMED_OUT:
      if (!RetryAfterTimeout()) Fail(snmp_error::kTimeout, "no reply (timeout)");
      return;
    case NETSNMP_CALLBACK_OP_SEC_ERROR:
      Fail(snmp_error::kAuth, "SNMPv3 security error (wrong user, key or engine)");
      return;
    case NETSNMP_CALLBACK_OP_SEND_FAILED:
      Fail(snmp_error::kSend, "could not send the request");
      return;
    default:
      return;  // connect/disconnect/resend notifications: nothing to do
  }
}

void QueryRun::OnReply(const netsnmp_pdu& reply) {
  if (reply.command == SNMP_MSG_REPORT) {
    // An unanswered USM report (unknown user, wrong digest, decryption error...).
    std::string oid = reply.variables ? netsnmp::DecodeVarBind(*reply.variables).oid.ToString()
                                      : std::string("?");
    Fail(snmp_error::kAuth, fmt::format("SNMPv3 report {} (authentication failed)", oid));
    return;
  }
  if (reply.errstat != SNMP_ERR_NOERROR) {
    if (!RetryAfterError(reply.errstat, reply.errindex)) {
      Fail(snmp_error::kAgentError,
           fmt::format("agent error {} at varbind {}",
                       snmp_errstring(static_cast<int>(reply.errstat)), reply.errindex));
    }
    return;
  }
  if (phase_ == Phase::kGet)
    OnGetReply(reply);
  else if (phase_ == Phase::kWalk)
    OnWalkReply(reply);
}

void QueryRun::OnGetReply(const netsnmp_pdu& reply) {
  // A GET split for tooBig: its first part carries the clocks (sysUpTime comes early).
  if (result_.scalars_at == std::chrono::steady_clock::time_point{}) {
    result_.scalars_at = std::chrono::steady_clock::now();
  }
  for (const netsnmp_variable_list* v = reply.variables; v; v = v->next_variable) {
    VarBind vb = netsnmp::DecodeVarBind(*v);
    if (!vb.value.IsException()) result_.scalars.push_back(std::move(vb));
  }
  pending_get_.erase(pending_get_.begin(),
                     pending_get_.begin() + static_cast<long>(get_in_flight_));
  if (pending_get_.empty()) StartWalk();
}

void QueryRun::OnWalkReply(const netsnmp_pdu& reply) {
  const size_t width = in_flight_.size();
  if (!reply.variables && version_ != SnmpVersion::kV1) {
    // net-snmp's snmpd answers a GETBULK of more columns than its maxGetbulkResponses with
    // no varbinds at all: its way of saying "too big". Ask for fewer columns.
    RetryTooBig();
    return;
  }
  if (result_.first_walk_reply_at == std::chrono::steady_clock::time_point{}) {
    result_.first_walk_reply_at = std::chrono::steady_clock::now();
  }
  size_t position = 0;
  bool progressed = false;
  // GETBULK replies are row-major: repetition r holds one varbind per requested column.
  for (const netsnmp_variable_list* v = reply.variables; v; v = v->next_variable, ++position) {
    size_t index = in_flight_[position % width];
    Column& column = columns_[index];
    if (column.done) continue;
    VarBind vb = netsnmp::DecodeVarBind(*v);
    if (vb.value.type == SnmpType::kEndOfMibView || !vb.oid.StartsWith(column.root)) {
      column.done = true;
      result_.column_complete[index] = true;
      progressed = true;
      continue;
    }
    if (vb.oid <= column.cursor) {
      // A broken agent would loop forever here; keep what we have and stop this column. What
      // lies beyond is unknown: the column stays incomplete.
      Count(snmp_error::kNonIncreasing);
      column.done = true;
      progressed = true;
      continue;
    }
    column.cursor = vb.oid;
    progressed = true;
    if (vb.value.IsException()) continue;
    if (on_cell_)
      (*on_cell_)(index, vb);
    else
      result_.columns[index].push_back(std::move(vb));
  }
  if (!progressed) {
    Fail(snmp_error::kMalformed, "walk reply carried nothing for the requested columns");
  }
}

bool QueryRun::RetryAfterError(long status, long index) {
  if (status == SNMP_ERR_TOOBIG) return RetryTooBig();
  // SNMPv1 has no exceptions: a missing object fails the whole request with noSuchName and
  // points at the culprit. Drop that varbind and ask again.
  if (status == SNMP_ERR_NOSUCHNAME && index >= 1) {
    auto i = static_cast<size_t>(index - 1);
    if (phase_ == Phase::kGet && i < get_in_flight_) {
      pending_get_.erase(pending_get_.begin() + static_cast<long>(i));
      if (pending_get_.empty()) StartWalk();
      return true;
    }
    if (phase_ == Phase::kWalk && i < in_flight_.size()) {
      columns_[in_flight_[i]].done = true;  // GETNEXT ran off the end of the agent's MIB
      result_.column_complete[in_flight_[i]] = true;
      return true;
    }
  }
  return false;
}

bool QueryRun::RetryTooBig() {
  Count(snmp_error::kTooBig);
  if (phase_ == Phase::kGet) {
    if (get_in_flight_ > 1) {
      limits_.max_objects = get_in_flight_ / 2;
      return true;
    }
    if (get_in_flight_ == 1) {  // this scalar does not fit even alone
      skipped_.push_back(pending_get_.front().ToString());
      pending_get_.erase(pending_get_.begin());
      if (pending_get_.empty()) StartWalk();
      return true;
    }
    return false;
  }
  if (phase_ != Phase::kWalk || in_flight_.empty()) return false;
  // Fewer rows first (GETBULK only: a v1 GETNEXT has one row), then fewer columns.
  if (version_ != SnmpVersion::kV1 && limits_.max_repetitions > 1) {
    limits_.max_repetitions = std::max(1, limits_.max_repetitions / 2);
    return true;
  }
  if (in_flight_.size() > 1) {
    limits_.max_objects = in_flight_.size() / 2;
    return true;
  }
  // One row of one column is still too big: give that column up, walk the others.
  Column& column = columns_[in_flight_.front()];
  column.done = true;
  skipped_.push_back(column.root.ToString());
  return true;
}

bool QueryRun::RetryAfterTimeout() {
  // Some agents send nothing at all rather than tooBig for a large GETBULK reply: once the
  // agent has answered our GET, a timed-out walk is retried with fewer repetitions.
  if (phase_ != Phase::kWalk || version_ == SnmpVersion::kV1 || limits_.max_repetitions <= 2 ||
      timeouts_retried_ >= 2) {
    return false;
  }
  Count(snmp_error::kTimeout);
  ++timeouts_retried_;
  limits_.max_repetitions = std::max(2, limits_.max_repetitions / 4);
  return true;
}

}  // namespace lanwatch
