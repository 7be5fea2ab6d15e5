# SPDX-License-Identifier: MIT
"""The qtest line protocol byte for byte (spec/qtest-protocol.md).

Replies are compared as raw bytes, including the final "\\n".  Rows the
spec marks ⚠ (QEMU aborts or crashes, Benchtop answers FAIL) are
benchtop_only; everything else must hold for QEMU too.
"""

import os
import re
import select
import signal
import subprocess
import time

import pytest

VIRT = "-machine virt -nodefaults -bios none"
RAM = 0x80000000
TIMEOUT = 10

FAIL_INSTEAD_OF_ABORT = "QEMU aborts or crashes on this input; Benchtop " \
                        "answers FAIL (spec ⚠)"


def exchange(qt, request: bytes) -> bytes:
    """Sends one raw request line and returns the raw reply line."""
    qt.send_raw(request + b"\n")
    return qt.read_raw_line()


def run_transcript(qt, transcript):
    for request, reply in transcript:
        got = exchange(qt, request.encode("latin-1"))
        assert got == reply.encode("latin-1") + b"\n", f"request {request!r}"


def assert_alive(qt):
    assert exchange(qt, b"endianness") == b"OK little\n"


# -- §12.1 memory, PIO and error transcript -----------------------------------

@pytest.mark.machine_args(VIRT)
def test_transcript_memory_pio_errors(qtest):
    run_transcript(qtest, [
        ("readl 0x80000000", "OK 0x0000000000000000"),
        ("writeb 0x80000000 300", "OK"),
        ("readb 0x80000000", "OK 0x000000000000002c"),
        ("writeb 0x80000001 -1", "OK"),
        ("readw 0x80000000", "OK 0x000000000000ff2c"),
        ("writew 0x80000000 0x1234", "OK"),
        ("read 0x80000000 2", "OK 0x3412"),
        ("writel 0x80000000 010", "OK"),
        ("readl 0x80000000", "OK 0x0000000000000008"),
        ("readl 0x1000", "OK 0x0000000000000297"),
        ("read 0x1000 8", "OK 0x9702000013868202"),
        ("write 0x80000000 4 0x112233", "OK"),
        ("read 0x80000000 4", "OK 0x11223300"),
        ("write 0x80000000 4 0x", "ERR invalid argument size"),
        ("read 0x80000000 4", "OK 0x11223300"),
        ("b64read 0x80000000 0", "OK "),
        ("inb 0", "OK 0x00ff"),
        ("inw 0x10", "OK 0xffff"),
        ("READL 0x80000000", "FAIL Unknown command 'READL'"),
        ("irq_intercept_in /machine/nonexistent", "FAIL Unknown device"),
        ("module_load foo bar", "FAIL"),
    ])


@pytest.mark.machine_args(VIRT)
def test_write_and_memory_byte_order(qtest):
    run_transcript(qtest, [
        ("writel 0x80000000 0x12345678", "OK"),
        ("read 0x80000000 4", "OK 0x78563412"),
        ("readq 0x80000000", "OK 0x0000000012345678"),
        ("write 0x80000000 2 0xaabbccdd", "OK"),  # extra digits ignored
        ("read 0x80000000 4", "OK 0xaabb3412"),
        ("write 0x80000004 3 0xABcD0f", "OK"),  # case-insensitive
        ("read 0x80000004 3", "OK 0xabcd0f"),
        ("writeq 0x80000008 0x0102030405060708", "OK"),
        ("read 0x80000008 8", "OK 0x0807060504030201"),
        ("readw 0x8000000a", "OK 0x0000000000000506"),
    ])


@pytest.mark.machine_args(VIRT)
def test_b64_and_memset(qtest):
    run_transcript(qtest, [
        ("memset 0x80000000 8 0", "OK"),
        ("b64write 0x80000000 5 AQI9Pf8=", "OK"),
        ("b64read 0x80000000 5", "OK AQI9Pf8="),
        ("read 0x80000000 6", "OK 0x01023d3dff00"),
        ("memset 0x80000000 8 0", "OK"),
        ("b64write 0x80000000 2 AQIDBA==", "OK"),  # more data than SIZE
        ("read 0x80000000 4", "OK 0x01020000"),
        ("b64write 0x80000000 4 AQ", "ERR invalid argument size"),
        ("memset 0x80000000 4 0x1ff", "OK"),
        ("read 0x80000000 5", "OK 0xffffffff00"),
        ("memset 0x80000000 0 0x11", "OK"),
        ("read 0x80000000 1", "OK 0xff"),
        ("b64read 0x80000000 1", "OK /w=="),
    ])


