# SPDX-License-Identifier: MIT
"""ns16550a UART on virt, register by register (spec/devices/ns16550a.md).

Expected values are written literally from the spec; register addresses
come from the named register map (uart0 at 0x10000000, 1-byte spacing).
"""

import time
from types import SimpleNamespace

import pytest

from benchtop.regs import NS16550A_REGS

pytestmark = pytest.mark.machine_args("-machine virt -nodefaults")

U = 0x10000000
UART_PATH = "/machine/uart0"

# Reset values, spec "Register map" and "How to test" item 1.
RESET = {"RBR": 0x00, "IER": 0x00, "IIR": 0x01, "LCR": 0x00, "MCR": 0x08,
         "LSR": 0x60, "MSR": 0xB0, "SCR": 0x00}


@pytest.fixture
def uart(machine):
    return SimpleNamespace(**{name: machine.reg(f"uart0.{name}")
                              for name in NS16550A_REGS})


def set_divisor(uart, divisor, lcr=0x03):
    uart.LCR.write(0x80 | lcr)
    uart.DLL.write(divisor & 0xff)
    uart.DLM.write(divisor >> 8)
    uart.LCR.write(lcr)


def poll_lsr(uart, mask, timeout=5.0):
    """Polls LSR until (LSR & mask) != 0; the emulator's main loop
    delivers socket input between qtest commands."""
    deadline = time.monotonic() + timeout
    while True:
        lsr = uart.LSR.read()
        if lsr & mask:
            return lsr
        if time.monotonic() > deadline:
            raise AssertionError(f"uart0.LSR ({U + 5:#x}): bit mask "
                                 f"{mask:#04x} not set within {timeout} s, "
                                 f"last read {lsr:#04x}")
        time.sleep(0.001)


# -- reset values and plain storage -----------------------------------------

def test_reset_values(uart):
    for name, value in RESET.items():
        getattr(uart, name).expect(value)


def test_divisor_reset_value(uart):
    uart.LCR.write(0x80)
    uart.DLL.expect(0x0C)
    uart.DLM.expect(0x00)


def test_ier_stores_bits_3_to_0(uart):
    uart.IER.write(0xF0)
    uart.IER.expect(0x00)
    uart.IER.write(0x0D)  # ETBEI left off: no THRE interrupt
    uart.IER.expect(0x0D)
    uart.IIR.expect(0x01)
    uart.IER.write(0xFF)
    uart.IER.expect(0x0F)


def test_lcr_stores_all_bits(uart):
    for value in (0x03, 0x1F, 0x5B, 0x7F, 0xFF, 0x80, 0x00):
        uart.LCR.write(value)
        uart.LCR.expect(value)


def test_mcr_stores_bits_4_to_0(uart):
    uart.MCR.write(0xFF)
    uart.MCR.expect(0x1F)
    uart.MCR.write(0xE0)
    uart.MCR.expect(0x00)
    uart.MCR.write(0x0B)
    uart.MCR.expect(0x0B)


def test_lsr_and_msr_ignore_writes(uart):
    for value in (0x00, 0xFF, 0x01):
        uart.LSR.write(value)
        uart.LSR.expect(0x60)
        uart.MSR.write(value)
        uart.MSR.expect(0xB0)


def test_scr_is_plain_storage(uart):
    for value in (0xA5, 0x5A, 0xFF, 0x00, 0x01, 0x80):
        uart.SCR.write(value)
        uart.SCR.expect(value)


def test_writes_to_one_register_leave_the_others(uart):
    uart.SCR.write(0xA5)
    uart.LCR.write(0x1B)
    uart.MCR.write(0x03)
    uart.SCR.expect(0xA5)
    uart.LCR.expect(0x1B)
    uart.MCR.expect(0x03)
    uart.IER.expect(0x00)
    uart.LSR.expect(0x60)
    uart.MSR.expect(0xB0)


# -- DLAB banking -------------------------------------------------------------

def test_dlab_banks_offsets_0_and_1(uart):
    uart.IER.write(0x05)
    uart.LCR.write(0x80)
    uart.DLL.expect(0x0C)
    uart.DLM.expect(0x00)
    uart.DLL.write(0x01)
    uart.DLM.write(0x02)
    uart.DLL.expect(0x01)
    uart.DLM.expect(0x02)
    uart.LCR.write(0x03)
    uart.LCR.expect(0x03)
    uart.RBR.expect(0x00)
    uart.IER.expect(0x05)
    uart.LSR.expect(0x60)  # the DLL write transmitted nothing
    uart.LCR.write(0x83)
    uart.DLL.expect(0x01)
    uart.DLM.expect(0x02)


