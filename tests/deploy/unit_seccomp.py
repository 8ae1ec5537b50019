#!/usr/bin/python3
# Runs a command under the system-call filter a unit's SystemCallFilter= lines describe, as
# systemd would build it: groups expanded by `systemd-analyze syscall-filter` (systemd's own
# tables), the first line an allow list, later `~` lines taking calls out and plain lines
# putting them back; SystemCallErrorNumber= (default: kill) for the rest; native ABI only.
# Usage: unit_seccomp.py UNIT_FILE -- COMMAND ARGS...
import errno
import os
import subprocess
import sys

import seccomp  # Debian's python3-seccomp


def expand(name, seen=None):
    """The system calls a name stands for: itself, or a group's members, recursively."""
    if not name.startswith("@"):
        return {name}
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True,
                         capture_output=True, text=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:  # the first line is the group's name
        word = line.strip()
        if word and not word.startswith("#"):
            calls |= expand(word)
    return calls


def main():
    unit, sep, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    assert sep == "--" and command, __doc__
    allowed, error_number = None, None
    for line in open(unit):
        key, _, value = line.strip().partition("=")
        if key == "SystemCallErrorNumber":
            error_number = getattr(errno, value)
        if key != "SystemCallFilter":
            continue
        deny = value.startswith("~")
        calls = set().union(*(expand(w) for w in value.lstrip("~").split()))
        if allowed is None:
            assert not deny, "only allow lists are emulated"
            allowed = calls
        elif deny:
            allowed -= calls
        else:
            allowed |= calls
    assert allowed, f"{unit} has no SystemCallFilter="
    default = seccomp.ERRNO(error_number) if error_number else seccomp.KILL_PROCESS
    f = seccomp.SyscallFilter(defaction=default)
    for call in sorted(allowed):
        try:
            f.add_rule(seccomp.ALLOW, call)
        except (RuntimeError, ValueError):
            pass  # a name this architecture does not have
    f.add_rule(seccomp.ALLOW, "execve")  # this launcher's own exec (in @system-service too)
    f.load()
    os.execv(command[0], command)


main()