@pytest.mark.benchtop_only("QEMU 7.2 writes leftover decode-buffer bytes "
                           "when BASE64 is shorter than SIZE")
@pytest.mark.machine_args(VIRT)
def test_b64write_short_data_writes_only_decoded_bytes(qtest):
    run_transcript(qtest, [
        ("memset 0x80000000 4 0xee", "OK"),
        ("b64write 0x80000000 4 AQ==", "OK"),
        ("read 0x80000000 4", "OK 0x01eeeeee"),
    ])


@pytest.mark.machine_args(VIRT)
def test_number_syntax(qtest):
    run_transcript(qtest, [
        ("writel 0x80000000 0x1ffffffff", "OK"),  # truncated to the width
        ("readq 0x80000000", "OK 0x00000000ffffffff"),
        ("writeq 0x80000000 -1", "OK"),  # wraps modulo 2^64
        ("readq 0x80000000", "OK 0xffffffffffffffff"),
        ("writeb 0x80000000 0X7f", "OK"),
        ("readb 0x80000000", "OK 0x000000000000007f"),
        ("writeb 0x80000000 +9", "OK"),
        ("readb 0x80000000", "OK 0x0000000000000009"),
        ("writeb 0x80000000 0", "OK"),
        ("readb 0x80000000", "OK 0x0000000000000000"),
        ("writew 0x80000000 0177", "OK"),  # octal
        ("readw 0x80000000", "OK 0x000000000000007f"),
        ("readl 2147483648", "OK 0x00000000ffff007f"),  # decimal address
        ("readb 0x10000005 extra words", "OK 0x0000000000000060"),
        ("endianness extra", "OK little"),
        ("endianness ", "OK little"),
    ])


@pytest.mark.machine_args(VIRT)
def test_unmapped_memory_reads_zero(qtest):
    run_transcript(qtest, [
        ("readl 0x5000000000", "OK 0x0000000000000000"),
        ("readq 0xffffffffffffff00", "OK 0x0000000000000000"),
        ("read 0x5000000000 4", "OK 0x00000000"),
        ("writel 0x5000000000 0x1234", "OK"),
        ("readl 0x5000000000", "OK 0x0000000000000000"),
        ("readl -8", "OK 0x0000000000000000"),
    ])


@pytest.mark.machine_args(VIRT)
def test_port_io_without_ports(qtest):
    run_transcript(qtest, [
        ("inb 0x0", "OK 0x00ff"),
        ("inw 0x10", "OK 0xffff"),
        ("inl 0x60", "OK 0xffffffff"),
        ("outb 0x10 0x1", "OK"),
        ("outw 0x10 0x1", "OK"),
        ("outl 0xffff 0x1", "OK"),
        ("inb 0xffff", "OK 0x00ff"),
    ])


# -- §2 framing -------------------------------------------------------------

@pytest.mark.machine_args(VIRT)
def test_pipelined_requests_in_one_write(qtest):
    qtest.send_raw(b"readl 0x1000\nreadl 0x1004\nendianness\n")
    assert qtest.read_raw_line() == b"OK 0x0000000000000297\n"
    assert qtest.read_raw_line() == b"OK 0x0000000002828613\n"
    assert qtest.read_raw_line() == b"OK little\n"


@pytest.mark.machine_args(VIRT)
def test_many_pipelined_requests(qtest):
    lines = [f"writeb {RAM + i:#x} {i:#x}" for i in range(200)] + \
        [f"readb {RAM + i:#x}" for i in range(200)]
    replies = qtest.pipeline(lines)
    assert replies[:200] == ["OK"] * 200
    assert replies[200:] == [f"OK 0x{i:016x}" for i in range(200)]


@pytest.mark.machine_args(VIRT)
def test_request_split_over_writes(qtest):
    for part in (b"rea", b"db 0x100", b"00005", b"\n"):
        qtest.send_raw(part)
        time.sleep(0.02)
    assert qtest.read_raw_line() == b"OK 0x0000000000000060\n"  # UART LSR
    # libqtest's bufwrite: prefix, payload and newline in three writes
    qtest.send_raw(b"b64write 0x80000000 0x3 ")
    time.sleep(0.02)
    qtest.send_raw(b"AQID")
    time.sleep(0.02)
    qtest.send_raw(b"\n")
    assert qtest.read_raw_line() == b"OK\n"
    assert exchange(qtest, b"read 0x80000000 3") == b"OK 0x010203\n"


