#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The coverage gate: merges a test run's register coverage and line
coverage and fails, with a table saying why, when

* a register of a device was never both written and read by hand-written
  tests (a read-only register needs a read, a write-only one a write);
* a device file under hw/ has no test file in tests/qtest
  (test-<name>.c or test_<name>.py, "-" spelled "_");
* gcov line coverage of a file under hw/ is below --min-lines (90%);

unless ci/coverage-exceptions.txt lists the case with a reason.

Inputs
  --regcov DIR   the files the emulators appended to (BENCHTOP_REGCOV):
                 every *.jsonl line with a "tag" is one process's counts;
                 regmaps*.jsonl lines ({"devices": [... "regions" ...]},
                 written by the baseline suite) give each register's
                 access ("r", "w", "rw").
  --gcov FILE    gcovr --json-summary output (omit to skip line coverage).

Counting: a process whose tag starts with "baseline" ran a generated test
and never counts as hand-written.  Only qtest accesses count by default
(--origins qtest,hart,other widens it): a guest booting through a
driver touches registers without checking them.

Exceptions file, one per line, "#" comments:
  DEVICE-TYPE.REGISTER   reason        a register (e.g. ns16550a.DLM)
  testfile:hw/PATH.c     reason        a device file without a test file
  lines:hw/PATH.c        reason        a file below the line threshold
An exception naming nothing that exists fails the gate; one that is no
longer needed is reported so it can be removed.

--json-out FILE writes the merged data (for ci/report.py).
Exit status: 0 pass, 1 fail, 2 bad input.
"""

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Tuple

ORIGINS = ("qtest", "hart", "other")
RESET_TAGS = ("baseline:reset", "baseline:device-reset")


class Problem(NamedTuple):
    kind: str  # "register", "testfile", "lines", "exceptions", "input"
    key: str
    detail: str


def is_baseline(tag: str) -> bool:
    return tag == "baseline" or tag.startswith("baseline:")


def _num(v) -> int:
    if isinstance(v, str):
        return int(v, 0)
    return int(v or 0)


# -- reading ---------------------------------------------------------------

def read_jsonl(paths: Iterable[Path], problems: List[Problem]) -> List[dict]:
    out = []
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            problems.append(Problem("input", str(p), str(e)))
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(Problem("input", f"{p.name}:{n}",
                                        f"not JSON ({e.msg})"))
    return out


def collect(folder: Optional[Path], problems: List[Problem]
            ) -> Tuple[List[dict], List[dict]]:
    """(coverage records, regmap documents) from @folder's *.jsonl."""
    if folder is None or not folder.is_dir():
        return [], []
    files = sorted(folder.glob("**/*.jsonl"))
    maps = [f for f in files if f.name.startswith("regmaps")]
    cov = [f for f in files if f not in maps]
    return read_jsonl(cov, problems), read_jsonl(maps, problems)


# -- merging ---------------------------------------------------------------

class RegCov:
    """Counts for one register of one device type, over the whole run."""

    def __init__(self, dev_type: str, region: str, name: str):
        self.dev_type = dev_type
        self.region = region
        self.name = name
        self.access = "rw"  # from the maps when known
        self.hand = {f"{o}-{d}": 0 for o in ORIGINS
                     for d in ("reads", "writes")}
        self.baseline = dict(self.hand)
        self.reset_checked = 0  # baseline reset/device-reset reads
        self.tests = set()  # hand-written tags that touched it

    @property
    def key(self) -> str:
        return f"{self.dev_type}.{self.name}"

    def hand_reads(self, origins=("qtest",)) -> int:
        return sum(self.hand[f"{o}-reads"] for o in origins)

    def hand_writes(self, origins=("qtest",)) -> int:
        return sum(self.hand[f"{o}-writes"] for o in origins)

    def needs(self) -> Tuple[bool, bool]:
        """(needs a read, needs a write) by its access."""
        return self.access in ("r", "rw"), self.access in ("w", "rw")

    def missing(self, origins=("qtest",)) -> List[str]:
        need_r, need_w = self.needs()
        out = []
        if need_w and not self.hand_writes(origins):
            out.append("written")
        if need_r and not self.hand_reads(origins):
            out.append("read")
        return out


