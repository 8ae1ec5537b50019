#include "probes/snmp/trap_decode.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "config/text_encoding.h"
#include "probes/snmp/net_snmp.h"
#include "probes/snmp/oid.h"
#include "probes/snmp/snmp_client.h"
#include "probes/snmp/snmp_value.h"
#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

// SNMPv2-MIB: the standard notifications hang under snmpTraps; a v2 trap names itself in
// snmpTrapOID.0.
const Oid kSnmpTraps{1, 3, 6, 1, 6, 3, 1, 1, 5};
const Oid kSnmpTrapOid{1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
const Oid kColdStart = kSnmpTraps.Child(1);
const Oid kWarmStart = kSnmpTraps.Child(2);
const Oid kLinkDown = kSnmpTraps.Child(3);
const Oid kLinkUp = kSnmpTraps.Child(4);

// The generic-trap values of an SNMPv1 Trap-PDU (RFC 1157): 0-5 standard, 6 enterprise.
constexpr long kEnterpriseSpecific = 6;

const char* KindOf(const Oid& trap_oid) {
  if (trap_oid == kLinkDown) return trap_kind::kLinkDown;
  if (trap_oid == kLinkUp) return trap_kind::kLinkUp;
  if (trap_oid == kColdStart) return trap_kind::kColdStart;
  if (trap_oid == kWarmStart) return trap_kind::kWarmStart;
  return trap_kind::kOther;
}

Oid ToOid(const ::oid* parts, size_t length) {
  return Oid(std::vector<uint32_t>(parts, parts + length));
}

// RFC 3584 3.1: a generic trap g (0-5) becomes snmpTraps.(g + 1); an enterprise-specific one
// becomes enterprise.0.specific. nullopt for a generic-trap value RFC 1157 does not define.
std::optional<Oid> V1TrapOid(const netsnmp_pdu& pdu) {
  if (pdu.trap_type >= 0 && pdu.trap_type < kEnterpriseSpecific) {
    return kSnmpTraps.Child(static_cast<uint32_t>(pdu.trap_type + 1));
  }
  if (pdu.trap_type != kEnterpriseSpecific || !pdu.enterprise || pdu.specific_type < 0) {
    return std::nullopt;
  }
  return ToOid(pdu.enterprise, pdu.enterprise_length)
      .Child(0)
      .Child(static_cast<uint32_t>(pdu.specific_type));
}

std::optional<Oid> V2TrapOid(const netsnmp_pdu& pdu) {
  for (const netsnmp_variable_list* var = pdu.variables; var; var = var->next_variable) {
    VarBind vb = netsnmp::DecodeVarBind(*var);
    if (vb.oid == kSnmpTrapOid && vb.value.type == SnmpType::kObjectId) return vb.value.object_id;
  }
  return std::nullopt;
}

// RFC 2863's linkDown and linkUp carry {ifIndex, ifAdminStatus, ifOperStatus}, each indexed by
// the interface. ifIndex's value is the answer; failing that (vendors that send ifDescr or
// ifOperStatus alone, or ifIndex with an odd type), the index of any ifEntry column.
std::optional<uint32_t> IfIndexOf(const netsnmp_pdu& pdu) {
  std::optional<uint32_t> from_suffix;
  for (const netsnmp_variable_list* var = pdu.variables; var; var = var->next_variable) {
    VarBind vb = netsnmp::DecodeVarBind(*var);
    if (!vb.oid.StartsWith(oids::kIfEntry) || vb.oid.size() != oids::kIfEntry.size() + 2) continue;
    uint32_t column = vb.oid.parts()[oids::kIfEntry.size()];
    uint32_t index = vb.oid.parts().back();
    if (vb.oid.StartsWith(oids::kIfIndexColumn) && vb.value.type == SnmpType::kInteger &&
        vb.value.integer > 0 && vb.value.integer <= INT32_MAX) {
      return static_cast<uint32_t>(vb.value.integer);
    }
    if (!from_suffix && column > 0 && index > 0) from_suffix = index;
  }
  return from_suffix;
}

struct FreeDeleter {
  void operator()(u_char* p) const noexcept { free(p); }
};

// The Response to an InformRequest: the same request-id and varbinds, no error (RFC 3416
// 4.2.7). Encoded by the library, as it encodes every request the poller sends. Empty when
// it cannot be built: the sender then retries and gives up, which costs only a duplicate.
std::vector<uint8_t> EncodeInformResponse(const netsnmp_pdu& inform, const std::string& community) {
  netsnmp::PduPtr reply(snmp_clone_pdu(const_cast<netsnmp_pdu*>(&inform)));
  if (!reply) return {};
  reply->command = SNMP_MSG_RESPONSE;
  reply->errstat = SNMP_ERR_NOERROR;
  reply->errindex = 0;
  free(reply->community);
  reply->community = static_cast<u_char*>(malloc(community.size() + 1));
  if (!reply->community) return {};
  memcpy(reply->community, community.data(), community.size());
  reply->community_len = community.size();

  netsnmp_session session;
  snmp_sess_init(&session);
  session.version = inform.version;
  std::string session_community = community;
  session.community = reinterpret_cast<u_char*>(session_community.data());
  session.community_len = session_community.size();

  size_t buffer_len = 2048;
  std::unique_ptr<u_char, FreeDeleter> buffer(static_cast<u_char*>(malloc(buffer_len)));
  if (!buffer) return {};
  u_char* raw = buffer.release();  // snmp_build may realloc it
  size_t offset = 0;
  int rc = snmp_build(&raw, &buffer_len, &offset, &session, reply.get());
  buffer.reset(raw);
  if (rc != 0 || offset > buffer_len) return {};
  // Net-SNMP encodes back to front (its default, NETSNMP_DS_LIB_REVERSE_ENCODE): the message
  // is the last `offset` bytes of the buffer; front to back, it is the first `offset`.
  const u_char* begin = raw;
  if (netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_REVERSE_ENCODE)) {
    begin = raw + buffer_len - offset;
  }
  return std::vector<uint8_t>(begin, begin + offset);
}

