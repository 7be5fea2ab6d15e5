# SPDX-License-Identifier: MIT
"""Starting and stopping an emulator process the way libqtest does.

The test listens on unix sockets in a fresh temporary directory and the
emulator connects to them as a client:

    BINARY -qtest unix:DIR/qtest.sock -qtest-log DIR/qtest.log
           -chardev socket,path=DIR/qmp.sock,id=char0
           -mon chardev=char0,mode=control -display none
           [-chardev socket,id=s0,path=DIR/serial.sock -serial chardev:s0]
           ARGS -accel qtest

This is libqtest's command line (plus the optional serial socket of
qtest_init_with_serial()), so QEMU itself can be the binary.  The argv is a
list; nothing goes through a shell.  stdout and stderr go to files in the
same directory.

Which binary: the @binary argument, else $QTEST_QEMU_BINARY, else
$BENCHTOP_BINARY, else <repo>/build/benchtop (default_binary()).

Register coverage: when $BENCHTOP_REGCOV_DIR is set, every launched
emulator gets BENCHTOP_REGCOV=<dir>/pytest-<pid>.jsonl (it appends one
line of per-register access counts at exit) and BENCHTOP_REGCOV_TAG=<test
id> (the regcov_tag argument, else the running pytest test's node id),
unless @env already sets them (see regcov_env()).

Temporary directories: launch() makes one; cleanup() (also run by the
context manager, and by launch() itself when it fails) deletes it.  A
Machine that is garbage-collected, or still around when the interpreter
exits, without cleanup() gets its directory deleted anyway, and
unreleased_machines() names every Machine that launched but was never
cleaned up (the pytest plugin reports them at the end of the session).
$BENCHTOP_KEEP_TMP keeps the directories.
"""

import ctypes
import os
import select
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import List, Optional, Sequence, Union

from . import regs
from .qmp import QMP
from .qtest import QTest

REPO_ROOT = Path(__file__).resolve().parents[3]
TAIL_BYTES = 256 * 1024


def default_binary() -> str:
    """$QTEST_QEMU_BINARY, $BENCHTOP_BINARY, or <repo>/build/benchtop."""
    for var in ("QTEST_QEMU_BINARY", "BENCHTOP_BINARY"):
        value = os.environ.get(var)
        if value:
            return value
    return str(REPO_ROOT / "build" / "benchtop")


def is_qemu(binary: str) -> bool:
    """True if @binary looks like QEMU rather than Benchtop."""
    return os.path.basename(binary).startswith("qemu")


def split_args(args: Union[str, Sequence[str], None]) -> List[str]:
    """A string is split like a shell would (no expansion); lists pass."""
    if args is None:
        return []
    if isinstance(args, str):
        return shlex.split(args)
    return list(args)


def machine_type(args: Sequence[str]) -> Optional[str]:
    """The -machine/-M type named in @args (last one wins), or None."""
    found = None
    for i, word in enumerate(args[:-1]):
        if word.lstrip("-") in ("machine", "M") and word.startswith("-"):
            first = args[i + 1].split(",")[0]
            for item in args[i + 1].split(","):
                if item.startswith("type="):
                    first = item[len("type="):]
                    break
            if "=" not in first:
                found = first
    return found


def _read_tail(path: Path, max_bytes: int = TAIL_BYTES) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(size - max_bytes, 0))
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    if size > max_bytes:
        text = "[...]" + text
    return text


def _tail_lines(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:])


# -- temporary directories ----------------------------------------------------

# str(dir) -> description, for every Machine that made a directory and has
# not run cleanup() (even if it was garbage-collected since)
_unreleased = {}
_unreleased_lock = threading.Lock()


def _keep_tmp() -> bool:
    return bool(os.environ.get("BENCHTOP_KEEP_TMP"))


def _remove_dir(path: str) -> None:
    """weakref.finalize callback: must not refer to the Machine."""
    if not _keep_tmp():
        shutil.rmtree(path, ignore_errors=True)


