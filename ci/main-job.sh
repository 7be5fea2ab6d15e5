#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build, and boot the default guest
# on the virt machine with its console on this terminal.
#
#   - With the project's guest images (../shared/guest beside the
#     repository, or GUEST_DIR): Debian's OpenSBI + Linux 6.1 + the guest
#     initramfs on two harts, which prints its GUEST: lines and powers off.
#   - Otherwise: Debian's OpenSBI + U-Boot to the "=> " prompt.  When stdin
#     is not a terminal the job types "version" and "poweroff" itself.
# The exit status is the machine's (0 = powered off cleanly).
set -euo pipefail

cd "$(dirname "$0")/.."
bash ci/install-deps.sh --guest
if [[ ! -f build/build.ninja ]]; then
    meson setup build >/dev/null
fi
ninja -C build >/dev/null

guest=${GUEST_DIR:-../shared/guest}
if [[ -f "$guest/Image" && -f "$guest/initramfs.cpio.gz" ]]; then
    echo "benchtop: booting Linux ($guest/Image) on -machine virt -smp 2"
    exec build/benchtop -machine virt -m 256M -smp 2 -nographic \
        -kernel "$guest/Image" -initrd "$guest/initramfs.cpio.gz" \
        -append "console=ttyS0 bench=0"
fi

uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
echo "benchtop: no guest images in $guest; booting OpenSBI + U-Boot ($uboot)"
cmd=(build/benchtop -machine virt -m 256M -nographic -kernel "$uboot")
if [[ -t 0 ]]; then
    exec "${cmd[@]}"
fi
{
    sleep 5
    printf '\n' # stops the autoboot countdown (the key is swallowed)
    sleep 1
    printf 'version\n'
    sleep 1
    printf 'poweroff\n'
    sleep 30
} | "${cmd[@]}"
