# SPDX-License-Identifier: MIT
"""Machine launcher and pytest plugin, driven against fake_emulator.py."""

import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from benchtop.machine import Machine, MachineError, machine_type

FAKE = Path(__file__).with_name("fake_emulator.py")


def make_binary(directory: Path, name: str = "fake-emu") -> str:
    """A shell wrapper named @name that runs the fake emulator."""
    path = directory / name
    path.write_text(f"#!/bin/sh\nexec {sys.executable} {FAKE} \"$@\"\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def fake(tmp_path):
    return make_binary(tmp_path)


def test_argv_has_libqtest_shape(fake):
    with Machine("-machine virt -m 64", fake, serial=True) as m:
        a = m.argv
        d = str(m.dir)
        assert a[0] == fake
        assert a[1:3] == ["-qtest", f"unix:{d}/qtest.sock"]
        assert a[3:5] == ["-qtest-log", f"{d}/qtest.log"]
        assert a[5:9] == ["-chardev", f"socket,path={d}/qmp.sock,id=char0",
                          "-mon", "chardev=char0,mode=control"]
        assert a[9:11] == ["-display", "none"]
        assert a[11:15] == ["-chardev", f"socket,id=s0,path={d}/serial.sock",
                            "-serial", "chardev:s0"]
        assert a[15:] == ["-machine", "virt", "-m", "64", "-accel", "qtest"]
        assert m.board == "virt"
        assert m.t_spawn <= m.t_connected <= m.t_first_reply
        assert m.qtest.big_endian is False
    assert m.exit_code == 0


def test_qtest_qmp_serial_roundtrip(fake):
    with Machine("-machine virt", fake, serial=True) as m:
        m.qtest.writel(0x80000000, 0xdeadbeef)
        assert m.qtest.readl(0x80000000) == 0xdeadbeef
        assert m.qmp.cmd("query-status")["status"] == "running"
        m.qmp.cmd("stop")
        assert m.qmp.event_wait("STOP")["event"] == "STOP"
        m.serial.write(b"hello\n")
        assert m.serial.read_until(b"\n", timeout=5) == b"HELLO\n"
        with pytest.raises(TimeoutError, match="pending"):
            m.serial.read_until(b"never", timeout=0.2)
    assert m.exit_code == 0
    assert m.rusage is not None and m.rusage.ru_maxrss > 0


def test_sigterm_gives_shutdown_event_and_log(fake):
    m = Machine("-machine none", fake).launch()
    m.qtest.cmd("endianness")
    m.send_signal(signal.SIGTERM)
    ev = m.qmp.event_wait("SHUTDOWN")
    assert ev["data"] == {"guest": False, "reason": "host-signal"}
    assert m.wait(5) == 0
    log = m.qtest_log_text()
    assert log.splitlines()[0].endswith("OPENED")
    assert "[R +" in log and "endianness" in log
    m.cleanup()
    assert not m.dir.exists()
    assert "OPENED" in m.qtest_log_text()  # kept in memory


def test_guest_exit_status_and_check(fake):
    m = Machine("-machine virt", fake).launch()
    m.qtest.send("writel 0x100000 0x73333")
    assert m.qtest.read_until_eof(5) == b""
    assert m.wait(5) == 7
    with pytest.raises(MachineError, match="exited with status 7, expected 0"):
        m.check_status()
    m.expected_status = 7
    m.check_status()
    m.cleanup()


def test_early_exit_reports_stderr(fake):
    with pytest.raises(MachineError) as ei:
        Machine("-fake-exit 3", fake).launch()
    assert "exited with status 3 before connecting" in str(ei.value)
    assert "fake: exiting as told" in str(ei.value)


def test_missing_binary(tmp_path):
    with pytest.raises(MachineError, match="cannot run"):
        Machine("-machine none", str(tmp_path / "nope")).launch()


def test_no_connection_times_out(fake):
    with pytest.raises(MachineError, match="did not connect"):
        Machine("-fake-noconnect", fake, start_timeout=0.5).launch()


def test_sigterm_ignored_gets_killed(fake):
    m = Machine("-fake-hang", fake).launch()
    assert m.shutdown(timeout=0.5) == -signal.SIGKILL
    with pytest.raises(MachineError, match="killed"):
        m.check_status()
    m.cleanup()


def test_register_helper_message(fake):
    with Machine("-machine virt", fake) as m:
        lcr = m.reg("uart0.LCR")
        assert lcr.addr == 0x10000003
        lcr.write(0x83)
        assert lcr.expect(0x83) == 0x83
        m.qtest.writeb(0x10000003, 0)
        with pytest.raises(AssertionError) as ei:
            lcr.expect(0x03)
        assert str(ei.value) == \
            "uart0.LCR (0x10000003): expected 0x03, read 0x00"
        fin = m.reg("test.FINISHER")
        with pytest.raises(AssertionError, match=r"test.FINISHER \(0x100000\): "
                           r"expected 0x00000001, read 0x00000000"):
            fin.expect(1)
        with pytest.raises(KeyError, match="known: "):
            m.reg("uart0.NOPE")


def test_machine_type_parsing():
    assert machine_type(["-machine", "virt,aclint=on"]) == "virt"
    assert machine_type(["-M", "type=spike"]) == "spike"
    assert machine_type(["--machine", "none", "-M", "virt"]) == "virt"
    assert machine_type(["-m", "128"]) is None


PLUGIN_TESTS = textwrap.dedent('''
    import pytest

    def test_default_machine(machine, qtest, qmp):
        assert machine.args == ["-machine", "none"]
        qtest.writel(0x80000000, 5)
        assert qtest.readl(0x80000000) == 5
        assert qmp.cmd("query-status")["running"] is True

    @pytest.mark.machine_args("-machine virt", serial=True)
    def test_marker(machine):
        assert machine.board == "virt"
        assert machine.serial is not None

    def test_two_machines(machine_factory):
        a = machine_factory("-machine none")
        b = machine_factory("-machine virt")
        assert a.pid != b.pid

    def test_expected_status(machine):
        machine.expected_status = 9
        machine.qtest.send("writel 0x100000 0x93333")

    def test_unexpected_status(machine):
        machine.qtest.send("writel 0x100000 0x43333")
        machine.wait(5)

    def test_failure_has_log(qtest):
        qtest.cmd("readl 0x1234")
        assert False, "deliberate"

    @pytest.mark.benchtop_only("differs on purpose")
    def test_only_ours(qtest):
        pass
''')


def test_plugin_end_to_end(pytester, tmp_path):
    fake = make_binary(tmp_path)
    pytester.makepyfile(test_plug=PLUGIN_TESTS)
    res = pytester.runpytest("-p", "benchtop.pytest_plugin",
                             f"--benchtop-binary={fake}", "-rA",
                             f"--junitxml={tmp_path}/j.xml",
                             "-o", "junit_logging=all")
    res.assert_outcomes(passed=6, failed=1, errors=1)
    out = res.stdout.str()
    assert "exited with status 4, expected 0" in out
    assert "Captured log benchtop vm0: qtest log" in out
    assert "readl 0x1234" in out
    assert "Captured stderr benchtop vm0: emulator stderr" in out
    junit = (tmp_path / "j.xml").read_text()
    assert "benchtop vm0 qtest log:" in junit
    assert "benchtop vm0 argv:" in junit


def test_plugin_skips_benchtop_only_on_qemu(pytester, tmp_path):
    fake = make_binary(tmp_path, "qemu-system-riscv64")
    pytester.makepyfile(test_plug=PLUGIN_TESTS)
    res = pytester.runpytest("-p", "benchtop.pytest_plugin",
                             f"--benchtop-binary={fake}", "-rs",
                             "-k", "only_ours")
    res.assert_outcomes(skipped=1)
    assert "benchtop_only, running against QEMU: differs on purpose" in \
        res.stdout.str()


def test_plugin_skips_without_binary(pytester, tmp_path):
    pytester.makepyfile(test_plug=PLUGIN_TESTS)
    res = pytester.runpytest("-p", "benchtop.pytest_plugin",
                             f"--benchtop-binary={tmp_path}/missing", "-rs",
                             "-k", "default_machine")
    res.assert_outcomes(skipped=1)
    assert "does not exist or is not executable" in res.stdout.str()


def test_default_binary_env(monkeypatch):
    from benchtop.machine import REPO_ROOT, default_binary
    monkeypatch.delenv("QTEST_QEMU_BINARY", raising=False)
    monkeypatch.delenv("BENCHTOP_BINARY", raising=False)
    assert default_binary() == str(REPO_ROOT / "build" / "benchtop")
    monkeypatch.setenv("BENCHTOP_BINARY", "/x/bt")
    assert default_binary() == "/x/bt"
    monkeypatch.setenv("QTEST_QEMU_BINARY", "/x/qemu")
    assert default_binary() == "/x/qemu"
    assert os.path.isdir(REPO_ROOT / "harness" / "python" / "benchtop")


# -- temporary directories ----------------------------------------------------

def test_failed_launch_removes_its_directory(fake, tmp_path):
    from benchtop.machine import unreleased_machines
    cases = [("-fake-exit 3", fake, {}),
             ("-machine none", str(tmp_path / "nope"), {}),
             ("-fake-noconnect", fake, {"start_timeout": 0.5})]
    for args, binary, kwargs in cases:
        m = Machine(args, binary, **kwargs)
        with pytest.raises(MachineError):
            m.launch()
        assert m.dir is not None and not m.dir.exists(), args
        assert str(m.dir) not in unreleased_machines()
        m.cleanup()  # harmless afterwards


def test_cleanup_after_exit_by_itself(fake):
    from benchtop.machine import unreleased_machines
    m = Machine("-machine virt", fake).launch()
    assert str(m.dir) in unreleased_machines()
    m.qtest.send("writel 0x100000 0x5555")
    assert m.wait(5) == 0
    assert m.dir.exists()
    m.cleanup()
    assert not m.dir.exists()
    assert str(m.dir) not in unreleased_machines()
    assert m.qtest_log_text() != ""  # kept in memory


def test_forgotten_machine_directory_goes_with_it(fake):
    import gc
    m = Machine("-machine none", fake).launch()
    path = m.dir
    m.kill()
    del m
    gc.collect()
    assert not path.exists()
    from benchtop.machine import forget_unreleased, unreleased_machines
    assert str(path) in unreleased_machines()  # still reported as a leak
    forget_unreleased([str(path)])
    assert str(path) not in unreleased_machines()


LEAKY_TESTS = textwrap.dedent('''
    from benchtop.machine import Machine

    def test_leaks(benchtop_binary, tmp_path):
        m = Machine("-machine none", benchtop_binary,
                    base_dir=str(tmp_path)).launch()
        with open("dir.txt", "w") as f:  # in the pytester directory
            f.write(str(m.dir))

    def test_tidy(machine):
        pass
''')


@pytest.mark.parametrize("mode", ["warn", "fail"])
def test_plugin_reports_machines_never_cleaned_up(pytester, tmp_path, mode):
    fake = make_binary(tmp_path)
    pytester.makepyfile(test_leak=LEAKY_TESTS)
    res = pytester.runpytest("-p", "benchtop.pytest_plugin",
                             f"--benchtop-binary={fake}",
                             f"--benchtop-leak-check={mode}")
    res.assert_outcomes(passed=2)
    assert res.ret == (1 if mode == "fail" else 0)
    out = res.stdout.str()
    assert "1 machine(s) launched but never cleaned up" in out
    leaked = Path((pytester.path / "dir.txt").read_text())
    assert str(leaked) in out
    assert not leaked.exists()
