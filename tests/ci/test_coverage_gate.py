# SPDX-License-Identifier: MIT
"""ci/coverage-gate.py: merging register coverage and the pass/fail rules,
on fixture coverage files (no emulator needed)."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "coverage_gate", ROOT / "ci" / "coverage-gate.py")
gate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gate)

# A made-up device "tick-timer" with four registers of every access kind.
REGS = [("COUNT", "r"), ("COMPARE", "rw"), ("CTRL", "rw"), ("CMD", "w")]


def regmap_doc():
    return {"devices": [{
        "path": "/machine/timer0", "type": "tick-timer",
        "regions": [{"name": "regs", "base": 4096, "size": 16,
                     "min-access": 4, "max-access": 4,
                     "registers": [{"name": n, "offset": 4 * i, "width": 4,
                                    "access": a}
                                   for i, (n, a) in enumerate(REGS)]}]}]}


def record(tag, counts, origin="qtest", pid=1):
    """One process's line; @counts maps register -> (reads, writes)."""
    regs = []
    for name, _ in REGS:
        r, w = counts.get(name, (0, 0))
        c = {"region": "regs", "name": name}
        for o in gate.ORIGINS:
            c[f"{o}-reads"] = r if o == origin else 0
            c[f"{o}-writes"] = w if o == origin else 0
        regs.append(c)
    return {"tag": tag, "pid": pid, "machine": "none",
            "devices": [{"path": "/machine/timer0", "type": "tick-timer",
                         "registers": regs}]}


FULL = {"COUNT": (2, 0), "COMPARE": (1, 1), "CTRL": (3, 2), "CMD": (0, 1)}


@pytest.fixture
def repo(tmp_path):
    """A tree with one device file and its test file."""
    (tmp_path / "hw" / "timer").mkdir(parents=True)
    (tmp_path / "hw" / "timer" / "tick-timer.c").write_text(
        "const DeviceClass tick_timer_class = {\n};\n")
    (tmp_path / "hw" / "riscv").mkdir()
    (tmp_path / "hw" / "riscv" / "board.c").write_text(
        "static void board_init(void)\n{\n}\n"
        "const MachineClass board_class = {\n};\n")
    (tmp_path / "tests" / "qtest").mkdir(parents=True)
    (tmp_path / "tests" / "qtest" / "test-tick-timer.c").write_text("")
    return tmp_path


def write_run(folder, records, maps=True):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "pytest-1.jsonl", "w") as f:
        for rec in records:
            f.write(json.dumps(rec) + "\n")
    if maps:
        (folder / "regmaps-1.jsonl").write_text(json.dumps(regmap_doc())
                                                + "\n")
    return folder


def run_gate(repo, records, exceptions="", gcov=None, maps=True):
    problems = []
    folder = write_run(repo / "out" / "regcov", records, maps)
    recs, mps = gate.collect(folder, problems)
    exc_file = repo / "exceptions.txt"
    exc_file.write_text(exceptions)
    exc = gate.read_exceptions(exc_file, problems)
    return gate.decide(gate.merge(recs, mps), exc, repo, gcov,
                       input_problems=problems)


def keys(verdict):
    return [p.key for p in verdict.problems]


def test_everything_covered_passes(repo):
    v = run_gate(repo, [record("tests/qtest/test_t.py::test_a", FULL),
                        record("baseline:reset", {"COUNT": (1, 0)})])
    assert v.problems == []
    assert "coverage gate: PASS" in gate.table(v)


def test_removing_one_registers_test_fails_naming_it(repo):
    without_ctrl_write = dict(FULL, CTRL=(3, 0))
    v = run_gate(repo, [record("test-tick-timer#0", without_ctrl_write)])
    assert keys(v) == ["tick-timer.CTRL"]
    text = gate.table(v)
    assert "coverage gate: FAIL (1 problem(s))" in text
    assert "tick-timer.CTRL" in text and "never written" in text


