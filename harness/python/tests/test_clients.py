# SPDX-License-Identifier: MIT
"""QTest and QMP clients against scripted servers running in a thread."""

import json
import socket
import threading
import time

import pytest

from benchtop.qmp import QMP, QMPClosed, QMPError, QMPTimeout
from benchtop.qtest import QTest, QTestClosed, QTestError, QTestTimeout


class LineServer:
    """Answers each request line with answer(line) -> list of lines."""

    def __init__(self, answer):
        self.client, self.server = socket.socketpair()
        self.answer = answer
        self.requests = []
        self.chunks = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        buf = b""
        while True:
            try:
                data = self.server.recv(65536)
            except OSError:
                return
            if not data:
                return
            self.chunks.append(data)
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode("latin-1")
                self.requests.append(text)
                out = self.answer(text)
                if out is None:
                    self.server.close()
                    return
                self.server.sendall(b"".join(o.encode() + b"\n" for o in out))

    def close(self):
        self.client.close()
        self.thread.join(2)
        self.server.close()


def memory_answer():
    mem = {}

    def answer(line):
        w = line.split(" ")
        if w[0] == "endianness":
            return ["OK little"]
        if w[0].startswith("write") and len(w[0]) == 6:
            mem[int(w[1], 0)] = int(w[2], 0)
            return ["OK"]
        if w[0].startswith("read") and len(w[0]) == 5:
            return [f"OK 0x{mem.get(int(w[1], 0), 0):016x}"]
        if w[0] == "inb":
            return ["OK 0x00ff"]
        return [f"FAIL Unknown command '{w[0]}'"]
    return answer


def test_cmd_returns_reply_and_fail_raises():
    srv = LineServer(memory_answer())
    qt = QTest(srv.client, timeout=2)
    assert qt.cmd("endianness") == "OK little"
    with pytest.raises(QTestError) as ei:
        qt.cmd("bogus 1")
    assert ei.value.command == "bogus 1"
    assert ei.value.reply == "FAIL Unknown command 'bogus'"
    assert qt.expect_fail("nope") == "FAIL Unknown command 'nope'"
    with pytest.raises(AssertionError):
        qt.expect_fail("endianness")
    srv.close()


def test_typed_helpers_use_libqtest_wire_format():
    srv = LineServer(memory_answer())
    qt = QTest(srv.client, timeout=2)
    qt.writeb(0x10000007, 0xa5)
    qt.writel(0x80000000, 0x12345678)
    assert qt.readb(0x10000007) == 0xa5
    assert qt.readl(0x80000000) == 0x12345678
    qt.writeq(0x80000008, 0xffffffffffffffff)
    assert qt.readq(0x80000008) == 0xffffffffffffffff
    assert srv.requests == [
        "writeb 0x10000007 0xa5", "writel 0x80000000 0x12345678",
        "readb 0x10000007", "readl 0x80000000",
        "writeq 0x80000008 0xffffffffffffffff", "readq 0x80000008"]
    srv.close()


def test_read_write_b64_memset_clock_formats():
    replies = {
        "read 0x1000 0x4": ["OK 0x01020304"],
        "write 0x1000 0x3 0xaabbcc": ["OK"],
        "b64read 0x1000 0x2": ["OK AQI="],
        "b64read 0x1000 0x0": ["OK "],
        "b64write 0x1000 0x3 AQID": ["OK"],
        "memset 0x1000 0x10 0xff": ["OK"],
        "clock_step": ["OK 15000"],
        "clock_step 100": ["OK 15100"],
        "clock_set 20000": ["OK 20000"],
    }
    srv = LineServer(lambda l: replies.get(l, ["FAIL unexpected " + l]))
    qt = QTest(srv.client, timeout=2)
    assert qt.read(0x1000, 4) == b"\x01\x02\x03\x04"
    assert qt.read(0x1000, 0) == b""
    qt.write(0x1000, b"\xaa\xbb\xcc")
    qt.write(0x1000, b"")
    assert qt.b64read(0x1000, 2) == b"\x01\x02"
    assert qt.b64read(0x1000, 0) == b""
    qt.b64write(0x1000, b"\x01\x02\x03")
    qt.memset(0x1000, 0xff, 0x10)
    assert qt.clock_step() == 15000
    assert qt.clock_step(100) == 15100
    assert qt.clock_set(20000) == 20000
    assert qt.clock_ns == 20000
    assert len(srv.requests) == 9  # nothing sent for the empty accesses
    srv.close()


def test_irq_lines_are_recorded_not_returned():
    def answer(line):
        if line == "writeb 0x10000001 0x2":
            return ["IRQ raise 10", "OK"]
        if line == "readb 0x10000002":
            return ["IRQ lower 10", "OK 0x0000000000000002"]
        if line == "inb 0x0":
            return ["OK 0x00ff"]
        if line == "clock_step 1000":
            return ["IRQ raise 7", "IRQ lower 7", "OK 1000"]
        return ["FAIL"]
    srv = LineServer(answer)
    qt = QTest(srv.client, timeout=2)
    qt.writeb(0x10000001, 2)
    assert qt.irq_levels[10] is True
    assert qt.readb(0x10000002) == 2
    assert qt.get_irq(10) is False
    assert srv.requests[-1] == "inb 0x0"
    assert qt.clock_step(1000) == 1000
    hist = [(e.line, e.level, e.clock_ns) for e in qt.irq_history]
    assert hist == [(10, True, 0), (10, False, 0), (7, True, 1000),
                    (7, False, 1000)]
    assert qt.irq_history[0].command == "writeb 0x10000001 0x2"
    assert [e.level for e in qt.irq_events(7)] == [True, False]
    srv.close()


