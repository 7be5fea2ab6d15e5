#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Protocol fuzzer for the qtest server (standard library only).

Starts the emulator as libqtest does (the emulator connects to a Unix socket
this script listens on), then for a while sends random and malformed request
lines: real command names with random, huge and invalid arguments, random
bytes (NUL and CR included), long lines, lines split across writes and
pipelined bursts.  It checks that

  * every complete request line gets exactly one reply line that is not an
    asynchronous "IRQ raise/lower N" line, and that every line is well formed
    (first word OK, FAIL or ERR);
  * no reply is late by more than --timeout seconds (a hang);
  * the process is still alive at the end and answers "endianness" with
    "OK little";
  * SIGTERM ends it with exit status 0.

The sequence of requests depends only on --seed (and on --seconds or
--iterations for its length).  Writes never touch the SiFive test device at
0x100000, whose registers power the machine off.

Usage: fuzz_qtest.py [--seconds N | --iterations N] [--seed S] [BINARY]
BINARY defaults to $QTEST_QEMU_BINARY.  Exit status 0 on success, 1 with a
message on crash, hang or protocol error, 2 on usage errors.
"""

import argparse
import base64
import os
import random
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time

U64 = 1 << 64

COMMANDS = [
    "readb", "readw", "readl", "readq", "writeb", "writew", "writel",
    "writeq", "read", "write", "b64read", "b64write", "memset", "inb", "inw",
    "inl", "outb", "outw", "outl", "endianness", "module_load",
    "irq_intercept_in", "irq_intercept_out", "set_irq_in", "clock_step",
    "clock_set", "bt_version",
]

# Sizes the server accepts (it refuses more); above SIZE_FAST a request
# would spend seconds on one reply, so the generator scales it down.
SIZE_CAP = 256 << 20
SIZE_FAST = 1 << 20

# Where writes may not go: the SiFive test device (0x5555 powers off).
FORBIDDEN = [(0x100000, 0x101000)]

INTERESTING_ADDRS = [
    0x0, 0x1000, 0x1004, 0x101000, 0x2000000, 0x2004000, 0x200bff8,
    0xc000000, 0xc002000, 0xc200000, 0x10000000, 0x10000005, 0x10001000,
    0x10100000, 0x20000000, 0x30000000, 0x40000000, 0x80000000, 0x80001000,
    0x87fffff8, 0x88000000, 0xffffffffffffff00, 0xfffffffffffffff8,
]

PATHS = [
    "/machine/uart0", "/machine/plic", "/machine/soc0/harts[0]", "/machine",
    "/", "uart0", "plic", "/machine/nonexistent", "/machine/qtest",
    "/machine/rtc", "/machine/aclint", "/machine/clint", "harts[0]",
    "/machine/peripheral", "//", "",
]

GPIO_NAMES = ["unnamed-gpio-in", "irq", "sysbus-irq", "source", "mtip",
              "nosuch", ""]


class FuzzError(Exception):
    """A finding: crash, hang or protocol violation."""


def c_strtou64(word):
    """QEMU's qemu_strtou64(base 0) on bytes: value mod 2^64, or None."""
    s = word.lstrip(b" \t\n\v\f\r")
    neg = False
    if s[:1] in (b"+", b"-"):
        neg = s[:1] == b"-"
        s = s[1:]
    if s[:2].lower() == b"0x" and len(s) > 2:
        base, digits = 16, s[2:]
    elif s[:1] == b"0":
        base, digits = 8, s
    else:
        base, digits = 10, s
    if not digits:
        return None
    valid = {8: b"01234567", 10: b"0123456789",
             16: b"0123456789abcdefABCDEF"}[base]
    if any(c not in valid for c in digits):
        return None
    val = int(digits.decode("ascii"), base)
    if val >= U64:
        return None
    return (-val) % U64 if neg else val


