# SPDX-License-Identifier: MIT
"""The emulator's own register maps, by name (qtest "bt_regmap").

Every device declares its registers as data; the emulator exports them as
one JSON line (docs/qtest-extensions.md, "Register maps and coverage").
This module parses that export and resolves names against it, so a test
says ``uart0.LCR`` and the address, width and masks come from the device
model itself:

    rm = RegMap.from_qtest(qtest)          # cached per connection
    r = rm.lookup("uart0.LCR")             # RegInfo: addr, masks, fields
    reg = rm.bind(qtest, "uart0.LCR")      # Register: read/write/expect

Names are ``DEVICE.REG`` or ``DEVICE.REGION.REG``.  DEVICE is the last
component of the device's canonical path (``uart0`` for /machine/uart0,
``t0`` for /machine/peripheral/t0), a longer suffix of it
(``peripheral/t0``) or the whole path; an ambiguous or unknown name raises
KeyError listing what exists.

Numbers in the export are integers below 2**53, else "0x..." strings;
both become Python ints here.
"""

import json
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple

from . import regs


class RegMapUnavailable(Exception):
    """The emulator does not answer bt_regmap (QEMU, or an older build)."""


def _num(v) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, str):
        return int(v, 0)
    return int(v)


class Field(NamedTuple):
    name: str
    shift: int
    width: int
    desc: Optional[str]

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.shift

    def extract(self, value: int) -> int:
        return (value >> self.shift) & ((1 << self.width) - 1)

    def bits(self) -> str:
        hi = self.shift + self.width - 1
        return f"bit {hi}" if self.width == 1 else f"bits {hi}:{self.shift}"


class RegInfo(NamedTuple):
    """One register as the device declares it, with where it is mapped."""
    device_path: str
    device_type: str
    device_name: str  # the name tests use ("uart0")
    region: str
    base: Optional[int]  # region base in the system address space
    min_access: int
    max_access: int
    name: str
    offset: int
    width: int  # bytes
    access: str  # "rw", "r" or "w"
    reset: int
    rw: int
    w1c: int
    w1s: int
    rc: int
    unimp: int
    read_hook: bool
    write_hook: bool
    desc: Optional[str]
    fields: Tuple[Field, ...]

    @property
    def full_name(self) -> str:
        return f"{self.device_name}.{self.name}"

    @property
    def addr(self) -> Optional[int]:
        return None if self.base is None else self.base + self.offset

    @property
    def mask(self) -> int:
        """All bits of the register's width."""
        return (1 << (8 * self.width)) - 1

    @property
    def access_size(self) -> int:
        """Bytes per access: the register width clamped to what the region
        accepts (a 1-byte register in a 4-byte-only region is read with 4)."""
        return min(max(self.width, self.min_access), self.max_access)

    def field_diff(self, want: int, got: int, mask: Optional[int] = None
                   ) -> List[str]:
        """"NAME (bits): expected X, read Y" for every field that differs."""
        out = []
        care = self.mask if mask is None else mask
        for f in self.fields:
            if not f.mask & care & (want ^ got):
                continue
            out.append(f"{f.name} ({f.bits()}): expected "
                       f"{f.extract(want):#x}, read {f.extract(got):#x}")
        return out


