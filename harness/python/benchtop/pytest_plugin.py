# SPDX-License-Identifier: MIT
"""pytest plugin: emulator fixtures, markers and failure reports.

Load it from a conftest.py with ``pytest_plugins = ["benchtop.pytest_plugin"]``
(harness/python on sys.path) or with ``-p benchtop.pytest_plugin``.

Fixtures
    benchtop_binary   path of the emulator; skips the test (saying why) if
                      it does not exist.  --benchtop-binary, else
                      $QTEST_QEMU_BINARY, $BENCHTOP_BINARY, <repo>/build/benchtop.
    machine_factory   call it with launcher arguments to start machines;
                      all are stopped (SIGTERM) at teardown and each must
                      exit with its .expected_status (default 0).
    machine           one machine; arguments from
                      @pytest.mark.machine_args("-machine virt", serial=True),
                      default "-machine none".
    qtest, qmp        machine.qtest, machine.qmp.

Markers
    machine_args(ARGS, **launcher_kwargs)
    benchtop_only(reason)  behaviour where Benchtop deliberately differs
                      from QEMU; deselect with -m "not benchtop_only", and
                      skipped automatically when the binary is QEMU.

At the end of the session every Machine that was launched but never
cleaned up (Machine.cleanup(), or leaving its ``with`` block) is listed as
a warning and its temporary directory deleted; --benchtop-leak-check=fail
makes that fail the session instead, =off skips the check.

On failure the qtest log and the emulator's stderr (tails) are added to the
report as "Captured log ..." / "Captured stderr ..." sections, so JUnit XML
(--junitxml, with -o junit_logging=all) carries them too.
"""

import os
import shutil
import sys

import pytest

from .machine import (Machine, MachineError, default_binary,
                      forget_unreleased, is_qemu, unreleased_machines)

LOG_TAIL_LINES = 200
STDERR_TAIL_LINES = 100


def pytest_addoption(parser):
    group = parser.getgroup("benchtop")
    group.addoption("--benchtop-binary", default=None, metavar="PATH",
                    help="emulator to test (default: $QTEST_QEMU_BINARY, "
                         "$BENCHTOP_BINARY, else <repo>/build/benchtop)")
    group.addoption("--benchtop-timeout", type=float, default=10.0,
                    metavar="S", help="seconds to wait for any reply "
                                      "(default 10)")
    group.addoption("--benchtop-leak-check", default="warn",
                    choices=("warn", "fail", "off"),
                    help="at the end of the session, warn about (or fail "
                         "on) machines that were never cleaned up "
                         "(default warn)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "machine_args(args, **kwargs): emulator arguments and "
        "launcher options for the machine fixture")
    config.addinivalue_line(
        "markers", "benchtop_only(reason): deliberate divergence from QEMU; "
        "not expected to pass against qemu-system-riscv64")


def binary_from_config(config) -> str:
    return config.getoption("benchtop_binary") or default_binary()


def pytest_collection_modifyitems(config, items):
    binary = binary_from_config(config)
    if not is_qemu(binary):
        return
    for item in items:
        marker = item.get_closest_marker("benchtop_only")
        if marker is not None:
            why = marker.args[0] if marker.args else \
                marker.kwargs.get("reason", "Benchtop-specific behaviour")
            item.add_marker(pytest.mark.skip(
                reason=f"benchtop_only, running against QEMU: {why}"))


@pytest.fixture(scope="session")
def benchtop_binary(pytestconfig) -> str:
    path = binary_from_config(pytestconfig)
    if os.sep not in path:  # a bare name is looked up in $PATH
        path = shutil.which(path) or path
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        pytest.skip(f"emulator binary {path} does not exist or is not "
                    f"executable (build it, or set --benchtop-binary / "
                    f"QTEST_QEMU_BINARY)")
    return path


@pytest.fixture(scope="session")
def benchtop_timeout(pytestconfig) -> float:
    return pytestconfig.getoption("benchtop_timeout")


