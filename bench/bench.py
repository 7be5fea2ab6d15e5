#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchtop vs QEMU as qtest targets: start-up, round trips, a tiny test, RSS.

Both emulators are driven by the same client with libqtest's command line,
so the client's overhead is the same on both sides: bench/qtest-client (C,
built by meson next to the benchtop binary) when it exists, else the Python
harness (harness/python/benchtop), whose own cost then dominates the round
trips.  The two targets' runs alternate, so a change in the machine's load
hits both alike.  QEMU needs the qtest accelerator module built from
Debian's qemu source package (see bench/README.md); if QEMU or the module
is missing, its column is skipped and Benchtop's figures are still printed.
Always exits 0.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "harness" / "python"))

from benchtop.machine import Machine  # noqa: E402

MACHINE_NONE = "-machine none"
# No firmware: QEMU would otherwise load OpenSBI from disk at every start.
MACHINE_VIRT = "-machine virt -nodefaults -bios none"
RAM = 0x80000000
UART_SCR = 0x10000007
QEMU_NAME = "qemu-system-riscv64"
QEMU_MODULE = "accel-qtest-riscv64.so"
CLIENT_NAME = "qtest-client"
CLIENT_TIMEOUT = 600


class Target:
    def __init__(self, name, binary, env=None):
        self.name = name
        self.binary = binary
        self.env = env

    def machine(self, args):
        return Machine(args, self.binary, env=self.env, qtest_log="/dev/null",
                       timeout=30, name=self.name)

    def client(self, client, mode, args, *opts):
        """Runs bench/qtest-client MODE on this target; its JSON result."""
        env = dict(os.environ)
        env.update(self.env or {})
        argv = [client, mode, *map(str, opts), "--", self.binary,
                *args.split()]
        p = subprocess.run(argv, env=env, capture_output=True, text=True,
                           timeout=CLIENT_TIMEOUT)
        if p.returncode != 0:
            raise RuntimeError(f"{self.name}: qtest-client {mode}: "
                               + (p.stderr.strip() or f"status {p.returncode}"))
        return json.loads(p.stdout)


def start_latency(target, args, runs):
    """Seconds from spawn to the first qtest reply (median of @runs)."""
    samples = []
    for _ in range(runs):
        m = target.machine(args).launch()
        samples.append(m.t_first_reply - m.t_spawn)
        m.shutdown()
        m.cleanup()
    return statistics.median(samples)


