# SPDX-License-Identifier: MIT
"""QMP wire format and the command subset harnesses use (spec/qmp-subset.md)."""

import signal
import time

import pytest

TIMEOUT = 10


@pytest.fixture
def raw_qmp(machine_factory):
    """A machine whose QMP session is still in negotiation mode."""
    return machine_factory("-machine none", negotiate=False).qmp


def test_greeting_shape_and_framing(raw_qmp):
    greeting = raw_qmp.greeting()
    # One JSON object on one line, terminated by \r\n.
    raw = b"".join(raw_qmp.raw_log)
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == 1
    assert list(greeting) == ["QMP"]
    version = greeting["QMP"]["version"]
    for key in ("major", "minor", "micro"):
        assert isinstance(version["qemu"][key], int)
    assert isinstance(version["package"], str)
    assert isinstance(greeting["QMP"]["capabilities"], list)
    assert all(isinstance(c, str) for c in greeting["QMP"]["capabilities"])


def test_negotiation_mode(raw_qmp):
    raw_qmp.greeting()
    err = raw_qmp.expect_error("query-version", error_class="CommandNotFound")
    assert err["desc"] == ("Expecting capabilities negotiation with "
                           "'qmp_capabilities'")
    err = raw_qmp.expect_error("qmp_capabilities",
                               {"enable": ["cap-does-not-exist"]},
                               error_class="GenericError")
    reply = raw_qmp.execute("qmp_capabilities")
    assert reply == {"return": {}}
    err = raw_qmp.expect_error("qmp_capabilities",
                               error_class="CommandNotFound")
    assert err["desc"] == ("Capabilities negotiation is already complete, "
                           "command ignored")
    assert isinstance(raw_qmp.cmd("query-version")["qemu"]["major"], int)


@pytest.mark.parametrize("garbage,desc", [
    (b"{]", "JSON parse error, expecting value"),
    (b"[1,2]", "QMP input must be a JSON object"),
    (b'"x"', "QMP input must be a JSON object"),
])
def test_malformed_input_in_negotiation_mode(raw_qmp, garbage, desc):
    raw_qmp.greeting()
    raw_qmp.send_raw(garbage)
    reply = raw_qmp.receive_response()
    assert reply["error"]["class"] == "GenericError"
    assert reply["error"]["desc"] == desc
    assert "id" not in reply
    # recovery: the next object is handled normally
    reply = raw_qmp.execute("no-such-cmd")
    assert reply["error"]["class"] == "CommandNotFound"


@pytest.mark.parametrize("request_,desc", [
    ({"id": 5}, "QMP input lacks member 'execute'"),
    ({"execute": True, "id": 5}, "QMP input member 'execute' must be a string"),
    ({"execute": "query-name", "arguments": [], "id": 5},
     "QMP input member 'arguments' must be an object"),
    ({"execute": "query-name", "extra": True, "id": 5},
     "QMP input member 'extra' is unexpected"),
    ({"exec-oob": "query-name", "id": 5},
     "QMP input member 'exec-oob' is unexpected"),
])
def test_request_level_errors_echo_id(qmp, request_, desc):
    reply = qmp.request(request_)
    assert reply == {"error": {"class": "GenericError", "desc": desc},
                     "id": 5}


def test_unknown_command_with_id(qmp):
    reply = qmp.request({"execute": "no-such-cmd", "id": "x"})
    assert reply == {"error": {"class": "CommandNotFound",
                               "desc": "The command no-such-cmd has not been "
                                       "found"}, "id": "x"}


def test_ids_are_echoed_verbatim(qmp):
    for rid in ("cookie#1", 7, {"a": [1, 2]}, [None, True], 1.5):
        reply = qmp.request({"execute": "query-name", "id": rid})
        assert reply == {"return": {}, "id": rid}


def test_argument_errors_echo_id(qmp):
    reply = qmp.request({"execute": "qom-get", "id": 1,
                         "arguments": {"path": "/machine"}})
    assert reply == {"error": {"class": "GenericError", "desc":
                               "Parameter 'property' is missing"}, "id": 1}
    reply = qmp.request({"execute": "query-status", "id": 2,
                         "arguments": {"foo": 1}})
    assert reply == {"error": {"class": "GenericError", "desc":
                               "Parameter 'foo' is unexpected"}, "id": 2}
    reply = qmp.request({"execute": "qom-list", "id": 3,
                         "arguments": {"path": 1}})
    assert reply == {"error": {"class": "GenericError", "desc":
                               "Invalid parameter type for 'path', expected: "
                               "string"}, "id": 3}
    reply = qmp.request({"execute": "human-monitor-command", "id": 2})
    assert reply == {"error": {"class": "GenericError", "desc":
                               "Parameter 'command-line' is missing"}, "id": 2}


