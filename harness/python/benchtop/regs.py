# SPDX-License-Identifier: MIT
"""Named device registers for tests, so failures say which register.

    machine.reg("uart0.LCR").write(0x03)
    machine.reg("uart0.LCR").expect(0x03)
    # AssertionError: uart0.LCR (0x10000003): expected 0x03, read 0x00
    #   [ns16550a /machine/uart0; WLS (bits 1:0): expected 0x3, read 0x0]

bind() resolves names against the emulator's live register map (qtest
"bt_regmap", see regmap.py), so names, offsets and widths come from the
device models.  The small hand-written map below is only the fallback for
an emulator without that command (QEMU itself, or a scripted fake): it
covers the devices of the "virt" board, and lookup() still reads it.
"""

from typing import Dict, NamedTuple, Optional, Tuple


class RegDef(NamedTuple):
    name: str
    offset: int
    width: int  # bytes: 1, 2, 4 or 8


class DeviceMap(NamedTuple):
    name: str  # child name under /machine ("uart0")
    type: str  # device type ("ns16550a")
    base: int  # where its "regs" region is mapped
    regs: Dict[str, RegDef]

    @property
    def path(self) -> str:
        return f"/machine/{self.name}"


def _device(name: str, type_: str, base: int, width: int,
            offsets: Dict[str, int]) -> DeviceMap:
    return DeviceMap(name, type_, base,
                     {r: RegDef(r, off, width) for r, off in offsets.items()})


# ns16550a (spec/devices/ns16550a.md): 1-byte registers, offsets 0 and 1
# banked by LCR.DLAB, offset 2 reads IIR and writes FCR.
NS16550A_REGS = {
    "RBR": 0, "THR": 0, "DLL": 0,
    "IER": 1, "DLM": 1,
    "IIR": 2, "FCR": 2,
    "LCR": 3, "MCR": 4, "LSR": 5, "MSR": 6, "SCR": 7,
}

# sifive-test (spec/devices/sifive-test.md): one 32-bit command register.
SIFIVE_TEST_REGS = {"FINISHER": 0}

BOARDS: Dict[str, Dict[str, DeviceMap]] = {
    "virt": {
        "uart0": _device("uart0", "ns16550a", 0x10000000, 1, NS16550A_REGS),
        "test": _device("test", "sifive-test", 0x100000, 4, SIFIVE_TEST_REGS),
    },
}


def lookup(name: str, board: str = "virt") -> Tuple[DeviceMap, RegDef]:
    """Resolves "DEVICE.REG" on @board; KeyError lists what exists."""
    try:
        dev_name, reg_name = name.split(".", 1)
    except ValueError:
        raise KeyError(f"register name {name!r} is not DEVICE.REG") from None
    devices = BOARDS.get(board)
    if devices is None:
        raise KeyError(f"no register map for board {board!r} "
                       f"(known: {', '.join(sorted(BOARDS))})")
    dev = devices.get(dev_name)
    if dev is None:
        raise KeyError(f"no device {dev_name!r} on {board} "
                       f"(known: {', '.join(sorted(devices))})")
    reg = dev.regs.get(reg_name)
    if reg is None:
        raise KeyError(f"no register {reg_name!r} in {dev_name} "
                       f"(known: {', '.join(sorted(dev.regs))})")
    return dev, reg


class Register:
    """One register bound to a qtest connection."""

    def __init__(self, qtest, dev_name: str, reg: RegDef, base: int):
        self.qtest = qtest
        self.name = f"{dev_name}.{reg.name}"
        self.width = reg.width  # register width in bytes
        self.size = reg.width  # bytes per access
        self.addr = base + reg.offset

    def _fmt(self, v: int) -> str:
        return f"0x{v:0{2 * self.width}x}"

    def read(self) -> int:
        fn = {1: self.qtest.readb, 2: self.qtest.readw, 4: self.qtest.readl,
              8: self.qtest.readq}[self.size]
        return fn(self.addr) & ((1 << (8 * self.width)) - 1)

    def write(self, value: int) -> None:
        fn = {1: self.qtest.writeb, 2: self.qtest.writew,
              4: self.qtest.writel, 8: self.qtest.writeq}[self.size]
        fn(self.addr, value)

    def mismatch_message(self, value: int, got: int,
                         mask: Optional[int]) -> str:
        if mask is None:
            want = self._fmt(value)
        else:
            want = f"{self._fmt(value & mask)} under mask {self._fmt(mask)}"
        return (f"{self.name} ({self.addr:#x}): expected {want}, "
                f"read {self._fmt(got)}")

    def expect(self, value: int, mask: Optional[int] = None) -> int:
        """Reads and asserts (value & mask); returns what was read."""
        got = self.read()
        if mask is None:
            ok = got == value
        else:
            ok = (got & mask) == (value & mask)
        if not ok:
            raise AssertionError(self.mismatch_message(value, got, mask))
        return got

    def __repr__(self) -> str:
        return f"<Register {self.name} at {self.addr:#x}>"


def bind(qtest, name: str, board: str = "virt",
         base: Optional[int] = None) -> Register:
    """A Register for "DEVICE.REG"; @base overrides the mapped address.

    Resolved against the emulator's live map (regmap.py); only when the
    emulator has no bt_regmap command does the static map of @board
    above answer.  KeyError (listing what exists) for an unknown name.
    """
    from . import regmap  # regmap builds on Register: import it late

    try:
        live = regmap.RegMap.from_qtest(qtest)
    except regmap.RegMapUnavailable:
        live = None
    if live is not None:
        return live.bind(qtest, name, base)
    dev, reg = lookup(name, board)
    return Register(qtest, dev.name, reg, dev.base if base is None else base)