def test_dlab_does_not_bank_offsets_2_to_7(uart):
    uart.LCR.write(0x80)
    uart.SCR.write(0x5A)
    uart.MCR.write(0x03)
    uart.FCR.write(0x01)
    uart.LSR.expect(0x60)
    uart.MSR.expect(0xB0)
    uart.LCR.write(0x00)
    uart.SCR.expect(0x5A)
    uart.MCR.expect(0x03)
    uart.IIR.expect(0xC1)


# -- access widths and the decoded window ------------------------------------

def test_wide_access_goes_to_the_register_at_its_start(qtest, uart):
    assert qtest.readl(U + 4) == 0x08  # MCR only, zero-extended
    assert qtest.readw(U + 6) == 0xB0  # MSR only
    assert qtest.readq(U + 0) == 0x00  # RBR only
    qtest.writel(U + 4, 0xFFFFFF1B)  # bits 7:0 to MCR
    uart.MCR.expect(0x1B)
    uart.LSR.expect(0x60)
    uart.SCR.expect(0x00)
    qtest.writew(U + 6, 0xFFA5)  # MSR: ignored, SCR untouched
    uart.SCR.expect(0x00)
    uart.MSR.expect(0xB0)


def test_offsets_past_the_window_are_not_the_uart(qtest, uart):
    uart.SCR.write(0x11)
    qtest.writeb(U + 8, 0xFF)
    qtest.writeb(U + 0x0F, 0xFF)
    assert qtest.readb(U + 8) == 0x00
    assert qtest.readb(U + 0x0F) == 0x00
    uart.SCR.expect(0x11)
    uart.LCR.expect(0x00)


# -- FIFO control -------------------------------------------------------------

def test_fcr_is_write_only_and_sets_iir_fifo_bits(uart):
    uart.FCR.write(0x07)
    uart.IIR.expect(0xC1)
    uart.FCR.write(0xC1)
    uart.IIR.expect(0xC1)
    uart.FCR.write(0x00)
    uart.IIR.expect(0x01)
    uart.LSR.expect(0x60)


def test_fifo_enable_and_disable_flush_rx(uart):
    uart.FCR.write(0x01)
    uart.MCR.write(0x10)
    uart.THR.write(0x61)
    uart.THR.write(0x62)
    uart.LSR.expect(0x61)
    uart.FCR.write(0x00)  # bit 0 changes: both FIFOs flushed
    uart.LSR.expect(0x60)
    uart.RBR.expect(0x00)


def test_fcr_rx_reset_empties_the_fifo(uart):
    uart.FCR.write(0x01)
    uart.MCR.write(0x10)
    for byte in b"ab":
        uart.THR.write(byte)
    uart.LSR.expect(0x61)
    uart.FCR.write(0x03)  # keep enabled, reset RX
    uart.LSR.expect(0x60)
    uart.RBR.expect(0x00)
    uart.IIR.expect(0xC1)


@pytest.mark.parametrize("fcr,trigger", [(0x01, 1), (0x41, 4), (0x81, 8),
                                         (0xC1, 14)])
def test_fifo_rx_trigger_level(uart, fcr, trigger):
    uart.FCR.write(fcr)
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    for i in range(trigger - 1):
        uart.THR.write(0x30 + i)
    uart.IIR.expect(0xC1)  # below the trigger: no RDA yet
    uart.THR.write(0x30 + trigger - 1)
    uart.IIR.expect(0xC4)
    uart.RBR.expect(0x30)
    if trigger > 1:
        uart.IIR.expect(0xC1)  # below the trigger again


# -- loopback, receive, overrun ----------------------------------------------

@pytest.mark.parametrize("mcr,msr", [(0x10, 0x00), (0x11, 0x20), (0x12, 0x10),
                                     (0x14, 0x40), (0x18, 0x80), (0x1B, 0xB0),
                                     (0x1F, 0xF0)])
def test_loopback_msr_mirrors_mcr_outputs(uart, mcr, msr):
    uart.MCR.write(mcr)
    uart.MSR.expect(msr)


