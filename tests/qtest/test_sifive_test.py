# SPDX-License-Identifier: MIT
"""sifive-test finisher on virt (spec/devices/sifive-test.md, "How to test")."""

import pytest

pytestmark = pytest.mark.machine_args("-machine virt -nodefaults")

FINISHER = 0x100000
UART = 0x10000000
EXIT_TIMEOUT = 10


def finish(machine, line):
    """Sends a store that ends the process: no reply line, then EOF."""
    machine.qtest.send(line)
    assert machine.qtest.read_until_eof(EXIT_TIMEOUT) == b"", \
        f"{line!r} produced a reply instead of ending the process"
    return machine.wait(EXIT_TIMEOUT)


def test_reads_are_zero(machine, qtest):
    machine.reg("test.FINISHER").expect(0)
    assert qtest.readw(FINISHER) == 0
    assert qtest.readl(FINISHER + 0xFFC) == 0
    assert qtest.readl(FINISHER + 4) == 0


def test_unknown_command_is_ignored(machine, qtest):
    qtest.writel(FINISHER, 0x1234)
    qtest.writel(FINISHER + 4, 0x5555)  # not offset 0: ignored
    qtest.writew(FINISHER, 0x4444)
    assert qtest.cmd("endianness") == "OK little"
    assert machine.is_running()
    machine.reg("test.FINISHER").expect(0)


def test_pass_exits_0(machine):
    assert finish(machine, "writel 0x100000 0x5555") == 0


@pytest.mark.parametrize("value,status", [(0x73333, 7), (0x3333, 0),
                                          (0x1003333, 0), (0x1FF3333, 0xFF),
                                          (0xFFFF3333, 0xFF)])
def test_fail_exits_with_code(machine, value, status):
    machine.expected_status = status
    assert finish(machine, f"writel {FINISHER:#x} {value:#x}") == status


def test_16bit_pass_exits_0(machine):
    assert finish(machine, "writew 0x100000 0x5555") == 0


def test_16bit_fail_has_code_0(machine):
    assert finish(machine, "writew 0x100000 0x3333") == 0


def test_reset_keeps_running_and_resets_devices(machine, qtest, qmp):
    qtest.writeb(UART + 7, 0xA5)  # SCR
    qtest.writeb(UART + 3, 0x1B)  # LCR
    qtest.writel(FINISHER, 0x7777)
    ev = qmp.event_wait("RESET")
    assert ev["data"] == {"guest": True, "reason": "guest-reset"}
    assert qtest.readb(UART + 7) == 0x00
    assert qtest.readb(UART + 3) == 0x00
    assert qtest.readb(UART + 5) == 0x60
    assert machine.is_running()
    assert qmp.cmd("query-status")["status"] == "running"


@pytest.mark.machine_args("-machine virt -nodefaults -no-reboot")
def test_reset_with_no_reboot_exits_0(machine):
    machine.qtest.send("writel 0x100000 0x7777")
    ev = machine.qmp.event_wait("SHUTDOWN", timeout=EXIT_TIMEOUT)
    assert ev["data"] == {"guest": True, "reason": "guest-reset"}
    assert machine.wait(EXIT_TIMEOUT) == 0


def test_pass_sends_no_shutdown_event(machine):
    machine.qtest.send("writel 0x100000 0x5555")
    assert machine.wait(EXIT_TIMEOUT) == 0
    assert [m for m in machine.qmp.read_until_eof(EXIT_TIMEOUT)
            if m.get("event") == "SHUTDOWN"] == []
