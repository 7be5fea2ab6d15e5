# SPDX-License-Identifier: MIT
"""Baseline register tests generated from the devices' own register maps.

Nothing here names a device or a register: the targets come from the
emulator (QMP query-machines and qom-list-types, then qtest bt_regmap), so
a new device gets these tests without test code.  Targets:

* every machine except "none", started with -nodefaults, and every device
  with registers in it;
* every device type on "-machine none" with -device TYPE,id=dut,addr=...

Checks, one test each per target that has candidate registers for it (a
fresh emulator per test):

  reset         every readable register without a read hook reads its
                reset value
  rw            writable (rw) bits take 0, 1 and patterns and read back
  ro            bits outside rw|w1c|w1s ignore writes
  w1c           w1s bits set when written with 1; w1c bits clear when
                written with 1 and hold when written with 0
  reserved      bits outside every declared field read as the reset value,
                before and after writing them with ones
  access-size   an access narrower than the region accepts reads 0,
                changes nothing and reaches no register (by the counters);
                a wider one reads what its accepted-size pieces read
  device-reset  after dirtying the writable bits, system_reset restores
                every reset value

Safety rules (what may be poked, derived from the map only):

* A register is write-safe when it has no write hook, or when it has one
  but declares stored bits (rw|w1c|w1s non-zero): the default store then
  applies and the hook only reacts.  A hook register with no stored bits
  is a command (transmit a byte, flush a FIFO, end the process): it is
  never written.  This is what keeps the test finisher out, not its name.
* A write at an offset happens only when every register the write could
  reach there (same region, covering the offset, write access) and the
  target itself are write-safe.
* Values written to a hook register keep its undeclared bits 0, except in
  the reserved check, which writes ones only to bits no field declares.
* Registers with a read hook compute what they return (a clock, a FIFO
  head), so reset and write/read-back checks skip them; the ro check
  accepts one when two reads in a row agree.
  rc bits are never compared after a read.
* Banked registers (several registers at one offset) are checked only when
  the access actually reaches them in the state under test: an access at a
  shared offset is followed by bt_regcov, whose counters say which register
  it hit.  The others are left to the device's own tests and listed in the
  notes.

The emulators run with BENCHTOP_REGCOV_TAG=baseline:<check>, so their
accesses never count as hand-written coverage (ci/coverage-gate.py).
"""

import functools
import json
import os
from typing import Dict, List, NamedTuple, Optional, Tuple

import pytest

from benchtop.machine import Machine
from benchtop.pytest_plugin import binary_from_config
from benchtop.regmap import RegInfo, RegMap, RegMapUnavailable

STANDALONE_ADDR = 0x40000000
CHECKS = ["reset", "rw", "ro", "w1c", "reserved", "access-size",
          "device-reset"]
SIZES = (1, 2, 4, 8)


class Target(NamedTuple):
    label: str  # test id part: "virt:uart0", "none+ns16550a:dut"
    args: str
    path: Optional[str]  # device path; None: not available (skip)
    why: str = ""
    checks: Tuple[str, ...] = tuple(CHECKS)  # those with candidates


def applicable(regs: List[RegInfo]) -> Tuple[str, ...]:
    """The checks that have at least one candidate register in the map."""
    def readable(r):
        return r.access in ("r", "rw")

    def reserved(r):
        declared = 0
        for f in r.fields:
            declared |= f.mask
        return r.mask & ~declared & ~r.rc

    has = {
        "reset": any(readable(r) and not r.read_hook for r in regs),
        "rw": any(r.access == "rw" and r.rw and not r.read_hook
                  for r in regs),
        "ro": any(readable(r) and not r.write_hook
                  and r.mask & ~(r.rw | r.w1c | r.w1s) for r in regs),
        "w1c": any(r.w1c | r.w1s for r in regs),
        "reserved": any(r.fields and readable(r) and reserved(r)
                        for r in regs),
        "access-size": any(r.min_access > 1 or r.max_access < 8
                           for r in regs),
    }
    has["device-reset"] = has["reset"]
    return tuple(c for c in CHECKS if has[c])