def test_msr_after_leaving_loopback(uart):
    uart.MCR.write(0x10)
    uart.MSR.expect(0x00)
    uart.MCR.write(0x08)
    uart.MSR.expect(0xB0)


def test_loopback_rx_and_rda(uart):
    """Spec "How to test" item 8."""
    uart.MCR.write(0x1B)
    uart.MSR.expect(0xB0)
    uart.IER.write(0x01)
    uart.THR.write(0x55)
    uart.LSR.expect(0x61)
    uart.IIR.expect(0x04)
    uart.RBR.expect(0x55)
    uart.LSR.expect(0x60)
    uart.IIR.expect(0x01)


def test_overrun_without_fifo(uart):
    """Spec item 9: the second byte replaces RBR and sets OE."""
    uart.MCR.write(0x10)
    uart.THR.write(0x41)
    uart.THR.write(0x42)
    uart.LSR.expect(0x63)
    uart.LSR.expect(0x61)  # reading LSR cleared OE
    uart.RBR.expect(0x42)
    uart.LSR.expect(0x60)


def test_fifo_loopback(uart):
    """Spec item 10."""
    uart.FCR.write(0x01)
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    for byte in b"xyz":
        uart.THR.write(byte)
    uart.LSR.expect(0x61)
    uart.IIR.expect(0xC4)
    for byte in (0x78, 0x79, 0x7A, 0x00):
        uart.RBR.expect(byte)
    uart.LSR.expect(0x60)
    uart.IIR.expect(0xC1)


def test_fifo_overrun_drops_the_17th_byte(uart):
    uart.FCR.write(0x01)
    uart.MCR.write(0x10)
    for i in range(17):
        uart.THR.write(0x40 + i)
    uart.LSR.expect(0x63)
    uart.LSR.expect(0x61)
    for i in range(16):
        uart.RBR.expect(0x40 + i)
    uart.LSR.expect(0x60)


def test_line_status_interrupt_has_priority_over_rda(uart):
    uart.MCR.write(0x10)
    uart.IER.write(0x05)  # ELSI | ERBFI
    uart.THR.write(0x41)
    uart.IIR.expect(0x04)
    uart.THR.write(0x42)  # overrun
    uart.IIR.expect(0x06)
    uart.LSR.expect(0x63)
    uart.IIR.expect(0x04)
    uart.RBR.expect(0x42)
    uart.IIR.expect(0x01)


# -- THR empty interrupt (register view) ------------------------------------

def test_thre_interrupt_identification(uart):
    """Spec item 6 without the IRQ line: enabling ETBEI with THR empty
    raises THRE at once; reading IIR while it shows 0x02 clears it."""
    uart.IER.write(0x02)
    uart.IIR.expect(0x02)
    uart.IIR.expect(0x01)
    uart.THR.write(0x20)  # transmitted at once, THRE pending again
    uart.LSR.expect(0x60)
    uart.IIR.expect(0x02)
    uart.IER.write(0x00)
    uart.IIR.expect(0x01)
    uart.IER.write(0x02)
    uart.IIR.expect(0x02)


# -- the IRQ output line ------------------------------------------------------

@pytest.mark.benchtop_only("intercepts /machine/uart0's named output 'irq'; "
                           "QEMU has no canonical UART path and 7.2 ignores "
                           "named GPIO lists")
def test_thre_irq_line(qtest, uart):
    qtest.irq_intercept_out(UART_PATH, "irq")
    assert qtest.get_irq(0) is False
    uart.IER.write(0x02)
    assert qtest.get_irq(0) is True
    uart.IIR.expect(0x02)
    assert qtest.get_irq(0) is False
    uart.IIR.expect(0x01)
    uart.THR.write(0x41)
    assert qtest.get_irq(0) is True
    uart.IER.write(0x00)
    assert qtest.get_irq(0) is False
    assert [(e.line, e.level) for e in qtest.irq_history] == \
        [(0, True), (0, False), (0, True), (0, False)]


@pytest.mark.benchtop_only("intercepts /machine/uart0's named output 'irq'")
def test_rda_irq_line_in_loopback(qtest, uart):
    qtest.irq_intercept_out(UART_PATH, "irq")
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    uart.THR.write(0x55)
    assert qtest.get_irq(0) is True
    uart.RBR.expect(0x55)
    assert qtest.get_irq(0) is False


