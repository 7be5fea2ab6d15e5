# SPDX-License-Identifier: MIT
"""Client for QMP (spec/qmp-subset.md).

Input is parsed as a stream of JSON objects (json.JSONDecoder.raw_decode
over a buffer), so neither "\\r\\n" nor member order matters.  Events seen
while waiting for a response are stashed; event_wait() consumes the stash
first.  cmd() returns the "return" value or raises QMPError.
"""

import codecs
import json
import select
import socket
import time
from typing import Any, Callable, Dict, List, Optional

DEFAULT_TIMEOUT = 10.0


class QMPError(Exception):
    """The server answered a command with an error object."""

    def __init__(self, command: str, reply: Dict[str, Any]):
        err = reply.get("error", {})
        self.command = command
        self.reply = reply
        self.error_class = err.get("class")
        self.desc = err.get("desc")
        super().__init__(f"QMP {command}: {self.error_class}: {self.desc}")


class QMPTimeout(Exception):
    """No complete message arrived in time."""


class QMPClosed(Exception):
    """The server closed the connection."""


class QMPProtocolError(Exception):
    """The server sent something that is not a JSON object."""


class QMP:
    """A QMP session on a connected socket.

    Construction reads nothing; call greeting() (or negotiate(), which
    reads the greeting first if needed).
    """

    def __init__(self, sock: socket.socket, timeout: float = DEFAULT_TIMEOUT,
                 stderr_tail: Optional[Callable[[], str]] = None):
        self._sock = sock
        self.timeout = timeout
        self._stderr_tail = stderr_tail
        self._decoder = json.JSONDecoder()
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._eof = False
        self.events: List[Dict[str, Any]] = []
        self.greeting_msg: Optional[Dict[str, Any]] = None
        self.raw_log: List[bytes] = []
        self._next_id = 0

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def fileno(self) -> int:
        return self._sock.fileno()

    def _context(self) -> str:
        if self._stderr_tail is None:
            return ""
        tail = self._stderr_tail()
        return ("\nemulator stderr (tail):\n" + tail) if tail else \
            "\n(emulator stderr is empty)"

    # -- transport ---------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        """Writes @data verbatim (may be invalid JSON)."""
        try:
            self._sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise QMPClosed(f"QMP: write failed: {e}" + self._context()) \
                from None

    def send(self, msg: Dict[str, Any]) -> None:
        """Sends @msg serialised, without a trailing newline (as libqtest)."""
        self.send_raw(json.dumps(msg).encode("utf-8"))

    def _fill(self, deadline: float, what: str) -> None:
        if self._eof:
            raise QMPClosed(f"QMP: connection closed while waiting for {what}"
                            + self._context())
        left = deadline - time.monotonic()
        ready = select.select([self._sock], [], [], max(left, 0))[0] \
            if left > 0 else []
        if not ready:
            raise QMPTimeout(f"QMP: no {what} within {self.timeout} s"
                             + (f" (partial: {self._text[:200]!r})"
                                if self._text.strip() else "")
                             + self._context())
        try:
            chunk = self._sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self._eof = True
            raise QMPClosed(f"QMP: connection closed while waiting for {what}"
                            + self._context())
        self.raw_log.append(chunk)
        self._text += self._utf8.decode(chunk)

    def receive(self, timeout: Optional[float] = None,
                what: str = "a message") -> Dict[str, Any]:
        """Returns the next message of any kind (events are not stashed)."""
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while True:
            stripped = self._text.lstrip(" \t\r\n")
            if stripped:
                try:
                    obj, end = self._decoder.raw_decode(stripped)
                except json.JSONDecodeError:
                    # Messages are complete lines; a newline after a failed
                    # decode means the message itself is bad.
                    if "\n" in stripped:
                        raise QMPProtocolError(
                            f"QMP: undecodable input {stripped[:200]!r}") \
                            from None
                else:
                    self._text = stripped[end:]
                    if not isinstance(obj, dict):
                        raise QMPProtocolError(f"QMP: not an object: {obj!r}")
                    return obj
            self._fill(deadline, what)

    def greeting(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Reads (once) and returns the greeting."""
        if self.greeting_msg is None:
            msg = self.receive(timeout, "the greeting")
            if "QMP" not in msg:
                raise QMPProtocolError(f"QMP: expected a greeting, got {msg!r}")
            self.greeting_msg = msg
        return self.greeting_msg

    def receive_response(self, timeout: Optional[float] = None,
                         what: str = "a response") -> Dict[str, Any]:
        """Next non-event message; events met on the way are stashed."""
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while True:
            msg = self.receive(max(deadline - time.monotonic(), 0), what)
            if "event" in msg:
                self.events.append(msg)
                continue
            return msg

    def request(self, msg: Dict[str, Any],
                timeout: Optional[float] = None) -> Dict[str, Any]:
        """Sends @msg and returns the whole response object (no raising)."""
        self.send(msg)
        name = msg.get("execute", msg.get("exec-oob", "?"))
        return self.receive_response(timeout, f"the response to {name!r}")

    def execute(self, name: str, arguments: Optional[Dict[str, Any]] = None,
                id: Any = None, timeout: Optional[float] = None
                ) -> Dict[str, Any]:
        """Builds and sends one request; returns the whole response."""
        msg: Dict[str, Any] = {"execute": name}
        if arguments is not None:
            msg["arguments"] = arguments
        if id is not None:
            msg["id"] = id
        return self.request(msg, timeout)

    def cmd(self, name: str, arguments: Optional[Dict[str, Any]] = None,
            **kwargs: Any) -> Any:
        """Runs command @name; returns its 'return' value or raises QMPError.

        Arguments come from @arguments and/or keyword arguments, whose
        underscores become dashes (command_line= -> "command-line").
        """
        args = dict(arguments or {})
        for key, value in kwargs.items():
            args[key.replace("_", "-")] = value
        reply = self.execute(name, args if args else None)
        if "error" in reply:
            raise QMPError(name, reply)
        if "return" not in reply:
            raise QMPProtocolError(f"QMP {name}: unexpected reply {reply!r}")
        return reply["return"]

    def expect_error(self, name: str,
                     arguments: Optional[Dict[str, Any]] = None,
                     error_class: Optional[str] = None) -> Dict[str, Any]:
        """Runs @name, asserts an error (of @error_class) and returns it."""
        reply = self.execute(name, arguments)
        if "error" not in reply:
            raise AssertionError(f"QMP {name}: expected an error, got {reply!r}")
        if error_class is not None and reply["error"].get("class") != error_class:
            raise AssertionError(f"QMP {name}: expected class {error_class}, "
                                 f"got {reply['error']!r}")
        return reply["error"]

    def negotiate(self, enable: Optional[List[str]] = None) -> Dict[str, Any]:
        """Reads the greeting if needed and runs qmp_capabilities."""
        self.greeting()
        args = {"enable": enable} if enable is not None else None
        self.cmd("qmp_capabilities", args)
        return self.greeting_msg

    # -- events ------------------------------------------------------------

    def get_events(self, clear: bool = True) -> List[Dict[str, Any]]:
        """Stashed events, oldest first (and forgets them if @clear)."""
        evs = list(self.events)
        if clear:
            self.events = []
        return evs

    def clear_events(self) -> None:
        self.events = []

    def event_wait(self, name: str, timeout: Optional[float] = None,
                   match: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Returns the first event called @name (whose data contains @match).

        The stash is searched first; other events read meanwhile stay
        stashed.  Raises QMPTimeout when it does not come.
        """
        def fits(ev: Dict[str, Any]) -> bool:
            if ev.get("event") != name:
                return False
            if match:
                data = ev.get("data", {})
                return all(data.get(k) == v for k, v in match.items())
            return True

        for i, ev in enumerate(self.events):
            if fits(ev):
                del self.events[i]
                return ev
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while True:
            msg = self.receive(max(deadline - time.monotonic(), 0),
                               f"event {name}")
            if "event" not in msg:
                raise QMPProtocolError(f"QMP: unexpected response {msg!r} "
                                       f"while waiting for event {name}")
            if fits(msg):
                return msg
            self.events.append(msg)

    def read_until_eof(self, timeout: Optional[float] = None) -> List[Dict]:
        """Reads messages until the server closes; returns them."""
        msgs = []
        deadline = time.monotonic() + (self.timeout if timeout is None
                                       else timeout)
        while True:
            try:
                msgs.append(self.receive(max(deadline - time.monotonic(), 0),
                                         "EOF"))
            except QMPClosed:
                return msgs

