# SPDX-License-Identifier: MIT
"""Boots the real guests on -machine virt, one rung of the ladder each.

1. bare-hello.bin as -bios (M-mode, UART, sifive_test);
2. OpenSBI (fw_dynamic) + sbi-hello.bin as -kernel (S-mode payload);
3. OpenSBI + U-Boot, driven through a serial socket (version, bdinfo);
4. OpenSBI + Linux Image + initramfs.cpio.gz to "GUEST: init done";
5. the same boot twice gives byte-identical console output, also with
   the block compiler off (-accel tcg,jit=off);
6. -machine dumpdtb= against QEMU's tree (when qemu-system-riscv64 exists).

The guest images (Image, initramfs.cpio.gz, bare-hello.bin,
sbi-hello.bin) come from $BENCHTOP_GUEST_DIR, else ../shared/guest next
to the repository; their build.sh rebuilds them from Debian packages.
Firmware comes from Debian's opensbi and u-boot-qemu packages.

Environment:
  BENCHTOP_BINARY    emulator, else $QTEST_QEMU_BINARY, else
                     <repo>/build/benchtop
  BENCHTOP_GUEST_DIR guest images (see above)
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("BENCHTOP_BINARY") or \
    os.environ.get("QTEST_QEMU_BINARY") or str(REPO / "build" / "benchtop")
GUEST = Path(os.environ.get("BENCHTOP_GUEST_DIR") or
             os.path.join(REPO, "..", "shared", "guest"))
OPENSBI = Path("/usr/lib/riscv64-linux-gnu/opensbi/generic")
FW_DYNAMIC = OPENSBI / "fw_dynamic.bin"
FW_JUMP = OPENSBI / "fw_jump.bin"
UBOOT_DIR = Path("/usr/lib/u-boot/qemu-riscv64_smode")
QEMU = shutil.which("qemu-system-riscv64")

# What our harts are (hw/riscv/riscv-fdt.c): no H, Sv57.
ISA = "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"
MMU = "riscv,sv57"

BOOT_TIMEOUT = 120
LINUX_APPEND = "console=ttyS0 bench=0"
# A fixed RTC in virtual time, so that two runs print the same date.
FIXED_RTC = ["-rtc", "base=2024-01-01T00:00:00,clock=vm"]


def guest(name):
    """Path of a guest image, or skip saying how to get it."""
    path = GUEST / name
    if not path.exists():
        pytest.skip("guest image %s not found: set BENCHTOP_GUEST_DIR, or "
                    "build the images with the guest folder's build.sh "
                    "(Debian 12 packages linux-source-6.1, "
                    "gcc-riscv64-linux-gnu, opensbi)" % path)
    return str(path)


def need(path, package):
    if not Path(path).exists():
        pytest.skip("%s not found (apt-get install %s)" % (path, package))
    return str(path)


def emulator():
    if not os.path.exists(BINARY):
        pytest.fail("emulator %s not found (set BENCHTOP_BINARY)" % BINARY)
    return BINARY


def tail(text, n=25):
    return "\n".join(text.splitlines()[-n:])


def run(args, timeout=BOOT_TIMEOUT, ram="256M"):
    """Runs a virt machine with the UART on stdout; (status, output)."""
    cmd = [emulator(), "-machine", "virt", "-m", ram, "-display", "none",
           "-nodefaults", "-serial", "stdio"] + args
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        pytest.fail("%s: no exit within %d s; last output:\n%s"
                    % (" ".join(cmd), timeout, tail(out)))
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, \
        "exit status %d\nstderr: %s\nlast output:\n%s" % (
            proc.returncode, err, tail(out))
    return proc.stdout, out


def linux_args(smp):
    return ["-smp", str(smp), "-bios", need(FW_DYNAMIC, "opensbi"),
            "-kernel", guest("Image"), "-initrd", guest("initramfs.cpio.gz"),
            "-append", LINUX_APPEND]


# ---- 1. bare metal ----

def test_bare_hello_as_bios():
    _, out = run(["-bios", guest("bare-hello.bin")], timeout=30)
    assert "BARE: hello from M-mode" in out


# ---- 2. OpenSBI + S-mode payload ----

# The FDT goes to align_down(min(RAM end, 3 GiB) - 1 MiB, 2 MiB).
@pytest.mark.parametrize("smp,ram,fdt", [
    (1, "256M", 0x8fe00000),
    (2, "256M", 0x8fe00000),
    (1, "128M", 0x87e00000),
    (1, "2G", 0xbfe00000),
])
def test_opensbi_starts_the_s_mode_payload(smp, ram, fdt):
    _, out = run(["-smp", str(smp), "-bios", need(FW_DYNAMIC, "opensbi"),
                  "-kernel", guest("sbi-hello.bin")], timeout=60, ram=ram)
    assert "OpenSBI v" in out
    assert re.search(r"Platform Name\s+: riscv-virtio,qemu", out)
    assert re.search(r"Platform HART Count\s+: %d\b" % smp, out)
    assert re.search(r"Platform IPI Device\s+: aclint-mswi", out)
    assert re.search(r"Platform Timer Device\s+: aclint-mtimer @ 10000000Hz",
                     out)
    assert re.search(r"Platform Console Device\s+: uart8250", out)
    assert re.search(r"Platform Shutdown Device\s+: sifive_test", out)
    # fw_dynamic_info.next_addr, and the FDT left where it was placed
    assert re.search(r"Domain0 Next Address\s+: 0x0000000080200000", out)
    assert re.search(r"Domain0 Next Arg1\s+: 0x%016x" % fdt, out)
    assert re.search(r"Boot HART Base ISA\s+: rv64imafdc\s", out)
    assert re.search(r"Boot HART ISA Extensions\s+: time,sstc", out)
    assert "SBI: hello from the S-mode payload" in out


def test_default_firmware_is_opensbi_fw_dynamic():
    need(FW_DYNAMIC, "opensbi")
    _, out = run(["-kernel", guest("sbi-hello.bin")], timeout=60)
    assert "OpenSBI v" in out
    assert "SBI: hello from the S-mode payload" in out


def test_fw_jump_with_the_payload():
    _, out = run(["-bios", need(FW_JUMP, "opensbi"),
                  "-kernel", guest("sbi-hello.bin")], timeout=60)
    assert re.search(r"Domain0 Next Arg1\s+: 0x0000000082200000", out)
    assert "SBI: hello from the S-mode payload" in out


# ---- 3. OpenSBI + U-Boot over a serial socket ----

class Console:
    """The guest's UART as a connected socket."""

    def __init__(self, conn):
        self.conn = conn
        self.buf = b""

    def read_until(self, marker, timeout=60):
        """Everything up to and including marker (bytes)."""
        deadline = time.monotonic() + timeout
        while marker not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail("no %r within %d s; console so far:\n%s" % (
                    marker, timeout,
                    tail(self.buf.decode("utf-8", "replace"))))
            self.conn.settimeout(left)
            try:
                data = self.conn.recv(4096)
            except socket.timeout:
                continue
            if not data:
                pytest.fail("console closed before %r; so far:\n%s" % (
                    marker, tail(self.buf.decode("utf-8", "replace"))))
            self.buf += data
        end = self.buf.index(marker) + len(marker)
        text, self.buf = self.buf[:end], self.buf[end:]
        return text.decode("utf-8", "replace")

    def command(self, line):
        """Types line at the U-Boot prompt; returns its output."""
        self.conn.sendall(line.encode() + b"\r")
        return self.read_until(b"=> ")