# -- character timeout (virtual clock) --------------------------------------

def test_char_timeout_iir(qtest, uart):
    """Spec item 11: one byte below the trigger level sets IIR 0xCC only
    after four character times of virtual time.  Divisor 1, 8N1."""
    set_divisor(uart, 1, 0x03)
    uart.FCR.write(0x41)  # FIFO on, trigger 4
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    uart.THR.write(0x31)
    uart.IIR.expect(0xC1)
    qtest.clock_step(1000)
    uart.IIR.expect(0xC1)  # 1 us is far less than one character time
    qtest.clock_step(10_000_000)
    uart.IIR.expect(0xCC)
    uart.LSR.expect(0x61)
    uart.RBR.expect(0x31)
    uart.IIR.expect(0xC1)
    uart.LSR.expect(0x60)


@pytest.mark.benchtop_only("intercepts /machine/uart0's named output 'irq'")
def test_char_timeout_irq_with_wait_irq(qtest, uart):
    qtest.irq_intercept_out(UART_PATH, "irq")
    set_divisor(uart, 1, 0x03)
    uart.FCR.write(0x41)
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    start = qtest.clock_ns
    uart.THR.write(0x31)
    assert qtest.get_irq(0) is False
    t = qtest.wait_irq(0, True, step_ns=10_000, max_ns=10_000_000)
    assert start + 1000 < t <= start + 10_000_000
    uart.IIR.expect(0xCC)
    uart.RBR.expect(0x31)
    assert qtest.get_irq(0) is False


# -- the serial socket ------------------------------------------------------

@pytest.mark.machine_args("-machine virt -nodefaults", serial=True)
def test_transmit_reaches_the_socket(machine, uart):
    for byte in b"AB\n":
        uart.THR.write(byte)
    assert machine.serial.read_until(b"\n", timeout=5) == b"AB\n"
    uart.LSR.expect(0x60)


@pytest.mark.machine_args("-machine virt -nodefaults", serial=True)
def test_receive_from_the_socket(machine, uart):
    machine.serial.write(b"hi!")
    got = b""
    for _ in range(3):
        poll_lsr(uart, 0x01)
        got += bytes([uart.RBR.read()])
    assert got == b"hi!"
    uart.LSR.expect(0x60)


@pytest.mark.machine_args("-machine virt -nodefaults", serial=True)
def test_receive_from_the_socket_with_fifo(machine, uart):
    uart.FCR.write(0x07)
    machine.serial.write(b"hello")
    got = b""
    deadline = time.monotonic() + 5
    while len(got) < 5 and time.monotonic() < deadline:
        if uart.LSR.read() & 0x01:
            got += bytes([uart.RBR.read()])
    assert got == b"hello"
    uart.LSR.expect(0x60)


@pytest.mark.machine_args("-machine virt -nodefaults", serial=True)
def test_loopback_does_not_transmit(machine, uart):
    uart.MCR.write(0x10)
    uart.THR.write(0x51)
    uart.RBR.expect(0x51)
    uart.MCR.write(0x00)
    uart.THR.write(0x52)
    assert machine.serial.read_until(b"R", timeout=5) == b"R"


# -- system reset -------------------------------------------------------------

def test_system_reset_restores_reset_values(machine, qmp, uart):
    uart.LCR.write(0x80)
    uart.DLL.write(0x02)
    uart.LCR.write(0x1B)
    uart.IER.write(0x0F)
    uart.FCR.write(0x07)
    uart.MCR.write(0x1F)
    uart.SCR.write(0xA5)
    qmp.cmd("system_reset")
    qmp.event_wait("RESET")
    for name, value in RESET.items():
        getattr(uart, name).expect(value)
    uart.LCR.write(0x80)
    uart.DLL.expect(0x0C)
    uart.DLM.expect(0x00)


def test_char_timeout_near_the_end_of_time(qtest, uart):
    """A receive when the clock is at INT64_MAX arms the character timeout
    without overflowing the deadline (found by the protocol fuzzer: signed
    overflow under UBSan); the machine keeps serving."""
    qtest.clock_set(2**63 - 1)
    uart.FCR.write(0x41)
    uart.MCR.write(0x10)
    uart.IER.write(0x01)
    uart.THR.write(0x31)
    uart.LSR.expect(0x61)
    uart.RBR.expect(0x31)
    assert qtest.cmd("endianness") == "OK little"