def test_counts_add_up_over_processes_and_files(repo):
    # COMPARE is written by one test and read by another: both count.
    a = dict(FULL, COMPARE=(0, 1))
    b = {"COMPARE": (1, 0)}
    v = run_gate(repo, [record("t::a", a), record("t::b", b, pid=2)])
    assert v.problems == []
    (reg,) = [r for r in v.merged.regs.values() if r.name == "COMPARE"]
    assert (reg.hand_reads(), reg.hand_writes()) == (1, 1)
    assert reg.tests == {"t::a", "t::b"}


def test_baseline_accesses_do_not_count(repo):
    hand = dict(FULL, COMPARE=(0, 0))
    v = run_gate(repo, [record("t::a", hand),
                        record("baseline:rw", {"COMPARE": (9, 9)}),
                        record("baseline", {"COMPARE": (9, 9)})])
    assert keys(v) == ["tick-timer.COMPARE"]
    assert "never written or read" in v.problems[0].detail
    assert v.merged.baseline_processes == 2


def test_read_only_needs_a_read_and_write_only_a_write(repo):
    v = run_gate(repo, [record("t::a", dict(FULL, COUNT=(0, 5), CMD=(5, 0)))])
    details = {p.key: p.detail for p in v.problems}
    assert set(details) == {"tick-timer.COUNT", "tick-timer.CMD"}
    assert "never read" in details["tick-timer.COUNT"]
    assert "never written" in details["tick-timer.CMD"]


def test_without_maps_every_register_needs_both(repo):
    v = run_gate(repo, [record("t::a", FULL)], maps=False)
    assert sorted(keys(v)) == ["tick-timer.CMD", "tick-timer.COUNT"]


def test_hart_accesses_count_only_when_asked(repo):
    recs = [record("t::a", dict(FULL, CTRL=(0, 0))),
            record("t::boot", {"CTRL": (1, 1)}, origin="hart")]
    assert keys(run_gate(repo, recs)) == ["tick-timer.CTRL"]
    problems = []
    folder = write_run(repo / "out" / "regcov", recs)
    recs2, maps = gate.collect(folder, problems)
    v = gate.decide(gate.merge(recs2, maps), {}, repo, None,
                    origins=("qtest", "hart"))
    assert v.problems == []


def test_exception_excuses_with_its_reason(repo):
    v = run_gate(repo, [record("t::a", dict(FULL, CTRL=(3, 0)))],
                 "# reviewed\ntick-timer.CTRL  write starts the timer; "
                 "covered by the ISA suite\n")
    assert v.problems == []
    assert [(p.key, why) for p, why in v.excused] == [
        ("tick-timer.CTRL", "write starts the timer; covered by the ISA "
                            "suite")]


def test_exception_without_reason_or_unknown_fails(repo):
    v = run_gate(repo, [record("t::a", FULL)],
                 "tick-timer.CTRL\ntick-timer.NOPE  typo\n")
    assert ("exceptions", "exceptions.txt:1") in [(p.kind, p.key)
                                                  for p in v.problems]
    assert "tick-timer.NOPE" in keys(v)


def test_unneeded_exception_is_listed(repo):
    v = run_gate(repo, [record("t::a", FULL)],
                 "tick-timer.CTRL  was untested once\n")
    assert v.problems == []
    assert v.unused_exceptions == ["tick-timer.CTRL"]
    assert "no longer needed" in gate.table(v)


def test_device_file_without_test_file_fails(repo):
    (repo / "hw" / "timer" / "new-dev.c").write_text(
        "const DeviceClass new_dev_class = {};\n")
    v = run_gate(repo, [record("t::a", FULL)])
    assert keys(v) == ["hw/timer/new-dev.c"]
    assert "test_new_dev.py" in v.problems[0].detail
    # a Python test file is enough
    (repo / "tests" / "qtest" / "test_new_dev.py").write_text("")
    assert run_gate(repo, [record("t::a", FULL)]).problems == []


