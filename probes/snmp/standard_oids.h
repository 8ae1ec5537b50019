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
// HC packet counters by cast: in .7 .8 .9, out .11 .12 .13 (unicast, multicast, broadcast).
inline const Oid kIfHcInUcastPkts = kIfXEntry.Child(7);
inline const Oid kIfHcInMulticastPkts = kIfXEntry.Child(8);
inline const Oid kIfHcInBroadcastPkts = kIfXEntry.Child(9);
inline const Oid kIfHcOutUcastPkts = kIfXEntry.Child(11);
inline const Oid kIfHcOutMulticastPkts = kIfXEntry.Child(12);
inline const Oid kIfHcOutBroadcastPkts = kIfXEntry.Child(13);
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
inline const Oid kEntPhysicalEntry{1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1};
inline const Oid kEntPhysicalContainedIn = kEntPhysicalEntry.Child(4);  // entPhysicalContainedIn
inline const Oid kEntPhysicalName = kEntPhysicalEntry.Child(7);         // entPhysicalName
inline const Oid kEntPhysicalSerialNum = kEntPhysicalEntry.Child(11);   // entPhysicalSerialNum
inline const Oid kEntPhysicalMfgName = kEntPhysicalEntry.Child(12);     // entPhysicalMfgName
inline const Oid kEntPhysicalModelName = kEntPhysicalEntry.Child(13);   // entPhysicalModelName
inline const Oid kEntAliasMappingIdentifier{1, 3, 6, 1, 2, 1, 47, 1, 3, 2, 1, 2};
inline const Oid kIfIndexColumn = kIfEntry.Child(1);  // what alias mappings point at

// ENTITY-SENSOR-MIB entPhySensorTable and CISCO-ENTITY-SENSOR-MIB entSensorValueTable share
// the column layout: type .1 (14 dBm, 8 celsius, 4 voltsDC, 5 amperes), scale .2 (9 = units,
// powers of 1000), precision .3 (decimal places), value .4, oper status .5 (1 ok).
inline const Oid kEntPhySensorEntry{1, 3, 6, 1, 2, 1, 99, 1, 1, 1};
inline const Oid kCiscoEntSensorEntry{1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1};
// CISCO-ENTITY-SENSOR-MIB entSensorThresholdEntry (by entPhysicalIndex.thresholdIndex):
// entSensorThresholdSeverity .2 (10 minor, 20 major, 30 critical), entSensorThresholdRelation
// .3 (1 lessThan, 2 lessOrEqual, 3 greaterThan, 4 greaterOrEqual), entSensorThresholdValue .4
// (scaled as the sensor's value).
inline const Oid kCiscoEntSensorThresholdEntry{1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 2, 1, 1};

// HUAWEI-ENTITY-EXTENT-MIB hwOpticalModuleInfoEntry (by entPhysicalIndex). Rx and Tx are
// microwatts on some models and hundredths of a dBm on others (probes/snmp/optics.cc); the
// thresholds are hundredths of a dBm on every model seen.
inline const Oid kHuaweiOpticalEntry{1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 3, 1};
inline const Oid kHuaweiOpticalVendorSn = kHuaweiOpticalEntry.Child(4);  // hwEntityOpticalVendorSn
inline const Oid kHuaweiOpticalTemperature =
    kHuaweiOpticalEntry.Child(5);  // hwEntityOpticalTemperature, °C
inline const Oid kHuaweiOpticalVoltage =
    kHuaweiOpticalEntry.Child(6);  // hwEntityOpticalVoltage, mV
inline const Oid kHuaweiOpticalBiasCurrent =
    kHuaweiOpticalEntry.Child(7);  // hwEntityOpticalBiasCurrent, uA
