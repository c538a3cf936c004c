#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests: every message lands in a Maildir.

Usage: smtp-sink.py MAILDIR PORTFILE [CERT KEY USER PASSWORD]
With a certificate, the server requires STARTTLS and then AUTH (USER / PASSWORD), as a
production relay does. Writes the port it listens on to PORTFILE once it accepts
connections, then runs until killed. `make test` (Deploy/dev/test.sh) starts and stops it.
"""
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult

maildir, portfile = sys.argv[1], sys.argv[2]
options = {}
if len(sys.argv) == 7:
    cert, key, user, password = sys.argv[3:7]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, data):
        ok = data is not None and data.login == user.encode() and data.password == password.encode()
        # handled=False: let the server answer 535 itself (its default assumes we did).
        return AuthResult(success=ok, handled=False)

    options = dict(tls_context=context, require_starttls=True, auth_required=True,
                   auth_require_tls=True, authenticator=authenticate)

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
# The readiness check of Controller connects without TLS; with require_starttls it still
# gets the greeting, which is all it waits for.
controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port, server_hostname="localhost", **options)
controller.start()
with open(portfile + ".tmp", "w") as f:
    f.write(str(port))
os.rename(portfile + ".tmp", portfile)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