def test_stream_framing(qmp):
    # two requests in one write, no newlines
    qmp.send_raw(b'{"execute": "query-name", "id": 1}'
                 b'{"execute": "query-name", "id": 2}')
    assert qmp.receive_response()["id"] == 1
    assert qmp.receive_response()["id"] == 2
    # one request split over writes, whitespace between objects
    qmp.send_raw(b'  \n{"execute": "query-')
    qmp.send_raw(b'name", "id": 3}\r\n')
    assert qmp.receive_response() == {"return": {}, "id": 3}
    # single-quoted strings are accepted
    qmp.send_raw(b"{'execute': 'query-name', 'id': 'sq'}")
    assert qmp.receive_response() == {"return": {}, "id": "sq"}
    # every message ends in \r\n
    raw = b"".join(qmp.raw_log)
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n")


def test_garbage_then_recovery(qmp):
    qmp.send_raw(b"{\x01")
    reply = qmp.receive_response()
    assert reply["error"]["class"] == "GenericError"
    assert qmp.cmd("query-name") == {}


def test_status_stop_cont(qmp):
    assert qmp.cmd("query-status") == {"status": "running",
                                       "singlestep": False, "running": True}
    assert qmp.cmd("stop") == {}
    ev = qmp.event_wait("STOP")
    assert "data" not in ev
    assert set(ev["timestamp"]) == {"seconds", "microseconds"}
    assert qmp.cmd("query-status") == {"status": "paused",
                                       "singlestep": False, "running": False}
    qmp.clear_events()
    assert qmp.cmd("stop") == {}  # already stopped: no event
    assert qmp.cmd("cont") == {}
    ev = qmp.event_wait("RESUME")
    assert "data" not in ev
    assert qmp.get_events() == []  # no second STOP came
    assert qmp.cmd("cont") == {}  # already running: no event
    assert qmp.cmd("query-status")["status"] == "running"
    assert qmp.get_events() == []


@pytest.mark.machine_args("-machine none -S")
def test_prelaunch_with_S(qmp):
    assert qmp.cmd("query-status") == {"status": "prelaunch",
                                       "singlestep": False, "running": False}
    qmp.cmd("cont")
    qmp.event_wait("RESUME")
    assert qmp.cmd("query-status")["running"] is True


def test_system_reset_event(qmp):
    assert qmp.cmd("system_reset") == {}
    ev = qmp.event_wait("RESET")
    assert ev["data"] == {"guest": False, "reason": "host-qmp-system-reset"}


def test_system_powerdown_event(qmp):
    assert qmp.cmd("system_powerdown") == {}
    ev = qmp.event_wait("POWERDOWN")
    assert "data" not in ev


def test_quit_exits_0_after_shutdown_event(machine, qmp):
    qmp.send({"execute": "quit"})
    msgs = qmp.events + qmp.read_until_eof(TIMEOUT)
    events = [m for m in msgs if "event" in m]
    assert events[-1]["event"] == "SHUTDOWN"
    assert events[-1]["data"] == {"guest": False, "reason": "host-qmp-quit"}
    assert {"return": {}} in msgs or msgs[-1].get("event") == "SHUTDOWN"
    assert machine.wait(TIMEOUT) == 0


def test_sigterm_exits_0_with_host_signal(machine, qmp):
    machine.send_signal(signal.SIGTERM)
    ev = qmp.event_wait("SHUTDOWN", timeout=TIMEOUT)
    assert ev["data"] == {"guest": False, "reason": "host-signal"}
    assert machine.wait(TIMEOUT) == 0
    assert "terminating on signal" not in machine.stderr_text()


def test_closing_sockets_does_not_end_the_run(machine, qmp):
    machine.qtest.close()
    qmp.cmd("query-status")
    assert machine.is_running()


def test_qom_list_root_and_machine(qmp):
    root = {p["name"]: p["type"] for p in qmp.cmd("qom-list", path="/")}
    assert root["type"] == "string"
    assert root["machine"] == "child<none-machine>"
    assert root["chardevs"] == "child<container>"
    props = {p["name"]: p["type"] for p in qmp.cmd("qom-list", path="/machine")}
    assert props["qtest"] == "child<qtest>"
    for name in ("peripheral", "peripheral-anon", "unattached"):
        assert props[name] == "child<container>"
    for entry in qmp.cmd("qom-list", path="/machine/qtest"):
        assert isinstance(entry["name"], str) and isinstance(entry["type"], str)


def test_qom_get(qmp):
    assert qmp.cmd("qom-get", path="/machine", property="type") == \
        "none-machine"
    assert qmp.cmd("qom-get", path="/machine/qtest", property="type") == \
        "qtest"
    assert qmp.cmd("qom-get", path="/machine", property="qtest") == \
        "/machine/qtest"
    # a partial path resolves when unique
    assert qmp.cmd("qom-get", path="peripheral-anon", property="type") == \
        "container"