def test_tabs_and_case_are_not_forgiven(qtest):
    assert exchange(qtest, b"readl\t0x80000000") == \
        b"FAIL Unknown command 'readl\t0x80000000'\n"
    assert exchange(qtest, b"Endianness") == \
        b"FAIL Unknown command 'Endianness'\n"
    assert_alive(qtest)


def test_long_garbage_line(qtest):
    word = b"x" * 200_000
    assert exchange(qtest, word) == b"FAIL Unknown command '" + word + b"'\n"
    assert_alive(qtest)


def test_binary_garbage_line(qtest):
    word = bytes(range(0x80, 0x100)) + b"\x01\x02\x7f"
    assert exchange(qtest, word) == b"FAIL Unknown command '" + word + b"'\n"
    assert_alive(qtest)


@pytest.mark.benchtop_only("an empty line makes QEMU abort")
def test_empty_line(qtest):
    assert exchange(qtest, b"") == b"FAIL Unknown command ''\n"
    qtest.send_raw(b"\n\nendianness\n")
    assert qtest.read_raw_line() == b"FAIL Unknown command ''\n"
    assert qtest.read_raw_line() == b"FAIL Unknown command ''\n"
    assert qtest.read_raw_line() == b"OK little\n"


@pytest.mark.benchtop_only("a carriage return makes the word invalid; QEMU "
                           "aborts")
@pytest.mark.machine_args(VIRT)
def test_carriage_return_is_not_stripped(qtest):
    assert exchange(qtest, b"readl 0x80000000\r") == \
        b"FAIL invalid number '0x80000000\r'\n"
    assert exchange(qtest, b"endianness\r") == \
        b"FAIL Unknown command 'endianness\r'\n"
    assert_alive(qtest)


# -- ⚠ rows: FAIL instead of abort --------------------------------------------

FAIL_ROWS = [
    ("readl 0xzz", "FAIL invalid number '0xzz'"),
    ("readl 1e3", "FAIL invalid number '1e3'"),
    ("writel 0x80000000 0x10zz", "FAIL invalid number '0x10zz'"),
    ("readq 0x10000000000000000", "FAIL invalid number '0x10000000000000000'"),
    ("readl  0x80000000", "FAIL invalid number ''"),
    ("readb 0x80000000  ", "OK 0x0000000000000000"),  # trailing words ignored
    ("clock_step 1e3", "FAIL invalid number '1e3'"),
    ("clock_set 0x", "FAIL invalid number '0x'"),
    ("set_irq_in /machine/uart0 irq 99999999999 1",
     "FAIL invalid number '99999999999'"),
    ("readl", "FAIL missing argument"),
    ("writel 0x80000000", "FAIL missing argument"),
    ("read 0x80000000", "FAIL missing argument"),
    ("write 0x80000000 4", "FAIL missing argument"),
    ("b64write 0x80000000 4", "FAIL missing argument"),
    ("memset 0x80000000 4", "FAIL missing argument"),
    ("irq_intercept_in", "FAIL missing argument"),
    ("set_irq_in /machine/uart0 irq 0", "FAIL missing argument"),
    ("module_load foo", "FAIL missing argument"),
    ("outb 0x10000 1", "FAIL port out of range"),
    ("inb 0x10000", "FAIL port out of range"),
    ("inl -1", "FAIL port out of range"),
    ("read 0x80000000 0", "FAIL zero size"),
    ("write 0x80000000 2 0xzz11", "FAIL invalid hex data"),
    ("read 0x80000000 0x20000000", "FAIL size too large"),
    ("b64read 0x80000000 0x40000000", "FAIL size too large"),
    ("memset 0x80000000 0x40000000 0", "FAIL size too large"),
    ("write 0x80000000 0x40000000 0x00", "FAIL size too large"),
    ("irq_intercept_in /machine", "FAIL Unknown device"),
    ("irq_intercept_out /machine", "FAIL Unknown device"),
    ("set_irq_in /machine/uart0 nosuch 0 1", "FAIL Unknown GPIO"),
]


