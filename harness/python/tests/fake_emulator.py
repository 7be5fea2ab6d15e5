#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A tiny stand-in emulator for testing the harness itself.

Understands libqtest's command line (-qtest unix:P, -qtest-log F,
-chardev socket,path=P,id=char0 -mon ..., -chardev socket,id=s0,path=P
-serial chardev:s0), connects to the test's sockets and serves:

qtest: endianness, read[bwlq]/write[bwlq] on a sparse memory, inb, read,
       write, b64read, b64write, memset, clock_step, clock_set,
       "fake_irq N LEVEL" (reports an IRQ line before OK), and a write of
       0x5555 / (code << 16 | 0x3333) to 0x100000 exits like sifive-test.
QMP:   greeting, qmp_capabilities, query-status, stop, cont, quit,
       system_reset; SIGTERM -> SHUTDOWN event and exit 0.
serial: echoes what it receives, upper-cased.

Extra options for tests: -fake-exit N (exit at once with N),
-fake-hang (ignore SIGTERM), -fake-noconnect (never connect).
"""

import base64
import json
import os
import select
import signal
import socket
import sys
import time


def parse(argv):
    opts = {"qtest": None, "log": None, "qmp": None, "serial": None,
            "exit": None, "hang": False, "noconnect": False}
    i = 1
    chardevs = {}
    while i < len(argv):
        a = argv[i]
        if a == "-qtest":
            opts["qtest"] = argv[i + 1].split(":", 1)[1]
            i += 2
        elif a == "-qtest-log":
            opts["log"] = argv[i + 1]
            i += 2
        elif a == "-chardev":
            kv = dict(x.split("=", 1) for x in argv[i + 1].split(",")[1:])
            chardevs[kv["id"]] = kv["path"]
            i += 2
        elif a == "-mon":
            opts["qmp"] = chardevs[argv[i + 1].split(",")[0].split("=")[1]]
            i += 2
        elif a == "-serial":
            opts["serial"] = chardevs[argv[i + 1].split(":", 1)[1]]
            i += 2
        elif a == "-fake-exit":
            opts["exit"] = int(argv[i + 1])
            i += 2
        elif a == "-fake-hang":
            opts["hang"] = True
            i += 1
        elif a == "-fake-noconnect":
            opts["noconnect"] = True
            i += 1
        elif a in ("-display", "-machine", "-M", "-accel", "-m"):
            i += 2
        elif a.startswith("-"):
            sys.stderr.write(f"fake: {a}: invalid option\n")
            sys.exit(1)
        else:
            i += 1
    return opts


class Fake:
    def __init__(self, opts):
        self.opts = opts
        self.mem = {}
        self.clock = 0
        self.t0 = time.monotonic()
        self.log = open(opts["log"], "w") if opts["log"] else sys.stderr
        self.qmp = self.qtest = self.serial = None
        self.qbuf = b""
        self.mbuf = ""
        self.negotiated = False
        self.status = "running"
        self.term = False

    def stamp(self):
        return time.monotonic() - self.t0

    def connect(self, path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        return s

    def event(self, name, data=None):
        if not self.negotiated:
            return
        ev = {"timestamp": {"seconds": int(time.time()), "microseconds": 0},
              "event": name}
        if data is not None:
            ev["data"] = data
        self.qmp.sendall(json.dumps(ev).encode() + b"\r\n")

    def qsend(self, text):
        self.log.write(f"[S +{self.stamp():.6f}] {text}\n")
        self.log.flush()
        self.qtest.sendall(text.encode("latin-1") + b"\n")

    def rd(self, addr, n):
        return bytes(self.mem.get(addr + i, 0) for i in range(n))

    def wr(self, addr, data):
        for i, b in enumerate(data):
            self.mem[addr + i] = b

    def qcommand(self, line):
        self.log.write(f"[R +{self.stamp():.6f}] {line}\n")
        w = line.split(" ")
        c = w[0]
        sizes = {"b": 1, "w": 2, "l": 4, "q": 8}
        try:
            if c == "endianness":
                return self.qsend("OK little")
            if c in ("readb", "readw", "readl", "readq"):
                n = sizes[c[-1]]
                v = int.from_bytes(self.rd(int(w[1], 0), n), "little")
                return self.qsend(f"OK 0x{v:016x}")
            if c in ("writeb", "writew", "writel", "writeq"):
                n = sizes[c[-1]]
                addr, v = int(w[1], 0), int(w[2], 0) % (1 << 64)
                if addr == 0x100000:
                    if v & 0xffff == 0x5555:
                        os._exit(0)
                    if v & 0xffff == 0x3333:
                        os._exit((v >> 16) & 0xff)
                self.wr(addr, (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little"))
                return self.qsend("OK")
            if c == "inb":
                return self.qsend("OK 0x00ff")
            if c == "read":
                data = self.rd(int(w[1], 0), int(w[2], 0))
                return self.qsend("OK 0x" + data.hex())
            if c == "write":
                n = int(w[2], 0)
                if len(w[3]) < 3:
                    return self.qsend("ERR invalid argument size")
                data = bytes.fromhex(w[3][2:].ljust(2 * n, "0")[:2 * n])
                self.wr(int(w[1], 0), data)
                return self.qsend("OK")
            if c == "b64read":
                data = self.rd(int(w[1], 0), int(w[2], 0))
                return self.qsend("OK " + base64.b64encode(data).decode())
            if c == "b64write":
                data = base64.b64decode(w[3])[:int(w[2], 0)]
                self.wr(int(w[1], 0), data)
                return self.qsend("OK")
            if c == "memset":
                self.wr(int(w[1], 0), bytes([int(w[3], 0) & 0xff])
                        * int(w[2], 0))
                return self.qsend("OK")
            if c == "clock_step":
                self.clock += int(w[1], 0) if len(w) > 1 else 0
                return self.qsend(f"OK {self.clock}")
            if c == "clock_set":
                self.clock = max(self.clock, int(w[1], 0))
                return self.qsend(f"OK {self.clock}")
            if c == "fake_irq":
                self.qsend(f"IRQ {'raise' if int(w[2]) else 'lower'} {w[1]}")
                return self.qsend("OK")
            if c == "fake_irq_at":
                # "fake_irq_at N NS": pulse line N at virtual time NS
                # (reported during the clock_step that passes it)
                self.pulse = (int(w[1]), int(w[2]))
                return self.qsend("OK")
        except (IndexError, ValueError):
            return self.qsend("FAIL bad arguments")
        return self.qsend(f"FAIL Unknown command '{c}'")

    def qmp_command(self, msg):
        name = msg.get("execute")
        rid = msg.get("id")

        def reply(obj):
            if rid is not None:
                obj["id"] = rid
            self.qmp.sendall(json.dumps(obj).encode() + b"\r\n")

        if not self.negotiated:
            if name == "qmp_capabilities":
                self.negotiated = True
                return reply({"return": {}})
            return reply({"error": {"class": "CommandNotFound", "desc":
                         "Expecting capabilities negotiation with "
                         "'qmp_capabilities'"}})
        if name == "query-status":
            return reply({"return": {"status": self.status, "singlestep":
                                     False,
                                     "running": self.status == "running"}})
        if name == "stop":
            if self.status == "running":
                self.status = "paused"
                self.event("STOP")
            return reply({"return": {}})
        if name == "cont":
            if self.status != "running":
                self.status = "running"
                self.event("RESUME")
            return reply({"return": {}})
        if name == "system_reset":
            self.event("RESET", {"guest": False,
                                 "reason": "host-qmp-system-reset"})
            return reply({"return": {}})
        if name == "quit":
            self.event("SHUTDOWN", {"guest": False, "reason": "host-qmp-quit"})
            reply({"return": {}})
            sys.exit(0)
        return reply({"error": {"class": "CommandNotFound",
                                "desc": f"The command {name} has not been "
                                        f"found"}})

    def run(self):
        o = self.opts
        if o["exit"] is not None:
            sys.stderr.write("fake: exiting as told\n")
            sys.exit(o["exit"])
        if o["noconnect"]:
            time.sleep(3600)
        if o["hang"]:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        else:
            signal.signal(signal.SIGTERM, lambda *a: setattr(self, "term",
                                                             True))
        if o["serial"]:
            self.serial = self.connect(o["serial"])
        if o["qmp"]:
            self.qmp = self.connect(o["qmp"])
            self.qmp.sendall(b'{"QMP": {"version": {"qemu": {"micro": 0, '
                             b'"minor": 2, "major": 7}, "package": "fake"}, '
                             b'"capabilities": []}}\r\n')
        self.qtest = self.connect(o["qtest"])
        self.log.write(f"[I {self.stamp():.6f}] OPENED\n")
        self.pulse = None
        dec = json.JSONDecoder()
        while True:
            if self.term:
                self.event("SHUTDOWN", {"guest": False,
                                        "reason": "host-signal"})
                self.log.write(f"[I +{self.stamp():.6f}] CLOSED\n")
                self.log.flush()
                sys.exit(0)
            fds = [s for s in (self.qtest, self.qmp, self.serial) if s]
            try:
                ready = select.select(fds, [], [], 0.1)[0]
            except InterruptedError:
                continue
            for s in ready:
                data = s.recv(65536)
                if not data:
                    if s is self.qtest:
                        self.qtest = None
                    elif s is self.qmp:
                        self.qmp = None
                    else:
                        self.serial = None
                    continue
                if s is self.serial:
                    self.serial.sendall(data.upper())
                elif s is self.qtest:
                    self.qbuf += data
                    while b"\n" in self.qbuf:
                        line, self.qbuf = self.qbuf.split(b"\n", 1)
                        text = line.decode("latin-1")
                        if self.pulse and text.startswith("clock_step"):
                            n, at = self.pulse
                            step = int(text.split(" ")[1], 0)
                            if self.clock < at <= self.clock + step:
                                self.qsend(f"IRQ raise {n}")
                                self.qsend(f"IRQ lower {n}")
                                self.pulse = None
                        self.qcommand(text)
                else:
                    self.mbuf += data.decode()
                    while True:
                        t = self.mbuf.lstrip()
                        if not t:
                            self.mbuf = ""
                            break
                        try:
                            obj, end = dec.raw_decode(t)
                        except json.JSONDecodeError:
                            self.mbuf = t
                            break
                        self.mbuf = t[end:]
                        self.qmp_command(obj)


if __name__ == "__main__":
    Fake(parse(sys.argv)).run()
