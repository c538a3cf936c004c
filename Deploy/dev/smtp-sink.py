#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests: every message lands in a Maildir.

Usage: smtp-sink.py MAILDIR PORTFILE
Writes the port it listens on to PORTFILE once it accepts connections, then runs until
killed. `make test` (Deploy/dev/test.sh) starts and stops it.
"""
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

maildir, portfile = sys.argv[1], sys.argv[2]
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port)
controller.start()  # returns once the server answers
with open(portfile + ".tmp", "w") as f:
    f.write(str(port))
import os
os.rename(portfile + ".tmp", portfile)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
