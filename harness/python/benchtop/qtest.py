# SPDX-License-Identifier: MIT
"""Client for the qtest line protocol (spec/qtest-protocol.md).

One request line, one reply line; "IRQ raise N" / "IRQ lower N" lines may
arrive before any reply and are recorded, never returned as replies.  A
"FAIL" or "ERR" reply raises QTestError; expect_fail() is for negative
tests.  Every read has a timeout, and the error carries the emulator's
stderr tail when the owner supplied one.
"""

import base64
import os
import select
import socket
import time
from typing import Callable, List, NamedTuple, Optional, Union

DEFAULT_TIMEOUT = 10.0


class QTestError(Exception):
    """The server answered FAIL or ERR to @command."""

    def __init__(self, command: str, reply: str):
        super().__init__(f"qtest {command!r} -> {reply!r}")
        self.command = command
        self.reply = reply


class QTestTimeout(Exception):
    """No complete reply line arrived in time."""


class QTestClosed(Exception):
    """The server closed the connection (the emulator probably exited)."""


class IrqEvent(NamedTuple):
    """One reported level change of an intercepted line.

    clock_ns is the virtual time known to the client when the report was
    handled: the time a clock_step/clock_set reply gave for reports that
    preceded that reply (an upper bound when the step passed the event),
    else the last known time (the clock only moves by those commands).
    """

    clock_ns: int
    line: int
    level: bool
    command: Optional[str]


def _fmt_num(v: int) -> str:
    return f"0x{v:x}"


