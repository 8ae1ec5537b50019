// Internal to probes/snmp: one UDP datagram made into a TrapEvent with Net-SNMP's own parsers
// (the community header, then the PDU), and the Response an InformRequest asks for. Pure apart
// from Net-SNMP's allocations: no socket, no clock; callable from any thread once
// InitNetSnmpOnce() ran (it touches no session, no USM table, no MIB).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "probes/snmp/trap_receiver.h"

namespace lanwatch {

struct DecodedTrap {
  // Everything but received_at and source_address, which the socket knows.
  TrapEvent event;
  // For an InformRequest, the encoded Response to send back to its source (RFC 3416 4.2.7);
  // empty otherwise.
  std::vector<uint8_t> response;
};

// nullopt for anything that is not an SNMPv1 Trap-PDU or an SNMPv2c SNMPv2-Trap or
// InformRequest: bytes that do not parse, truncated BER, other PDU types, SNMPv3 messages
// (their USM user table belongs to the poller's thread), a v2c trap without snmpTrapOID.0.
std::optional<DecodedTrap> DecodeTrapDatagram(std::span<const uint8_t> datagram);

}  // namespace lanwatch
