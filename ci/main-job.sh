#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build, and run the default guest on
# the virt machine with its console on this terminal.
#
# Until the RISC-V hart lands there is no guest code to execute, so the job
# plays the guest itself over the qtest control socket: it programs the
# NS16550A UART like a firmware console driver would, prints a banner through
# it, and powers the machine off through the SiFive test device.  The process
# exit status is the machine's (0 = powered off cleanly).
set -euo pipefail

cd "$(dirname "$0")/.."
bash ci/install-deps.sh
if [[ ! -f build/build.ninja ]]; then
    meson setup build >/dev/null
fi
ninja -C build >/dev/null

uart=0x10000000
finisher=0x100000
banner="Benchtop virt: console on ns16550a@${uart}, powering off via sifive-test@${finisher}"

guest_script() {
    echo "writeb $((uart + 1)) 0x00"   # IER: no interrupts
    echo "writeb $((uart + 3)) 0x80"   # LCR: DLAB
    echo "writeb $((uart + 0)) 0x02"   # DLL: 115200 baud at 3.6864 MHz
    echo "writeb $((uart + 1)) 0x00"   # DLM
    echo "writeb $((uart + 3)) 0x03"   # LCR: 8N1
    echo "writeb $((uart + 2)) 0x07"   # FCR: FIFOs on, cleared
    local i ch
    for ((i = 0; i < ${#banner}; i++)); do
        ch=${banner:i:1}
        echo "readb $((uart + 5))"     # LSR: poll THRE like a driver
        printf 'writeb %d 0x%02x\n' "$uart" "'$ch"
    done
    echo "writeb $uart 0x0a"
    echo "writel $finisher 0x5555"     # FINISHER: PASS -> exit status 0
}

echo "benchtop: starting -machine virt (guest driven over qtest until the hart exists)"
status=0
guest_script | build/benchtop -machine virt -accel qtest -qtest stdio \
    -qtest-log none -display none -serial file:/dev/fd/3 3>&1 >/dev/null || status=$?
echo "benchtop: machine exited with status $status"
exit "$status"