# -- target discovery (at collection) ---------------------------------------

def _probe(binary: str, args: str) -> Tuple[Optional[Machine], str]:
    m = Machine(args, binary, qtest_log=None, timeout=10, start_timeout=20,
                env={"BENCHTOP_REGCOV": ""})
    try:
        m.launch()
    except Exception as e:  # MachineError, QTestClosed, QTestTimeout
        m.shutdown()
        m.cleanup()
        # the emulator's own message starts with its program name
        prog = os.path.basename(binary) + ":"
        lines = [ln for ln in (str(e) + "\n" + m.stderr_text()).splitlines()
                 if ln.startswith(prog)] or str(e).splitlines()
        return None, lines[-1]
    return m, ""


@functools.lru_cache(maxsize=None)
def discover(binary: str) -> Tuple[Target, ...]:
    targets: List[Target] = []
    m, why = _probe(binary, "-machine none -nodefaults")
    if m is None:
        return (Target("emulator", "", None, f"cannot start: {why}"),)
    try:
        machines = [x["name"] for x in m.qmp.cmd("query-machines")]
        types = [x["name"] for x in m.qmp.cmd("qom-list-types",
                                              implements="device",
                                              abstract=False)]
    finally:
        m.shutdown()
        m.cleanup()
    for name in sorted(machines):
        if name == "none":
            continue
        args = f"-machine {name} -nodefaults"
        targets += _devices_of(binary, args, name)
    for t in sorted(types):
        args = (f"-machine none -nodefaults -device "
                f"{t},id=dut,addr={STANDALONE_ADDR:#x}")
        targets += _devices_of(binary, args, f"none+{t}")
    return tuple(targets)


def _devices_of(binary: str, args: str, label: str) -> List[Target]:
    m, why = _probe(binary, args)
    if m is None:
        if "pluggable" in why:  # not a -device type (a hart, a machine part)
            return []
        return [Target(label, args, None, f"cannot start: {why}")]
    try:
        rm = RegMap.from_qtest(m.qtest)
    except RegMapUnavailable as e:
        return [Target(label, args, None, f"no register map: {e}")]
    finally:
        m.shutdown()
        m.cleanup()
    save_map(rm.doc)
    paths = sorted({r.device_path for r in rm})
    return [Target(f"{label}:{p.rsplit('/', 1)[-1]}", args, p, "",
                   applicable([r for r in rm if r.device_path == p]))
            for p in paths]


def save_map(doc: dict) -> None:
    """With $BENCHTOP_REGCOV_DIR set, keeps the map for the coverage gate
    (it needs each register's access: a read-only one needs no write)."""
    folder = os.environ.get("BENCHTOP_REGCOV_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"regmaps-{os.getpid()}.jsonl"),
                  "a") as f:
            f.write(json.dumps(doc, separators=(",", ":")) + "\n")


def pytest_generate_tests(metafunc):
    if "target" not in metafunc.fixturenames:
        return
    binary = binary_from_config(metafunc.config)
    try:
        targets = discover(binary)
    except OSError as e:
        targets = (Target("emulator", "", None, f"{binary}: {e}"),)
    params = [pytest.param(t, c, id=f"{t.label}-{c}")
              for t in targets for c in t.checks]
    metafunc.parametrize("target,check", params)


# -- access helpers ------------------------------------------------------------

