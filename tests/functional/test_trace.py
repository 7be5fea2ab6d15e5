# SPDX-License-Identifier: MIT
"""The -d in_asm,exec,int,mmu traces and -accel tcg,clock=host.

Traces: runs ISA programs of tests/isa (built by meson into
<builddir>/tests/isa) with -d ... -D FILE and checks each channel's line
format (docs/cli.md):

    IN: hart 0 priv M 0x0000000000001000:  00000297  auipc t0,0x0
    Trace 0: hart 0 pc 0x0000000000001000 priv M
    riscv_cpu_do_interrupt: hart:0, async:0, cause:..., epc:0x..., tval:0x...,
        desc=..., priv:3->3, pc:0x...
    mmu: hart 0 load va 0x... priv 1 satp 0x... -> pa 0x... | -> fault cause N

clock=host: small guests assembled with riscv64-linux-gnu-gcc (skipped
without it): one sleeps 2 s of virtual time in WFI (host-coupled: the run
takes at least 2 s; default: the clock jumps), one runs bench/guest-loop.S
at ns-per-insn=1000 (host-coupled: throttled to host time).

Environment: BENCHTOP_BINARY (else $QTEST_QEMU_BINARY, else
<repo>/build/benchtop); BENCHTOP_BUILD_DIR (holding tests/isa/*.bin).
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("BENCHTOP_BINARY") or \
    os.environ.get("QTEST_QEMU_BINARY") or str(REPO / "build" / "benchtop")
BUILD = Path(os.environ.get("BENCHTOP_BUILD_DIR") or (
    Path(BINARY).parent if (Path(BINARY).parent / "tests" / "isa").is_dir()
    else REPO / "build"))
IS_QEMU = "qemu" in os.path.basename(BINARY)
GCC = shutil.which("riscv64-linux-gnu-gcc")
OBJCOPY = shutil.which("riscv64-linux-gnu-objcopy")
TIMEOUT = 60

pytestmark = pytest.mark.skipif(IS_QEMU, reason="Benchtop's trace formats")

IN_ASM_RE = re.compile(
    r"^IN: hart 0 priv ([MSU]) 0x([0-9a-f]{16}):  ([0-9a-f]{4}|[0-9a-f]{8})"
    r" +(\S.*)$")
EXEC_RE = re.compile(r"^Trace 0: hart 0 pc 0x([0-9a-f]{16}) priv ([MSU])$")
INT_RE = re.compile(
    r"^riscv_cpu_do_interrupt: hart:0, async:([01]), cause:([0-9a-f]{16}), "
    r"epc:0x([0-9a-f]{16}), tval:0x([0-9a-f]{16}), desc=(\w+), "
    r"priv:(\d)->(\d), pc:0x([0-9a-f]{16})$")
MMU_RE = re.compile(
    r"^mmu: hart 0 (fetch|load|store) va 0x([0-9a-f]{16}) priv (\d) "
    r"satp 0x([0-9a-f]{16}) -> (pa 0x[0-9a-f]{16}|fault cause \d+)$")


def isa_image(prog):
    path = BUILD / "tests" / "isa" / (prog + ".bin")
    if not path.exists():
        pytest.skip("%s not built" % path)
    return path


def run_traced(tmp_path, prog, items):
    log = tmp_path / "trace.log"
    proc = subprocess.run(
        [BINARY, "-M", "virt", "-bios", str(isa_image(prog)), "-display",
         "none", "-nodefaults", "-serial", "null", "-d", items, "-D",
         str(log)], stdin=subprocess.DEVNULL, capture_output=True,
        timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return log.read_text().splitlines()


def test_in_asm_and_exec(tmp_path):
    lines = run_traced(tmp_path, "traps", "in_asm,exec,int")
    in_asm = [m for m in map(IN_ASM_RE.match, lines) if m]
    execs = [m for m in map(EXEC_RE.match, lines) if m]
    # The boot ROM comes first: auipc t0,0x0 at the reset vector.
    assert in_asm[0].groups() == ("M", "0000000000001000", "00000297",
                                  "auipc t0,0x0")
    assert execs[0].groups() == ("0000000000001000", "M")
    # in_asm shows each instruction once while it stays cached, exec every
    # time it runs.
    assert len(execs) > len(in_asm) > 10
    # Every executed pc was shown, except fetches that fault (the next
    # line is the trap).
    seen = {m.group(2) for m in in_asm}
    for i, line in enumerate(lines):
        m = EXEC_RE.match(line)
        if m and m.group(1) not in seen:
            assert "fault_fetch" in lines[i + 1] or \
                "misaligned_fetch" in lines[i + 1], line
    # A compressed instruction shows its 16-bit parcel.
    assert any(len(m.group(3)) == 4 for m in in_asm)
    # The program leaves M-mode (its ecall checks run in S and U).
    assert {"S", "U"} & {m.group(2) for m in execs}


def test_int_lines(tmp_path):
    lines = run_traced(tmp_path, "traps", "int")
    traps = [m for m in map(INT_RE.match, lines) if m]
    assert traps, "\n".join(lines[:5])
    ecalls = [m for m in traps if m.group(5) == "supervisor_ecall"]
    assert ecalls
    async_, cause, epc, _tval, _desc, old, new, pc = ecalls[0].groups()
    assert (async_, int(cause, 16), old, new) == ("0", 9, "1", "3")
    assert int(pc, 16) != int(epc, 16)  # the trap vector, not the ecall


def test_mmu_lines(tmp_path):
    lines = run_traced(tmp_path, "sv39", "mmu")
    walks = [m for m in map(MMU_RE.match, lines) if m]
    assert walks, "\n".join(lines[:5])
    assert any(m.group(5).startswith("pa ") for m in walks)
    # The program's negative checks take load page faults (cause 13).
    assert any(m.group(5) == "fault cause 13" for m in walks)


def test_no_trace_without_d(tmp_path):
    log = tmp_path / "trace.log"
    subprocess.run([BINARY, "-M", "virt", "-bios", str(isa_image("traps")),
                    "-display", "none", "-nodefaults", "-serial", "null",
                    "-D", str(log)], stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=TIMEOUT, check=True)
    assert log.read_text() == ""


WAIT_S = """
    .globl _start
