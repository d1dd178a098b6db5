#!/usr/bin/env python3
"""A small SMTP server for tests: accepts mail on 127.0.0.1 and writes it to a directory.

Needs aiosmtpd (pip install aiosmtpd). It listens on 127.0.0.1 only, on --port (0 picks a free port), and prints
one line to stdout once it listens:

    READY 127.0.0.1 40123

Every accepted message is written to --out DIR as one .eml file per recipient (NNNN-R.eml, the message as
received, CRLF line endings, dot-stuffing undone), and described by one JSON line appended to DIR/index.jsonl:

    {"seq": 1, "mail_from": "...", "rcpt_tos": [...], "subject": "... (decoded)", "files": ["0001-1.eml"],
     "tls": true, "auth_user": "ann", "mail_options": [...], "helo": "...",
     "headers": [["Subject", "... (decoded)"], ...], "text": "plain body (decoded)", "html": null}

(the subject, headers and bodies decoded by Python's email package, as an independent check of the encoding).

Modes for tests:
    --refuse-rcpt 550          reply 550 (or any 4xx/5xx code) to RCPT TO
    --refuse-address ADDR      with --refuse-rcpt: refuse only these recipients (repeatable)
    --tempfail 451             reply 451 (any 4xx/5xx code) at the end of DATA ...
    --tempfail-count N         ... for the first N messages (default 1)
    --auth USER:PASS           require AUTH (PLAIN and LOGIN offered, also without TLS)
    --auth-exclude MECH        do not offer this AUTH mechanism (repeatable; e.g. PLAIN to test LOGIN)
    --starttls CERT KEY        offer STARTTLS with this certificate and key (PEM)
    --smtps CERT KEY           TLS from the first byte (implicit TLS) instead
    --no-ehlo                  reply 502 to EHLO (a HELO-only server)
    --exit-on-stdin-eof        also exit when stdin closes (so a crashed test leaves no server behind)

It exits with status 0 on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import signal
import ssl
import sys
import threading
import warnings

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    sys.stderr.write("smtp_sink.py needs aiosmtpd: pip install aiosmtpd\n")
    sys.exit(3)


def reply_code(text):
    code = int(text)
    if not 400 <= code <= 599:
        raise argparse.ArgumentTypeError(f"{text} is not a 4xx or 5xx reply code")
    return code


def parse_args(argv):
    parser = argparse.ArgumentParser(description="SMTP sink for tests (aiosmtpd), on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--out", required=True, help="directory for the .eml files and index.jsonl")
    parser.add_argument("--refuse-rcpt", type=reply_code, metavar="CODE", help="reply CODE (4xx/5xx) to RCPT TO")
    parser.add_argument(
        "--refuse-address", action="append", default=[], metavar="ADDR", help="refuse only ADDR (repeatable)"
    )
    parser.add_argument("--tempfail", type=reply_code, metavar="CODE", help="reply CODE at the end of DATA")
    parser.add_argument("--tempfail-count", type=int, default=1, metavar="N", help="for the first N messages")
    parser.add_argument("--auth", metavar="USER:PASS", help="require AUTH with these credentials")
    parser.add_argument(
        "--auth-exclude", action="append", default=[], metavar="MECH", help="do not offer MECH (repeatable)"
    )
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"), help="offer STARTTLS (PEM files)")
    tls.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"), help="TLS from the first byte (PEM files)")
    parser.add_argument("--no-ehlo", action="store_true", help="reply 502 to EHLO")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="also exit when stdin closes")
    args = parser.parse_args(argv)
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth takes USER:PASS")
    if args.refuse_address and args.refuse_rcpt is None:
        parser.error("--refuse-address needs --refuse-rcpt CODE")
    return args


class SinkSMTP(SMTP):
    """aiosmtpd's server, optionally without EHLO."""

    def __init__(self, *args, no_ehlo=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._no_ehlo = no_ehlo

    async def smtp_EHLO(self, hostname):
        if self._no_ehlo:
            await self.push("502 5.5.1 EHLO not implemented (test sink, --no-ehlo)")
            return
        await super().smtp_EHLO(hostname)


class Sink:
    """The aiosmtpd handler: refuses or accepts, and writes what it accepts."""

    def __init__(self, args):
        self.out = args.out
        self.refuse_code = args.refuse_rcpt
        self.refuse_addresses = {address.lower() for address in args.refuse_address}
        self.tempfail_code = args.tempfail
        self.tempfail_count = args.tempfail_count
        self.tempfailed = 0
        self.sequence = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_code is not None and (not self.refuse_addresses or address.lower() in self.refuse_addresses):
            status = "5.1.1" if self.refuse_code >= 500 else "4.2.1"
            return f"{self.refuse_code} {status} <{address}>: recipient refused (test sink)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail_code is not None and self.tempfailed < self.tempfail_count:
            self.tempfailed += 1
            status = "4.3.0" if self.tempfail_code < 500 else "5.3.0"
            count = f"{self.tempfailed} of {self.tempfail_count}"
            return f"{self.tempfail_code} {status} try again later ({count}, test sink)"
        self.sequence += 1
        content = envelope.original_content or b""
        files = []
        for index, _ in enumerate(envelope.rcpt_tos, start=1):
            name = f"{self.sequence:04d}-{index}.eml"
            with open(os.path.join(self.out, name), "wb") as handle:
                handle.write(content)
            files.append(name)
        subject, text, html, headers = decode(content)
        transport = server.transport
        auth_user = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            auth_user = session.auth_data.login.decode("utf-8", "replace")
        record = {
            "seq": self.sequence,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": subject,
            "files": files,
            "tls": bool(transport is not None and transport.get_extra_info("ssl_object") is not None),
            "auth_user": auth_user,
            "mail_options": list(envelope.mail_options),
            "helo": session.host_name,
            "headers": headers,
            "text": text,
            "html": html,
        }
        with open(os.path.join(self.out, "index.jsonl"), "a", encoding="utf-8") as index:
            index.write(json.dumps(record) + "\n")
        return f"250 2.0.0 OK: queued as SINK{self.sequence:04d}"


def decode(content):
    """The subject, the plain and HTML bodies and the headers, decoded by Python's email package (None when the
    message cannot be parsed): an independent check of the client's encoding."""
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
        subject = message.get("subject")
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        return (
            None if subject is None else str(subject),
            None if text is None else text.get_content(),
            None if html is None else html.get_content(),
            [[name, str(value)] for name, value in message.items()],
        )
    except Exception:  # a malformed message is still recorded
        return None, None, None, None


def server_tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def serve(args):
    os.makedirs(args.out, exist_ok=True)
    handler = Sink(args)
    kwargs = {"hostname": "smtp-sink.test", "decode_data": False, "no_ehlo": args.no_ehlo}
    if args.starttls:
        kwargs["tls_context"] = server_tls_context(*args.starttls)
    if args.auth is not None:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode()
                and auth_data.password == password.encode()
            )
            # handled=False: aiosmtpd then answers a failure with "535 5.7.8 Authentication credentials invalid".
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kwargs.update(
            auth_required=True,
            auth_require_tls=False,
            authenticator=authenticator,
            auth_exclude_mechanism=args.auth_exclude,
        )
    listen_tls = server_tls_context(*args.smtps) if args.smtps else None

    loop = asyncio.get_running_loop()
    # A parent may have spawned us with these signals blocked (threads of a Swift test runner do): unblock them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server = await loop.create_server(
        lambda: SinkSMTP(handler, **kwargs), host="127.0.0.1", port=args.port, ssl=listen_tls
    )
    port = server.sockets[0].getsockname()[1]
    print(f"READY 127.0.0.1 {port}", flush=True)

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if args.exit_on_stdin_eof:
        # os.read on the raw descriptor, not sys.stdin: a daemon thread blocked in a buffered read holds a lock
        # that the interpreter needs at exit.
        def watch_stdin():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, daemon=True).start()

    await stop.wait()
    server.close()
    try:
        await asyncio.wait_for(server.wait_closed(), timeout=2)
    except asyncio.TimeoutError:
        pass


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # aiosmtpd warns that AUTH without TLS is unsafe (that is this sink's point) and about its own deprecations.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