@pytest.mark.benchtop_only(FAIL_INSTEAD_OF_ABORT)
@pytest.mark.machine_args(VIRT)
@pytest.mark.parametrize("request_,reply", FAIL_ROWS,
                         ids=[r for r, _ in FAIL_ROWS])
def test_fail_instead_of_abort(qtest, request_, reply):
    assert exchange(qtest, request_.encode()) == reply.encode() + b"\n"
    assert_alive(qtest)
    assert exchange(qtest, b"writel 0x80000010 0x5a") == b"OK\n"
    assert exchange(qtest, b"readl 0x80000010") == b"OK 0x000000000000005a\n"


@pytest.mark.benchtop_only(FAIL_INSTEAD_OF_ABORT)
@pytest.mark.machine_args(VIRT)
def test_many_bad_lines_in_one_write(qtest):
    qtest.send_raw(b"".join(r.encode() + b"\n" for r, _ in FAIL_ROWS))
    for _, reply in FAIL_ROWS:
        assert qtest.read_raw_line() == reply.encode() + b"\n"
    assert_alive(qtest)


# -- clock (§8, 10.0+ replies) ----------------------------------------------

def test_clock_moves_only_forward_by_command(qtest):
    run_transcript(qtest, [
        ("clock_step 1000", "OK 1000"),
        ("clock_set 5000", "OK 5000"),
        ("clock_step 10", "OK 5010"),
        ("clock_set 0x2000", "OK 8192"),
    ])


@pytest.mark.benchtop_only("QEMU 7.2 answers 'OK <now>'; Benchtop gives the "
                           "10.0+ replies")
def test_clock_replies_without_progress(qtest):
    run_transcript(qtest, [
        ("clock_step", "FAIL cannot advance clock to the next deadline "
                       "because there is no pending deadline"),
        ("clock_set 5000", "OK 5000"),
        ("clock_set 100", "FAIL 5000"),
        ("clock_step 1", "OK 5001"),
    ])


# -- IRQ lines ---------------------------------------------------------------

@pytest.mark.benchtop_only("intercepts /machine/uart0's named output 'irq'")
@pytest.mark.machine_args(VIRT)
def test_irq_lines_precede_the_reply(qtest):
    run_transcript(qtest, [("irq_intercept_out /machine/uart0 irq", "OK")])
    qtest.send_raw(b"writeb 0x10000001 0x02\n")  # IER.ETBEI: THRE at once
    assert qtest.read_raw_line() == b"IRQ raise 0\n"
    assert qtest.read_raw_line() == b"OK\n"
    qtest.send_raw(b"readb 0x10000002\n")  # IIR 0x02, reading it clears it
    assert qtest.read_raw_line() == b"IRQ lower 0\n"
    assert qtest.read_raw_line() == b"OK 0x0000000000000002\n"
    assert exchange(qtest, b"writeb 0x10000001 0x00") == b"OK\n"  # no change
    # pipelined: each IRQ line sits right before the reply that caused it
    qtest.send_raw(b"writeb 0x10000001 0x02\nendianness\n"
                   b"writeb 0x10000001 0x00\n")
    assert [qtest.read_raw_line() for _ in range(5)] == [
        b"IRQ raise 0\n", b"OK\n", b"OK little\n", b"IRQ lower 0\n", b"OK\n"]
    # the same device again: OK
    assert exchange(qtest, b"irq_intercept_out /machine/uart0 irq") == b"OK\n"


# -- §11 the qtest log ------------------------------------------------------

LOG_OPENED = re.compile(r"^\[I \d+\.\d{6}\] OPENED$")
LOG_CLOSED = re.compile(r"^\[I \+\d+\.\d{6}\] CLOSED$")
LOG_RECORD = re.compile(r"^\[([RS]) \+(\d+\.\d{6})\] (.*)$")


def parse_log(text):
    lines = text.splitlines()
    records = []
    for line in lines[1:]:
        m = LOG_RECORD.match(line)
        if m:
            records.append((m.group(1), float(m.group(2)), m.group(3)))
    return lines, records