class Merged:
    def __init__(self):
        self.regs: Dict[Tuple[str, str, str], RegCov] = {}
        self.devices: Dict[str, set] = {}  # type -> paths seen
        self.processes = 0
        self.baseline_processes = 0
        self.tags = set()

    def reg(self, dev_type: str, region: str, name: str) -> RegCov:
        k = (dev_type, region, name)
        if k not in self.regs:
            self.regs[k] = RegCov(dev_type, region, name)
        return self.regs[k]

    def by_type(self) -> Dict[str, List[RegCov]]:
        out: Dict[str, List[RegCov]] = {}
        for r in self.regs.values():
            out.setdefault(r.dev_type, []).append(r)
        return out


def merge(records: Iterable[dict], maps: Iterable[dict] = ()) -> Merged:
    m = Merged()
    for doc in maps:
        for dev in doc.get("devices", []):
            m.devices.setdefault(dev["type"], set()).add(dev["path"])
            for region in dev.get("regions", []):
                for r in region.get("registers", []):
                    rc = m.reg(dev["type"], region["name"], r["name"])
                    rc.access = r.get("access", "rw")
    for rec in records:
        if "devices" not in rec or "tag" not in rec:
            continue
        tag = rec.get("tag") or ""
        base = is_baseline(tag)
        m.processes += 1
        m.baseline_processes += base
        m.tags.add(tag)
        for dev in rec["devices"]:
            m.devices.setdefault(dev["type"], set()).add(dev["path"])
            for c in dev.get("registers", []):
                rc = m.reg(dev["type"], c.get("region", ""), c["name"])
                bucket = rc.baseline if base else rc.hand
                touched = False
                for k in bucket:
                    v = _num(c.get(k, 0))
                    bucket[k] += v
                    touched = touched or v > 0
                if base and tag in RESET_TAGS:
                    rc.reset_checked += _num(c.get("qtest-reads", 0))
                if not base and touched:
                    rc.tests.add(tag)
    return m


# -- exceptions --------------------------------------------------------------

def read_exceptions(path: Optional[Path], problems: List[Problem]
                    ) -> Dict[str, str]:
    out: Dict[str, str] = {}
    if path is None or not path.exists():
        return out
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) < 2 or not parts[1].strip():
            problems.append(Problem("exceptions", f"{path.name}:{n}",
                                    f"'{parts[0]}' has no reason"))
            continue
        if parts[0] in out:
            problems.append(Problem("exceptions", f"{path.name}:{n}",
                                    f"'{parts[0]}' listed twice"))
        out[parts[0]] = parts[1].strip()
    return out


# -- file checks -------------------------------------------------------------

DEVICE_CLASS_RE = re.compile(r"^const DeviceClass\s+\w+\s*=", re.M)


def device_files(repo: Path) -> List[str]:
    """hw/**/*.c files that define a DeviceClass (boards do not)."""
    out = []
    for p in sorted((repo / "hw").glob("**/*.c")):
        try:
            if DEVICE_CLASS_RE.search(p.read_text(errors="replace")):
                out.append(p.relative_to(repo).as_posix())
        except OSError:
            continue
    return out


def test_files_for(repo: Path, hw_file: str) -> List[str]:
    stem = Path(hw_file).stem
    cands = [f"tests/qtest/test-{stem}.c",
             f"tests/qtest/test_{stem.replace('-', '_')}.py"]
    return [c for c in cands if (repo / c).exists()]


FUNCTION_RE = re.compile(r"^[A-Za-z_][^;=]*\)\s*\{", re.M)


def has_code(path: Path) -> bool:
    """Does @path define a function (gcovr omits files of data only)?"""
    try:
        return bool(FUNCTION_RE.search(path.read_text(errors="replace")))
    except OSError:
        return False


def line_coverage(gcov: Optional[dict]) -> Dict[str, Tuple[int, int]]:
    """filename -> (covered, total) from a gcovr --json-summary."""
    out = {}
    for f in (gcov or {}).get("files", []):
        name = f.get("filename", "")
        out[name] = (int(f.get("line_covered", 0)),
                     int(f.get("line_total", 0)))
    return out


# -- the decision ----------------------------------------------------------