def test_wait_irq_sees_a_pulse_shorter_than_a_step():
    now = [0]

    def answer(line):
        if line == "inb 0x0":
            return ["OK 0x00ff"]
        if line.startswith("clock_step "):
            now[0] += int(line.split()[1])
            if now[0] == 3000:
                return ["IRQ raise 5", "IRQ lower 5", f"OK {now[0]}"]
            return [f"OK {now[0]}"]
        return ["FAIL"]
    srv = LineServer(answer)
    qt = QTest(srv.client, timeout=2)
    assert qt.wait_irq(5, True, step_ns=1000, max_ns=10000) == 3000
    assert qt.get_irq(5) is False
    with pytest.raises(AssertionError, match="IRQ 5 did not go high"):
        qt.wait_irq(5, True, step_ns=1000, max_ns=4000)
    srv.close()


def test_pipeline_and_split_reads():
    srv = LineServer(memory_answer())
    qt = QTest(srv.client, timeout=2)
    replies = qt.pipeline(["writel 0x10 0x7", "readl 0x10", "endianness"])
    assert replies == ["OK", "OK 0x0000000000000007", "OK little"]
    assert srv.chunks[0] == b"writel 0x10 0x7\nreadl 0x10\nendianness\n"
    srv.close()


def test_raw_line_view_keeps_irq_lines():
    srv = LineServer(lambda l: ["IRQ raise 0", "OK"])
    qt = QTest(srv.client, timeout=2)
    qt.send_raw(b"writeb 0x1 0x2\n")
    assert qt.read_raw_line() == b"IRQ raise 0\n"
    assert qt.read_raw_line() == b"OK\n"
    assert qt.irq_history == []
    srv.close()


def test_timeout_carries_stderr_tail():
    srv = LineServer(lambda l: [])  # never answers
    qt = QTest(srv.client, timeout=0.2,
               stderr_tail=lambda: "emulator: something broke")
    t0 = time.monotonic()
    with pytest.raises(QTestTimeout) as ei:
        qt.cmd("readl 0x0")
    assert time.monotonic() - t0 < 2
    assert "'readl 0x0'" in str(ei.value)
    assert "something broke" in str(ei.value)
    srv.close()


def test_eof_raises_closed():
    srv = LineServer(lambda l: None)  # closes on the first request
    qt = QTest(srv.client, timeout=2, stderr_tail=lambda: "bye")
    with pytest.raises(QTestClosed, match="bye"):
        qt.cmd("writel 0x100000 0x5555")
    srv.close()


class QMPServer:
    """Sends scripted chunks; records what the client sent."""

    def __init__(self):
        self.client, self.server = socket.socketpair()
        self.received = b""

    def push(self, data: bytes):
        self.server.sendall(data)

    def take(self, timeout=2.0):
        self.server.settimeout(timeout)
        data = self.server.recv(65536)
        self.received += data
        return data


def test_qmp_stream_parsing_split_and_joined():
    srv = QMPServer()
    qmp = QMP(srv.client, timeout=2)
    greeting = (b'{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, '
                b'"major": 7}, "package": ""}, "capabilities": []}}\r\n')
    srv.push(greeting[:10])
    t = threading.Timer(0.05, srv.push, [greeting[10:]])
    t.start()
    assert qmp.greeting()["QMP"]["version"]["qemu"]["major"] == 7
    t.join()
    # two messages in one chunk, one split across chunks
    srv.push(b'{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}'
             b'\r\n{"ret')
    threading.Timer(0.05, srv.push, [b'urn": {}}\r\n']).start()
    assert qmp.cmd("stop") == {}
    assert srv.take() == b'{"execute": "stop"}'  # no trailing newline
    assert [e["event"] for e in qmp.events] == ["STOP"]
    ev = qmp.event_wait("STOP", timeout=0.1)
    assert ev["event"] == "STOP" and qmp.events == []


def test_qmp_error_and_args():
    srv = QMPServer()
    qmp = QMP(srv.client, timeout=2)
    srv.push(b'{"error": {"class": "DeviceNotFound", "desc": "Device \'nope\' '
             b'not found"}}\r\n')
    with pytest.raises(QMPError) as ei:
        qmp.cmd("qom-list", path="nope")
    assert ei.value.error_class == "DeviceNotFound"
    assert ei.value.desc == "Device 'nope' not found"
    assert json.loads(srv.take()) == {"execute": "qom-list",
                                      "arguments": {"path": "nope"}}
    srv.push(b'{"return": "x"}\r\n')
    assert qmp.cmd("human-monitor-command", command_line="info status") == "x"
    assert json.loads(srv.take())["arguments"] == {"command-line":
                                                   "info status"}


def test_qmp_event_wait_keeps_other_events_and_times_out():
    srv = QMPServer()
    qmp = QMP(srv.client, timeout=2)
    srv.push(b'{"event": "RESUME", "timestamp": {"seconds": 1, '
             b'"microseconds": 0}}\r\n{"event": "RESET", "data": {"guest": '
             b'false, "reason": "host-qmp-system-reset"}, "timestamp": '
             b'{"seconds": 1, "microseconds": 0}}\r\n')
    ev = qmp.event_wait("RESET", match={"guest": False})
    assert ev["data"]["reason"] == "host-qmp-system-reset"
    assert [e["event"] for e in qmp.events] == ["RESUME"]
    with pytest.raises(QMPTimeout):
        qmp.event_wait("SHUTDOWN", timeout=0.2)
    srv.server.close()
    with pytest.raises(QMPClosed):
        qmp.event_wait("SHUTDOWN", timeout=1)