class Dut:
    """The device under test in one emulator, with counter-checked access."""

    def __init__(self, machine: Machine, path: str):
        self.m = machine
        self.q = machine.qtest
        self.path = path
        rm = RegMap.query(self.q, path)
        self.regs = [r for r in rm if r.device_path == path]
        self.problems: List[str] = []
        self.notes: List[str] = []

    # counters

    def counts(self) -> Dict[Tuple[str, str], Tuple[int, int]]:
        doc = json.loads(self.q.cmd(f"bt_regcov {self.path}")[3:])
        out = {}
        for dev in doc["devices"]:
            for c in dev["registers"]:
                out[(c["region"], c["name"])] = (int(c["qtest-reads"]),
                                                 int(c["qtest-writes"]))
        return out

    @staticmethod
    def key(r: RegInfo) -> Tuple[str, str]:
        return (r.region, r.name)

    # raw access at a register's address

    def _read(self, addr: int, size: int) -> int:
        return {1: self.q.readb, 2: self.q.readw, 4: self.q.readl,
                8: self.q.readq}[size](addr)

    def _write(self, addr: int, size: int, value: int) -> None:
        {1: self.q.writeb, 2: self.q.writew, 4: self.q.writel,
         8: self.q.writeq}[size](addr, value & ((1 << (8 * size)) - 1))

    def shared(self, r: RegInfo) -> bool:
        """Does another register of @r's region cover @r's offset?"""
        return any(o is not r and o.region == r.region and
                   o.offset <= r.offset < o.offset + o.width
                   for o in self.regs)

    def read(self, r: RegInfo) -> Optional[int]:
        """Reads @r; None (with a note) when the access hit another one."""
        if not self.shared(r):
            return self._read(r.addr, r.access_size) & r.mask
        before = self.counts()
        v = self._read(r.addr, r.access_size) & r.mask
        after = self.counts()
        if after[self.key(r)][0] <= before[self.key(r)][0]:
            hit = [n for k, n in after.items() if after[k][0] > before[k][0]
                   for n in [k[1]]]
            self.note(r, f"read at +{r.offset:#x} reached "
                         f"{', '.join(hit) or 'no register'} (banked)")
            return None
        return v

    def write(self, r: RegInfo, value: int) -> bool:
        """Writes @r; False (with a note) when the access hit another one."""
        if not self.shared(r):
            self._write(r.addr, r.access_size, value & r.mask)
            return True
        before = self.counts()
        self._write(r.addr, r.access_size, value & r.mask)
        after = self.counts()
        if after[self.key(r)][1] <= before[self.key(r)][1]:
            hit = [k[1] for k in after if after[k][1] > before[k][1]]
            self.note(r, f"write at +{r.offset:#x} reached "
                         f"{', '.join(hit) or 'no register'} (banked)")
            return False
        return True

    # rules

    @staticmethod
    def readable(r: RegInfo) -> bool:
        return r.access in ("r", "rw")

    @staticmethod
    def stored(r: RegInfo) -> int:
        return r.rw | r.w1c | r.w1s

    def write_safe(self, r: RegInfo) -> bool:
        return not r.write_hook or self.stored(r) != 0

    def offset_write_safe(self, r: RegInfo) -> bool:
        """Every register a write at @r's offset could reach is safe."""
        if not self.write_safe(r):
            return False
        for o in self.regs:
            if o.region != r.region or o.access == "r":
                continue
            if o.offset <= r.offset < o.offset + o.width and \
                    not self.write_safe(o):
                return False
        return True

    # reporting

    def note(self, r: RegInfo, text: str) -> None:
        self.notes.append(f"{r.region}.{r.name}: {text}")

    def expect(self, r: RegInfo, what: str, want: int, got: int,
               mask: int) -> None:
        if (want ^ got) & mask:
            diff = r.field_diff(want, got, mask)
            self.problems.append(
                f"{r.device_name}.{r.name} ({r.device_type} {r.device_path}, "
                f"{r.region}+{r.offset:#x} at {r.addr:#x}): {what}: expected "
                f"{want & mask:#0{2 + 2 * r.width}x} under mask "
                f"{mask:#0{2 + 2 * r.width}x}, read {got:#0{2 + 2 * r.width}x}"
                + ("".join(f"; {d}" for d in diff)))


# -- the checks -------------------------------------------------------------

def check_reset(d: Dut) -> int:
    n = 0
    for r in d.regs:
        if not d.readable(r):
            continue
        if r.read_hook:
            d.note(r, "read hook computes the value: no reset check")
            continue
        v = d.read(r)
        if v is not None:
            d.expect(r, "reset value", r.reset, v, r.mask)
            n += 1
    return n