def test_qom_errors(qmp):
    err = qmp.expect_error("qom-list", {"path": "nope"}, "DeviceNotFound")
    assert err["desc"] == "Device 'nope' not found"
    err = qmp.expect_error("qom-get", {"path": "nope", "property": "type"},
                           "DeviceNotFound")
    err = qmp.expect_error("qom-get", {"path": "/machine", "property": "nope"},
                           "GenericError")
    assert err["desc"] == "Property 'none-machine.nope' not found"
    # qmp-test /qmp/missing-any-arg
    qmp.expect_error("qom-set", {"path": "/machine", "property": "type"},
                     "GenericError")


@pytest.mark.machine_args("-machine virt -nodefaults")
def test_qom_set_and_get_virt_property(qmp, tmp_path):
    err = qmp.expect_error("qom-set", {"path": "/machine", "property":
                                       "dumpdtb", "value": 1}, "GenericError")
    assert err["desc"] == "Invalid parameter type for 'dumpdtb', expected: " \
        "string"
    path = str(tmp_path / "x.dtb")
    assert qmp.cmd("qom-set", path="/machine", property="dumpdtb",
                   value=path) == {}
    assert qmp.cmd("qom-get", path="/machine", property="dumpdtb") == path


def test_query_machines_shape(qmp):
    machines = {m["name"]: m for m in qmp.cmd("query-machines")}
    assert {"none", "virt"} <= set(machines)
    for m in machines.values():
        assert isinstance(m["cpu-max"], int)
        for key in ("hotpluggable-cpus", "numa-mem-supported", "deprecated"):
            assert isinstance(m[key], bool)
        if "is-default" in m:
            assert m["is-default"] is True
    assert "default-cpu-type" not in machines["none"]
    assert machines["virt"]["numa-mem-supported"] is True
    assert machines["virt"]["cpu-max"] == 512
    assert machines["virt"]["default-ram-id"] == "riscv_virt_board.ram"
    assert machines["none"]["cpu-max"] == 1
    assert sum(1 for m in machines.values() if m.get("is-default")) <= 1


@pytest.mark.benchtop_only("'acpi' is mandatory only since QEMU 8.0; the "
                           "7.2 reference does not send it")
def test_query_machines_has_acpi(qmp):
    for m in qmp.cmd("query-machines"):
        assert m["acpi"] is False


def test_qom_list_types_shape(qmp):
    concrete = qmp.cmd("qom-list-types", implements="device", abstract=False)
    assert concrete, "no device types"
    for t in concrete:
        assert isinstance(t["name"], str)
        assert "abstract" not in t
        if "parent" in t:
            assert isinstance(t["parent"], str)
    everything = qmp.cmd("qom-list-types", implements="device", abstract=True)
    names = {t["name"] for t in everything}
    assert {t["name"] for t in concrete} <= names
    for t in everything:
        if "abstract" in t:
            assert t["abstract"] is True
    assert any(t.get("abstract") for t in everything)


@pytest.mark.benchtop_only("Benchtop's device type names are its file names")
def test_qom_list_types_has_our_devices(qmp):
    names = {t["name"] for t in qmp.cmd("qom-list-types", implements="device",
                                        abstract=False)}
    assert {"ns16550a", "sifive-test"} <= names


def test_query_commands_lists_what_harnesses_use(qmp):
    names = {c["name"] for c in qmp.cmd("query-commands")}
    assert {"qmp_capabilities", "query-version", "query-commands",
            "query-status", "stop", "cont", "system_reset", "quit",
            "query-machines", "qom-list", "qom-get", "qom-set",
            "qom-list-types", "human-monitor-command"} <= names


def test_small_queries(qmp):
    assert qmp.cmd("query-name") == {}
    assert qmp.cmd("query-target") == {"arch": "riscv64"}
    assert qmp.cmd("query-kvm") == {"enabled": False, "present": False}
    assert qmp.cmd("query-cpus-fast") == []


@pytest.mark.machine_args("-machine none -name guest0")
def test_query_name_with_name(qmp):
    assert qmp.cmd("query-name") == {"name": "guest0"}


def test_hmp_info_status(qmp):
    assert qmp.cmd("human-monitor-command", command_line="info status") == \
        "VM status: running\r\n"
    out = qmp.cmd("human-monitor-command", command_line="nosuchcmd")
    assert out == "unknown command: 'nosuchcmd'\r\n"


def test_events_not_delivered_before_negotiation(machine_factory):
    m = machine_factory("-machine virt -nodefaults", negotiate=False)
    m.qmp.greeting()
    m.qtest.writel(0x100000, 0x7777)  # guest reset: a RESET event
    time.sleep(0.3)
    m.qtest.cmd("endianness")
    assert m.qmp.execute("qmp_capabilities") == {"return": {}}
    assert m.qmp.cmd("query-status")["status"] == "running"
    assert m.qmp.get_events() == []
    m.qtest.writel(0x100000, 0x7777)
    assert m.qmp.event_wait("RESET")["data"] == {"guest": True,
                                                 "reason": "guest-reset"}
