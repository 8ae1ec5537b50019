#
# snmpsim variation module for lanwatch's tests: an agent with a small reply buffer, which
# answers tooBig (error-status 1, RFC 3416 4.2.1) when a request asks for more objects than
# fit, as real switches and routers do. Neither net-snmp's snmpd nor snmpsimd itself ever
# sends tooBig: both drop a reply that is too large without a word.
#
# Record syntax:  OID|TAG:toobig|LIMIT,VALUE
#   LIMIT  the most objects a request (a GET, a GETNEXT, one GETBULK repetition) may carry
#          when it reaches this object; 0: this object never fits
#   VALUE  its value, as in a plain record of type TAG
#
# Serve with: snmpsimd --variation-modules-dir=DIR (DIR holding this file).
#
from pysnmp.smi import error


def init(**context):
    pass


def variate(oid, tag, value, **context):
    if not context['nextFlag'] and not context['exactMatch']:
        return context['origOid'], tag, context['errorStatus']
    limit, _, value = value.partition(',')
    if context['varsTotal'] > int(limit):
        # cmdrsp turns this into a tooBig response with no varbinds.
        raise error.TooBigError(name=oid, idx=0)
    return oid, tag, value


def shutdown(**context):
    pass
