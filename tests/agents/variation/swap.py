#
# snmpsim variation module for lanwatch's tests: a transceiver replaced while the agent runs.
# An object reads BEFORE until SECONDS after the first request that reached any object of this
# module, and AFTER from then on (the clock starts at the first read, not at the agent's
# start, so that a test or a daemon sees both whatever its agent's start-up took).
#
# Record syntax:  OID|TAG:swap|SECONDS,BEFORE,AFTER
#   SECONDS  when the new module is in, counted from the first read of any swap object
#   BEFORE   the value before (as in a plain record of type TAG; no commas)
#   AFTER    the value after
#
# Serve with: snmpsimd --variation-modules-dir=DIR (DIR holding this file).
#
import time

first_read = None


def init(**context):
    pass


def variate(oid, tag, value, **context):
    global first_read
    if not context['nextFlag'] and not context['exactMatch']:
        return context['origOid'], tag, context['errorStatus']
    seconds, before, after = value.split(',', 2)
    now = time.monotonic()
    if first_read is None:
        first_read = now
    return oid, tag, after if now - first_read >= float(seconds) else before


def shutdown(**context):
    pass
