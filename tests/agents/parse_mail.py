#!/usr/bin/python3
"""Reads one .eml with Python's email package (policy=default) and prints what a mail client
would show, as JSON, so that C++ tests assert on decoded text rather than on base64. Also the
raw facts a client does not show: whether the message is 7-bit ASCII, its line ends and its
longest line, the raw Subject lines, the parser's defects, and whether the body decodes as
strict UTF-8."""

import base64
import email
import email.policy
import email.utils
import json
import sys


def main():
    raw = open(sys.argv[1], "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    head, _, _ = raw.partition(b"\r\n\r\n")
    lines = raw.split(b"\r\n")
    subject_raw = []
    in_subject = False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"subject:"):
            in_subject = True
        elif not line.startswith((b" ", b"\t")):
            in_subject = False
        if in_subject:
            subject_raw.append(line.decode("ascii", "replace"))

    payload = msg.get_payload(decode=True) or b""
    try:
        payload.decode("utf-8", "strict")
        body_utf8 = True
    except UnicodeDecodeError:
        body_utf8 = False

    defects = [type(d).__name__ for d in msg.defects]
    for name, value in msg.items():
        defects += [f"{name}: {type(d).__name__}" for d in getattr(value, "defects", [])]

    date = msg["date"]
    out = {
        "subject": str(msg["subject"] or ""),
        "from": str(msg["from"] or ""),
        "to": str(msg["to"] or ""),
        "date": str(date or ""),
        "date_iso": email.utils.parsedate_to_datetime(str(date)).isoformat() if date else "",
        "message_id": str(msg["message-id"] or ""),
        "in_reply_to": str(msg["in-reply-to"] or ""),
        "references": str(msg["references"] or ""),
        "auto_submitted": str(msg["auto-submitted"] or ""),
        "mime_version": str(msg["mime-version"] or ""),
        "content_type": msg.get_content_type(),
        "charset": msg.get_content_charset() or "",
        "transfer_encoding": str(msg["content-transfer-encoding"] or ""),
        "x_lanwatch_kind": str(msg["x-lanwatch-kind"] or ""),
        "x_lanwatch_device": str(msg["x-lanwatch-device"] or ""),
        "x_lanwatch_alerts": str(msg["x-lanwatch-alerts"] or ""),
        # text/plain travels with CRLF (its canonical form); compared with "\n" in tests.
        "body": (msg.get_content().replace("\r\n", "\n")
                 if msg.get_content_maintype() == "text" else ""),
        "body_utf8_strict": body_utf8,
        "header_counts": {k.lower(): len(msg.get_all(k)) for k in set(msg.keys())},
        "subject_raw": subject_raw,
        "seven_bit": all(b < 0x80 for b in raw),
        "bare_lf": raw.replace(b"\r\n", b"").count(b"\n"),
        "bare_cr": raw.replace(b"\r\n", b"").count(b"\r"),
        "max_line": max((len(l) for l in lines), default=0),
        "defects": defects,
    }
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