def round_trips(target, ops):
    """readl round trips per second: one at a time, and 100 per write."""
    m = target.machine(MACHINE_VIRT).launch()
    try:
        q = m.qtest
        line = f"readl {RAM:#x}"
        for _ in range(100):  # warm up
            q.raw_cmd(line)
        t0 = time.perf_counter()
        for _ in range(ops):
            q.raw_cmd(line)
        single = ops / (time.perf_counter() - t0)
        batch = [line] * 100
        batches = max(ops // 100, 1)
        t0 = time.perf_counter()
        for _ in range(batches):
            q.pipeline(batch)
        piped = batches * 100 / (time.perf_counter() - t0)
    finally:
        m.shutdown()
        m.cleanup()
    return single, piped


def tiny_test(target, runs):
    """Whole-process time of a tiny test and its peak RSS (KiB), medians.

    Start, 50 register operations on the UART scratch register, SIGTERM,
    wait.  Also returns the median CPU time (user+sys, seconds).
    """
    times, rss, cpu = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        m = target.machine(MACHINE_VIRT).launch()
        q = m.qtest
        for i in range(25):
            q.writeb(UART_SCR, i)
            if q.readb(UART_SCR) != i:
                raise RuntimeError(f"{target.name}: SCR read back wrong")
        code = m.shutdown()
        times.append(time.perf_counter() - t0)
        if m.rusage is not None:
            rss.append(m.rusage.ru_maxrss)
            cpu.append(m.rusage.ru_utime + m.rusage.ru_stime)
        m.cleanup()
        if code != 0:
            raise RuntimeError(f"{target.name}: exit status {code}")
    return (statistics.median(times),
            statistics.median(rss) if rss else None,
            statistics.median(cpu) if cpu else None)


def measure(target, runs, ops):
    """All metrics of one target with the Python harness."""
    res = {}
    res["start_none_s"] = start_latency(target, MACHINE_NONE, runs)
    res["start_virt_s"] = start_latency(target, MACHINE_VIRT, runs)
    res["readl_per_s"], res["readl_pipelined_per_s"] = round_trips(target, ops)
    res["tiny_test_s"], res["peak_rss_kib"], res["tiny_test_cpu_s"] = \
        tiny_test(target, runs)
    return res


class Alternating:
    """Runs each step on every live target in turn; a failing target drops.

    @samples[target][key] collects the values; @failed[target] the reason.
    """

    def __init__(self, targets):
        self.targets = list(targets)
        self.samples = {t.name: {} for t in targets}
        self.failed = {}

    def each(self, fn):
        for t in self.targets:
            if t.name in self.failed:
                continue
            try:
                for key, value in fn(t).items():
                    self.samples[t.name].setdefault(key, []).extend(
                        value if isinstance(value, list) else [value])
            except Exception as e:  # report and keep going
                self.failed[t.name] = f"failed: {str(e).splitlines()[0]}"


def measure_client(targets, client, runs, ops):
    """All metrics with bench/qtest-client, the targets' runs alternating.

    Start-up and the tiny test: one process per run.  Round trips: up to 5
    rounds of @ops / rounds requests each way, median rate.
    """
    alt = Alternating(targets)
    for _ in range(runs):
        alt.each(lambda t: {"start_none_s": t.client(
            client, "start", MACHINE_NONE, "-n", 1)["start_s"]})
        alt.each(lambda t: {"start_virt_s": t.client(
            client, "start", MACHINE_VIRT, "-n", 1)["start_s"]})
    rounds = max(1, min(5, runs))
    for _ in range(rounds):
        def rtt(t):
            r = t.client(client, "rtt", MACHINE_VIRT, "-o",
                         max(ops // rounds, 100), "-a", hex(RAM))
            return {"readl_per_s": r["single_per_s"],
                    "readl_pipelined_per_s": r["pipelined_per_s"]}
        alt.each(rtt)
    for _ in range(runs):
        def tiny(t):
            r = t.client(client, "tiny", MACHINE_VIRT, "-n", 1, "-a",
                         hex(UART_SCR))
            return {"tiny_test_s": r["tiny_s"], "peak_rss_kib": r["vmhwm_kib"],
                    "tiny_test_cpu_s": r["cpu_s"]}
        alt.each(tiny)
    results = {}
    for t in targets:
        if t.name in alt.failed:
            continue
        results[t.name] = {k: statistics.median(v)
                           for k, v in alt.samples[t.name].items()}
    return results, alt.failed


def find_client(arg, benchtop):
    """bench/qtest-client: @arg, $BENCH_QTEST_CLIENT, else next to the
    benchtop binary (its meson build dir), else <repo>/build/bench."""
    candidates = [arg] if arg else []
    if os.environ.get("BENCH_QTEST_CLIENT") and not arg:
        candidates.append(os.environ["BENCH_QTEST_CLIENT"])
    if not arg:
        if benchtop:
            build = Path(os.path.realpath(benchtop.binary)).parent
            candidates.append(str(build / "bench" / CLIENT_NAME))
        candidates.append(str(REPO / "build" / "bench" / CLIENT_NAME))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def find_benchtop(arg):
    binary = arg or os.environ.get("BENCHTOP_BINARY") or \
        str(REPO / "build" / "benchtop")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        return None, f"no executable at {binary} (build it, or --benchtop-binary)"
    return Target("benchtop", binary), None


def find_qemu(binary, module_dir):
    path = shutil.which(binary) if os.sep not in binary else binary
    if not path or not os.access(path, os.X_OK):
        return None, f"{binary} not found"
    if not module_dir:
        return None, ("no qtest accelerator module directory "
                      "(--qemu-module-dir or BENCH_QEMU_MODULE_DIR)")
    if not os.path.isfile(os.path.join(module_dir, QEMU_MODULE)):
        return None, f"{QEMU_MODULE} not found in {module_dir}"
    return Target("qemu", path, {"QEMU_MODULE_DIR": module_dir}), None


ROWS = [
    # key, label, format, lower is better
    ("start_none_s", "start to first reply, -machine none", "ms", True),
    ("start_virt_s", "start to first reply, -machine virt", "ms", True),
    ("readl_per_s", "readl round trips/s, one at a time", "rate", False),
    ("readl_pipelined_per_s", "readl round trips/s, 100 per write", "rate",
     False),
    ("tiny_test_s", "tiny test (start, 50 SCR ops, SIGTERM)", "ms", True),
    ("tiny_test_cpu_s", "CPU time of the tiny test (user+sys)", "ms", True),
    ("peak_rss_kib", "peak RSS of the tiny test", "kib", True),
]


def fmt(value, kind):
    if value is None:
        return "-"
    if kind == "ms":
        return f"{value * 1000:.1f} ms"
    if kind == "rate":
        return f"{value:,.0f}"
    return f"{value / 1024:.1f} MiB"


def ratio(bt, qm, lower_better):
    if bt is None or qm is None or bt == 0 or qm == 0:
        return "-"
    r = qm / bt if lower_better else bt / qm
    if r >= 1:
        return f"{r:.2f}x better"
    return f"{1 / r:.2f}x worse"


def print_table(results, notes, runs, ops):
    print(f"Benchtop vs QEMU as qtest targets (medians of {runs} runs; "
          f"{ops} readl round trips)")
    for note in notes:
        print(note)
    bt = results.get("benchtop")
    qm = results.get("qemu")
    width = max(len(r[1]) for r in ROWS)
    print(f"{'metric':<{width}}  {'benchtop':>12}  {'qemu':>12}  "
          f"{'benchtop vs qemu':>16}")
    for key, label, kind, lower in ROWS:
        b = bt.get(key) if bt else None
        q = qm.get(key) if qm else None
        print(f"{label:<{width}}  {fmt(b, kind):>12}  {fmt(q, kind):>12}  "
              f"{ratio(b, q, lower):>16}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10,
                    help="runs per start-up/tiny-test median (default 10)")
    ap.add_argument("--ops", type=int, default=20000,
                    help="readl round trips per measurement (default 20000)")
    ap.add_argument("--json", action="store_true",
                    help="print the results as JSON instead of a table")
    ap.add_argument("--benchtop-binary", default=None,
                    help="default: $BENCHTOP_BINARY or <repo>/build/benchtop")
    ap.add_argument("--qemu-binary", default=QEMU_NAME)
    ap.add_argument("--qemu-module-dir",
                    default=os.environ.get("BENCH_QEMU_MODULE_DIR"),
                    help="folder holding accel-qtest-riscv64.so "
                         "(default: $BENCH_QEMU_MODULE_DIR)")
    ap.add_argument("--client", default=None,
                    help="bench/qtest-client binary (default: "
                         "$BENCH_QTEST_CLIENT, else bench/qtest-client in "
                         "the benchtop binary's build dir)")
    ap.add_argument("--python-client", action="store_true",
                    help="drive both targets with the Python harness even "
                         "when qtest-client is built")
    args = ap.parse_args(argv)
    runs = max(args.runs, 1)
    ops = max(args.ops, 100)

    results, notes, skipped = {}, [], {}
    targets = []
    bt, why = find_benchtop(args.benchtop_binary)
    if bt:
        targets.append(bt)
    else:
        skipped["benchtop"] = why
    t, why = find_qemu(args.qemu_binary, args.qemu_module_dir)
    if t:
        targets.append(t)
    else:
        skipped["qemu"] = why
    client = None if args.python_client else find_client(args.client, bt)
    if args.client and not client:
        notes.append(f"no executable qtest-client at {args.client}")
    if client:
        notes.append(f"client: {os.path.relpath(client)} (C); peak RSS is "
                     "VmHWM")
        try:
            results, failed = measure_client(targets, client, runs, ops)
            skipped.update(failed)
        except Exception as e:  # report and keep going: always exit 0
            for target in targets:
                skipped[target.name] = f"failed: {str(e).splitlines()[0]}"
    else:
        notes.append("client: Python harness (build bench/qtest-client for "
                     "figures without its overhead); peak RSS is ru_maxrss")
        for target in targets:
            try:
                results[target.name] = measure(target, runs, ops)
            except Exception as e:  # report and keep going: always exit 0
                skipped[target.name] = f"failed: {str(e).splitlines()[0]}"
    for name, why in skipped.items():
        notes.append(f"{name}: skipped ({why})")

    if args.json:
        print(json.dumps({"runs": runs, "ops": ops,
                          "client": client or "python",
                          "results": results, "skipped": skipped},
                         indent=2))
    else:
        print_table(results, notes, runs, ops)
    return 0


if __name__ == "__main__":
    sys.exit(main())