@pytest.mark.parametrize("image", ["u-boot.bin", "uboot.elf"])
def test_uboot_prompt_answers_over_a_serial_socket(image):
    uboot = need(UBOOT_DIR / image, "u-boot-qemu")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "serial.sock")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(1)
        srv.settimeout(30)
        proc = subprocess.Popen(
            [emulator(), "-machine", "virt", "-m", "256M", "-display",
             "none", "-nodefaults", "-serial", "unix:" + path,
             "-bios", need(FW_DYNAMIC, "opensbi"), "-kernel", uboot],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        try:
            conn, _ = srv.accept()
            console = Console(conn)
            banner = console.read_until(b"Hit any key to stop autoboot")
            conn.sendall(b" ")
            console.read_until(b"=> ")
            assert "CPU:   " + ISA in banner
            assert "Model: riscv-virtio,qemu" in banner
            assert "DRAM:  256 MiB" in banner

            version = console.command("version")
            assert "U-Boot 2023.01" in version

            bdinfo = console.command("bdinfo")
            assert re.search(r"-> start\s+= 0x0000000080000000", bdinfo)
            assert re.search(r"-> size\s+= 0x0000000010000000", bdinfo)
            assert "fdt_blob" in bdinfo

            conn.sendall(b"poweroff\r")
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            srv.close()


# ---- 4. Linux ----

@pytest.mark.parametrize("smp", [1, 2])
def test_linux_reaches_init_done(smp):
    _, out = run(linux_args(smp) + FIXED_RTC)
    lines = [line.rstrip("\r") for line in out.splitlines()]
    assert "GUEST: init started" in lines
    assert "GUEST: cpus online=%d configured=%d" % (smp, smp) in lines
    assert "GUEST: cmdline %s" % LINUX_APPEND in lines
    # the kernel's view of our ISA string (it drops what it does not know)
    assert "GUEST: cpu0 isa=rv64imafdc_sstc_zihintpause mmu=sv57" in lines
    assert "GUEST: rtc 2024-01-01 00:00:00" in lines
    assert "GUEST: isa check ok" in lines
    assert "GUEST: fpu check ok" in lines
    assert "GUEST: bench skipped (bench=0)" in lines
    assert "GUEST: init done" in lines
    assert not [line for line in lines if "WRONG" in line]


def test_linux_with_aclint_on():
    """-M virt,aclint=on: OpenSBI drives the separate ACLINT devices and
    Linux boots on two harts."""
    _, out = run(["-machine", "aclint=on"] + linux_args(2) + FIXED_RTC)
    lines = [line.rstrip("\r") for line in out.splitlines()]
    assert any(re.match(r"Platform IPI Device\s*: aclint-mswi", line)
               for line in lines)
    assert any(re.match(r"Platform Timer Device\s*: aclint-mtimer", line)
               for line in lines)
    assert "GUEST: cpus online=2 configured=2" in lines
    assert "GUEST: init done" in lines


# ---- 5. determinism ----

@pytest.mark.parametrize("smp", [1, 2])
def test_two_linux_boots_print_the_same_bytes(smp):
    first, _ = run(linux_args(smp) + FIXED_RTC)
    second, _ = run(linux_args(smp) + FIXED_RTC)
    assert b"GUEST: init done" in first
    assert first == second


def test_the_block_compiler_changes_no_byte():
    """-accel tcg,jit=off interprets every block: the same instructions
    retire at the same virtual times, so the console is byte-identical."""
    compiled, _ = run(linux_args(2) + FIXED_RTC)
    interpreted, _ = run(linux_args(2) + FIXED_RTC +
                         ["-accel", "tcg,jit=off"])
    assert b"GUEST: init done" in compiled
    assert compiled == interpreted


# ---- 6. the device tree against QEMU's ----

# Nodes of devices Benchtop does not have (virt-machine.md §9a).
ABSENT = {"/pmu", "/fw-cfg@10100000", "/flash@20000000",
          "/platform-bus@4000000", "/soc/pci@30000000"}
# Properties that differ on purpose: our harts' own ISA and MMU; the seed.
OWN = {"riscv,isa", "mmu-type", "rng-seed"}


def parse_dts(text):
    """[(path, {prop: value})] in blob order, from dtc's dts output."""
    nodes, stack = [], []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("/dts-v1/"):
            continue
        if line.endswith("{"):
            name = line[:-1].strip()
            stack.append(name)
            path = "/" + "/".join(stack[1:])
            nodes.append((path, {}))
        elif line == "};":
            stack.pop()
        else:
            prop, _, value = line.rstrip(";").partition(" = ")
            nodes[-1][1][prop] = value
    return nodes


def dump_tree(binary, args, tmp):
    out = os.path.join(tmp, os.path.basename(binary) + ".dtb")
    subprocess.run([binary, "-machine", "virt,dumpdtb=" + out, "-display",
                    "none", "-nodefaults", "-bios", "none"] + args,
                   check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=30)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", out],
                         check=True, stdout=subprocess.PIPE).stdout
    return parse_dts(dts.decode())


