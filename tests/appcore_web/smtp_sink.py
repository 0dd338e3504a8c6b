#!/usr/bin/env python3
"""A real SMTP server for the mail tests (python3-aiosmtpd, Debian).

usage: smtp_sink.py <directory> [--starttls]
Listens on a free 127.0.0.1 port, prints "port <n>" once ready, and writes
every message it receives to <directory>/<n>.eml and, for each attachment,
<directory>/<n>-<filename>; plus <n>.json with the envelope, the headers and
whether the session was encrypted ("tls").
With --starttls it first makes a throw-away CA (<directory>/ca.crt) and a
certificate for 127.0.0.1 signed by it, offers STARTTLS and refuses mail
before it (issue 12).
Runs until SIGTERM (sent by the test, by PID).
"""
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller

out = sys.argv[1]
starttls = "--starttls" in sys.argv[2:]
count = 0
lock = threading.Lock()


class Sink:
    async def handle_DATA(self, server, session, envelope):
        global count
        with lock:
            count += 1
            n = count
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        attachments = []
        for part in message.iter_attachments():
            name = os.path.basename(part.get_filename() or f"part{len(attachments)}")
            with open(os.path.join(out, f"{n}-{name}"), "wb") as f:
                f.write(part.get_payload(decode=True))
            attachments.append({"file_name": name, "content_type": part.get_content_type()})
        body = message.get_body(preferencelist=("plain",))
        info = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "subject": str(message["subject"]), "to": str(message["to"]),
                "text": body.get_content() if body else "", "attachments": attachments,
                "tls": bool(session.ssl)}
        with open(os.path.join(out, f"{n}.eml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(out, f"{n}.json.tmp"), "w") as f:
            json.dump(info, f, ensure_ascii=False)
        os.replace(os.path.join(out, f"{n}.json.tmp"), os.path.join(out, f"{n}.json"))
        return "250 OK"


def throw_away_tls(directory):
    """A CA and a server certificate for 127.0.0.1 (openssl), as an SSLContext."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=smtp-sink test CA", "-days", "2", "-keyout", "ca.key", "-out", "ca.crt")
    run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.crt")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(directory, "server.crt"),
                            os.path.join(directory, "server.key"))
    return context


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


tls_context = throw_away_tls(out) if starttls else None
# aiosmtpd's Controller cannot take port 0 (it connects to the port to check
# the start), so a free port is probed first; a collision retries.
for attempt in range(10):
    port = free_port()
    options = {}
    if starttls:
        options = {"tls_context": tls_context, "require_starttls": True}
    controller = Controller(Sink(), hostname="127.0.0.1", port=port, **options)
    try:
        controller.start()
        break
    except (OSError, RuntimeError):
        continue
else:
    sys.exit("smtp_sink: no free port")
print(f"port {port}", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