class MachineFactory:
    """Starts machines for one test and stops them at its end."""

    def __init__(self, binary: str, timeout: float, node):
        self.binary = binary
        self.timeout = timeout
        self.node = node
        self.machines = []
        if not hasattr(node, "_benchtop_machines"):
            node._benchtop_machines = []

    def __call__(self, args=None, **kwargs) -> Machine:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("name", f"vm{len(self.machines)}")
        # register coverage is tagged with the test (BENCHTOP_REGCOV_DIR)
        kwargs.setdefault("regcov_tag", self.node.nodeid)
        m = Machine(args, self.binary, **kwargs)
        self.machines.append(m)
        self.node._benchtop_machines.append(m)
        m.launch()
        return m

    def finish(self) -> None:
        errors = []
        for m in self.machines:
            try:
                if m.proc is None:
                    continue  # launch() failed before spawning
                m.shutdown()
                m.check_status()
            except MachineError as e:
                errors.append(str(e))
            finally:
                m.cleanup()
        if errors:
            pytest.fail("\n\n".join(errors), pytrace=False)


@pytest.fixture
def machine_factory(request, benchtop_binary, benchtop_timeout):
    factory = MachineFactory(benchtop_binary, benchtop_timeout, request.node)
    yield factory
    factory.finish()


@pytest.fixture
def machine(request, machine_factory) -> Machine:
    marker = request.node.get_closest_marker("machine_args")
    args = "-machine none"
    kwargs = {}
    if marker is not None:
        if marker.args:
            args = marker.args[0]
        kwargs = dict(marker.kwargs)
    return machine_factory(args, **kwargs)


@pytest.fixture
def qtest(machine):
    return machine.qtest


@pytest.fixture
def qmp(machine):
    if machine.qmp is None:
        pytest.skip("this machine was started without QMP")
    return machine.qmp


def _tail(text: str, lines: int) -> str:
    all_lines = text.splitlines()
    if len(all_lines) <= lines:
        return text
    return (f"[... {len(all_lines) - lines} earlier lines ...]\n"
            + "\n".join(all_lines[-lines:]) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        item._benchtop_failed = True
    # The failing phase's report feeds the terminal; JUnit XML takes the
    # captured output from the teardown report, so that one gets it too.
    if not (rep.failed or (rep.when == "teardown"
                           and getattr(item, "_benchtop_failed", False))):
        return
    for m in getattr(item, "_benchtop_machines", []):
        head = f"benchtop {m.name} argv: {' '.join(m.argv)}\nexit status: {m.exit_code}\n"
        if m.log_path is not None:
            rep.sections.append(
                (f"Captured log benchtop {m.name}: qtest log",
                 f"benchtop {m.name} qtest log:\n"
                 + (_tail(m.qtest_log_text(), LOG_TAIL_LINES) or "(empty)\n")))
        rep.sections.append(
            (f"Captured stderr benchtop {m.name}: emulator stderr",
             head + (_tail(m.stderr_text(), STDERR_TAIL_LINES)
                     or "(empty)\n")))


def pytest_sessionstart(session):
    # machines of an enclosing session (pytester) are not this one's
    session._benchtop_unreleased_before = set(unreleased_machines())


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    mode = session.config.getoption("benchtop_leak_check", "warn")
    before = getattr(session, "_benchtop_unreleased_before", set())
    leaked = {path: desc for path, desc in unreleased_machines().items()
              if path not in before}
    forget_unreleased(leaked)  # delete their directories either way
    if mode == "off" or not leaked:
        return
    text = (f"benchtop: {len(leaked)} machine(s) launched but never cleaned "
            f"up (use machine_factory or a with block, or call cleanup()):"
            + "".join(f"\n  {desc} ({path})"
                      for path, desc in leaked.items()))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(text, yellow=mode == "warn", red=mode == "fail")
    else:
        print(text, file=sys.stderr)
    if mode == "fail" and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