// A PDU for the parser to fill, made as snmp_pdu_create makes one but without drawing a
// request and a message id from Net-SNMP's global counters, which the poller's thread draws
// from at the same time (unlocked in a library built without --enable-reentrant).
netsnmp_pdu* NewPduToParse() {
  auto* pdu = static_cast<netsnmp_pdu*>(calloc(1, sizeof(netsnmp_pdu)));
  if (!pdu) return nullptr;
  pdu->version = SNMP_DEFAULT_VERSION;
  pdu->command = SNMP_MSG_GET;  // the parse sets the real one
  pdu->errstat = SNMP_DEFAULT_ERRSTAT;
  pdu->errindex = SNMP_DEFAULT_ERRINDEX;
  pdu->securityModel = SNMP_DEFAULT_SECMODEL;
  return pdu;
}

}  // namespace

std::optional<DecodedTrap> DecodeTrapDatagram(std::span<const uint8_t> datagram) {
  InitNetSnmpOnce();
  // The parsers take non-const pointers; give them a copy of their own.
  std::vector<u_char> data(datagram.begin(), datagram.end());
  size_t length = data.size();
  u_char community[COMMUNITY_MAX_LEN];
  size_t community_len = sizeof community;
  long version = -1;
  // The message header (version, community) first: an SNMPv3 message stops here, before
  // anything would look at the USM user table.
  u_char* pdu_data = snmp_comstr_parse(data.data(), &length, community, &community_len, &version);
  if (!pdu_data || (version != SNMP_VERSION_1 && version != SNMP_VERSION_2c)) {
    return std::nullopt;
  }
  netsnmp::PduPtr pdu(NewPduToParse());
  if (!pdu) return std::nullopt;
  pdu->version = version;
  if (snmp_pdu_parse(pdu.get(), pdu_data, &length) != 0) return std::nullopt;

  DecodedTrap decoded;
  TrapEvent& event = decoded.event;
  std::string raw_community(reinterpret_cast<const char*>(community), community_len);
  // Compared with the config's (UTF-8) communities and possibly logged: never invalid UTF-8.
  event.community = ToValidUtf8(raw_community);
  std::optional<Oid> trap_oid;
  if (version == SNMP_VERSION_1) {
    if (pdu->command != SNMP_MSG_TRAP) return std::nullopt;
    event.version = SnmpVersion::kV1;
    trap_oid = V1TrapOid(*pdu);
    in_addr agent{};
    memcpy(&agent, pdu->agent_addr, sizeof agent);
    if (agent.s_addr != 0) {  // 0.0.0.0: the agent did not say
      char text[INET_ADDRSTRLEN] = {};
      if (inet_ntop(AF_INET, &agent, text, sizeof text)) event.agent_address = text;
    }
  } else {
    if (pdu->command != SNMP_MSG_TRAP2 && pdu->command != SNMP_MSG_INFORM) return std::nullopt;
    event.version = SnmpVersion::kV2c;
    trap_oid = V2TrapOid(*pdu);
  }
  if (!trap_oid) return std::nullopt;
  event.trap_oid = trap_oid->ToString();
  event.kind = KindOf(*trap_oid);
  if (event.kind == trap_kind::kLinkDown || event.kind == trap_kind::kLinkUp) {
    event.if_index = IfIndexOf(*pdu);
  }
  if (pdu->command == SNMP_MSG_INFORM) {
    decoded.response = EncodeInformResponse(*pdu, raw_community);
  }
  return decoded;
}

}  // namespace lanwatch