class Verdict(NamedTuple):
    problems: List[Problem]
    excused: List[Tuple[Problem, str]]
    unused_exceptions: List[str]
    merged: Merged
    files: Dict[str, dict]


def decide(merged: Merged, exceptions: Dict[str, str], repo: Path,
           gcov: Optional[dict], min_lines: float = 90.0,
           origins=("qtest",), input_problems: Optional[List[Problem]] = None
           ) -> Verdict:
    problems = list(input_problems or [])
    excused: List[Tuple[Problem, str]] = []
    used = set()

    def report(p: Problem, key: str) -> None:
        if key in exceptions:
            used.add(key)
            excused.append((p, exceptions[key]))
        else:
            problems.append(p)

    if not merged.processes:
        problems.append(Problem("input", "regcov",
                                "no register coverage records found"))
    elif merged.processes == merged.baseline_processes:
        problems.append(Problem("input", "regcov",
                                "no hand-written test recorded coverage"))
    for r in sorted(merged.regs.values(), key=lambda x: x.key):
        miss = r.missing(origins)
        if miss:
            report(Problem("register", r.key,
                           f"access {r.access}: never "
                           f"{' or '.join(miss)} by a hand-written test "
                           f"(hand reads {r.hand_reads(origins)}, writes "
                           f"{r.hand_writes(origins)}; baseline reads "
                           f"{r.baseline['qtest-reads']}, writes "
                           f"{r.baseline['qtest-writes']})"), r.key)

    files: Dict[str, dict] = {}
    cov = line_coverage(gcov)
    for f in device_files(repo):
        tests = test_files_for(repo, f)
        files[f] = {"tests": tests}
        if not tests:
            stem = Path(f).stem
            report(Problem("testfile", f,
                           f"no tests/qtest/test-{stem}.c or "
                           f"test_{stem.replace('-', '_')}.py"),
                   f"testfile:{f}")
    if gcov is not None:
        hw_files = sorted({p.relative_to(repo).as_posix()
                           for p in (repo / "hw").glob("**/*.c")})
        for f in hw_files:
            covered, total = cov.get(f, (0, 0))
            pct = 100.0 * covered / total if total else 0.0
            files.setdefault(f, {})["lines"] = [covered, total, pct]
            if f not in cov:
                if not has_code(repo / f):
                    files[f]["lines"] = None  # data only: nothing to run
                    continue
                report(Problem("lines", f, "no gcov data (never built or "
                               "never run)"), f"lines:{f}")
            elif pct < min_lines:
                report(Problem("lines", f, f"line coverage {pct:.1f}% "
                               f"({covered}/{total}) < {min_lines:g}%"),
                       f"lines:{f}")

    known = {r.key for r in merged.regs.values()}
    known |= {f"testfile:{f}" for f in device_files(repo)}
    known |= {f"lines:{p.relative_to(repo).as_posix()}"
              for p in (repo / "hw").glob("**/*.c")}
    unused = []
    for key in sorted(exceptions):
        if key not in known:
            if key.startswith("lines:") and gcov is None:
                continue
            problems.append(Problem("exceptions", key,
                                    "names no register or hw/ file that "
                                    "exists"))
        elif key not in used and not (key.startswith("lines:")
                                      and gcov is None):
            unused.append(key)
    return Verdict(problems, excused, unused, merged, files)


# -- output ------------------------------------------------------------------

