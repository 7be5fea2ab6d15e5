# SPDX-License-Identifier: MIT
"""Runs the self-checking ISA programs of tests/isa/ on the emulator.

Each tests/isa/<prog>.S is built (by meson, with the Debian cross toolchain
gcc-riscv64-linux-gnu) into <builddir>/tests/isa/<prog>.bin, a flat image
that -bios loads at 0x80000000 on -machine virt.  The program prints one
line per check on the UART and exits through the SiFive test device:

    ok 3 addw-overflow
    not ok 4 div-by-zero got=0x... want=0x...

Cases: one per program (exit status 0, no "not ok", every expected line
present) and one per check, whose expected order is read from the T_*
invocations in the program's source (see tests/isa/common.h).

Environment:
  BENCHTOP_BINARY     emulator, else $QTEST_QEMU_BINARY, else
                      <builddir>/benchtop; a binary whose name
                      contains "qemu" (qemu-system-riscv64) is treated as
                      the reference: checks listed in
                      tests/isa/qemu-quirks.txt are then expected to fail.
  BENCHTOP_BUILD_DIR  build directory holding tests/isa/*.bin; default:
                      the emulator's directory when it has tests/isa,
                      else <repo>/build.
"""

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ISA_SRC = REPO / "tests" / "isa"


def _binary_and_build():
    """Emulator and build dir from the environment (see the docstring)."""
    binary = os.environ.get("BENCHTOP_BINARY") or \
        os.environ.get("QTEST_QEMU_BINARY")
    build = os.environ.get("BENCHTOP_BUILD_DIR")
    if build is None:
        build = REPO / "build"
        if binary and (Path(binary).parent / "tests" / "isa").is_dir():
            build = Path(binary).parent
    build = Path(build)
    return binary or str(build / "benchtop"), build


BINARY, BUILD = _binary_and_build()
IS_QEMU = "qemu" in os.path.basename(BINARY)
TIMEOUT = 10
CROSS_PACKAGE = "gcc-riscv64-linux-gnu"

LINE_RE = re.compile(r"^(not ok|ok) (\d+) (\S+)(.*)$")
CHECK_RE = re.compile(r"^\s*(T_[A-Z0-9_]+)\s+([^\s,\\][^\s,]*)\s*(,|$)")


def programs():
    """Names of the programs: every tests/isa/*.S except the runtime."""
    return sorted(p.stem for p in ISA_SRC.glob("*.S") if p.stem != "common")


def check_index(prog):
    """Check names of prog in execution order, from its T_* invocations."""
    names = []
    in_macro = False
    for line in (ISA_SRC / (prog + ".S")).read_text().splitlines():
        stripped = line.split("/*")[0].strip()
        if stripped.startswith(".macro"):
            in_macro = True
        elif stripped.startswith(".endm"):
            in_macro = False
        elif not in_macro:
            m = CHECK_RE.match(stripped)
            if m:
                names.append(m.group(2))
    return names


def quirks():
    """{(program, check): reason} from tests/isa/qemu-quirks.txt."""
    result = {}
    path = ISA_SRC / "qemu-quirks.txt"
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        prog, check, reason = line.split(None, 2)
        result[(prog, check)] = reason
    return result


class Run:
    """One emulator run of a program: exit status and parsed lines."""

    def __init__(self, status, output, timed_out):
        self.status = status
        self.output = output
        self.timed_out = timed_out
        self.lines = {}
        self.order = []
        for text in output.splitlines():
            m = LINE_RE.match(text.strip())
            if m:
                result, _num, name, rest = m.groups()
                self.lines[name] = (result, text.strip())
                self.order.append(name)

    def describe(self):
        tail = "\n".join(self.output.splitlines()[-15:])
        state = "timed out after %d s" % TIMEOUT if self.timed_out \
            else "exit status %s" % self.status
        return "%s; last output:\n%s" % (state, tail)


def image(prog):
    path = BUILD / "tests" / "isa" / (prog + ".bin")
    if not path.exists():
        if shutil.which("riscv64-linux-gnu-gcc") is None:
            pytest.skip("RISC-V cross compiler not installed (apt-get install "
                        "%s, or ci/install-deps.sh)" % CROSS_PACKAGE)
        pytest.fail("%s not built: run ninja -C %s" % (path, BUILD))
    return path


@functools.lru_cache(maxsize=None)
def run(prog):
    """Runs prog once per session (the per-check cases share the run)."""
    img = image(prog)
    if not os.path.exists(BINARY):
        pytest.fail("emulator %s not found (set BENCHTOP_BINARY)" % BINARY)
    cmd = [BINARY, "-machine", "virt", "-bios", str(img), "-display", "none",
           "-nodefaults", "-serial", "stdio"]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=TIMEOUT, check=False)
        return Run(proc.returncode, proc.stdout.decode(errors="replace"),
                   False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if exc.stdout else ""
        return Run(None, out, True)


def all_checks():
    params = []
    known = quirks()
    for prog in programs():
        for name in check_index(prog):
            marks = []
            if IS_QEMU and (prog, name) in known:
                marks.append(pytest.mark.xfail(
                    reason="QEMU quirk: " + known[(prog, name)], strict=True))
            params.append(pytest.param(prog, name, marks=marks,
                                       id="%s/%s" % (prog, name)))
    return params


def test_meson_lists_every_program():
    """tests/isa/meson.build builds every tests/isa/*.S."""
    text = (ISA_SRC / "meson.build").read_text()
    listed = re.search(r"isa_programs = \[(.*?)\]", text, re.S).group(1)
    assert sorted(re.findall(r"'([^']+)'", listed)) == programs()


def test_index_names_unique():
    for prog in programs():
        names = check_index(prog)
        dups = {n for n in names if names.count(n) > 1}
        assert not dups, "%s: duplicate check names %s" % (prog, dups)
        assert names, "%s: no checks found" % prog


def test_quirks_name_real_checks():
    for prog, name in quirks():
        assert name in check_index(prog), "qemu-quirks.txt: %s %s" % (prog, name)


@pytest.mark.parametrize("prog", programs())
def test_program(prog):
    """The whole program: every check reported, all ok, exit status 0."""
    r = run(prog)
    expected = check_index(prog)
    assert not r.timed_out, "%s: %s" % (prog, r.describe())
    assert r.order == expected, \
        "%s: reported checks differ from the source index\n%s" % (
            prog, r.describe())
    failed = [name for name in r.order if r.lines[name][0] == "not ok"]
    unexpected = [line for line in r.output.splitlines()
                  if line.startswith("# unexpected")]
    assert not unexpected, "%s: %s" % (prog, "\n".join(unexpected))
    if IS_QEMU:
        known = quirks()
        real = [n for n in failed if (prog, n) not in known]
        assert not real, "%s: %s" % (
            prog, "\n".join(r.lines[n][1] for n in real))
        assert r.status == len(failed), r.describe()
    else:
        assert not failed, "%s:\n%s" % (
            prog, "\n".join(r.lines[n][1] for n in failed))
        assert r.status == 0, "%s: %s" % (prog, r.describe())


@pytest.mark.parametrize("prog,name", all_checks())
def test_check(prog, name):
    """One line of one program."""
    r = run(prog)
    assert name in r.lines, "%s: no line for %s (%s)" % (
        prog, name, r.describe())
    result, text = r.lines[name]
    assert result == "ok", text