def test_testfile_exception(repo):
    (repo / "hw" / "timer" / "new-dev.c").write_text(
        "const DeviceClass new_dev_class = {};\n")
    v = run_gate(repo, [record("t::a", FULL)],
                 "testfile:hw/timer/new-dev.c  tested in tests/functional\n")
    assert v.problems == []


def gcov_summary(pcts):
    return {"files": [{"filename": f, "line_covered": c, "line_total": t,
                       "line_percent": 100.0 * c / t}
                      for f, (c, t) in pcts.items()]}


def test_line_coverage_below_threshold_fails(repo):
    g = gcov_summary({"hw/timer/tick-timer.c": (89, 100),
                      "hw/riscv/board.c": (95, 100)})
    v = run_gate(repo, [record("t::a", FULL)], gcov=g)
    assert keys(v) == ["hw/timer/tick-timer.c"]
    assert "89.0% (89/100) < 90%" in v.problems[0].detail
    g = gcov_summary({"hw/timer/tick-timer.c": (90, 100),
                      "hw/riscv/board.c": (95, 100)})
    assert run_gate(repo, [record("t::a", FULL)], gcov=g).problems == []


def test_file_of_data_only_needs_no_gcov_data(repo):
    (repo / "hw" / "riscv" / "table.c").write_text(
        "const MachineClass m = {\n    .name = \"x\",\n};\n")
    g = gcov_summary({"hw/timer/tick-timer.c": (100, 100),
                      "hw/riscv/board.c": (100, 100)})
    assert run_gate(repo, [record("t::a", FULL)], gcov=g).problems == []


def test_file_missing_from_gcov_fails_and_can_be_excused(repo):
    g = gcov_summary({"hw/timer/tick-timer.c": (100, 100)})
    v = run_gate(repo, [record("t::a", FULL)], gcov=g)
    assert keys(v) == ["hw/riscv/board.c"]
    assert "no gcov data" in v.problems[0].detail
    v = run_gate(repo, [record("t::a", FULL)], gcov=g,
                 exceptions="lines:hw/riscv/board.c  not built yet\n")
    assert v.problems == []


def test_no_records_or_only_baseline_fails(repo):
    v = run_gate(repo, [])
    assert "no register coverage records found" in \
        [p.detail for p in v.problems]
    v = run_gate(repo, [record("baseline:reset", FULL)])
    assert "no hand-written test recorded coverage" in \
        [p.detail for p in v.problems]


def test_big_counts_as_hex_strings_and_bad_lines(repo):
    rec = record("t::a", FULL)
    rec["devices"][0]["registers"][0]["qtest-reads"] = "0x0020000000000000"
    folder = write_run(repo / "out" / "regcov", [rec])
    with open(folder / "pytest-1.jsonl", "a") as f:
        f.write("{truncated\n")
    problems = []
    recs, maps = gate.collect(folder, problems)
    m = gate.merge(recs, maps)
    (count,) = [r for r in m.regs.values() if r.name == "COUNT"]
    assert count.hand_reads() == 1 << 53
    assert [p.kind for p in problems] == ["input"]
    assert "pytest-1.jsonl:2" in problems[0].key


def test_main_exit_status_and_json(repo, capsys):
    write_run(repo / "rc", [record("t::a", dict(FULL, CMD=(0, 0))),
                            record("baseline:reset", {"COUNT": (1, 0)})])
    (repo / "exc.txt").write_text("")
    out = repo / "merged.json"
    rc = gate.main(["--regcov", str(repo / "rc"), "--exceptions",
                    str(repo / "exc.txt"), "--repo", str(repo),
                    "--json-out", str(out)])
    assert rc == 1
    text = capsys.readouterr().out
    assert "tick-timer.CMD" in text and "FAIL" in text
    doc = json.loads(out.read_text())
    assert doc["pass"] is False
    regs = {r["name"]: r for r in doc["devices"]["tick-timer"]["registers"]}
    assert regs["CMD"]["missing"] == ["written"]
    assert regs["COUNT"]["reset-checked"] == 1
    assert regs["COMPARE"]["reset-checked"] == 0