def overlaps_forbidden(addr, size):
    """True if [addr, addr+size) (wrapping at 2^64) hits FORBIDDEN."""
    if size <= 0:
        return False
    pieces = [(addr, min(addr + size, U64))]
    if addr + size > U64:
        pieces.append((0, addr + size - U64))
    for lo, hi in pieces:
        for flo, fhi in FORBIDDEN:
            if lo < fhi and flo < hi:
                return True
    return False


class Generator:
    """Deterministic request generator."""

    def __init__(self, seed, huge_lines):
        self.rng = random.Random(seed)
        self.huge_left = huge_lines

    def number(self):
        r = self.rng
        k = r.randrange(20)
        if k < 6:
            return b"%d" % r.choice([0, 1, 2, 3, 4, 7, 8, 16, 255, 256, 4096,
                                     100, 1000, 65535, 65536])
        if k < 11:
            return b"0x%x" % (r.choice(INTERESTING_ADDRS)
                              + r.choice([0, 0, 1, 2, 4, 8, 0x10, 0xff]))
        if k == 11:
            return b"0%o" % r.randrange(0, 4096)
        if k == 12:
            return b"-%d" % r.randrange(0, 1 << r.choice([4, 32, 63, 64]))
        if k == 13:
            return b"0x%x" % r.getrandbits(r.choice([8, 16, 32, 64, 65, 80]))
        if k == 14:
            return b"%d" % r.getrandbits(r.choice([63, 64, 65, 100]))
        return r.choice([b"0xzz", b"1e3", b"", b"0x", b"0x10zz", b"+5",
                         b"-0x10", b"08", b"0x8000000000000000",
                         b"9223372036854775807", b"-9223372036854775808",
                         b"0x7fffffffffffffff", b"18446744073709551616",
                         b"0X1F", b" 5", b"\t7", b"5\r", b"0xffffffff"])

    def size(self):
        r = self.rng
        k = r.randrange(10)
        if k < 7:
            return b"%d" % r.choice([0, 1, 2, 3, 4, 5, 8, 16, 64, 255, 4096])
        if k == 7:
            return r.choice([b"0x10000001", b"-1", b"0xffffffffffffffff",
                             b"0x10000000000000000", b"268435457"])
        return self.number()

    def hexdata(self):
        r = self.rng
        n = r.choice([0, 1, 2, 3, 4, 7, 8, 16, 100])
        digits = "".join(r.choice("0123456789abcdefABCDEF")
                         for _ in range(n))
        k = r.randrange(8)
        if k == 0:
            digits += r.choice("gxz \r")
        word = (r.choice(["0x", "0X", "xx", ""]) if k == 1 else "0x") + digits
        return word.replace(" ", "").encode()

    def b64data(self):
        r = self.rng
        data = bytes(r.getrandbits(8) for _ in range(r.choice([0, 1, 2, 3, 4,
                                                               8, 33])))
        word = base64.b64encode(data)
        k = r.randrange(8)
        if k == 0:
            word = word.rstrip(b"=")
        elif k == 1:
            word += b"!*"
        elif k == 2:
            word = b"A"
        return word

    def path(self):
        r = self.rng
        if r.randrange(10) == 0:
            return self.junk_word()
        p = r.choice(PATHS)
        return p.encode()

    def junk_word(self):
        r = self.rng
        n = r.choice([0, 1, 3, 10, 40])
        return bytes(r.choice(b"abcxyz019/[]_-.\0\r\t\x80\xff")
                     for _ in range(n))

    def args_for(self, cmd):
        r = self.rng
        if cmd in ("readb", "readw", "readl", "readq"):
            return [self.number()]
        if cmd in ("writeb", "writew", "writel", "writeq"):
            return [self.number(), self.number()]
        if cmd in ("read", "b64read"):
            return [self.number(), self.size()]
        if cmd == "write":
            return [self.number(), self.size(), self.hexdata()]
        if cmd == "b64write":
            return [self.number(), self.size(), self.b64data()]
        if cmd == "memset":
            return [self.number(), self.size(), self.number()]
        if cmd in ("inb", "inw", "inl"):
            return [self.number()]
        if cmd in ("outb", "outw", "outl"):
            return [self.number(), self.number()]
        if cmd == "module_load":
            return [b"block", b"curl"]
        if cmd == "irq_intercept_in":
            return [self.path()] + ([r.choice(GPIO_NAMES).encode()]
                                    if r.randrange(4) == 0 else [])
        if cmd == "irq_intercept_out":
            return [self.path()] + ([r.choice(GPIO_NAMES).encode()]
                                    if r.randrange(2) == 0 else [])
        if cmd == "set_irq_in":
            return [self.path(), r.choice(GPIO_NAMES).encode(),
                    self.number(), r.choice([b"0", b"1", b"-1", b"2"])]
        if cmd == "clock_step":
            if r.randrange(3) == 0:
                return []
            return [r.choice([b"%d" % r.randrange(1, 10**6), self.number()])]
        if cmd == "clock_set":
            return [r.choice([b"%d" % r.randrange(0, 10**12),
                              self.number()])]
        return []

    def make_safe(self, cmd, args):
        """Rewrites writes that could reach FORBIDDEN to go to RAM, and
        keeps accepted sizes small enough for a fast round trip."""
        widths = {"writeb": 1, "writew": 2, "writel": 4, "writeq": 8}
        if cmd in ("read", "b64read", "memset", "write") and len(args) >= 2:
            size = c_strtou64(args[1])
            if size is not None and SIZE_FAST < size <= SIZE_CAP:
                args = [args[0], b"0x%x" % SIZE_FAST] + args[2:]
        if cmd in widths:
            size = widths[cmd]
        elif cmd in ("write", "b64write", "memset") and len(args) >= 2:
            size = c_strtou64(args[1])
        else:
            return args
        if not args or size is None:
            return args
        addr = c_strtou64(args[0])
        if addr is not None and overlaps_forbidden(addr, size):
            args = [b"0x80000000"] + args[1:]
            if overlaps_forbidden(0x80000000, size):
                args = [b"0x80000000", b"16"] + args[2:]
        return args

    def command_line(self):
        """One request line without its newline."""
        r = self.rng
        k = r.randrange(100)
        if k < 8:
            # raw random bytes (no newline: the caller adds one)
            n = r.choice([0, 1, 5, 30, 200])
            return bytes(r.choice([r.getrandbits(8), 0, 13, 32])
                         for _ in range(n)).replace(b"\n", b" ")
        if k < 10:
            return self.long_line()
        cmd = r.choice(COMMANDS)
        args = self.args_for(cmd)
        if r.randrange(10) == 0 and args:
            args = args[:r.randrange(len(args))]  # missing arguments
        if r.randrange(15) == 0:
            args = args + [self.junk_word()]  # extra words
        args = self.make_safe(cmd, args)
        name = cmd.encode()
        if r.randrange(40) == 0:
            name = name.upper()
        sep = b"  " if r.randrange(40) == 0 else b" "
        line = sep.join([name] + args)
        if r.randrange(20) == 0:
            line += r.choice([b" ", b"\r", b"\t", b"\0", b"  "])
        return line

    def long_line(self):
        r = self.rng
        if self.huge_left > 0 and r.randrange(20) == 0:
            self.huge_left -= 1
            # over the server's line limit: must be answered, not crash
            return b"write 0x80000000 4 0x" + b"ab" * (33 * 1024 * 1024)
        n = r.choice([1000, 65536, 1 << 20])
        k = r.randrange(3)
        if k == 0:
            return b"write 0x80000000 %d 0x%s" % (
                n // 2, b"5a" * (n // 2))
        if k == 1:
            return b"b64write 0x80001000 %d " % n + base64.b64encode(
                bytes(r.getrandbits(8) for _ in range(256)) * (n // 256))
        return bytes(r.getrandbits(8) for _ in range(64)).replace(
            b"\n", b"x") * (n // 64)

    def burst(self):
        """Bytes for one write: several lines, sometimes a partial one."""
        r = self.rng
        count = r.choice([1, 1, 1, 2, 5, 20, 100])
        data = b"".join(self.command_line() + b"\n" for _ in range(count))
        if r.randrange(10) == 0:
            data += r.choice([b"endian", b"readl 0x8000", b"", b"\r"])
        return data


class Emulator:
    """The emulator process and its qtest connection."""

    def __init__(self, binary, tmpdir, timeout, log):
        self.timeout = timeout
        sock_path = os.path.join(tmpdir, "qtest.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(sock_path)
        listener.listen(1)
        listener.settimeout(0.2)
        self.stderr_path = os.path.join(tmpdir, "stderr")
        self.stderr = open(self.stderr_path, "wb")
        self.args = [binary, "-machine", "virt", "-accel", "qtest",
                     "-qtest", "unix:" + sock_path, "-display", "none",
                     "-qtest-log", log]
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=self.stderr)
        deadline = time.monotonic() + timeout
        self.sock = None
        while self.sock is None:
            try:
                self.sock, _ = listener.accept()
            except socket.timeout:
                if self.proc.poll() is not None:
                    raise FuzzError("emulator exited with status %d before "
                                    "connecting" % self.proc.returncode)
                if time.monotonic() > deadline:
                    raise FuzzError("emulator did not connect within %ss"
                                    % timeout)
        listener.close()
        self.sock.setblocking(False)
        self.rx = bytearray()
        self.replies = 0
        self.irqs = 0
        self.last_replies = []

    def stderr_tail(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            data = f.read()
        return data[-2000:].decode("utf-8", "replace")

    def check_alive(self, grace=0.0):
        """Raises FuzzError if the process is gone (waiting up to @grace
        seconds for it to finish dying)."""
        try:
            status = self.proc.wait(grace) if grace else self.proc.poll()
        except subprocess.TimeoutExpired:
            status = None
        if status is None:
            return
        if status < 0:
            raise FuzzError("emulator killed by signal %s"
                            % signal.Signals(-status).name)
        raise FuzzError("emulator died (exit status %d)" % status)

    def _consume(self):
        while True:
            nl = self.rx.find(b"\n")
            if nl < 0:
                return
            line = bytes(self.rx[:nl])
            del self.rx[:nl + 1]
            if line.startswith(b"IRQ "):
                words = line.split(b" ")
                if (len(words) != 3 or words[1] not in (b"raise", b"lower")
                        or not words[2].isdigit()):
                    raise FuzzError("malformed IRQ line %r" % line[:200])
                self.irqs += 1
                continue
            first = line.split(b" ", 1)[0]
            if first not in (b"OK", b"FAIL", b"ERR"):
                raise FuzzError("malformed reply %r" % line[:200])
            self.replies += 1
            self.last_replies.append(line[:200])
            del self.last_replies[:-5]

    def exchange(self, data, expected_replies):
        """Sends @data while reading replies until there are
        @expected_replies in total; raises FuzzError on hang or crash."""
        sel = selectors.DefaultSelector()
        view = memoryview(data)
        last_progress = time.monotonic()
        try:
            while view or self.replies < expected_replies:
                events = selectors.EVENT_READ
                if view:
                    events |= selectors.EVENT_WRITE
                sel.register(self.sock, events)
                ready = sel.select(0.2)
                sel.unregister(self.sock)
                progressed = False
                for _, mask in ready:
                    if mask & selectors.EVENT_READ:
                        try:
                            chunk = self.sock.recv(1 << 20)
                        except BlockingIOError:
                            chunk = None
                        except ConnectionError as e:
                            self.check_alive(2.0)
                            raise FuzzError("connection lost: %s" % e)
                        if chunk == b"":
                            self.check_alive(2.0)
                            raise FuzzError("emulator closed the connection")
                        if chunk:
                            self.rx += chunk
                            self._consume()
                            progressed = True
                    if mask & selectors.EVENT_WRITE and view:
                        try:
                            n = self.sock.send(view[:1 << 20])
                        except BlockingIOError:
                            n = 0
                        except ConnectionError as e:
                            self.check_alive(2.0)
                            raise FuzzError("connection lost: %s" % e)
                        view = view[n:]
                        progressed = progressed or n > 0
                if self.replies > expected_replies:
                    raise FuzzError("%d replies for %d request lines"
                                    % (self.replies, expected_replies))
                now = time.monotonic()
                if progressed:
                    last_progress = now
                elif now - last_progress > self.timeout:
                    self.check_alive()
                    raise FuzzError("hang: no progress for %ss (%d of %d "
                                    "replies)" % (self.timeout, self.replies,
                                                  expected_replies))
        finally:
            sel.close()

    def terminate(self):
        self.sock.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise FuzzError("emulator ignored SIGTERM for %ss" % self.timeout)
        if status != 0:
            raise FuzzError("exit status %d after SIGTERM (want 0)" % status)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?",
                    default=os.environ.get("QTEST_QEMU_BINARY"),
                    help="emulator binary (default: $QTEST_QEMU_BINARY)")
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="how long to fuzz (default 10)")
    ap.add_argument("--iterations", type=int, default=0,
                    help="number of bursts instead of a duration")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds without progress that count as a hang")
    ap.add_argument("--huge-lines", type=int, default=1,
                    help="how many lines over 64 MiB to send (default 1)")
    ap.add_argument("--qtest-log", default="/dev/null",
                    help="-qtest-log value for the emulator")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print one line per burst")
    ap.add_argument("--save-input", metavar="FILE",
                    help="write every byte sent to FILE (replay with "
                    "-qtest stdio < FILE)")
    opts = ap.parse_args()
    if not opts.binary:
        ap.error("no emulator binary: pass one or set QTEST_QEMU_BINARY")

    gen = Generator(opts.seed, opts.huge_lines)
    saved = open(opts.save_input, "wb") if opts.save_input else None
    sent_lines = 0
    bursts = 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fuzz-qtest-") as tmpdir:
        emu = None
        try:
            emu = Emulator(opts.binary, tmpdir, opts.timeout, opts.qtest_log)
            emu.exchange(b"endianness\n", 1)
            sent_lines = 1
            if emu.last_replies[-1] != b"OK little":
                raise FuzzError("handshake: got %r" % emu.last_replies[-1])
            while True:
                if opts.iterations:
                    if bursts >= opts.iterations:
                        break
                elif time.monotonic() - start >= opts.seconds:
                    break
                data = gen.burst()
                if saved:
                    saved.write(data)
                sent_lines += data.count(b"\n")
                t0 = time.monotonic()
                emu.exchange(data, sent_lines)
                bursts += 1
                if opts.verbose:
                    print("burst %d: %d bytes, %d lines, %.3fs"
                          % (bursts, len(data), data.count(b"\n"),
                             time.monotonic() - t0))
            # finish any partial line, then the final liveness check
            emu.exchange(b"\n", sent_lines + 1)
            emu.exchange(b"endianness\n", sent_lines + 2)
            sent_lines += 2
            if emu.last_replies[-1] != b"OK little":
                raise FuzzError("final endianness: got %r"
                                % emu.last_replies[-1])
            emu.check_alive()
            emu.terminate()
        except FuzzError as e:
            print("fuzz_qtest: FAILED (seed %d, burst %d): %s"
                  % (opts.seed, bursts, e), file=sys.stderr)
            if emu:
                print("  command: %s" % " ".join(emu.args), file=sys.stderr)
                print("  last replies: %r" % emu.last_replies,
                      file=sys.stderr)
                tail = emu.stderr_tail()
                if tail:
                    print("  emulator stderr (tail):\n" + tail,
                          file=sys.stderr)
            return 1
        finally:
            if saved:
                saved.close()
            if emu:
                emu.kill()
    print("fuzz_qtest: OK: seed %d, %d bursts, %d request lines, %d replies, "
          "%d IRQ lines in %.1fs" % (opts.seed, bursts, sent_lines,
                                      emu.replies, emu.irqs,
                                      time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
