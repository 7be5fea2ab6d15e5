# SPDX-License-Identifier: MIT
"""-machine properties, -m, -device and -global as the machine applies them
(spec/cli.md §3.1, §3.3, §3.5, §3.6, §4): where a -device lands in the QOM
tree and the address space, and every way building a board or placing a
-device fails, with the exact message and exit status 1."""

import os
import re
import subprocess

import pytest

# What QEMU 7.2 cannot do: Benchtop's device type names are its file names
# (goldfish-rtc, not goldfish_rtc), its sysbus devices are user-creatable
# with addr=, and a -device is checked against the board's address map.
OWN_DEVICES = pytest.mark.benchtop_only(
    "Benchtop's user-creatable sysbus devices and their type names")
TIMEOUT = 20
BASE = ["-display", "none", "-nodefaults", "-bios", "none"]
RTC_TIME_LOW = 0x00
RTC_TIME_HIGH = 0x04


@pytest.fixture
def fail(benchtop_binary):
    """Runs the emulator with @args, which must fail at startup; returns
    stderr with "PROG: " spelled "P: "."""
    prog = os.path.basename(benchtop_binary)

    # an ASan build must let a huge RAM allocation fail as malloc does
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(
        filter(None, [env.get("ASAN_OPTIONS"), "allocator_may_return_null=1"]))

    def _fail(*args):
        res = subprocess.run([benchtop_binary, *BASE, *args],
                             stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=TIMEOUT, env=env)
        err = res.stderr.decode("utf-8", "replace")
        assert res.returncode == 1, err
        assert res.stdout == b""
        return err.replace(prog + ":", "P:")
    return _fail


# -- -device: the driver ------------------------------------------------------

@pytest.mark.parametrize("args,msg", [
    ("nosuch", "'nosuch' is not a valid device model name"),
    # a type that exists but is no device
    ("machine", "'machine' is not a valid device model name"),
    ("id=x", "Parameter 'driver' is missing"),
    ("device", "Parameter 'driver' expects a non-abstract device type"),
    pytest.param("riscv-hart",
                 "Parameter 'driver' expects a pluggable device type",
                 marks=OWN_DEVICES),
])
def test_device_bad_driver(fail, args, msg):
    assert fail("-M", "none", "-device", args) == f"P: -device {args}: {msg}\n"


# -- -device: id, addr, bus, properties ---------------------------------------

def test_device_duplicate_id(fail):
    err = fail("-M", "none",
               "-device", "goldfish-rtc,addr=0x1000,id=r",
               "-device", "goldfish-rtc,addr=0x2000,id=r")
    assert err == ("P: -device goldfish-rtc,addr=0x2000,id=r: Duplicate ID "
                   "'r' for device\n")