class RegMap:
    """The parsed {"devices": [...]} export."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.registers: List[RegInfo] = []
        self.devices: Dict[str, dict] = {}  # path -> device object
        for dev in doc.get("devices", []):
            path = dev["path"]
            self.devices[path] = dev
            name = path.rstrip("/").rsplit("/", 1)[-1]
            for region in dev.get("regions", []):
                for r in region.get("registers", []):
                    self.registers.append(RegInfo(
                        device_path=path, device_type=dev["type"],
                        device_name=name, region=region["name"],
                        base=_num(region.get("base")),
                        min_access=_num(region.get("min-access", 1)),
                        max_access=_num(region.get("max-access", 8)),
                        name=r["name"], offset=_num(r["offset"]),
                        width=_num(r["width"]), access=r.get("access", "rw"),
                        reset=_num(r.get("reset", 0)),
                        rw=_num(r.get("rw", 0)), w1c=_num(r.get("w1c", 0)),
                        w1s=_num(r.get("w1s", 0)), rc=_num(r.get("rc", 0)),
                        unimp=_num(r.get("unimp", 0)),
                        read_hook=bool(r.get("read-hook")),
                        write_hook=bool(r.get("write-hook")),
                        desc=r.get("desc"),
                        fields=tuple(Field(f["name"], _num(f["shift"]),
                                           _num(f["width"]), f.get("desc"))
                                     for f in r.get("fields") or [])))

    # -- construction ------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> "RegMap":
        return cls(json.loads(text))

    @classmethod
    def query(cls, qtest, path: Optional[str] = None) -> "RegMap":
        """Asks the emulator now (no cache).

        Raises RegMapUnavailable when it does not know bt_regmap and
        KeyError for a @path it does not resolve."""
        line = "bt_regmap" + (f" {path}" if path else "")
        reply = qtest.raw_cmd(line)
        if reply.startswith("OK "):
            return cls.parse(reply[3:])
        if path and ("not found" in reply or "ambiguous" in reply):
            raise KeyError(f"bt_regmap {path}: {reply}")
        raise RegMapUnavailable(f"{line!r} -> {reply!r}")

    @classmethod
    def from_qtest(cls, qtest) -> "RegMap":
        """The whole map of @qtest's emulator, fetched once per connection."""
        cached = getattr(qtest, "_benchtop_regmap", None)
        if isinstance(cached, RegMapUnavailable):
            raise cached
        if cached is None:
            try:
                cached = cls.query(qtest)
            except RegMapUnavailable as e:
                qtest._benchtop_regmap = e
                raise
            qtest._benchtop_regmap = cached
        return cached

    # -- lookup ------------------------------------------------------------

    def __iter__(self) -> Iterator[RegInfo]:
        return iter(self.registers)

    def device_names(self) -> List[str]:
        return sorted({r.device_name for r in self.registers})

    def _device_matches(self, r: RegInfo, dev: str) -> bool:
        path = r.device_path
        return dev == path or dev == r.device_name or \
            path.endswith("/" + dev.lstrip("/"))

    def lookup(self, name: str) -> RegInfo:
        """Resolves DEVICE.REG or DEVICE.REGION.REG; KeyError lists choices."""
        parts = name.rsplit(".", 2)
        if len(parts) < 2:
            raise KeyError(f"register name {name!r} is not DEVICE.REG")
        candidates = []
        # DEVICE.REGION.REG first when there are three parts.
        if len(parts) == 3:
            dev, region, reg = parts
            candidates = [r for r in self.registers
                          if r.name == reg and r.region == region
                          and self._device_matches(r, dev)]
        if not candidates:
            dev, reg = name.rsplit(".", 1)
            on_dev = [r for r in self.registers
                      if self._device_matches(r, dev)]
            if not on_dev:
                raise KeyError(f"no device {dev!r} with registers (known: "
                               f"{', '.join(self.device_names()) or 'none'})")
            candidates = [r for r in on_dev if r.name == reg]
            if not candidates:
                known = sorted({r.name for r in on_dev})
                raise KeyError(f"no register {reg!r} in {dev} "
                               f"(known: {', '.join(known)})")
        paths = {(r.device_path, r.region) for r in candidates}
        if len(paths) > 1:
            raise KeyError(f"register name {name!r} is ambiguous: "
                           + ", ".join(f"{p}.{rg}" for p, rg in sorted(paths))
                           + " (use a longer path or DEVICE.REGION.REG)")
        return candidates[0]

    def bind(self, qtest, name: str, base: Optional[int] = None
             ) -> "LiveRegister":
        info = self.lookup(name)
        if base is None and info.base is None:
            raise KeyError(f"{name}: region {info.region} of "
                           f"{info.device_path} is not mapped; pass base=")
        return LiveRegister(qtest, info,
                            info.base if base is None else base)


class LiveRegister(regs.Register):
    """A Register whose failure messages name the device type, the region
    and every field that differs."""

    def __init__(self, qtest, info: RegInfo, base: int):
        super().__init__(qtest, info.device_name,
                         regs.RegDef(info.name, info.offset, info.width), base)
        self.info = info
        self.size = info.access_size

    def mismatch_message(self, want: int, got: int,
                         mask: Optional[int]) -> str:
        msg = super().mismatch_message(want, got, mask)
        diff = self.info.field_diff(want, got, mask)
        extra = f" [{self.info.device_type} {self.info.device_path}"
        if diff:
            extra += "; " + "; ".join(diff)
        return msg + extra + "]"


def bind(qtest, name: str, base: Optional[int] = None) -> LiveRegister:
    """Register "DEVICE.REG" of @qtest's emulator from its live map."""
    return RegMap.from_qtest(qtest).bind(qtest, name, base)
