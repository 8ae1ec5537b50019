// Numeric OIDs of the standard MIB objects lanwatch reads (no MIB files are ever loaded).
#pragma once

#include "probes/snmp/oid.h"

namespace lanwatch::oids {

// SNMPv2-MIB system group.
inline const Oid kSysDescr{1, 3, 6, 1, 2, 1, 1, 1, 0};
inline const Oid kSysObjectId{1, 3, 6, 1, 2, 1, 1, 2, 0};
inline const Oid kSysUpTime{1, 3, 6, 1, 2, 1, 1, 3, 0};
inline const Oid kSysName{1, 3, 6, 1, 2, 1, 1, 5, 0};
// SNMP-FRAMEWORK-MIB: counts agent restarts, and survives sysUpTime's 497-day wrap.
inline const Oid kSnmpEngineBoots{1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0};
inline const Oid kSnmpEngineTime{1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0};  // seconds since the boot
// HOST-RESOURCES-MIB: the host's uptime (not the agent's), where the agent has it.
inline const Oid kHrSystemUptime{1, 3, 6, 1, 2, 1, 25, 1, 1, 0};

// IF-MIB ifTable columns (ifEntry.N).
inline const Oid kIfEntry{1, 3, 6, 1, 2, 1, 2, 2, 1};
inline const Oid kIfDescr = kIfEntry.Child(2);
inline const Oid kIfType = kIfEntry.Child(3);
inline const Oid kIfSpeed = kIfEntry.Child(5);
inline const Oid kIfAdminStatus = kIfEntry.Child(7);
inline const Oid kIfOperStatus = kIfEntry.Child(8);
inline const Oid kIfLastChange = kIfEntry.Child(9);
inline const Oid kIfInOctets = kIfEntry.Child(10);
inline const Oid kIfInDiscards = kIfEntry.Child(13);
inline const Oid kIfInErrors = kIfEntry.Child(14);
inline const Oid kIfOutOctets = kIfEntry.Child(16);
inline const Oid kIfOutDiscards = kIfEntry.Child(19);
inline const Oid kIfOutErrors = kIfEntry.Child(20);

// IF-MIB ifXTable columns (ifXEntry.N).
inline const Oid kIfXEntry{1, 3, 6, 1, 2, 1, 31, 1, 1, 1};
inline const Oid kIfName = kIfXEntry.Child(1);
inline const Oid kIfHcInOctets = kIfXEntry.Child(6);
inline const Oid kIfHcOutOctets = kIfXEntry.Child(10);
inline const Oid kIfHighSpeed = kIfXEntry.Child(15);
inline const Oid kIfAlias = kIfXEntry.Child(18);
inline const Oid kIfCounterDiscontinuityTime = kIfXEntry.Child(19);

// HOST-RESOURCES-MIB.
inline const Oid kHrStorageEntry{1, 3, 6, 1, 2, 1, 25, 2, 3, 1};
inline const Oid kHrStorageType = kHrStorageEntry.Child(2);
inline const Oid kHrStorageDescr = kHrStorageEntry.Child(3);
inline const Oid kHrStorageUnits = kHrStorageEntry.Child(4);
inline const Oid kHrStorageSize = kHrStorageEntry.Child(5);
inline const Oid kHrStorageUsed = kHrStorageEntry.Child(6);
inline const Oid kHrStorageTypes{1, 3, 6, 1, 2, 1, 25, 2, 1};  // .2 RAM, .3 virtual, .4 disk
inline const Oid kHrProcessorLoad{1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2};

// UCD-SNMP-MIB (net-snmp's own agent).
inline const Oid kUcdLaLoad{1, 3, 6, 1, 4, 1, 2021, 10, 1, 3};
inline const Oid kUcdMemTotalReal{1, 3, 6, 1, 4, 1, 2021, 4, 5, 0};
inline const Oid kUcdMemAvailReal{1, 3, 6, 1, 4, 1, 2021, 4, 6, 0};

}  // namespace lanwatch::oids

namespace lanwatch::oids {

// ENTITY-MIB: physical entities and their mapping to interfaces.
inline const Oid kEntPhysicalContainedIn{1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 4};
inline const Oid kEntPhysicalName{1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 7};
inline const Oid kEntAliasMappingIdentifier{1, 3, 6, 1, 2, 1, 47, 1, 3, 2, 1, 2};
inline const Oid kIfIndexColumn = kIfEntry.Child(1);  // what alias mappings point at

// ENTITY-SENSOR-MIB entPhySensorTable and CISCO-ENTITY-SENSOR-MIB entSensorValueTable share
// the column layout: type .1 (14 = dBm), scale .2, precision .3, value .4.
inline const Oid kEntPhySensorEntry{1, 3, 6, 1, 2, 1, 99, 1, 1, 1};
inline const Oid kCiscoEntSensorEntry{1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1};

// HUAWEI-ENTITY-EXTENT-MIB hwOpticalModuleInfoTable (by entPhysicalIndex): Rx .8, Tx .9;
// microwatts on some models, hundredths of a dBm on others.
inline const Oid kHuaweiOpticalRxPower{1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 3, 1, 8};
inline const Oid kHuaweiOpticalTxPower{1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 3, 1, 9};

// HH3C-TRANSCEIVER-INFO-MIB (by ifIndex), hundredths of a dBm: Tx .9, Rx .12.
inline const Oid kH3cTransceiverTxPower{1, 3, 6, 1, 4, 1, 25506, 2, 70, 1, 1, 1, 9};
inline const Oid kH3cTransceiverRxPower{1, 3, 6, 1, 4, 1, 25506, 2, 70, 1, 1, 1, 12};

}  // namespace lanwatch::oids