def table(verdict: Verdict, origins=("qtest",)) -> str:
    m = verdict.merged
    lines = []
    regs = sorted(m.regs.values(), key=lambda x: x.key)
    ok = sum(1 for r in regs if not r.missing(origins))
    lines.append(f"register coverage by hand-written tests ({'+'.join(origins)}"
                 f" accesses): {ok}/{len(regs)} registers; "
                 f"{m.processes} emulator processes "
                 f"({m.baseline_processes} baseline)")
    if regs:
        w = max(len(r.key) for r in regs)
        lines.append(f"  {'register'.ljust(w)}  acc  {'reads':>6} "
                     f"{'writes':>6}  {'base-r':>6} {'base-w':>6}  "
                     f"{'reset':>5}  status")
        for r in regs:
            miss = r.missing(origins)
            status = "ok" if not miss else \
                ("excused" if r.key in dict((p.key, 1) for p, _ in
                                            verdict.excused) else "FAIL")
            lines.append(
                f"  {r.key.ljust(w)}  {r.access:<3}  "
                f"{r.hand_reads(origins):>6} {r.hand_writes(origins):>6}  "
                f"{r.baseline['qtest-reads']:>6} "
                f"{r.baseline['qtest-writes']:>6}  "
                f"{'yes' if r.reset_checked else 'no':>5}  {status}")
    if verdict.files:
        lines.append("hw/ files:")
        for f, info in sorted(verdict.files.items()):
            cov = info.get("lines")
            covs = f"{cov[2]:5.1f}% ({cov[0]}/{cov[1]})" if cov else "  -"
            tests = ", ".join(info.get("tests", [])) if "tests" in info \
                else "(not a device)"
            lines.append(f"  {f:<32} lines {covs:<20} tests: "
                         f"{tests or 'NONE'}")
    if verdict.excused:
        lines.append("excused by ci/coverage-exceptions.txt:")
        for p, why in verdict.excused:
            lines.append(f"  {p.key}: {p.detail} -- {why}")
    if verdict.unused_exceptions:
        lines.append("exceptions no longer needed (remove them):")
        for k in verdict.unused_exceptions:
            lines.append(f"  {k}")
    if verdict.problems:
        lines.append(f"coverage gate: FAIL ({len(verdict.problems)} "
                     f"problem(s)):")
        w = max(len(p.key) for p in verdict.problems)
        for p in verdict.problems:
            lines.append(f"  {p.kind:<10} {p.key.ljust(w)}  {p.detail}")
    else:
        lines.append("coverage gate: PASS")
    return "\n".join(lines)


def to_json(verdict: Verdict, origins=("qtest",)) -> dict:
    devices = {}
    for t, regs in sorted(verdict.merged.by_type().items()):
        devices[t] = {
            "paths": sorted(verdict.merged.devices.get(t, ())),
            "registers": [{
                "region": r.region, "name": r.name, "access": r.access,
                "hand": r.hand, "baseline": r.baseline,
                "reset-checked": r.reset_checked,
                "missing": r.missing(origins),
                "tests": sorted(r.tests),
            } for r in sorted(regs, key=lambda x: (x.region, x.name))],
        }
    return {
        "origins": list(origins),
        "processes": verdict.merged.processes,
        "baseline-processes": verdict.merged.baseline_processes,
        "devices": devices,
        "files": verdict.files,
        "problems": [p._asdict() for p in verdict.problems],
        "excused": [dict(p._asdict(), reason=why)
                    for p, why in verdict.excused],
        "unused-exceptions": verdict.unused_exceptions,
        "pass": not verdict.problems,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regcov", type=Path, required=True,
                    help="folder of BENCHTOP_REGCOV *.jsonl files")
    ap.add_argument("--exceptions", type=Path,
                    default=Path(__file__).with_name("coverage-exceptions.txt"))
    ap.add_argument("--gcov", type=Path, default=None,
                    help="gcovr --json-summary file")
    ap.add_argument("--min-lines", type=float, default=90.0)
    ap.add_argument("--origins", default="qtest",
                    help="comma-separated: qtest,hart,other")
    ap.add_argument("--repo", type=Path,
                    default=Path(__file__).resolve().parents[1])
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args(argv)

    origins = tuple(o for o in args.origins.split(",") if o)
    if any(o not in ORIGINS for o in origins):
        print(f"--origins: choose from {', '.join(ORIGINS)}", file=sys.stderr)
        return 2
    problems: List[Problem] = []
    records, maps = collect(args.regcov, problems)
    gcov = None
    if args.gcov is not None:
        try:
            gcov = json.loads(args.gcov.read_text())
        except (OSError, json.JSONDecodeError) as e:
            problems.append(Problem("input", str(args.gcov), str(e)))
    exceptions = read_exceptions(args.exceptions, problems)
    verdict = decide(merge(records, maps), exceptions, args.repo, gcov,
                     args.min_lines, origins, problems)
    print(table(verdict, origins))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(to_json(verdict, origins),
                                            indent=1))
    return 1 if verdict.problems else 0


if __name__ == "__main__":
    sys.exit(main())
