# SPDX-License-Identifier: MIT
"""Guest execution speed: Benchtop's tcg accelerator against QEMU's TCG.

Two measurements, each as host wall time of whole emulator processes,
median of --runs runs, side by side with qemu-system-riscv64:

1. loop: bench/guest-loop.S, a bare-metal M-mode integer loop (5
   instructions per iteration, --iters iterations, default 200,000,000),
   built with riscv64-linux-gnu-gcc into a temporary directory and run as
   `-M virt -bios loop.bin -nographic -nodefaults`.  Prints MIPS for each
   emulator (instructions / median wall time, start-up included) and the
   ratio Benchtop time / QEMU time.
2. linux: the guest of <repo>/../shared/guest (OpenSBI fw_jump, Image,
   initramfs.cpio.gz) booted to "GUEST: init done" and power-off, with the
   guest's benchmark (kernel command line without bench=0) and without it
   (bench=0).  Prints whole-run wall times, their ratio and the guest's own
   "GUEST: bench ..." figures (Benchtop's are virtual time, 1 ns per
   instruction by default, not host time).  When Benchtop cannot boot the guest yet
   (no "GUEST: init done" within --linux-timeout) that side prints
   "benchtop: skipped (...)" and QEMU's figures are still shown.

Usage:
    python3 bench/guest_bench.py [--runs N] [--iters N] [--no-linux]
        [--no-loop] [--smp N] [--benchtop-binary PATH] [--qemu-binary PATH]

Each figure also shows the median CPU time (user + system, all threads)
of the emulator process, the steadier number on a busy host.  Standard
library only; always exits 0 unless the arguments are wrong.
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GUEST = REPO.parent / "shared" / "guest"
FW_JUMP = Path("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin")
LOOP_SRC = REPO / "bench" / "guest-loop.S"
INSNS_PER_ITER = 5
BENCH_RE = re.compile(r"GUEST: bench (\w+) (\d+) ms")


def build_loop(iters, workdir):
    """Builds guest-loop.S into workdir/loop.bin; returns its path or an
    error string."""
    gcc = shutil.which("riscv64-linux-gnu-gcc")
    objcopy = shutil.which("riscv64-linux-gnu-objcopy")
    if not gcc or not objcopy:
        return None, "riscv64-linux-gnu-gcc not installed " \
            "(apt-get install gcc-riscv64-linux-gnu)"
    elf = Path(workdir) / "loop.elf"
    binary = Path(workdir) / "loop.bin"
    subprocess.run([gcc, "-nostdlib", "-Wl,-Ttext=0x80000000",
                    "-Wl,--build-id=none", "-DITERS=%d" % iters,
                    str(LOOP_SRC), "-o", str(elf)], check=True)
    subprocess.run([objcopy, "-O", "binary", "-j", ".text", str(elf),
                    str(binary)], check=True)
    return binary, None


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_run(cmd, timeout):
    """Runs cmd; returns (wall seconds, CPU seconds, exit status, output) or
    raises subprocess.TimeoutExpired."""
    cpu = child_cpu()
    start = time.monotonic()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout, check=False)
    return (time.monotonic() - start, child_cpu() - cpu, proc.returncode,
            proc.stdout.decode(errors="replace"))


CPU_TIMES = {}


def median_runs(cmd, runs, timeout, ok):
    """Median wall time of runs runs of cmd, or (None, reason).  ok(status,
    output) says whether a run succeeded; outputs of the last run are kept.
    The median CPU time (user + system, all threads) goes to
    CPU_TIMES[tuple(cmd)]: on a loaded host it is the steadier figure."""
    times = []
    cpus = []
    out = ""
    for _ in range(runs):
        try:
            secs, cpu, status, out = timed_run(cmd, timeout)
        except subprocess.TimeoutExpired:
            return None, "no result within %d s" % timeout, out
        except OSError as exc:
            return None, str(exc), out
        if not ok(status, out):
            tail = " | ".join(out.strip().splitlines()[-3:])
            return None, "exit status %s, last output: %s" % (status, tail), \
                out
        times.append(secs)
        cpus.append(cpu)
    CPU_TIMES[tuple(cmd)] = statistics.median(cpus)
    return statistics.median(times), None, out


def emulators(args):
    return [("benchtop", args.benchtop_binary), ("qemu", args.qemu_binary)]


def bench_loop(args):
    print("## loop: %d iterations x %d instructions (bench/guest-loop.S), "
          "median of %d runs" % (args.iters, INSNS_PER_ITER, args.runs))
    insns = args.iters * INSNS_PER_ITER
    with tempfile.TemporaryDirectory(prefix="guest-bench-") as tmp:
        image, err = build_loop(args.iters, tmp)
        if err:
            print("loop: skipped (%s)" % err)
            return
        result = {}
        for name, binary in emulators(args):
            cmd = [binary, "-M", "virt", "-bios", str(image), "-nographic",
                   "-nodefaults"]
            secs, err, _ = median_runs(cmd, args.runs, args.loop_timeout,
                                       lambda st, out: st == 0)
            if secs is None:
                print("%-9s skipped (%s)" % (name + ":", err))
                continue
            result[name] = (secs, CPU_TIMES[tuple(cmd)])
            print("%-9s %8.3f s  %8.1f MIPS  (cpu %.3f s)" % (
                name + ":", secs, insns / secs / 1e6, result[name][1]))
        if len(result) == 2:
            print("ratio:    benchtop/qemu time %.2fx (cpu %.2fx)" % (
                result["benchtop"][0] / result["qemu"][0],
                result["benchtop"][1] / result["qemu"][1]))


def linux_cmd(binary, smp, append):
    return [binary, "-M", "virt", "-m", "256M", "-smp", str(smp),
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-no-reboot", "-bios", str(FW_JUMP),
            "-kernel", str(GUEST / "Image"),
            "-initrd", str(GUEST / "initramfs.cpio.gz"), "-append", append]


def bench_linux(args):
    print("## linux: OpenSBI + Linux + initramfs to power-off, -smp %d, "
          "median of %d runs" % (args.smp, args.runs))
    missing = [p for p in (FW_JUMP, GUEST / "Image",
                           GUEST / "initramfs.cpio.gz") if not p.exists()]
    if missing:
        print("linux: skipped (missing %s)" % ", ".join(map(str, missing)))
        return

    def booted(status, out):
        return "GUEST: init done" in out

    for label, append in (("bench=0", "console=ttyS0 bench=0"),
                          ("with bench", "console=ttyS0")):
        result = {}
        for name, binary in emulators(args):
            runs = args.runs
            cmd = linux_cmd(binary, args.smp, append)
            secs, err, out = median_runs(cmd, runs, args.linux_timeout,
                                         booted)
            if secs is None:
                print("%-22s skipped (%s)" % ("%s %s:" % (name, label), err))
                continue
            result[name] = (secs, CPU_TIMES[tuple(cmd)])
            figures = " ".join("%s=%s" % m for m in BENCH_RE.findall(out))
            print("%-22s %8.3f s  (cpu %.3f s)  %s" % (
                "%s %s:" % (name, label), secs, result[name][1], figures))
        if len(result) == 2:
            print("%-22s benchtop/qemu time %.2fx (cpu %.2fx)" % (
                "ratio %s:" % label,
                result["benchtop"][0] / result["qemu"][0],
                result["benchtop"][1] / result["qemu"][1]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--iters", type=int, default=200000000)
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--no-loop", action="store_true")
    ap.add_argument("--no-linux", action="store_true")
    ap.add_argument("--loop-timeout", type=int, default=300)
    ap.add_argument("--linux-timeout", type=int, default=300)
    ap.add_argument("--benchtop-binary",
                    default=os.environ.get("BENCHTOP_BINARY",
                                           str(REPO / "build" / "benchtop")))
    ap.add_argument("--qemu-binary", default="qemu-system-riscv64")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.iters < 1:
        ap.error("--runs and --iters must be positive")
    if not args.no_loop:
        bench_loop(args)
    if not args.no_linux:
        bench_linux(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