def check_rw(d: Dut) -> int:
    n = 0
    for r in d.regs:
        if r.access != "rw" or not r.rw:
            continue
        if r.read_hook:
            d.note(r, "read hook: no read-back check")
            continue
        if not d.offset_write_safe(r):
            d.note(r, "a write here may reach a command register")
            continue
        orig = d.read(r)
        if orig is None:
            continue
        care = r.rw & ~r.rc
        keep = 0 if r.write_hook else orig & ~d.stored(r)
        for pattern in (r.rw, 0, 0x5555555555555555 & r.rw,
                        0xAAAAAAAAAAAAAAAA & r.rw):
            if not d.write(r, keep | pattern):
                break
            got = d.read(r)
            if got is None:
                break
            d.expect(r, f"read-back of {keep | pattern:#x}", pattern, got,
                     care)
        d.write(r, keep | (orig & r.rw))  # undo banking/loopback switches
        n += 1
    return n


def check_ro(d: Dut) -> int:
    n = 0
    for r in d.regs:
        ro = r.mask & ~d.stored(r)
        if not ro or not d.readable(r) or r.write_hook:
            continue
        if not d.offset_write_safe(r):
            d.note(r, "a write here may reach a command register")
            continue
        before = d.read(r)
        if before is None:
            continue
        if r.read_hook:
            again = d.read(r)
            if again != before:
                d.note(r, "read hook value not stable: no ro check")
                continue
        care = ro & ~r.rc
        d._write(r.addr, r.access_size, (before ^ ro) & r.mask & ~r.w1c)
        after = d.read(r)
        if after is None:
            continue
        d.expect(r, "read-only bits after writing their complement",
                 before, after, care)
        n += 1
    return n


def check_w1c(d: Dut) -> int:
    n = 0
    for r in d.regs:
        if not (r.w1c | r.w1s):
            continue
        if not d.readable(r) or r.read_hook:
            d.note(r, "not readable without side effects: no w1c/w1s check")
            continue
        if not d.offset_write_safe(r):
            d.note(r, "a write here may reach a command register")
            continue
        if r.w1s:
            if d.write(r, r.w1s):
                got = d.read(r)
                if got is not None:
                    d.expect(r, "w1s bits after writing 1s", r.w1s, got,
                             r.w1s & ~r.w1c & ~r.rc)
        if r.w1c:
            before = d.read(r)
            if before is not None and d.write(r, 0):
                got = d.read(r)
                if got is not None:
                    d.expect(r, "w1c bits after writing 0s", before, got,
                             r.w1c & ~r.rc)
            if d.write(r, r.w1c):
                got = d.read(r)
                if got is not None:
                    d.expect(r, "w1c bits after writing 1s", 0, got,
                             r.w1c & ~r.rc)
        n += 1
    return n


def check_reserved(d: Dut) -> int:
    n = 0
    for r in d.regs:
        if not r.fields or not d.readable(r):
            continue
        declared = 0
        for f in r.fields:
            declared |= f.mask
        reserved = r.mask & ~declared & ~r.rc
        if not reserved:
            continue
        v = d.read(r)
        if v is None:
            continue
        d.expect(r, "reserved bits at reset", r.reset, v, reserved)
        if d.offset_write_safe(r) and not r.read_hook:
            value = (v & r.rw) | reserved
            if d.write(r, value):
                got = d.read(r)
                if got is not None:
                    d.expect(r, "reserved bits after writing 1s", r.reset,
                             got, reserved)
                d.write(r, v & r.rw)
        n += 1
    return n


