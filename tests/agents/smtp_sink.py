#!/usr/bin/python3
"""An SMTP server for tests: takes mail on 127.0.0.1:PORT and writes each message, exactly as
received after DATA, to DIR/NNNN.eml (written to a temporary name, then renamed, so a reader
never sees half a message). Run with /usr/bin/python3 (Debian's python3-aiosmtpd).

Outages on demand:
  --fail-first N      answer DATA of the first N messages with --fail-code (451 or 554...)
  --fail-while FILE   answer DATA with --fail-code while FILE exists
  --auth-user/--auth-password  offer AUTH (PLAIN, LOGIN) without TLS and accept only these
Ready: prints "READY <port>" and creates --ready-file once it accepts connections. Stops on
SIGTERM or SIGINT."""

import argparse
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, args):
        self.args = args
        # Messages taken, counting those a previous run stored here (a restart after an
        # outage goes on numbering).
        self.count = len([n for n in os.listdir(args.dir) if n.endswith(".eml")])
        self.attempts = 0   # DATA commands seen
        self.lock = threading.Lock()
        # With --print, stdout shows the mails (the demo's terminal); the log goes to stderr.
        self.log = sys.stderr if args.print else sys.stdout

    def failing(self):
        if self.attempts <= self.args.fail_first:
            return True
        return bool(self.args.fail_while) and os.path.exists(self.args.fail_while)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            if self.failing():
                code = self.args.fail_code
                text = "4.3.0 Try again later" if code < 500 else "5.7.1 Rejected for testing"
                print(f"DATA {self.attempts} answered {code}", file=self.log, flush=True)
                return f"{code} {text}"
            self.count += 1
            name = f"{self.count:04d}.eml"
        tmp = os.path.join(self.args.dir, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.args.dir, name))
        with open(os.path.join(self.args.dir, f".{name}.envelope.tmp"), "w") as f:
            f.write(f"MAIL FROM:{envelope.mail_from}\n")
            for rcpt in envelope.rcpt_tos:
                f.write(f"RCPT TO:{rcpt}\n")
        os.rename(os.path.join(self.args.dir, f".{name}.envelope.tmp"),
                  os.path.join(self.args.dir, f"{name}.envelope"))
        print(f"DATA {self.attempts} stored {name}", file=self.log, flush=True)
        if self.args.print:
            show(envelope.original_content or envelope.content)
        return f"250 2.0.0 Ok: queued as {name}"


def show(raw):
    """What a newcomer watching the demo wants to see of a mail: when, subject, first lines."""
    import email
    import email.policy
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body else ""
    lines = [l for l in text.splitlines() if l.strip()][:8]
    print(f"\n=== mail {msg['Date']}\n    Subject: {msg['Subject']}", flush=True)
    for line in lines:
        print(f"    {line}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--ready-file")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--fail-while")
    p.add_argument("--fail-code", type=int, default=451)
    p.add_argument("--auth-user")
    p.add_argument("--auth-password")
    p.add_argument("--print", action="store_true",
                   help="also print each mail's decoded subject and first lines (the demo)")
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    kwargs = {}
    if args.auth_user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == args.auth_user
                  and auth_data.password.decode() == args.auth_password)
            return AuthResult(success=ok, handled=False)
        kwargs = dict(authenticator=authenticator, auth_require_tls=False, auth_required=True)

    controller = Controller(Sink(args), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()  # returns once the server answers a connection of its own
    print(f"READY {args.port}", flush=True)
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            f.write(f"{args.port}\n")
        os.rename(args.ready_file + ".tmp", args.ready_file)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