def unreleased_machines() -> dict:
    """Machines launched but never cleaned up: {dir: description}."""
    with _unreleased_lock:
        return dict(_unreleased)


def forget_unreleased(paths=None) -> None:
    """Deletes the directories of unreleased machines and forgets them.

    @paths: which ones (keys of unreleased_machines()), default all.  Their
    processes are not touched (they die with this process).
    """
    with _unreleased_lock:
        paths = list(_unreleased if paths is None else paths)
        for path in paths:
            _unreleased.pop(path, None)
    for path in paths:
        _remove_dir(path)


def _set_pdeathsig() -> None:
    """In the child: die with the test process (like libqtest 7.2)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# -- register coverage (BENCHTOP_REGCOV_DIR) --------------------------------

def regcov_env(env: Optional[dict], tag: Optional[str]) -> dict:
    """Variables to add so the emulator dumps its register coverage.

    Empty unless $BENCHTOP_REGCOV_DIR is set.  BENCHTOP_REGCOV and
    BENCHTOP_REGCOV_TAG given in @env win (the generated baseline tests
    tag themselves "baseline").
    """
    folder = os.environ.get("BENCHTOP_REGCOV_DIR")
    if not folder:
        return {}
    env = env or {}
    out = {}
    if not env.get("BENCHTOP_REGCOV"):
        os.makedirs(folder, exist_ok=True)
        out["BENCHTOP_REGCOV"] = os.path.join(folder,
                                              f"pytest-{os.getpid()}.jsonl")
    if not env.get("BENCHTOP_REGCOV_TAG"):
        current = os.environ.get("PYTEST_CURRENT_TEST", "")
        # "path::test (call)": drop the phase
        out["BENCHTOP_REGCOV_TAG"] = tag or current.rsplit(" (", 1)[0] \
            or "python"
    return out


class MachineError(Exception):
    """The emulator failed to start, or exited with an unexpected status."""


class SerialPort:
    """The test's end of the emulator's first serial port."""

    def __init__(self, sock: socket.socket, timeout: float = 10.0):
        self._sock = sock
        self.timeout = timeout
        self._buf = b""
        self.received = b""  # everything ever read, for failure messages
        self._eof = False

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def write(self, data: bytes) -> None:
        self._sock.sendall(data)

    def _fill(self, timeout: float) -> bool:
        if self._eof:
            return False
        if not select.select([self._sock], [], [], max(timeout, 0))[0]:
            return False
        chunk = self._sock.recv(65536)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        self.received += chunk
        return True

    def read_until(self, marker: bytes, timeout: Optional[float] = None
                   ) -> bytes:
        """Returns the bytes up to and including @marker.

        Raises TimeoutError (showing what did arrive) if it does not come.
        """
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while marker not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or (not self._fill(left) and self._eof):
                raise TimeoutError(
                    f"serial: {marker!r} not seen within "
                    f"{self.timeout if timeout is None else timeout} s"
                    f"{' (EOF)' if self._eof else ''}; pending "
                    f"{self._buf[-400:]!r}")
        i = self._buf.index(marker) + len(marker)
        data, self._buf = self._buf[:i], self._buf[i:]
        return data

    def read(self, timeout: float = 0.0) -> bytes:
        """Whatever is pending, waiting up to @timeout for the first byte."""
        if not self._buf:
            self._fill(timeout)
        while self._fill(0):
            pass
        data, self._buf = self._buf, b""
        return data


class Machine:
    """One emulator process with its qtest, QMP and optional serial sockets.

    Use as a context manager or call launch()/shutdown().  After the
    process has ended, exit_code holds os.waitstatus_to_exitcode()'s value
    (negative for a signal) and rusage the child's resource usage.
    """

    def __init__(self, args: Union[str, Sequence[str], None] = None,
                 binary: Optional[str] = None, *,
                 serial: bool = False,
                 qmp: bool = True,
                 negotiate: bool = True,
                 qtest_log: Union[bool, str, None] = True,
                 accel: Optional[str] = "qtest",
                 timeout: float = 10.0,
                 start_timeout: float = 50.0,
                 name: str = "vm",
                 env: Optional[dict] = None,
                 base_dir: Optional[str] = None,
                 regcov_tag: Optional[str] = None):
        self.binary = binary or default_binary()
        self.args = split_args(args)
        self.name = name
        self.want_serial = serial
        self.want_qmp = qmp
        self.negotiate = negotiate
        self.qtest_log_opt = qtest_log
        self.accel = accel
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.env = env
        self.base_dir = base_dir
        self.regcov_tag = regcov_tag
        self.expected_status = 0
        self.exit_code: Optional[int] = None
        self.rusage = None
        self.killed = False
        self.proc: Optional[subprocess.Popen] = None
        self.qtest: Optional[QTest] = None
        self.qmp: Optional[QMP] = None
        self.serial: Optional[SerialPort] = None
        self.dir: Optional[Path] = None
        self.argv: List[str] = []
        self.t_spawn = self.t_connected = self.t_first_reply = None
        self._listeners = {}
        self._pidfd = -1
        self._stderr_cache: Optional[str] = None
        self._log_cache: Optional[str] = None
        self._stdout_cache: Optional[str] = None
        self._finalizer: Optional[weakref.finalize] = None
        self._tmp_removed = False

    # -- paths -------------------------------------------------------------

    @property
    def log_path(self) -> Optional[Path]:
        if self.qtest_log_opt is True:
            return self.dir / "qtest.log" if self.dir else None
        if isinstance(self.qtest_log_opt, str):
            return Path(self.qtest_log_opt)
        return None

    @property
    def stderr_path(self) -> Optional[Path]:
        return self.dir / "stderr.log" if self.dir else None

    @property
    def stdout_path(self) -> Optional[Path]:
        return self.dir / "stdout.log" if self.dir else None

    @property
    def pid(self) -> Optional[int]:
        return self.proc.pid if self.proc else None

    @property
    def board(self) -> Optional[str]:
        return machine_type(self.args)

    # -- logs --------------------------------------------------------------

    def stderr_text(self) -> str:
        if self._stderr_cache is not None:
            return self._stderr_cache
        return _read_tail(self.stderr_path) if self.stderr_path else ""

    def stdout_text(self) -> str:
        if self._stdout_cache is not None:
            return self._stdout_cache
        return _read_tail(self.stdout_path) if self.stdout_path else ""

    def qtest_log_text(self) -> str:
        if self._log_cache is not None:
            return self._log_cache
        return _read_tail(self.log_path) if self.log_path else ""

    def stderr_tail(self, lines: int = 30) -> str:
        return _tail_lines(self.stderr_text(), lines)

    def _describe(self) -> str:
        return f"{self.name} ({shlex.join(self.argv) if self.argv else '?'})"

    # -- start -------------------------------------------------------------

    def _listen(self, key: str) -> str:
        path = str(self.dir / f"{key}.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(1)
        self._listeners[key] = s
        return path

    def build_argv(self) -> List[str]:
        argv = [self.binary, "-qtest", "unix:" + self._listen("qtest")]
        if self.qtest_log_opt is not None:
            argv += ["-qtest-log", str(self.log_path)]
        if self.want_qmp:
            argv += ["-chardev", f"socket,path={self._listen('qmp')},id=char0",
                     "-mon", "chardev=char0,mode=control"]
        argv += ["-display", "none"]
        if self.want_serial:
            argv += ["-chardev", f"socket,id=s0,path={self._listen('serial')}",
                     "-serial", "chardev:s0"]
        argv += self.args
        if self.accel:
            argv += ["-accel", self.accel]
        return argv

    def launch(self) -> "Machine":
        """Spawns the emulator, accepts its connections, says hello.

        Raises MachineError (with the stderr tail) if the process exits or
        does not connect within start_timeout seconds.
        """
        self.dir = Path(tempfile.mkdtemp(prefix="benchtop-",
                                         dir=self.base_dir))
        self._tmp_removed = False
        # deletes the directory even if cleanup() is never called
        self._finalizer = weakref.finalize(self, _remove_dir, str(self.dir))
        with _unreleased_lock:
            _unreleased[str(self.dir)] = f"{self.name} {self.binary} " \
                f"{shlex.join(self.args)}"
        try:
            self.argv = self.build_argv()
            env = None
            if self.env is not None:
                env = dict(os.environ)
                env.update(self.env)
            extra = regcov_env(self.env, self.regcov_tag)
            if extra:
                env = dict(env if env is not None else os.environ)
                env.update(extra)
            with open(self.stdout_path, "wb") as out, \
                    open(self.stderr_path, "wb") as err:
                self.t_spawn = time.monotonic()
                try:
                    self.proc = subprocess.Popen(
                        self.argv, stdin=subprocess.DEVNULL, stdout=out,
                        stderr=err, env=env, preexec_fn=_set_pdeathsig)
                except OSError as e:
                    raise MachineError(f"cannot run {self.binary}: {e}") \
                        from None
            try:
                self._pidfd = os.pidfd_open(self.proc.pid)
            except (AttributeError, OSError):
                self._pidfd = -1
            conns = self._accept_all()
            self.t_connected = time.monotonic()
            self.qtest = QTest(conns["qtest"], self.timeout, self.stderr_tail)
            self.qtest.endianness()
            self.t_first_reply = time.monotonic()
            if "qmp" in conns:
                self.qmp = QMP(conns["qmp"], self.timeout, self.stderr_tail)
                if self.negotiate:
                    self.qmp.negotiate()
            if "serial" in conns:
                self.serial = SerialPort(conns["serial"], self.timeout)
        except BaseException:
            self._abort_launch()
            raise
        return self

    def _accept_all(self) -> dict:
        conns = {}
        deadline = time.monotonic() + self.start_timeout
        while len(conns) < len(self._listeners):
            waiting = [s for k, s in self._listeners.items() if k not in conns]
            left = deadline - time.monotonic()
            if left <= 0:
                raise MachineError(
                    f"{self._describe()}: did not connect to "
                    f"{', '.join(k for k in self._listeners if k not in conns)}"
                    f" within {self.start_timeout} s\nstderr:\n"
                    + self.stderr_tail())
            fds = waiting + ([self._pidfd] if self._pidfd >= 0 else [])
            ready = select.select(fds, [], [], min(left, 0.05))[0]
            for key, s in self._listeners.items():
                if s in ready and key not in conns:
                    c, _ = s.accept()
                    conns[key] = c
            if len(conns) < len(self._listeners) and \
                    self.proc.poll() is not None:
                self.exit_code = self.proc.returncode
                raise MachineError(
                    f"{self._describe()}: exited with status "
                    f"{self.proc.returncode} before connecting\nstderr:\n"
                    + self.stderr_tail())
        for s in self._listeners.values():
            s.close()
        self._listeners = {}
        return conns

    def _abort_launch(self) -> None:
        for s in self._listeners.values():
            s.close()
        self._listeners = {}
        if self.proc is not None and self.exit_code is None:
            self.kill()
        self._close_conns()
        # the error message already holds the stderr tail; keep the logs
        # in memory for failure reports, then delete the directory
        self._cache_logs(force=True)
        self._remove_tmp()

    # -- stop --------------------------------------------------------------

    def is_running(self) -> bool:
        return self.proc is not None and self.exit_code is None and \
            self._reap(0) is None

    def send_signal(self, sig: int) -> None:
        if self.proc is not None and self.exit_code is None:
            os.kill(self.proc.pid, sig)

    def _reap(self, timeout: float) -> Optional[int]:
        """Waits up to @timeout for the child; records status and rusage."""
        if self.exit_code is not None:
            return self.exit_code
        deadline = time.monotonic() + timeout
        while True:
            try:
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            except ChildProcessError:
                # someone else reaped it (should not happen)
                self.exit_code = self.proc.returncode if \
                    self.proc.returncode is not None else -255
                return self.exit_code
            if pid == self.proc.pid:
                self.exit_code = os.waitstatus_to_exitcode(status)
                self.rusage = usage
                self.proc.returncode = self.exit_code
                if self._pidfd >= 0:
                    os.close(self._pidfd)
                    self._pidfd = -1
                return self.exit_code
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if self._pidfd >= 0:
                select.select([self._pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.01))

    def wait(self, timeout: Optional[float] = None) -> int:
        """Waits for the process to exit by itself; returns its status.

        Raises MachineError if it is still running after @timeout.
        """
        code = self._reap(self.timeout if timeout is None else timeout)
        if code is None:
            raise MachineError(f"{self._describe()}: still running after "
                               f"{self.timeout if timeout is None else timeout}"
                               f" s")
        self._cache_logs()
        return code

    def kill(self) -> int:
        self.send_signal(signal.SIGKILL)
        self.killed = True
        return self._reap(30)

    def shutdown(self, timeout: float = 10.0) -> int:
        """SIGTERM, wait up to @timeout s, then SIGKILL; returns the status.

        Also closes every connection and keeps the log tails in memory.
        """
        if self.proc is not None and self.exit_code is None:
            if self._reap(0) is None:
                self.send_signal(signal.SIGTERM)
                if self._reap(timeout) is None:
                    self.kill()
        self._close_conns()
        self._cache_logs()
        return self.exit_code

    def check_status(self) -> None:
        """Raises MachineError unless the exit status is expected_status."""
        if self.killed:
            raise MachineError(f"{self._describe()}: did not exit after "
                               f"SIGTERM and was killed\nstderr:\n"
                               + self.stderr_tail())
        if self.exit_code != self.expected_status:
            how = (f"was killed by signal {-self.exit_code}"
                   if self.exit_code is not None and self.exit_code < 0
                   else f"exited with status {self.exit_code}")
            raise MachineError(f"{self._describe()}: {how}, expected "
                               f"{self.expected_status}\nstderr:\n"
                               + self.stderr_tail())

    def _close_conns(self) -> None:
        for c in (self.qtest, self.qmp, self.serial):
            if c is not None:
                c.close()

    def _cache_logs(self, force: bool = False) -> None:
        if self.dir is None or self._stderr_cache is not None:
            return
        if self.exit_code is None and not force:
            return
        self._stderr_cache = self.stderr_text()
        self._stdout_cache = self.stdout_text()
        self._log_cache = self.qtest_log_text()

    def cleanup(self) -> None:
        """Shuts down if needed and deletes the temporary directory."""
        try:
            if self.proc is not None and self.exit_code is None:
                self.shutdown()
            self._close_conns()
            self._cache_logs(force=True)
        finally:
            self._remove_tmp()

    def _remove_tmp(self) -> None:
        """Deletes the directory (unless $BENCHTOP_KEEP_TMP); idempotent."""
        for s in self._listeners.values():
            s.close()
        self._listeners = {}
        if self.dir is None or self._tmp_removed:
            return
        self._tmp_removed = True
        with _unreleased_lock:
            _unreleased.pop(str(self.dir), None)
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if not _keep_tmp():
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Machine":
        if self.proc is None:
            self.launch()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.cleanup()

    # -- registers ---------------------------------------------------------

    def reg(self, name: str, base: Optional[int] = None) -> regs.Register:
        """Register "DEVICE.REG" of this machine (see regs.py, regmap.py)."""
        return regs.bind(self.qtest, name, self.board or "none", base)

    def regmap(self):
        """The emulator's register map (regmap.RegMap), fetched once."""
        from .regmap import RegMap
        return RegMap.from_qtest(self.qtest)
