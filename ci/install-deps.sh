#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages Benchtop needs to build and test.
# Idempotent and quiet when everything is present.  Usage:
#   ci/install-deps.sh            build + test dependencies (incl. the
#                                 RISC-V cross compiler for tests/isa)
#   ci/install-deps.sh --guest    also the firmware and cross tools for guests
#   ci/install-deps.sh --report   also chromium, for the report screenshot
#                                 test (about 100 MB; ~30 s on a fast mirror)
# Flags combine.
set -euo pipefail

pkgs=(gcc pkg-config meson ninja-build libglib2.0-dev libjson-glib-dev
      libfdt-dev libcmocka-dev libslirp-dev python3 python3-pytest
      clang-format gcovr gcc-riscv64-linux-gnu)
for arg in "$@"; do
    case "$arg" in
    --guest)
        pkgs+=(opensbi u-boot-qemu device-tree-compiler)
        ;;
    --report)
        pkgs+=(chromium)
        ;;
    *)
        echo "ci/install-deps.sh: unknown option $arg" >&2
        exit 2
        ;;
    esac
done

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing+=("$p")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
    sudo="sudo"
fi
echo "ci/install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
