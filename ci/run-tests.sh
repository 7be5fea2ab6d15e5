#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The gate a CI system runs on a patch: installs what is missing, builds the
# normal and the ASan+UBSan configurations, runs the unit, qtest and pytest
# suites (and a short protocol fuzz) on both, and prints a summary naming the
# first failure.  Reports land in out/ (JUnit XML under out/junit/).
# Exit status 0 only when every step passed.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/out"
mkdir -p "$out/junit" "$out/logs"
py=/usr/bin/python3
jobs=$(nproc 2>/dev/null || echo 2)
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

steps=()
results=()
first_fail=""

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
}

setup_build() {
    local dir=$1
    shift
    if [[ ! -f "$dir/build.ninja" ]]; then
        meson setup "$dir" "$@" || return 1
    fi
    ninja -C "$dir"
}

bash ci/install-deps.sh || { echo "dependency installation failed"; exit 1; }

step "build" setup_build build
step "build-asan" setup_build build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false
step "clang-format" bash -c 'git ls-files "*.c" "*.h" | xargs clang-format --dry-run -Werror'

for cfg in build build-asan; do
    [[ -x "$cfg/benchtop" ]] || continue
    step "$cfg: unit+qtest (meson)" meson test -C "$cfg" --suite unit \
        --suite qtest --print-errorlogs --num-processes "$jobs"
    cp "$cfg/meson-logs/testlog.junit.xml" "$out/junit/meson-$cfg.xml" \
        2>/dev/null || true
    step "$cfg: pytest qtest" env QTEST_QEMU_BINARY="$root/$cfg/benchtop-system-riscv64" \
        "$py" -m pytest -q tests/qtest --junitxml="$out/junit/pytest-$cfg.xml"
    step "$cfg: qtest fuzz" "$py" tests/qtest/fuzz_qtest.py --seconds 20 \
        --seed 1 "$root/$cfg/benchtop-system-riscv64"
done

echo
echo "=== summary"
for i in "${!steps[@]}"; do
    printf '  %-4s %s\n' "${results[$i]}" "${steps[$i]}"
done
"$py" ci/summary.py "$out/junit"
if [[ -n "$first_fail" ]]; then
    echo "first failure: $first_fail"
    exit 1
fi
echo "all steps passed"
