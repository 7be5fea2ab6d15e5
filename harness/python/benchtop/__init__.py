# SPDX-License-Identifier: MIT
"""Benchtop's Python test harness: qtest and QMP clients, a machine
launcher speaking libqtest's command line, named registers and a pytest
plugin (benchtop.pytest_plugin)."""

from .machine import (Machine, MachineError, SerialPort, default_binary,
                      is_qemu)
from .qmp import QMP, QMPClosed, QMPError, QMPProtocolError, QMPTimeout
from .qtest import IrqEvent, QTest, QTestClosed, QTestError, QTestTimeout
from .regs import Register

__all__ = [
    "IrqEvent", "Machine", "MachineError", "QMP", "QMPClosed", "QMPError",
    "QMPProtocolError", "QMPTimeout", "QTest", "QTestClosed", "QTestError",
    "QTestTimeout", "Register", "SerialPort", "default_binary", "is_qemu",
]
