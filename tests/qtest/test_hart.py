# SPDX-License-Identifier: MIT
"""Hart control over qtest (docs/qtest-extensions.md, "Hart control").

Each test writes a few instructions into RAM with qtest memory commands,
points the hart at them and single-steps, checking registers by name.
Under -accel qtest the harts never run on their own.
"""

import pytest

pytestmark = [
    pytest.mark.machine_args("-machine virt -bios none -nodefaults"),
    pytest.mark.benchtop_only,  # hart_* and csr are Benchtop extensions
]

RAM = 0x80000000
MROM = 0x1000
MSIP0 = 0x2000000  # CLINT MSWI, hart 0


def get(qtest, reg, hart=0):
    reply = qtest.cmd(f"hart_get {hart} {reg}")
    return int(reply.split()[1], 16)


def put(qtest, reg, value, hart=0):
    assert qtest.cmd(f"hart_set {hart} {reg} {value:#x}") == "OK"


def step(qtest, n=1, hart=0):
    words = qtest.cmd(f"hart_step {hart} {n}").split()
    return int(words[1]), int(words[2], 16)


def load(qtest, addr, words):
    for i, w in enumerate(words):
        qtest.writel(addr + 4 * i, w)


def test_reset_state(qtest):
    assert get(qtest, "pc") == MROM
    assert qtest.cmd("hart_priv 0") == "OK M"
    assert get(qtest, "misa") == 0x800000000014112D
    assert get(qtest, "mstatus") == 0x0000000A00000000
    assert get(qtest, "0x301") == 0x800000000014112D  # by number
    assert get(qtest, "x0") == 0
    assert qtest.cmd("hart_last_trap 0") == "OK none"


def test_mrom_reset_code(qtest):
    """virt-machine.md §6: a0 = hartid, a2 = fw_dynamic_info, jump to RAM."""
    assert qtest.readl(MROM) == 0x00000297
    assert qtest.readq(MROM + 0x18) == RAM
    assert qtest.readq(MROM + 0x28) == 0x4942534F  # "OSBI"
    assert qtest.readq(MROM + 0x30) == 2
    assert qtest.readq(MROM + 0x40) == 1  # next_mode S
    assert step(qtest, 6) == (6, RAM)
    assert get(qtest, "a0") == 0
    assert get(qtest, "a2") == 0x1028
    assert get(qtest, "t0") == RAM


def test_arithmetic_and_abi_names(qtest):
    load(qtest, RAM, [
        0x02a00093,  # addi ra, x0, 42
        0xfff00113,  # addi sp, x0, -1
        0x002081b3,  # add gp, ra, sp
        0x0220c233,  # div tp, ra, sp
    ])
    put(qtest, "pc", RAM)
    assert step(qtest, 4) == (4, RAM + 16)
    assert get(qtest, "x1") == 42
    assert get(qtest, "sp") == 0xFFFFFFFFFFFFFFFF
    assert get(qtest, "gp") == 41
    assert get(qtest, "tp") == (-42) & 0xFFFFFFFFFFFFFFFF


def test_compressed_step_advances_by_2(qtest):
    qtest.writew(RAM, 0x4505)      # c.li a0, 1
    qtest.writew(RAM + 2, 0x0505)  # c.addi a0, 1
    put(qtest, "pc", RAM)
    assert step(qtest) == (1, RAM + 2)
    assert step(qtest) == (1, RAM + 4)
    assert get(qtest, "a0") == 2


def test_hart_set_registers(qtest):
    put(qtest, "s11", 0x1234)
    assert get(qtest, "x27") == 0x1234
    put(qtest, "x0", 5)
    assert get(qtest, "zero") == 0  # x0 stays 0
    put(qtest, "f3", 0xFFFFFFFF3F800000)
    assert get(qtest, "ft3") == 0xFFFFFFFF3F800000
    put(qtest, "mscratch", 0xABCD)
    assert get(qtest, "mscratch") == 0xABCD
    put(qtest, "mepc", 0x80000003)  # WARL: bit 0 reads 0
    assert get(qtest, "mepc") == 0x80000002


def test_run_until_pc_and_count(qtest):
    load(qtest, RAM, [
        0x00100093,  # addi ra, x0, 1
        0x00108093,  # loop: addi ra, ra, 1
        0xffdff06f,  # jal x0, loop
    ])
    put(qtest, "pc", RAM)
    assert qtest.cmd(f"hart_run 0 until-pc {RAM + 8:#x} 100") == \
        f"OK 2 0x{RAM + 8:016x}"
    assert qtest.cmd("hart_run 0 count 10").startswith("OK 10 ")
    assert get(qtest, "ra") == 7
    # MAXN bounds a target that is never reached
    assert qtest.cmd("hart_run 0 until-pc 0x0 5").startswith("OK 5 ")


def test_ecall_records_last_trap(qtest):
    load(qtest, RAM, [0x00000073])  # ecall
    put(qtest, "pc", RAM)
    put(qtest, "mtvec", RAM + 0x100)
    assert step(qtest) == (0, RAM + 0x100)  # a trap retires nothing
    assert qtest.cmd("hart_last_trap 0") == \
        f"OK cause=0xb tval=0x0 epc=0x{RAM:x} priv=M"
    assert get(qtest, "mcause") == 11