def check_access_size(d: Dut, regions: Dict[str, Tuple[int, int, int]]
                      ) -> int:
    """Accesses narrower than the region accepts are rejected (read 0,
    writes dropped, no register reached); wider ones are split into the
    widest accepted accesses (docs: address_space_read in emu/memory.h), so
    they read what those pieces read."""
    n = 0
    before = d.counts()
    for r in d.regs:
        lo, hi, size_of_region = regions[r.region]
        for size in SIZES:
            if size >= lo or r.offset % size or \
                    r.offset + size > size_of_region:
                continue
            v = d._read(r.addr, size)
            if v != 0:
                d.problems.append(
                    f"{r.device_name}.{r.name}: {size}-byte read (region "
                    f"accepts {lo}..{hi}) returned {v:#x}, expected 0")
            if d.offset_write_safe(r):
                d._write(r.addr, size, r.mask & ~r.w1c)
            n += 1
    # One look at the counters for the lot: none may have moved.
    after = d.counts()
    touched = [f"{k[0]}.{k[1]}" for k in after if after[k] != before[k]]
    if touched:
        d.problems.append(
            f"{d.path}: accesses narrower than its regions accept reached "
            f"{', '.join(touched)}")
    for r in d.regs:
        lo, hi, size_of_region = regions[r.region]
        for size in SIZES:
            if size <= hi or r.offset % size or \
                    r.offset + size > size_of_region:
                continue
            span = [o for o in d.regs if o.region == r.region and
                    o.offset < r.offset + size and
                    r.offset < o.offset + o.width]
            if any(o.read_hook or o.rc or o.access == "w" for o in span):
                continue  # pieces with side effects: not comparable
            whole = d._read(r.addr, size)
            pieces = 0
            for i in range(size // hi):
                pieces |= d._read(r.addr + i * hi, hi) << (8 * i * hi)
            if whole != pieces:
                d.problems.append(
                    f"{r.device_name}.{r.name}: {size}-byte read (region "
                    f"accepts {lo}..{hi}) returned {whole:#x}, its "
                    f"{hi}-byte pieces read {pieces:#x}")
            n += 1
    return n


def check_device_reset(d: Dut) -> int:
    if d.m.qmp is None:
        pytest.skip("no QMP: cannot system_reset")
    for r in d.regs:
        if r.access == "rw" and r.rw and d.offset_write_safe(r):
            keep = 0 if r.write_hook else r.reset & ~d.stored(r)
            d.write(r, keep | (~r.reset & r.rw))
    d.m.qmp.cmd("system_reset")
    d.m.qmp.event_wait("RESET", timeout=10)
    return check_reset(d)


@pytest.fixture
def dut(request, target, check, machine_factory):
    if target.path is None:
        pytest.skip(f"{target.label}: {target.why}")
    # LeakSanitizer's exit scan of guest RAM costs ~1 s per ASan emulator;
    # leaks are the hand-written tests' job, memory errors stay checked.
    asan = os.environ.get("ASAN_OPTIONS", "")
    m = machine_factory(target.args, qtest_log=None,
                        env={"BENCHTOP_REGCOV_TAG": f"baseline:{check}",
                             "ASAN_OPTIONS": (asan + ":" if asan else "")
                             + "detect_leaks=0"})
    return Dut(m, target.path)


def test_baseline(dut, target, check):
    regions = {}
    for reg in dut.regs:
        regions[reg.region] = (reg.min_access, reg.max_access, 0)
    doc = json.loads(dut.q.cmd(f"bt_regmap {dut.path}")[3:])
    for dev in doc["devices"]:
        for region in dev["regions"]:
            rg = regions.get(region["name"])
            if rg:
                regions[region["name"]] = (rg[0], rg[1], int(region["size"]))
    runner = {
        "reset": check_reset, "rw": check_rw, "ro": check_ro,
        "w1c": check_w1c, "reserved": check_reserved,
        "access-size": lambda d: check_access_size(d, regions),
        "device-reset": check_device_reset,
    }[check]
    checked = runner(dut)
    assert dut.m.is_running(), \
        f"{target.label}: the emulator ended during the {check} check " \
        f"(a write reached a command register the rules did not exclude)"
    assert not dut.problems, (
        f"{len(dut.problems)} problem(s) in {target.label} ({target.args}):\n"
        + "\n".join(dut.problems)
        + ("\nnotes:\n" + "\n".join(dut.notes) if dut.notes else ""))
    if checked == 0:
        pytest.skip(f"{target.label}: nothing to check for {check}"
                    + (f" ({'; '.join(dut.notes)})" if dut.notes else ""))
