#
# snmpsim variation module for the bureau lab (tests/lab/bureau): an object whose value is read,
# at every request, from a small file the lab rewrites when it injects a fault. It lets
# `bureau fault cut|dim|swap` change a transceiver's optical levels or serial while the agent
# runs, with no restart and no SET.
#
# Record syntax:  OID|TAG:labfile|KIND,PATH
#   KIND  dbm100: the file holds a level in dBm ("-5.12") or "nolight"; served as an integer
#                 in hundredths of a dBm (-512), no light as -4000 (-40.00 dBm, the floor
#                 Cisco reports for a dark receiver). For ENTITY-SENSOR-MIB dBm sensors of
#                 precision 2 and for HH3C-TRANSCEIVER-INFO-MIB, whose unit this is.
#         text:   the file holds the value itself (a serial number), served as is.
#   PATH  absolute path of the file. snmpsimd runs as nobody: it must be world-readable.
#
# The lab replaces a file by rename, so a request never sees it half written. A file that is
# missing or unreadable answers genErr for that object: a fault in the lab, never a silently
# invented value.
#
# Serve with: snmpsimd --variation-modules-dir=DIR (DIR holding this file).
#
from pysnmp.smi import error

# -40.00 dBm in hundredths: what a dark receiver reports.
NO_LIGHT_DBM100 = -4000


def init(**context):
    pass


def _current(kind, path):
    with open(path, encoding='utf-8') as f:
        text = f.read().strip()
    if kind == 'text':
        return text
    if kind == 'dbm100':
        if text == 'nolight':
            return str(NO_LIGHT_DBM100)
        return str(max(NO_LIGHT_DBM100, round(float(text) * 100)))
    raise ValueError('unknown kind %r' % kind)


def variate(oid, tag, value, **context):
    if not context['nextFlag'] and not context['exactMatch']:
        return context['origOid'], tag, context['errorStatus']
    kind, _, path = value.partition(',')
    try:
        return oid, tag, _current(kind, path)
    except (OSError, ValueError):
        raise error.GenError(name=oid, idx=0)


def shutdown(**context):
    pass