@OWN_DEVICES
def test_device_bad_addr(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=zz")
    assert err == ("P: -device goldfish-rtc,addr=zz: Property "
                   "'goldfish-rtc.addr' doesn't take value 'zz'\n")


@OWN_DEVICES
def test_device_bus_not_found(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=0x1000,bus=nosuch")
    assert err == ("P: -device goldfish-rtc,addr=0x1000,bus=nosuch: Bus "
                   "'nosuch' not found\n")


@OWN_DEVICES
def test_device_unknown_property(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=0x1000,foo=1")
    assert err == ("P: -device goldfish-rtc,addr=0x1000,foo=1: Property "
                   "'goldfish-rtc.foo' not found\n")


@OWN_DEVICES
def test_device_bad_property_value(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=0x1000,base-ns=zz")
    assert err == ("P: -device goldfish-rtc,addr=0x1000,base-ns=zz: Parameter "
                   "'base-ns' expects integer\n")


@OWN_DEVICES
def test_device_realize_failure(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=0x1000,clock=bogus")
    assert err == ("P: -device goldfish-rtc,addr=0x1000,clock=bogus: Property "
                   "'goldfish-rtc.clock' doesn't take value 'bogus' (host, "
                   "rt or vm)\n")


@OWN_DEVICES
@pytest.mark.parametrize("machine", ["none", "virt"])
def test_device_sysbus_needs_addr(fail, machine):
    err = fail("-M", machine, "-device", "goldfish-rtc")
    assert err == ("P: -device goldfish-rtc: Parameter 'addr' is required for "
                   "sysbus device 'goldfish-rtc' on this machine\n")


# -- -device: placement -------------------------------------------------------

@OWN_DEVICES
def test_device_overlaps_board_device(fail):
    # virt's RTC is at 0x101000 (0x24 bytes decoded)
    err = fail("-M", "virt", "-device", "goldfish-rtc,addr=0x101020")
    assert err == ("P: -device goldfish-rtc,addr=0x101020: Regions of devices "
                   "'rtc' (0x101000-0x101023) and 'device[0]' "
                   "(0x101020-0x101043) overlap\n")


@OWN_DEVICES
def test_device_overlaps_ram(fail):
    err = fail("-M", "virt", "-device", "goldfish-rtc,addr=0x87fffff0")
    assert err == ("P: -device goldfish-rtc,addr=0x87fffff0: Regions of "
                   "devices 'riscv_virt_board.ram' (0x80000000-0x87ffffff) "
                   "and 'device[0]' (0x87fffff0-0x88000013) overlap\n")


@OWN_DEVICES
def test_device_overlaps_earlier_device(fail):
    # the second one ends where the first starts: one byte in common
    err = fail("-M", "none", "-device", "sifive-test,addr=0x100000,id=fin",
               "-device", "goldfish-rtc,addr=0xfffdd")
    assert err == ("P: -device goldfish-rtc,addr=0xfffdd: Regions of devices "
                   "'fin' (0x100000-0x100fff) and 'device[0]' "
                   "(0xfffdd-0x100000) overlap\n")


@OWN_DEVICES
def test_device_region_does_not_fit(fail):
    err = fail("-M", "none", "-device", "goldfish-rtc,addr=0xfffffffffffffff0")
    assert err == ("P: -device goldfish-rtc,addr=0xfffffffffffffff0: Region "
                   "'regs' of device 'device[0]' does not fit at "
                   "0xfffffffffffffff0\n")


@OWN_DEVICES
@pytest.mark.machine_args("-M none -device goldfish-rtc,addr=0x1000,id=a "
                          "-device goldfish-rtc,addr=0x1024,clock=vm,"
                          "base-ns=0x123456789 "
                          "-device sifive-test,addr=0x2000")
def test_device_placement_and_names(qmp, qtest):
    # named ones go to peripheral/, the others count up in peripheral-anon/
    # (a named device takes no number)
    kids = {c["name"] for c in qmp.cmd("qom-list",
                                       path="/machine/peripheral")}
    assert "a" in kids
    anon = {c["name"] for c in qmp.cmd("qom-list",
                                       path="/machine/peripheral-anon")}
    assert {"device[0]", "device[1]"} <= anon
    assert "device[2]" not in anon
    assert qmp.cmd("qom-get", path="/machine/peripheral-anon/device[0]",
                   property="clock") == "vm"
    # regions back to back: device[0] starts right after a's last byte
    assert qtest.readl(0x1024 + RTC_TIME_LOW) == 0x23456789
    assert qtest.readl(0x1024 + RTC_TIME_HIGH) == 0x1
    # a follows the host clock: far beyond 2^32 ns (TIME_LOW latches HIGH)
    qtest.readl(0x1000 + RTC_TIME_LOW)
    assert qtest.readl(0x1000 + RTC_TIME_HIGH) != 0


# -- -global ------------------------------------------------------------------

@OWN_DEVICES
@pytest.mark.machine_args("-M none -global goldfish-rtc.clock=vm "
                          "-global goldfish-rtc.base-ns=5000000000 "
                          "-device goldfish-rtc,addr=0x1000,id=r "
                          "-device goldfish-rtc,addr=0x2000,id=s,"
                          "base-ns=7000000000")
def test_global_sets_device_defaults(qmp, qtest):
    assert qmp.cmd("qom-get", path="/machine/peripheral/r",
                   property="clock") == "vm"
    assert qtest.readl(0x1000 + RTC_TIME_LOW) == 5000000000 & 0xffffffff
    assert qtest.readl(0x1000 + RTC_TIME_HIGH) == 5000000000 >> 32
    # the -device's own value wins over the global
    assert qtest.readl(0x2000 + RTC_TIME_LOW) == 7000000000 & 0xffffffff
    assert qtest.readl(0x2000 + RTC_TIME_HIGH) == 7000000000 >> 32


@OWN_DEVICES
def test_global_bad_property_at_device(fail):
    err = fail("-M", "none", "-global", "goldfish-rtc.foo=1",
               "-device", "goldfish-rtc,addr=0x1000")
    assert err == ("P: -device goldfish-rtc,addr=0x1000: can't apply global "
                   "goldfish-rtc.foo=1: Property 'goldfish-rtc.foo' not "
                   "found\n")


@OWN_DEVICES
def test_global_on_parent_type_hits_subtypes(fail):
    err = fail("-M", "none", "-global", "device.foo=1",
               "-device", "goldfish-rtc,addr=0x1000")
    assert err == ("P: -device goldfish-rtc,addr=0x1000: can't apply global "
                   "device.foo=1: Property 'goldfish-rtc.foo' not found\n")


@OWN_DEVICES
def test_global_bad_value_at_board_device(fail):
    # board devices have no -device to name: no location
    err = fail("-M", "virt", "-global", "ns16550a.foo=1")
    assert err == ("P: can't apply global ns16550a.foo=1: Property "
                   "'ns16550a.foo' not found\n")


@OWN_DEVICES
def test_global_for_other_type_is_not_applied(fail):
    # a global for sifive-test never touches the RTC: the -device error is
    # the RTC's own one
    err = fail("-M", "none", "-global", "sifive-test.foo=1",
               "-device", "goldfish-rtc,addr=0x1000,bar=1")
    assert err == ("P: -device goldfish-rtc,addr=0x1000,bar=1: Property "
                   "'goldfish-rtc.bar' not found\n")


# -- -machine properties and -m ----------------------------------------------

@pytest.mark.parametrize("machine", ["none", "virt"])
def test_machine_unknown_property(fail, machine):
    assert fail("-M", f"{machine},foo=bar") == \
        f"P: Property '{machine}-machine.foo' not found\n"


@pytest.mark.benchtop_only("QEMU needs memory-backend= to name an object")
@pytest.mark.machine_args("-M virt,graphics=off,usb=off,dump-guest-core=off,"
                          "mem-merge=off,dt-compatible=x,phandle-start=1,"
                          "memory-backend=m,smp.cpus=1")
def test_machine_ignored_properties(qmp):
    # QEMU keys that change nothing here: the board still starts
    assert qmp.cmd("query-status")["status"] in ("running", "prelaunch")
    kids = {c["name"] for c in qmp.cmd("qom-list", path="/machine")}
    assert {"rtc", "uart0", "plic"} <= kids


@pytest.mark.parametrize("machine,ram", [
    ("none", "ram"), ("virt", "riscv_virt_board.ram")])
def test_ram_allocation_failure(fail, machine, ram):
    err = fail("-M", machine, "-m", "1000000G")
    # an ASan build adds its own warning line about the failed allocation
    err = re.sub(r"^==\d+==WARNING: AddressSanitizer failed to allocate .*\n",
                 "", err, flags=re.M)
    assert err == \
        f"P: cannot set up guest memory '{ram}': Cannot allocate memory\n"


# -- virt options QEMU has but this board does not build ----------------------

@pytest.mark.benchtop_only("QEMU 7.2 builds these boards")
@pytest.mark.parametrize("prop,msg", [
    ("aia=aplic", "aia=aplic is not supported: this virt board has a PLIC "
                  "(aia=none)"),
    ("aia=aplic-imsic", "aia=aplic-imsic is not supported: this virt board "
                        "has a PLIC (aia=none)"),
])
def test_virt_unsupported_variants(fail, prop, msg):
    assert fail("-M", "virt," + prop) == f"P: {msg}\n"


@pytest.mark.parametrize("props", ["aclint=off,aia=none", "aclint=on"])
def test_virt_variants_accepted(benchtop_binary, props, tmp_path):
    dtb = tmp_path / "virt.dtb"
    res = subprocess.run([benchtop_binary, *BASE, "-M", "virt," + props,
                          "-machine", "dumpdtb=%s" % dtb],
                         stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=TIMEOUT)
    assert res.returncode == 0, res.stderr
    assert dtb.read_bytes()[:4] == b"\xd0\x0d\xfe\xed"  # FDT magic


def test_dumpdtb_writes_in_place(benchtop_binary, tmp_path):
    """dumpdtb= overwrites the file itself (a write-then-rename would turn a
    device node such as /dev/null into a regular file)."""
    dtb = tmp_path / "existing.dtb"
    dtb.write_bytes(b"x" * 100000)
    inode = dtb.stat().st_ino
    res = subprocess.run([benchtop_binary, *BASE, "-M", "virt",
                          "-machine", "dumpdtb=%s" % dtb],
                         stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=TIMEOUT)
    assert res.returncode == 0, res.stderr
    assert dtb.stat().st_ino == inode
    blob = dtb.read_bytes()
    assert blob[:4] == b"\xd0\x0d\xfe\xed"
    # the whole buffer, as QEMU dumps it (the old content is gone)
    assert int.from_bytes(blob[4:8], "big") <= len(blob) == 1 << 20
    assert b"x" not in blob[int.from_bytes(blob[4:8], "big"):]