inline const Oid kHuaweiOpticalRxPower = kHuaweiOpticalEntry.Child(8);  // hwEntityOpticalRxPower
inline const Oid kHuaweiOpticalTxPower = kHuaweiOpticalEntry.Child(9);  // hwEntityOpticalTxPower
inline const Oid kHuaweiOpticalRxLowThreshold =
    kHuaweiOpticalEntry.Child(13);  // hwEntityOpticalRxLowThreshold
inline const Oid kHuaweiOpticalRxHighThreshold =
    kHuaweiOpticalEntry.Child(14);  // hwEntityOpticalRxHighThreshold
inline const Oid kHuaweiOpticalTxLowThreshold =
    kHuaweiOpticalEntry.Child(15);  // hwEntityOpticalTxLowThreshold
inline const Oid kHuaweiOpticalTxHighThreshold =
    kHuaweiOpticalEntry.Child(16);  // hwEntityOpticalTxHighThreshold
inline const Oid kHuaweiOpticalRxLowWarnThreshold =
    kHuaweiOpticalEntry.Child(20);  // hwEntityOpticalRxLowWarnThreshold
inline const Oid kHuaweiOpticalVenderName =
    kHuaweiOpticalEntry.Child(24);  // hwEntityOpticalVenderName
inline const Oid kHuaweiOpticalVenderPn = kHuaweiOpticalEntry.Child(25);  // hwEntityOpticalVenderPn
// HUAWEI-ENTITY-EXTENT-MIB hwEntityStateEntry hwEntityTemperature (°C, by entPhysicalIndex):
// where the optical table gives no module temperature.
inline const Oid kHuaweiEntityTemperature{1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 1, 1, 11};

// HH3C-TRANSCEIVER-INFO-MIB hh3cTransceiverInfoEntry (by ifIndex); 2147483647 = not there.
inline const Oid kH3cTransceiverEntry{1, 3, 6, 1, 4, 1, 25506, 2, 70, 1, 1, 1};
inline const Oid kH3cTransceiverType = kH3cTransceiverEntry.Child(2);  // hh3cTransceiverType
inline const Oid kH3cTransceiverVendorName =
    kH3cTransceiverEntry.Child(4);  // hh3cTransceiverVendorName
inline const Oid kH3cTransceiverSerialNumber =
    kH3cTransceiverEntry.Child(5);  // hh3cTransceiverSerialNumber
inline const Oid kH3cTransceiverTxPower =
    kH3cTransceiverEntry.Child(9);  // hh3cTransceiverCurTXPower, 0.01 dBm
inline const Oid kH3cTransceiverRxPower =
    kH3cTransceiverEntry.Child(12);  // hh3cTransceiverCurRXPower, 0.01 dBm
inline const Oid kH3cTransceiverTemperature =
    kH3cTransceiverEntry.Child(15);  // hh3cTransceiverTemperature, °C
inline const Oid kH3cTransceiverVoltage =
    kH3cTransceiverEntry.Child(16);  // hh3cTransceiverVoltage, 0.01 V
inline const Oid kH3cTransceiverBiasCurrent =
    kH3cTransceiverEntry.Child(17);  // hh3cTransceiverBiasCurrent, 0.01 mA
// The module's limits, in the same table, each as HiAlarm, LoAlarm, HiWarn, LoWarn (four
// columns from the first): hh3cTransceiverTemp* .18 (0.001 °C), hh3cTransceiverPwrOut* .30
// and hh3cTransceiverRcvPwr* .34 (0.1 uW). (hh3cTransceiverVcc* .22, 0.0001 V, and
// hh3cTransceiverBias* .26, uA, are not walked: probes/snmp/optics.cc says why.)
inline const Oid kH3cTransceiverTempHiAlarm = kH3cTransceiverEntry.Child(18);
inline const Oid kH3cTransceiverPwrOutHiAlarm = kH3cTransceiverEntry.Child(30);
inline const Oid kH3cTransceiverRcvPwrHiAlarm = kH3cTransceiverEntry.Child(34);

}  // namespace lanwatch::oids