@pytest.mark.parametrize("args", [
    ["-smp", "1"],
    ["-smp", "2"],
    ["-smp", "4", "-m", "512M"],
    ["-kernel", "@Image", "-initrd", "@initramfs.cpio.gz", "-append",
     "console=ttyS0 root=/dev/vda rw"],
    ["-smp", "2", "-machine", "aclint=on"],
], ids=["smp1", "smp2", "smp4-512M", "kernel-initrd-append", "aclint-smp2"])
def test_dumpdtb_matches_qemu(args, tmp_path):
    if QEMU is None:
        pytest.skip("qemu-system-riscv64 not installed")
    if shutil.which("dtc") is None:
        pytest.skip("dtc not installed (apt-get install device-tree-compiler)")
    args = [guest(a[1:]) if a.startswith("@") else a for a in args]
    ours = dump_tree(emulator(), args, str(tmp_path))
    theirs = [(p, props) for p, props in dump_tree(QEMU, args, str(tmp_path))
              if not any(p == a or p.startswith(a + "/") for a in ABSENT)]

    assert [p for p, _ in ours] == [p for p, _ in theirs]
    for (path, mine), (_, qemu) in zip(ours, theirs):
        strip = {k: v for k, v in mine.items() if k not in OWN}
        want = {k: v for k, v in qemu.items() if k not in OWN}
        if path == "/soc/mtimer@2004000":
            # mtime is 8 bytes (aclint.md); QEMU 7.2 gives it 0x4008
            assert want["reg"] == ("<0x00 0x200bff8 0x00 0x4008 "
                                   "0x00 0x2004000 0x00 0x7ff8>")
            want["reg"] = want["reg"].replace("0x4008", "0x08")
        assert strip == want, path
        assert set(mine) == set(qemu), path
        if "riscv,isa" in mine:
            assert mine["riscv,isa"] == '"%s"' % ISA
            assert mine["mmu-type"] == '"%s"' % MMU


def test_dumpdtb_reports_and_exits(tmp_path):
    out = tmp_path / "virt.dtb"
    proc = subprocess.run([emulator(), "-machine", "virt,dumpdtb=%s" % out,
                           "-display", "none", "-bios", "none"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30, check=False)
    assert proc.returncode == 0
    assert proc.stderr.decode().endswith(
        ": info: dtb dumped to %s. Exiting.\n" % out)
    data = out.read_bytes()
    assert len(data) == 1024 * 1024
    assert data[:4] == b"\xd0\x0d\xfe\xed"
