# SPDX-License-Identifier: MIT
"""Named device registers for tests, so failures say which register.

    machine.reg("uart0.LCR").write(0x03)
    machine.reg("uart0.LCR").expect(0x03)
    # AssertionError: uart0.LCR (0x10000003): expected 0x03, read 0x00

The map below is a small hand-written stand-in covering the devices that
exist today on the "virt" board.  It will later be generated from the
emulator's own register tables (register introspection over qtest), so
names and offsets cannot drift from the device models; keep it declarative
until then.
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
        self.width = reg.width
        self.addr = base + reg.offset

    def _fmt(self, v: int) -> str:
        return f"0x{v:0{2 * self.width}x}"

    def read(self) -> int:
        fn = {1: self.qtest.readb, 2: self.qtest.readw, 4: self.qtest.readl,
              8: self.qtest.readq}[self.width]
        return fn(self.addr)

    def write(self, value: int) -> None:
        fn = {1: self.qtest.writeb, 2: self.qtest.writew,
              4: self.qtest.writel, 8: self.qtest.writeq}[self.width]
        fn(self.addr, value)

    def expect(self, value: int, mask: Optional[int] = None) -> int:
        """Reads and asserts (value & mask); returns what was read."""
        got = self.read()
        if mask is None:
            ok = got == value
            want = self._fmt(value)
        else:
            ok = (got & mask) == (value & mask)
            want = f"{self._fmt(value & mask)} under mask {self._fmt(mask)}"
        if not ok:
            raise AssertionError(f"{self.name} ({self.addr:#x}): expected "
                                 f"{want}, read {self._fmt(got)}")
        return got

    def __repr__(self) -> str:
        return f"<Register {self.name} at {self.addr:#x}>"


def bind(qtest, name: str, board: str = "virt",
         base: Optional[int] = None) -> Register:
    """A Register for "DEVICE.REG"; @base overrides the board address."""
    dev, reg = lookup(name, board)
    return Register(qtest, dev.name, reg, dev.base if base is None else base)
