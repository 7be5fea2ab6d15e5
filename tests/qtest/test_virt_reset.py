# SPDX-License-Identifier: MIT
"""virt system reset: boot images are copied again, other RAM is kept
(virt-machine.md §10, qmp-subset.md §6.7).

Exercises the firmware loading of hw/riscv/riscv-boot.c (-bios at
0x80000000, the MROM's FDT pointer) through plain addresses; the /cpus
nodes that hw/riscv/riscv-fdt.c adds are checked by tests/unit/test-fdt.c.
"""

import struct

DRAM = 0x80000000
MROM_FDT_ADDR = 0x1020
FDT_MAGIC_LE = 0xEDFE0DD0  # d0 0d fe ed read as a little-endian word
FW_WORDS = [0x11223344, 0x55667788, 0x99AABBCC, 0xDDEEFF00]


def system_reset(qmp):
    assert qmp.cmd("system_reset") == {}
    ev = qmp.event_wait("RESET")
    assert ev["data"] == {"guest": False, "reason": "host-qmp-system-reset"}


def firmware(tmp_path):
    path = tmp_path / "fw.bin"
    path.write_bytes(struct.pack("<4I", *FW_WORDS))
    return path


def test_reset_reloads_bios_and_keeps_ram(machine_factory, tmp_path):
    m = machine_factory(f"-machine virt -nodefaults -bios {firmware(tmp_path)}")
    qtest, qmp = m.qtest, m.qmp
    assert [qtest.readl(DRAM + 4 * i) for i in range(4)] == FW_WORDS
    qtest.writel(DRAM, 0xDEADBEEF)
    qtest.writel(DRAM + 12, 0x0BADF00D)
    # RAM outside the image: just after it, and far away
    qtest.writel(DRAM + 16, 0xCAFEF00D)
    qtest.writel(DRAM + 0x100000, 0x12345678)
    system_reset(qmp)
    assert [qtest.readl(DRAM + 4 * i) for i in range(4)] == FW_WORDS
    assert qtest.readl(DRAM + 16) == 0xCAFEF00D
    assert qtest.readl(DRAM + 0x100000) == 0x12345678
    # every reset copies the image again
    qtest.writel(DRAM + 4, 0)
    qtest.writel(0x100000, 0x7777)  # sifive-test: guest reset
    assert qmp.event_wait("RESET")["data"]["reason"] == "guest-reset"
    assert qtest.readl(DRAM + 4) == FW_WORDS[1]


def test_reset_restores_fdt(machine_factory):
    m = machine_factory("-machine virt -nodefaults")
    qtest, qmp = m.qtest, m.qmp
    fdt = qtest.readq(MROM_FDT_ADDR)
    assert fdt != 0
    assert qtest.readl(fdt) == FDT_MAGIC_LE
    size = int.from_bytes(qtest.readl(fdt + 4).to_bytes(4, "little"), "big")
    assert size > 64
    last = fdt + size - 4
    saved_last = qtest.readl(last)
    qtest.writel(fdt, 0)
    qtest.writel(last, ~saved_last & 0xFFFFFFFF)
    assert qtest.readl(fdt) == 0
    system_reset(qmp)
    assert qtest.readl(fdt) == FDT_MAGIC_LE
    assert qtest.readl(last) == saved_last
    assert qtest.readq(MROM_FDT_ADDR) == fdt
