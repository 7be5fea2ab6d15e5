#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the qtest accelerator module that Debian's qemu-system-riscv64
# package leaves out, so that the stock QEMU binary can serve as the reference
# peer for differential tests and benchmarks.  Run QEMU afterwards with
# QEMU_MODULE_DIR=<dest>.  Takes several minutes (one configure of the
# matching Debian source package, one module build).
#
# Usage: ci/build-qemu-qtest.sh [DEST]   (default: out/qemu-qtest)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/out/qemu-qtest}
work=${QEMU_SRC_DIR:-$root/out/qemu-src}
module=accel-qtest-riscv64.so
if [[ -f "$dest/$module" ]]; then
    echo "$dest/$module is already built"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq qemu-system-misc dpkg-dev gcc meson ninja-build \
    pkg-config libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev \
    python3-venv >/dev/null

# The module must carry the installed binary's build stamp, so build from the
# source package of exactly the installed version (minus a binNMU suffix).
binver=$(dpkg-query -W -f '${Version}' qemu-system-misc)
srcver=${binver%+b[0-9]*}

if ! grep -rqsE '^(Types:.*deb-src|deb-src)' /etc/apt/sources.list \
        /etc/apt/sources.list.d/; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        >/etc/apt/sources.list.d/benchtop-deb-src.sources
    apt-get update -qq
fi

mkdir -p "$work" "$dest"
cd "$work"
if [[ ! -d src ]]; then
    apt-get source -qq --download-only "qemu=$srcver"
    dpkg-source -x qemu_*.dsc src >/dev/null
fi
mkdir -p build
cd build
if [[ ! -f build.ninja ]]; then
    ../src/configure --target-list=riscv64-softmmu --enable-modules \
        --with-pkgversion="Debian $binver" --prefix=/usr \
        --libdir=/usr/lib/x86_64-linux-gnu --meson=meson \
        --with-git-submodules=ignore --disable-docs --disable-werror \
        --disable-user --disable-tools --disable-guest-agent >/dev/null
fi
ninja "$module" >/dev/null

stamp() { nm -D "$1" | awk '/qemu_stamp_/ { print $3 }'; }
want=$(stamp /usr/lib/x86_64-linux-gnu/qemu/ui-curses.so)
have=$(stamp "$module")
if [[ "$want" != "$have" ]]; then
    echo "build stamp $have does not match the installed QEMU's $want" >&2
    exit 1
fi
cp "$module" "$dest/"
echo "built $dest/$module; run QEMU with QEMU_MODULE_DIR=$dest"
