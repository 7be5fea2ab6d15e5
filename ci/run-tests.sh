#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The gate a CI system runs on a patch: installs what is missing, builds the
# normal (gcov-instrumented) and the ASan+UBSan configurations, runs the
# unit, qtest (C and pytest, with the generated register baseline), ISA and
# functional suites (and a short protocol fuzz) on both, then the coverage
# gate and the HTML report, and prints a summary naming the first failure.
# Reports land in out/: JUnit XML under out/junit/, register coverage under
# out/regcov/, gcovr's line coverage under out/coverage/, the reviewer's
# report at out/report/index.html.
# Exit status 0 only when every step passed.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/out"
rm -rf "$out/junit" "$out/regcov" "$out/coverage" "$out/report"
mkdir -p "$out/junit" "$out/logs" "$out/regcov" "$out/coverage"
py=/usr/bin/python3
jobs=$(nproc 2>/dev/null || echo 2)
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

steps=()
results=()
first_fail=""
qtest_seconds=()

step() {
    local name=$1
    shift
    local log="$out/logs/${name//[^A-Za-z0-9_.-]/_}.log"
    local t0=$SECONDS
    echo "=== $name"
    if "$@" >"$log" 2>&1; then
        results+=("ok")
    else
        results+=("FAIL")
        [[ -z "$first_fail" ]] && first_fail="$name (log: ${log#$root/})"
        tail -n 40 "$log"
    fi
    steps+=("$name:$((SECONDS - t0))s")
    last_seconds=$((SECONDS - t0))
}

setup_build() {
    local dir=$1
    shift
    if [[ ! -f "$dir/build.ninja" ]]; then
        meson setup "$dir" "$@" || return 1
    elif [[ $# -gt 0 ]]; then
        meson configure "$dir" "$@" || return 1
    fi
    ninja -C "$dir"
}

bash ci/install-deps.sh --report --guest || {
    echo "dependency installation failed"
    exit 1
}

# "build" is gcov-instrumented: the coverage gate reads its line counts.
step "build" setup_build build -Db_coverage=true
step "build-asan" setup_build build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false
step "clang-format" bash -c 'git ls-files "*.c" "*.h" | xargs clang-format --dry-run -Werror'
step "ci+harness self-tests" "$py" -m pytest -q tests/ci harness/python/tests \
    --junitxml="$out/junit/pytest-selftests.xml"

for cfg in build build-asan; do
    [[ -x "$cfg/benchtop" ]] || continue
    bin="$root/$cfg/benchtop-system-riscv64"
    # Emulator processes started by pytest skip LeakSanitizer's exit scan
    # (about a second per process with 128 MiB of guest RAM to scan); the
    # unit and C qtest suites keep leak detection on.
    py_asan="$ASAN_OPTIONS"
    if [[ "$cfg" == build ]]; then
        # Only the instrumented build feeds the coverage gate.
        find build -name '*.gcda' -delete
        export BENCHTOP_REGCOV_DIR="$out/regcov"
    else
        unset BENCHTOP_REGCOV_DIR
        py_asan="detect_leaks=0"
    fi
    step "$cfg: unit (meson)" meson test -C "$cfg" --suite unit \
        --print-errorlogs --num-processes "$jobs" \
        --logbase "testlog-unit"
    cp "$cfg/meson-logs/testlog-unit.junit.xml" \
        "$out/junit/meson-unit-$cfg.xml" 2>/dev/null || true
    step "$cfg: qtest (meson)" meson test -C "$cfg" --suite qtest \
        --print-errorlogs --num-processes "$jobs" \
        --logbase "testlog-qtest"
    qtest_c=$last_seconds
    cp "$cfg/meson-logs/testlog-qtest.junit.xml" \
        "$out/junit/meson-qtest-$cfg.xml" 2>/dev/null || true
    step "$cfg: pytest qtest (+baseline)" env QTEST_QEMU_BINARY="$bin" \
        ASAN_OPTIONS="$py_asan" \
        "$py" -m pytest -q tests/qtest --junitxml="$out/junit/pytest-qtest-$cfg.xml"
    qtest_seconds+=("$cfg: $((qtest_c + last_seconds))s (C ${qtest_c}s + pytest ${last_seconds}s)")
    step "$cfg: pytest functional+ISA" env QTEST_QEMU_BINARY="$bin" \
        ASAN_OPTIONS="$py_asan" \
        "$py" -m pytest -q tests/functional \
        --junitxml="$out/junit/pytest-functional-$cfg.xml"
    step "$cfg: qtest fuzz" "$py" tests/qtest/fuzz_qtest.py --seconds 20 \
        --seed 1 "$bin"
done
unset BENCHTOP_REGCOV_DIR

gcov_report() {
    gcovr --root "$root" --object-directory "$root/build" \
        --exclude "$root/tests/" --exclude "$root/harness/" \
        --exclude "$root/build/" --exclude "$root/build-asan/" \
        --html-details "$out/coverage/index.html" \
        --json-summary "$out/coverage/summary.json" "$root/build"
}
step "line coverage (gcovr)" gcov_report
step "coverage gate" "$py" ci/coverage-gate.py --regcov "$out/regcov" \
    --gcov "$out/coverage/summary.json" --json-out "$out/regcov/merged.json"
gate_line=$(grep -E '^(register coverage|coverage gate:)' \
    "$out/logs/coverage_gate.log" 2>/dev/null)
step "report" "$py" ci/report.py --merged "$out/regcov/merged.json" \
    --coverage "$out/coverage/index.html" --out "$out/report/index.html"

echo
echo "=== summary"
for i in "${!steps[@]}"; do
    printf '  %-4s %s\n' "${results[$i]}" "${steps[$i]}"
done
for q in "${qtest_seconds[@]}"; do
    echo "qtest suite wall time, $q"
done
[[ -n "$gate_line" ]] && echo "$gate_line"
echo "report: out/report/index.html (line coverage: out/coverage/index.html)"
"$py" ci/summary.py "$out/junit"
if [[ -n "$first_fail" ]]; then
    echo "first failure: $first_fail"
    exit 1
fi
echo "all steps passed"