_start:
    li      t0, 0x200bff8       /* CLINT mtime (10 MHz) */
    ld      t1, 0(t0)
    li      t2, 20000000        /* 2 s */
    add     t1, t1, t2
    li      t3, 0x2004000       /* mtimecmp[0] */
    sd      t1, 0(t3)
    li      t4, 0x80            /* mie.MTIE; mstatus.MIE stays 0 */
    csrw    mie, t4
1:  wfi
    ld      t5, 0(t0)
    bltu    t5, t1, 1b
    li      a0, 0x100000
    li      a1, 0x5555
    sw      a1, 0(a0)
2:  j       2b
"""


def build_guest(tmp_path, name, source=None, defines=()):
    if not GCC or not OBJCOPY:
        pytest.skip("riscv64-linux-gnu-gcc not installed")
    src = tmp_path / (name + ".S")
    if source is None:
        src = REPO / "bench" / (name + ".S")
    else:
        src.write_text(source)
    elf = tmp_path / (name + ".elf")
    out = tmp_path / (name + ".bin")
    subprocess.run([GCC, "-nostdlib", "-Wl,-Ttext=0x80000000",
                    "-Wl,--build-id=none", *defines, str(src), "-o",
                    str(elf)], check=True)
    subprocess.run([OBJCOPY, "-O", "binary", "-j", ".text", str(elf),
                    str(out)], check=True)
    return out


def timed(image, accel):
    start = time.monotonic()
    proc = subprocess.run([BINARY, "-M", "virt", "-bios", str(image),
                           "-display", "none", "-nodefaults", "-accel",
                           accel], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return time.monotonic() - start


def test_clock_host_sleeps_until_deadline(tmp_path):
    image = build_guest(tmp_path, "wait", WAIT_S)
    assert timed(image, "tcg") < 2.0  # deterministic: the clock jumps
    assert timed(image, "tcg,clock=host") >= 2.0


def test_clock_host_throttles(tmp_path):
    # 100000 iterations x 5 instructions x 1000 ns = 0.5 s of virtual time
    image = build_guest(tmp_path, "guest-loop", defines=["-DITERS=100000"])
    assert timed(image, "tcg,ns-per-insn=1000,clock=host") >= 0.5


@pytest.mark.parametrize("prop,message", [
    ("clock=bogus", b"Parameter 'clock' expects 'host' or 'virtual'"),
    ("jit=maybe", b"Parameter 'jit' expects 'on' or 'off'"),
])
def test_tcg_bad_value(prop, message):
    proc = subprocess.run([BINARY, "-M", "none", "-accel", "tcg," + prop],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=TIMEOUT, check=False)
    assert proc.returncode == 1
    assert message in proc.stderr