class QTest:
    """A qtest connection over a socket, or over a pair of file descriptors.

    @conn is a connected socket, or a (read_fd, write_fd) tuple (for
    "-qtest stdio" through pipes).  @stderr_tail is called to decorate
    timeout/EOF errors; @timeout bounds every wait for a reply (seconds).
    """

    def __init__(self, conn: Union[socket.socket, tuple],
                 timeout: float = DEFAULT_TIMEOUT,
                 stderr_tail: Optional[Callable[[], str]] = None):
        if isinstance(conn, socket.socket):
            self._sock = conn
            self._rfd = self._wfd = conn.fileno()
        else:
            self._sock = None
            self._rfd, self._wfd = conn
        self.timeout = timeout
        self._stderr_tail = stderr_tail
        self._buf = b""
        self._eof = False
        self.irq_history: List[IrqEvent] = []
        self.irq_levels = [False] * 256
        self.clock_ns = 0
        self.big_endian: Optional[bool] = None
        self._pending_irq: List[tuple] = []
        self._command: Optional[str] = None

    # -- transport ---------------------------------------------------------

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._rfd = self._wfd = -1

    def fileno(self) -> int:
        return self._rfd

    def _context(self) -> str:
        if self._stderr_tail is None:
            return ""
        tail = self._stderr_tail()
        if not tail:
            return "\n(emulator stderr is empty)"
        return "\nemulator stderr (tail):\n" + tail

    def send_raw(self, data: bytes) -> None:
        """Writes @data as is (no newline added, no reply read)."""
        view = memoryview(data)
        while view:
            try:
                n = os.write(self._wfd, view)
            except (BrokenPipeError, ConnectionResetError) as e:
                raise QTestClosed(f"qtest: write failed: {e}"
                                  + self._context()) from None
            view = view[n:]

    def send(self, line: str) -> None:
        """Sends one request line without reading its reply."""
        self.send_raw(line.encode("latin-1") + b"\n")

    def _fill(self, deadline: float) -> None:
        """Reads once more into the buffer, raising on timeout or EOF."""
        if self._eof:
            raise QTestClosed("qtest: connection closed by the emulator"
                              + self._context())
        left = deadline - time.monotonic()
        if left <= 0:
            raise QTestTimeout(self._timeout_text())
        ready, _, _ = select.select([self._rfd], [], [], left)
        if not ready:
            raise QTestTimeout(self._timeout_text())
        try:
            chunk = os.read(self._rfd, 65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self._eof = True
            raise QTestClosed("qtest: connection closed by the emulator"
                              + (f" while waiting for the reply to "
                                 f"{self._command!r}" if self._command
                                 else "") + self._context())
        self._buf += chunk

    def _timeout_text(self) -> str:
        what = (f"the reply to {self._command!r}" if self._command
                else "a line")
        return (f"qtest: no {what} within {self.timeout} s"
                + (f" (partial: {self._buf[:200]!r})" if self._buf else "")
                + self._context())

    def read_raw_line(self, timeout: Optional[float] = None) -> bytes:
        """Returns the next line exactly as received, with its b"\\n".

        IRQ lines are returned too (and not recorded): this is the
        byte-exact view for protocol tests.
        """
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while b"\n" not in self._buf:
            self._fill(deadline)
        line, self._buf = self._buf.split(b"\n", 1)
        return line + b"\n"

    def read_raw(self, nbytes: int, timeout: Optional[float] = None) -> bytes:
        """Returns exactly @nbytes raw bytes."""
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while len(self._buf) < nbytes:
            self._fill(deadline)
        data, self._buf = self._buf[:nbytes], self._buf[nbytes:]
        return data

    def read_until_eof(self, timeout: Optional[float] = None) -> bytes:
        """Returns everything up to EOF (raises QTestTimeout if none)."""
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while not self._eof:
            try:
                self._fill(deadline)
            except QTestClosed:
                break
        data, self._buf = self._buf, b""
        return data

    # -- replies -----------------------------------------------------------

    def _record_irq(self, line: str) -> bool:
        words = line.split(" ")
        if words[0] != "IRQ":
            return False
        if len(words) < 3:
            raise QTestError(self._command or "", f"malformed line {line!r}")
        n = int(words[2], 0)
        if not 0 <= n < 256:
            raise QTestError(self._command or "", f"IRQ out of range {line!r}")
        level = words[1] == "raise"
        self.irq_levels[n] = level
        self._pending_irq.append((n, level, self._command))
        return True

    def _flush_irq(self) -> None:
        for n, level, command in self._pending_irq:
            self.irq_history.append(IrqEvent(self.clock_ns, n, level, command))
        self._pending_irq = []

    def read_reply(self, timeout: Optional[float] = None) -> str:
        """Reads the next non-IRQ line (without "\\n"), recording IRQ lines."""
        while True:
            raw = self.read_raw_line(timeout)
            line = raw[:-1].decode("latin-1")
            if not self._record_irq(line):
                return line

    def _finish(self, command: str, reply: str) -> None:
        words = reply.split(" ")
        if (command.startswith("clock_step") or command.startswith("clock_set")) \
                and len(words) >= 2:
            try:
                self.clock_ns = int(words[1], 0)
            except ValueError:
                pass
        self._flush_irq()

    def raw_cmd(self, line: str, timeout: Optional[float] = None) -> str:
        """Sends @line and returns the reply, whatever it is."""
        self._command = line
        try:
            self.send(line)
            reply = self.read_reply(timeout)
        finally:
            self._command = None
        self._finish(line, reply)
        return reply

    def cmd(self, line: str, timeout: Optional[float] = None) -> str:
        """Sends @line; returns the reply, raising QTestError on FAIL/ERR."""
        reply = self.raw_cmd(line, timeout)
        if reply.split(" ", 1)[0] != "OK":
            raise QTestError(line, reply)
        return reply

    def expect_fail(self, line: str, timeout: Optional[float] = None) -> str:
        """Sends @line, asserts the reply is not OK and returns it."""
        reply = self.raw_cmd(line, timeout)
        if reply.split(" ", 1)[0] == "OK":
            raise AssertionError(f"qtest {line!r}: expected FAIL/ERR, got "
                                 f"{reply!r}")
        return reply

    def pipeline(self, lines: List[str],
                 timeout: Optional[float] = None) -> List[str]:
        """Sends all @lines in one write; returns their replies in order."""
        self._command = lines[0] if lines else None
        try:
            self.send_raw(b"".join(l.encode("latin-1") + b"\n" for l in lines))
            replies = []
            for line in lines:
                self._command = line
                reply = self.read_reply(timeout)
                self._finish(line, reply)
                replies.append(reply)
        finally:
            self._command = None
        return replies

    def _value(self, line: str) -> int:
        words = self.cmd(line).split(" ")
        if len(words) < 2:
            raise QTestError(line, "reply carries no value")
        return int(words[1], 0)

    # -- typed helpers -----------------------------------------------------

    def endianness(self) -> str:
        word = self.cmd("endianness").split(" ")[1]
        self.big_endian = word == "big"
        return word

    def readb(self, addr: int) -> int:
        return self._value(f"readb {_fmt_num(addr)}") & 0xff

    def readw(self, addr: int) -> int:
        return self._value(f"readw {_fmt_num(addr)}") & 0xffff

    def readl(self, addr: int) -> int:
        return self._value(f"readl {_fmt_num(addr)}") & 0xffffffff

    def readq(self, addr: int) -> int:
        return self._value(f"readq {_fmt_num(addr)}") & 0xffffffffffffffff

    def writeb(self, addr: int, val: int) -> None:
        self.cmd(f"writeb {_fmt_num(addr)} {_fmt_num(val)}")

    def writew(self, addr: int, val: int) -> None:
        self.cmd(f"writew {_fmt_num(addr)} {_fmt_num(val)}")

    def writel(self, addr: int, val: int) -> None:
        self.cmd(f"writel {_fmt_num(addr)} {_fmt_num(val)}")

    def writeq(self, addr: int, val: int) -> None:
        self.cmd(f"writeq {_fmt_num(addr)} {_fmt_num(val)}")

    def inb(self, port: int) -> int:
        return self._value(f"inb {_fmt_num(port)}") & 0xff

    def inw(self, port: int) -> int:
        return self._value(f"inw {_fmt_num(port)}") & 0xffff

    def inl(self, port: int) -> int:
        return self._value(f"inl {_fmt_num(port)}") & 0xffffffff

    def outb(self, port: int, val: int) -> None:
        self.cmd(f"outb {_fmt_num(port)} {_fmt_num(val)}")

    def outw(self, port: int, val: int) -> None:
        self.cmd(f"outw {_fmt_num(port)} {_fmt_num(val)}")

    def outl(self, port: int, val: int) -> None:
        self.cmd(f"outl {_fmt_num(port)} {_fmt_num(val)}")

    def read(self, addr: int, size: int) -> bytes:
        """Raw bytes in address order ("read"); nothing is sent for 0."""
        if size == 0:
            return b""
        line = f"read {_fmt_num(addr)} {_fmt_num(size)}"
        words = self.cmd(line).split(" ")
        data = words[1] if len(words) > 1 else ""
        if not data.startswith("0x") or len(data) != 2 + 2 * size:
            raise QTestError(line, f"bad data word {data[:80]!r}")
        return bytes.fromhex(data[2:])

    def write(self, addr: int, data: bytes) -> None:
        """Raw bytes in address order ("write"); nothing is sent if empty."""
        if not data:
            return
        self.cmd(f"write {_fmt_num(addr)} {_fmt_num(len(data))} "
                 f"0x{bytes(data).hex()}")

    def b64read(self, addr: int, size: int) -> bytes:
        line = f"b64read {_fmt_num(addr)} {_fmt_num(size)}"
        reply = self.cmd(line)
        return base64.b64decode(reply[3:], validate=True)

    def b64write(self, addr: int, data: bytes) -> None:
        self.cmd(f"b64write {_fmt_num(addr)} {_fmt_num(len(data))} "
                 + base64.b64encode(bytes(data)).decode("ascii"))

    def memset(self, addr: int, byte: int, size: int) -> None:
        self.cmd(f"memset {_fmt_num(addr)} {_fmt_num(size)} 0x{byte:02x}")

    def clock_step(self, ns: Optional[int] = None) -> int:
        """Advances the virtual clock by @ns (or to the next deadline)."""
        line = "clock_step" if ns is None else f"clock_step {ns}"
        return self._value(line)

    def clock_set(self, ns: int) -> int:
        return self._value(f"clock_set {ns}")

    def irq_intercept_in(self, path: str, name: Optional[str] = None) -> None:
        self.cmd(f"irq_intercept_in {path}" + (f" {name}" if name else ""))

    def irq_intercept_out(self, path: str, name: Optional[str] = None) -> None:
        self.cmd(f"irq_intercept_out {path}" + (f" {name}" if name else ""))

    def set_irq_in(self, path: str, name: Optional[str], n: int,
                   level: int) -> None:
        name = name or "unnamed-gpio-in"
        self.cmd(f"set_irq_in {path} {name} {n} {int(level)}")

    def module_load(self, prefix: str, lib: str) -> None:
        self.cmd(f"module_load {prefix} {lib}")

    def sync(self) -> None:
        """One dummy round trip ("inb 0x0", like libqtest) to drain IRQ lines."""
        self.cmd("inb 0x0")

    def get_irq(self, n: int) -> bool:
        """Current level of intercepted line @n, after draining IRQ lines."""
        self.sync()
        return self.irq_levels[n]

    def irq_events(self, n: Optional[int] = None,
                   since: int = 0) -> List[IrqEvent]:
        """The recorded transitions (of line @n only, if given)."""
        return [e for e in self.irq_history[since:] if n is None or e.line == n]

    def clear_irq_history(self) -> None:
        self.irq_history = []

    def wait_irq(self, n: int, level: bool = True, step_ns: int = 1000,
                 max_ns: int = 1_000_000_000) -> int:
        """Steps the clock by @step_ns until line @n reaches @level.

        Returns the virtual time at which the change was seen; a pulse
        shorter than one step still counts, because the history keeps
        every transition.  Raises AssertionError after @max_ns of virtual
        time without the change.
        """
        mark = len(self.irq_history)
        if self.get_irq(n) == bool(level):
            return self.clock_ns
        start = self.clock_ns
        while True:
            for e in self.irq_history[mark:]:
                if e.line == n and e.level == bool(level):
                    return e.clock_ns
            if self.clock_ns - start >= max_ns:
                raise AssertionError(
                    f"IRQ {n} did not go {'high' if level else 'low'} within "
                    f"{max_ns} ns of virtual time (now {self.clock_ns} ns)")
            self.clock_step(step_ns)