def test_mret_to_s_mode(qtest):
    load(qtest, RAM, [0x30200073])  # mret
    put(qtest, "pc", RAM)
    put(qtest, "mepc", RAM + 0x40)
    put(qtest, "mstatus", 1 << 11)  # MPP = S
    assert step(qtest) == (1, RAM + 0x40)
    assert qtest.cmd("hart_priv 0") == "OK S"
    put(qtest, "priv", 3)
    assert qtest.cmd("hart_priv 0") == "OK M"


def test_illegal_instruction_tval(qtest):
    load(qtest, RAM, [0xFFFFFFFF])
    put(qtest, "pc", RAM)
    put(qtest, "mtvec", RAM + 0x100)
    step(qtest)
    assert qtest.cmd("hart_last_trap 0") == \
        f"OK cause=0x2 tval=0xffffffff epc=0x{RAM:x} priv=M"


def test_wfi_sleeps_until_clint_msip(qtest):
    load(qtest, RAM, [
        0x10500073,  # wfi
        0x00700093,  # addi ra, x0, 7
    ])
    put(qtest, "pc", RAM)
    put(qtest, "mie", 1 << 3)  # MSIE only; MIE stays 0
    assert step(qtest) == (1, RAM + 4)
    assert step(qtest, 5) == (0, RAM + 4)  # asleep
    qtest.writel(MSIP0, 1)
    assert step(qtest) == (1, RAM + 8)  # woke, no trap taken
    assert get(qtest, "ra") == 7
    assert get(qtest, "mip") & (1 << 3)


def test_steps_advance_virtual_time(qtest):
    load(qtest, RAM, [0x00000013] * 8)
    put(qtest, "pc", RAM)
    start = qtest.clock_step(1)
    step(qtest, 8)
    assert qtest.clock_step(1) == start + 8 + 1
    assert get(qtest, "minstret") == 8
    assert get(qtest, "time") == (start + 9) // 100


def test_csr_command(qtest):
    """qtest-protocol.md §9: libqtest's riscv csr request and reply."""
    assert qtest.cmd("csr get_csr 0x0 3857 0x0") == "OK 0 0"  # mvendorid
    assert qtest.cmd("csr get_csr 0x0 769 0x0") == "OK 0 800000000014112d"
    assert qtest.cmd("csr set_csr 0x0 832 0xff") == "OK 0 ff"  # mscratch
    assert get(qtest, "mscratch") == 0xFF
    assert qtest.expect_fail("csr get_csr 0x0 1952 0x0") == \
        "FAIL illegal CSR access"  # tselect
    assert qtest.expect_fail("csr get_csr 0x7 768 0x0").startswith("FAIL")


def test_bad_arguments_fail(qtest):
    assert qtest.expect_fail("hart_get 0 x32").startswith("FAIL")
    assert qtest.expect_fail("hart_get 0 nosuchreg").startswith("FAIL")
    assert qtest.expect_fail("hart_get 9 pc").startswith("FAIL no hart")
    assert qtest.expect_fail("hart_get zz pc").startswith("FAIL")
    assert qtest.expect_fail("hart_set 0 pc").startswith("FAIL")
    assert qtest.expect_fail("hart_set 0 priv 2").startswith("FAIL")
    assert qtest.expect_fail("hart_step 0 lots").startswith("FAIL")
    assert qtest.expect_fail("hart_run 0 forever 1").startswith("FAIL")
    assert qtest.expect_fail("hart_run 0 until-pc 0x80000000")\
        .startswith("FAIL")
    assert qtest.expect_fail("hart_get 0 tselect").startswith("FAIL")
    assert qtest.cmd("endianness") == "OK little"  # still alive


@pytest.mark.machine_args("-machine virt -bios none -nodefaults -smp 2")
def test_second_hart(qtest):
    assert get(qtest, "mhartid", hart=1) == 1
    assert qtest.cmd("csr get_csr 0x1 3860 0x0") == "OK 0 1"
    assert step(qtest, 6, hart=1) == (6, RAM)
    assert get(qtest, "a0", hart=1) == 1
    assert get(qtest, "pc", hart=0) == MROM  # hart 0 did not move


def test_tcg_runs_only_while_vm_runs(machine_factory):
    """-accel tcg -S: harts wait for QMP cont; stop freezes them again."""
    import time

    m = machine_factory("-machine virt -bios none -nodefaults -S",
                        accel="tcg")
    qtest, qmp = m.qtest, m.qmp
    load(qtest, RAM, [
        0x02a00793,  # li a5, 42
        0x00178793,  # loop: addi a5, a5, 1
        0xffdff06f,  # j loop
    ])
    assert get(qtest, "pc") == MROM  # nothing ran under -S
    qmp.cmd("cont")
    deadline = time.monotonic() + 10
    while get(qtest, "a5") < 1000 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert get(qtest, "a5") >= 1000
    qmp.cmd("stop")
    frozen = get(qtest, "a5")
    time.sleep(0.1)
    assert get(qtest, "a5") == frozen
    assert qmp.cmd("query-status")["status"] == "paused"
