"""A real SMTP server for Unlatch's SMTP tests (tests/smtp.rs), on aiosmtpd.

    server.py --dir DIR [--tls | --implicit-tls] [--user U --password P] [--replies 451,250]

Listens on 127.0.0.1, on a free port, and prints "READY <port>" once it accepts connections.

--tls        offers STARTTLS with a certificate for localhost and 127.0.0.1 from a throwaway CA
             (trustme) made at start; the CA certificate is written to DIR/ca.pem for the client
             to trust.
--implicit-tls
             TLS from the first byte (SMTPS) with such a certificate, and no STARTTLS.
--user/--password
             offers AUTH PLAIN and LOGIN with these credentials: after STARTTLS only with --tls
             (aiosmtpd's default), in the clear without TLS (so that a client's refusal to send
             credentials without TLS is the client's own).
--replies    the reply to each DATA in turn, as codes (the last one repeats; default 250).

Each accepted message is written to DIR/mail-N.json (N from 1): the envelope, whether STARTTLS and
AUTH happened and whether the connection was encrypted, its headers and its parts as read by Python's own e-mail parser. Each AUTH command
and each DATA reply is appended to DIR/events.jsonl. The server exits when its standard input
closes, so a test that dies leaves no server behind.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REPLIES = {
    250: "250 OK",
    451: "451 4.3.0 Try again later",
    550: "550 5.1.1 Mailbox unavailable",
}


class Recorder:
    def __init__(self, directory, replies):
        self.directory = directory
        self.replies = replies
        self.data_seen = 0
        self.stored = 0

    def event(self, **fields):
        with open(os.path.join(self.directory, "events.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(fields) + "\n")

    async def handle_DATA(self, server, session, envelope):
        code = self.replies[min(self.data_seen, len(self.replies) - 1)]
        self.data_seen += 1
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.event(event="data", code=code, message_id=message["Message-ID"])
        if code != 250:
            return REPLIES.get(code, f"{code} scripted reply")
        parts = [
            {"type": part.get_content_type(), "content": part.get_content()}
            for part in message.walk()
            if not part.is_multipart()
        ]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "starttls": session.ssl is not None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": session.auth_data.login.decode() if session.authenticated else None,
            "content_type": message.get_content_type(),
            "headers": {name: str(value) for name, value in message.items()},
            "parts": parts,
        }
        self.stored += 1
        path = os.path.join(self.directory, f"mail-{self.stored}.json")
        # Written whole, then renamed: a reader never sees half a file.
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return REPLIES[250]


class RecordingSMTP(SMTP):
    """Notes every AUTH command, and whether it came over TLS, before answering it."""

    async def smtp_AUTH(self, arg):
        self.event_handler.event(event="auth", tls=self.session.ssl is not None)
        return await super().smtp_AUTH(arg)


def tls_context(directory):
    import trustme

    ca = trustme.CA()
    ca.cert_pem.write_to_path(os.path.join(directory, "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    return context


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, auth_data=auth_data)

    return check


async def serve(args):
    context = tls_context(args.dir) if args.tls or args.implicit_tls else None
    recorder = Recorder(args.dir, [int(code) for code in args.replies.split(",")])
    options = {"hostname": "localhost", "tls_context": context if args.tls else None}
    if args.user is not None:
        options["authenticator"] = authenticator(args.user, args.password)
        # aiosmtpd counts only STARTTLS as TLS; with implicit TLS the connection already is.
        options["auth_require_tls"] = args.tls
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = await loop.create_server(
        lambda: RecordingSMTP(recorder, loop=loop, **options),
        sock=sock,
        ssl=context if args.implicit_tls else None,
    )
    print(f"READY {sock.getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--tls", action="store_true")
    tls.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--replies", default="250")
    args = parser.parse_args()
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