@pytest.mark.machine_args(VIRT)
def test_qtest_log_format(machine, qtest):
    qtest.cmd("readb 0x10000005")
    qtest.expect_fail("READL 0x1")
    qtest.cmd("writeb 0x80000000 0x1")
    machine.shutdown()
    lines, records = parse_log(machine.qtest_log_text())
    assert LOG_OPENED.match(lines[0]), lines[0]
    assert LOG_CLOSED.match(lines[-1]), lines[-1]
    assert [(d, t) for d, _, t in records] == [
        ("R", "endianness"), ("S", "OK little"),
        ("R", "readb 0x10000005"), ("S", "OK 0x0000000000000060"),
        ("R", "READL 0x1"), ("S", "FAIL Unknown command 'READL'"),
        ("R", "writeb 0x80000000 0x1"), ("S", "OK"),
    ]
    assert len(lines) == len(records) + 2
    stamps = [t for _, t, _ in records]
    assert stamps == sorted(stamps)


@pytest.mark.benchtop_only("intercepts /machine/uart0's named output 'irq'")
@pytest.mark.machine_args(VIRT)
def test_qtest_log_has_irq_lines(machine, qtest):
    qtest.irq_intercept_out("/machine/uart0", "irq")
    qtest.writeb(0x10000001, 0x02)
    machine.shutdown()
    _, records = parse_log(machine.qtest_log_text())
    texts = [(d, t) for d, _, t in records]
    i = texts.index(("R", "writeb 0x10000001 0x2"))
    assert texts[i + 1:i + 3] == [("S", "IRQ raise 0"), ("S", "OK")]


@pytest.mark.machine_args(VIRT, qtest_log=None)
def test_log_goes_to_stderr_without_qtest_log(machine, qtest):
    qtest.cmd("readb 0x10000005")
    machine.shutdown()
    err = machine.stderr_text().splitlines()
    assert any(LOG_OPENED.match(l) for l in err)
    assert any(re.match(r"^\[R \+\d+\.\d{6}\] readb 0x10000005$", l)
               for l in err)
    assert any(re.match(r"^\[S \+\d+\.\d{6}\] OK 0x0000000000000060$", l)
               for l in err)


# -- §12.3 -qtest stdio -------------------------------------------------------

def read_lines(fd, n, timeout=TIMEOUT):
    buf = b""
    deadline = time.monotonic() + timeout
    while buf.count(b"\n") < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"only {buf!r} on stdout after {timeout} s")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError(f"stdout closed after {buf!r}")
        buf += chunk
    return buf


def test_qtest_stdio(benchtop_binary, tmp_path):
    err_path = tmp_path / "stderr"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [benchtop_binary, "-M", "virt", "-nodefaults", "-display", "none",
             "-bios", "none", "-accel", "qtest", "-qtest", "stdio"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
    try:
        proc.stdin.write(b"endianness\nreadb 0x10000005\nclock_step 1000\n"
                         b"foo\n"
                         b"write 0x80000000 4 0x\n")
        proc.stdin.flush()
        out = read_lines(proc.stdout.fileno(), 5)
        assert out == (b"OK little\nOK 0x0000000000000060\nOK 1000\n"
                       b"FAIL Unknown command 'foo'\n"
                       b"ERR invalid argument size\n")
        proc.stdin.close()
        deadline = time.monotonic() + TIMEOUT
        while b"CLOSED" not in err_path.read_bytes():
            assert time.monotonic() < deadline, err_path.read_text()
            time.sleep(0.05)
        time.sleep(0.2)
        assert proc.poll() is None, "EOF on stdin must not end the run"
        log = err_path.read_text().splitlines()
        assert LOG_OPENED.match(log[0]), log
        records = [LOG_RECORD.match(l) for l in log]
        got = [(m.group(1), m.group(3)) for m in records if m]
        assert got[:9] == [
            ("R", "endianness"), ("S", "OK little"),
            ("R", "readb 0x10000005"), ("S", "OK 0x0000000000000060"),
            ("R", "clock_step 1000"), ("S", "OK 1000"),
            ("R", "foo"), ("S", "FAIL Unknown command 'foo'"),
            ("R", "write 0x80000000 4 0x")]
        # 7.2 forgets the "[S +T] " prefix on this one reply; later
        # releases add it
        assert any(l == "ERR invalid argument size" or
                   re.match(r"^\[S \+\d+\.\d{6}\] ERR invalid argument size$",
                            l) for l in log)
        assert LOG_CLOSED.match([l for l in log if "CLOSED" in l][0])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
