# SPDX-License-Identifier: MIT
"""Command-line parsing: exit codes and one-line messages (spec/cli.md §1,
§3.11, §5).  PROG in messages is the binary's basename."""

import os
import re
import subprocess

import pytest

TIMEOUT = 20
SIZE_HINT = ("Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, "
             "tera-, peta-\nand exabytes, respectively.\n")


@pytest.fixture
def run(benchtop_binary):
    prog = os.path.basename(benchtop_binary)

    def _run(*args):
        res = subprocess.run([benchtop_binary, *args], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=TIMEOUT)
        res.prog = prog
        res.out = res.stdout.decode("utf-8", "replace")
        res.err = res.stderr.decode("utf-8", "replace")
        return res
    return _run


# -- §1 argv rules -------------------------------------------------------------

@pytest.mark.parametrize("option", ["-foo", "-machine=virt", "-", "--", "---",
                                    "-?", "--machine=none", "-M=virt"])
def test_invalid_option(run, option):
    r = run(option)
    assert r.returncode == 1
    assert r.err == f"{r.prog}: {option}: invalid option\n"
    assert r.out == ""


@pytest.mark.parametrize("option", ["-m", "-machine", "-M", "-accel",
                                    "-qtest", "-chardev", "-serial"])
def test_missing_argument(run, option):
    r = run("-display", "none", option)
    assert r.returncode == 1
    assert r.err == f"{r.prog}: {option}: requires an argument\n"


def test_unknown_option_wins_over_version_in_either_order(run):
    for args in (("-version", "-foo"), ("-foo", "-version")):
        r = run(*args)
        assert r.returncode == 1
        assert r.err == f"{r.prog}: -foo: invalid option\n"
        assert r.out == ""


def test_version(run):
    for option in ("-version", "--version"):
        r = run(option)
        assert r.returncode == 0
        lines = r.out.splitlines()
        assert len(lines) == 2
        assert lines[0].startswith("QEMU emulator version ")
        assert re.match(r"^QEMU emulator version \d+\.\d+\.\d+", lines[0])
        assert lines[1].startswith("Copyright (c) ")
        assert r.err == ""


def test_version_acts_when_reached(run):
    r = run("-version", "-m", "foo")
    assert r.returncode == 0
    assert r.out.startswith("QEMU emulator version ")
    r = run("-m", "foo", "-version")
    assert r.returncode == 1
    assert r.out == ""
    assert r.err == (f"{r.prog}: -m foo: Parameter 'size' expects a "
                     f"non-negative number below 2^64\n" + SIZE_HINT)


@pytest.mark.parametrize("value", ["foo", "0x", "1e3", "-1", "1x", "help"])
def test_bad_memory_size(run, value):
    r = run("-machine", "none", "-display", "none", "-nodefaults",
            "-m", value)
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: -m {value}: Parameter 'size' expects a "
                     f"non-negative number below 2^64\n" + SIZE_HINT)


def test_bad_accel(run):
    r = run("-machine", "none", "-display", "none", "-nodefaults",
            "-accel", "nosuch")
    assert r.returncode == 1
    assert r.err == f"{r.prog}: -accel nosuch: invalid accelerator nosuch\n"


def test_accel_help(run):
    r = run("-accel", "help")
    assert r.returncode == 0
    lines = r.out.splitlines()
    assert lines[0] == "Accelerators supported in QEMU binary:"
    assert "tcg" in lines[1:]
    assert "qtest" not in lines  # hidden on purpose


def test_machine_help(run):
    for args in (("-M", "help"), ("-machine", "help"), ("-M", "?")):
        r = run(*args)
        assert r.returncode == 0
        lines = r.out.splitlines()
        assert lines[0] == "Supported machines are:"
        entries = {l[:20].rstrip(): l for l in lines[1:]}
        for name in ("none", "virt"):
            assert re.match(rf"^{name} {{{21 - len(name)}}}\S", entries[name]), \
                entries[name]
        assert entries["none"][21:] == "empty machine"
        assert sum(l.endswith(" (default)") for l in lines) <= 1


def test_unknown_machine(run):
    r = run("-M", "nosuch", "-display", "none")
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: unsupported machine type\n"
                     f"Use -machine help to list supported machines\n")


