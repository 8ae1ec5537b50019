#!/usr/bin/python3
"""A web service for lanwatch's service-check tests, on 127.0.0.1:PORT (or --listen ADDRESS:PORT:
the bureau lab serves its web site and office-automation system with it from 198.18.1.10).

  /                 200
  /status/NNN       answers with status NNN
  /delay/MS         waits MS milliseconds before the first byte, then 200 (a slow site, or
                    one whose time to first byte is known)
A query string is ignored (it tells apart many checks of one path).
HEAD and GET alike. With --cert and --key it speaks HTTPS (the handshake runs in the
connection's own thread, so a slow or failing client holds up no other). Many connections at
once: a listen backlog of 256 and a thread per connection. Ready: creates --ready-file once it
accepts connections. Stops on SIGTERM."""

import argparse
import http.server
import signal
import ssl
import sys
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.request.close()
                raise
        super().setup()

    def answer(self, send_body):
        parts = urllib.parse.urlsplit(self.path).path.strip("/").split("/")
        status = 200
        if len(parts) == 2 and parts[0] == "status":
            status = int(parts[1])
        elif len(parts) == 2 and parts[0] == "delay":
            time.sleep(int(parts[1]) / 1000.0)
        body = f"{status} {self.path}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (a timeout test, a failed TLS check) is no error here


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1", help="IPv4 address to bind")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()

    server = Server((args.listen, args.port), Handler)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(args.ready_file, "w") as ready:
        ready.write(f"READY {args.port}\n")
    print(f"READY {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
