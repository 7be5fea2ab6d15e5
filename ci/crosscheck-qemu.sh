#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the device qtests against QEMU instead of Benchtop: the C qtests
# (tests/qtest/test-*) and the pytest qtests marked portable (-m "not
# benchtop_only"), with QTEST_QEMU_BINARY=qemu-system-riscv64.  Tests of
# Benchtop-only behaviour skip there, naming why; the rest must pass on
# both emulators.  Not part of the default gate (ci/run-tests.sh).
#
# Needs Debian's qemu-system-riscv64 and the qtest accelerator module that
# Debian leaves out (ci/build-qemu-qtest.sh builds it).  The module is
# looked for in $QEMU_MODULE_DIR, else in out/qemu-qtest; without it the
# script prints why it skipped and exits 0.
#
# Usage: ci/crosscheck-qemu.sh [--build-peer] [--build-dir DIR]
#   --build-peer     build the module first if it is missing (several
#                    minutes; installs Debian packages)
#   --build-dir DIR  meson build directory holding the C qtests (default
#                    "build"; set up with default options if absent)
# Logs: out/crosscheck/.  Exit status 0 when nothing failed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
out="$root/out/crosscheck"
py=/usr/bin/python3
qemu="qemu-system-riscv64"
module=accel-qtest-riscv64.so
build_peer=false
build_dir=build

while [[ $# -gt 0 ]]; do
    case $1 in
    --build-peer) build_peer=true ;;
    --build-dir)
        build_dir=${2:?--build-dir needs a directory}
        shift
        ;;
    -h | --help)
        sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "crosscheck-qemu: unknown argument '$1' (see --help)" >&2
        exit 2
        ;;
    esac
    shift
done

skip() {
    echo "crosscheck-qemu: SKIPPED: $*"
    exit 0
}

moddir=${QEMU_MODULE_DIR:-$root/out/qemu-qtest}
if [[ ! -f "$moddir/$module" ]] && $build_peer; then
    bash ci/build-qemu-qtest.sh "$moddir" || {
        echo "crosscheck-qemu: building the QEMU qtest module failed" >&2
        exit 1
    }
fi
if ! command -v "$qemu" >/dev/null; then
    skip "$qemu is not installed (apt-get install qemu-system-misc)"
fi
if [[ ! -f "$moddir/$module" ]]; then
    skip "no $module in $moddir (set QEMU_MODULE_DIR, or pass" \
        "--build-peer to build it with ci/build-qemu-qtest.sh)"
fi
export QEMU_MODULE_DIR=$moddir
export QTEST_QEMU_BINARY=$qemu

# The module must load: clock_step exists only under the qtest accelerator.
probe=$(echo "clock_step 1" | timeout 20 "$qemu" -machine none -display none \
    -accel qtest -qtest stdio 2>/dev/null | head -n 1)
if [[ "$probe" != "OK 1" ]]; then
    skip "$qemu does not run with -accel qtest from $moddir" \
        "(module built for another QEMU build?)"
fi

if [[ ! -f "$build_dir/build.ninja" ]]; then
    meson setup "$build_dir" >/dev/null || exit 1
fi
ninja -C "$build_dir" >/dev/null || {
    echo "crosscheck-qemu: building $build_dir failed" >&2
    exit 1
}

rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0
skipped=0
failures=()

echo "=== C qtests against $($qemu --version | head -n 1)"
for exe in "$build_dir"/tests/qtest/test-*; do
    [[ -f "$exe" && -x "$exe" ]] || continue
    name=$(basename "$exe")
    if [[ "$name" == test-harness-regmap ]]; then
        echo "$name: not run: it tests the harness on Benchtop's bt_regmap" \
            "extension, which QEMU does not have"
        continue
    fi
    log="$out/$name.log"
    timeout 600 "$exe" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$log" | tail -n 1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:$/\1/p' \
        "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' \
        "$log" | tail -n 1)
    p=${p:-0}
    s=${s:-0}
    f=${f:-0}
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
        f=1 # crashed or timed out before cmocka's summary
    fi
    passed=$((passed + p))
    skipped=$((skipped + s))
    failed=$((failed + f))
    echo "$name: $p passed, $f failed, $s skipped (log: ${log#"$root"/})"
    grep -E '^skipped on QEMU: |^known QEMU deviation ' "$log" |
        sed 's/^/    /'
    if [[ $f -ne 0 ]]; then
        failures+=("$name")
        grep -E '^\[  (FAILED|ERROR) ' "$log" | sed 's/^/    /'
    fi
done

echo "=== pytest qtests (not benchtop_only) against $qemu"
log="$out/pytest-qtest.log"
"$py" -m pytest -q tests/qtest -m "not benchtop_only" -p no:cacheprovider \
    --junitxml="$out/pytest-qtest.xml" >"$log" 2>&1
rc=$?
tail -n 1 "$log"
summary=$(tail -n 1 "$log")
p=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+')
f=0
while read -r n; do
    f=$((f + n))
done < <(grep -oE '[0-9]+ (failed|errors?)' <<<"$summary" | grep -oE '^[0-9]+')
s=$(grep -oE '[0-9]+ skipped' <<<"$summary" | grep -oE '[0-9]+')
p=${p:-0}
f=${f:-0}
s=${s:-0}
if [[ $rc -ne 0 && $rc -ne 5 && $f -eq 0 ]]; then
    f=1
fi
passed=$((passed + p))
skipped=$((skipped + s))
failed=$((failed + f))
if [[ $f -ne 0 ]]; then
    failures+=("pytest tests/qtest (log: ${log#"$root"/})")
    grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /'
fi

echo "=== crosscheck against QEMU"
if [[ ${#failures[@]} -gt 0 ]]; then
    echo "failing: ${failures[*]}"
fi
echo "crosscheck: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