def test_keyval_machine_rejects_bare_flag(run):
    r = run("-display", "none", "-nodefaults", "-M", "virt,aclint")
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: -M virt,aclint: Expected '=' after "
                     f"parameter 'aclint'\n")


def test_bad_qtest_chardev(run):
    r = run("-machine", "none", "-display", "none", "-nodefaults",
            "-qtest", "bogus")
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: 'bogus' is not a valid char driver\n"
                     f"{r.prog}: Failed to initialize device for qtest: "
                     f"\"bogus\"\n")


def test_qtest_socket_nobody_listens(run, tmp_path):
    path = tmp_path / "none.sock"
    r = run("-machine", "none", "-display", "none", "-nodefaults",
            "-qtest", f"unix:{path}")
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: Failed to connect to '{path}': No such file "
                     f"or directory\n{r.prog}: Failed to initialize device "
                     f"for qtest: \"unix:{path}\"\n")


def test_serial_bad_chardev(run):
    r = run("-machine", "virt", "-display", "none", "-nodefaults",
            "-serial", "chardev:nosuch")
    assert r.returncode == 1
    assert r.err == (f"{r.prog}: -serial chardev:nosuch: could not connect "
                     f"serial device to character backend 'chardev:nosuch'\n")


# -- through the launcher -----------------------------------------------------

def test_double_dash_options(machine_factory):
    m = machine_factory(["--machine", "none", "--nodefaults"])
    assert m.qtest.cmd("endianness") == "OK little"


def test_repeated_accel_first_usable_wins_tcg(machine_factory):
    """libqtest appends -accel qtest; an earlier -accel tcg wins, so the
    clock commands do not exist."""
    m = machine_factory("-machine none -accel tcg")
    assert m.qtest.expect_fail("clock_step 10") == \
        "FAIL Unknown command 'clock_step'"
    assert m.qtest.expect_fail("clock_set 10") == \
        "FAIL Unknown command 'clock_set'"
    assert m.qtest.cmd("endianness") == "OK little"


def test_repeated_accel_failing_kvm_is_silent_with_qtest(machine_factory):
    m = machine_factory("-machine none -accel kvm")
    assert m.qtest.clock_step(10) == 10
    m.shutdown()
    assert m.stderr_text() == ""


def test_repeated_accel_unknown_then_qtest(machine_factory):
    m = machine_factory("-machine none -accel nosuch")
    assert m.qtest.clock_step(10) == 10
    m.shutdown()
    prog = os.path.basename(m.binary)
    assert m.stderr_text() == \
        f"{prog}: -accel nosuch: invalid accelerator nosuch\n"


def test_qtest_without_qtest_accel_uses_tcg(machine_factory):
    m = machine_factory("-machine none", accel=None)
    assert m.qtest.expect_fail("clock_step") == \
        "FAIL Unknown command 'clock_step'"


@pytest.mark.benchtop_only("QEMU segfaults on memory commands with no CPU")
def test_machine_none_without_ram_reads_zero(machine_factory):
    m = machine_factory("-machine none")
    q = m.qtest
    assert q.raw_cmd("readl 0x80000000") == "OK 0x0000000000000000"
    assert q.raw_cmd("readq 0x0") == "OK 0x0000000000000000"
    assert q.raw_cmd("read 0x1000 4") == "OK 0x00000000"
    assert q.raw_cmd("writel 0x80000000 0x1234") == "OK"
    assert q.raw_cmd("readl 0x80000000") == "OK 0x0000000000000000"
    assert q.raw_cmd("b64read 0x0 2") == "OK AAA="


def test_machine_none_without_cpu_serves_qmp(machine_factory):
    m = machine_factory("-machine none")
    assert m.qmp.cmd("query-cpus-fast") == []
    assert m.qtest.cmd("endianness") == "OK little"


def test_quit_status_0_and_sigterm_status_0(machine_factory):
    m = machine_factory("-machine none")
    m.qmp.send({"execute": "quit"})
    assert m.wait(TIMEOUT) == 0
    m2 = machine_factory("-machine virt -nodefaults")
    assert m2.shutdown() == 0
    assert not m2.killed
