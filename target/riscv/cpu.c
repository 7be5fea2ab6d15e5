/* SPDX-License-Identifier: MIT */
/*
 * riscv-hart: one RV64GC hart (privileged spec 1.12, riscv-hart.md).
 *
 * Model interface:
 *   irq in  "irq[0..63]"  line n sets/clears mip bit n (QEMU's unnamed GPIO
 *                         inputs: 1 SSIP, 3 MSIP, 5 STIP, 7 MTIP, 9 SEIP,
 *                         11 MEIP); SEIP from a line is ORed with the
 *                         software bit, never stored into it
 *   prop    "hartid"      mhartid, default 0
 *   prop    "reset-pc"    pc after reset, default 0x1000 (virt MROM)
 *   prop    "f" "d"       F and D present (misa), default on
 *   prop    "sstc"        Sstc (stimecmp) present, default on
 * No regions: the hart is a bus master on the system address space.
 * Reset (riscv-hart.md §1-2): M-mode, x/f registers 0, misa
 * 0x800000000014112D (RV64 IMAFDC + S + U, no H),
 * mstatus 0x0000000A00000000, every other CSR 0; device lines keep their
 * levels in mip across a reset (their sources re-drive them).
 */
#include "target/riscv/cpu.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "target/riscv/hart-internal.h"

void (*riscv_hart_kick_hook)(RiscvHart *cpu);

static GPtrArray *riscv_harts; /* RiscvHart *, realize order */

unsigned riscv_hart_count(void)
{
    return riscv_harts ? riscv_harts->len : 0;
}

RiscvHart *riscv_hart_nth(unsigned n)
{
    if (n >= riscv_hart_count()) {
        return NULL;
    }
    return g_ptr_array_index(riscv_harts, n);
}

RiscvHart *riscv_hart_by_id(uint32_t hartid)
{
    for (unsigned i = 0; i < riscv_hart_count(); i++) {
        RiscvHart *cpu = g_ptr_array_index(riscv_harts, i);

        if (cpu->hartid == hartid) {
            return cpu;
        }
    }
    return NULL;
}

void riscv_hart_reset(RiscvHart *cpu)
{
    cpu->xlen = 64;
    memset(cpu->gpr, 0, sizeof(cpu->gpr));
    memset(cpu->fpr, 0, sizeof(cpu->fpr));
    cpu->pc = cpu->reset_pc;
    cpu->priv = PRV_M;
    cpu->tlb_tag_state = UINT64_MAX; /* tlb_ktag not computed yet */
    cpu->resv_valid = false;
    cpu->resv_addr = cpu->resv_value = 0;
    cpu->wfi = false;
    cpu->trapped = false;
    cpu->retired = 0;
    cpu->exec_count = 0;
    cpu->next_pc = cpu->pc;
    cpu->insn_len = 0;
    cpu->insn_bits = 0;
    cpu->last_cause = cpu->last_tval = cpu->last_epc = 0;
    cpu->last_trap_priv = 0;
    cpu->has_trapped = false;
    riscv_csr_reset(cpu);
    if (cpu->as) {
        riscv_tlb_flush(cpu);
    }
    riscv_hart_flush_code(cpu);
    cpu->check_irq = true;
}

static void riscv_hart_irq(void *opaque, int n, bool level)
{
    RiscvHart *cpu = RISCV_HART(opaque);

    if (n == IRQ_S_SOFT) {
        /*
         * SSIP is software-writable: a rising edge sets it (an ACLINT SSWI
         * setssip write), software clears it through sip/mip.
         */
        if (level) {
            cpu->mip_sw |= MIP_SSIP;
            riscv_update_mip(cpu);
        }
        return;
    }
    riscv_hart_set_mip(cpu, UINT64_C(1) << n, level);
}

static bool riscv_hart_realize(Device *dev, GError **errp)
{
    RiscvHart *cpu = RISCV_HART(dev);

    cpu->xlen = 64;
    cpu->as = address_space_system();
    if (!riscv_harts) {
        riscv_harts = g_ptr_array_new();
    }
    g_ptr_array_add(riscv_harts, cpu);
    riscv_hart_init_code_cache(cpu);
    riscv_qtest_register_commands();
    return true;
}

static void riscv_hart_device_reset(Device *dev)
{
    riscv_hart_reset(RISCV_HART(dev));
}

static void riscv_hart_unrealize(Device *dev)
{
    RiscvHart *cpu = RISCV_HART(dev);

    if (riscv_harts) {
        g_ptr_array_remove(riscv_harts, cpu);
    }
    timer_free(cpu->stimecmp_timer);
    cpu->stimecmp_timer = NULL;
    riscv_hart_free_code_cache(cpu);
}

static const PropDesc riscv_hart_props[] = {
    {.name = "hartid",
     .type = PROP_U32,
     .offset = offsetof(RiscvHart, hartid),
     .desc = "mhartid of this hart"},
    {.name = "reset-pc",
     .type = PROP_U64,
     .offset = offsetof(RiscvHart, reset_pc),
     .def_u = 0x1000,
     .desc = "pc after reset"},
    {.name = "f",
     .type = PROP_BOOL,
     .offset = offsetof(RiscvHart, ext_f),
     .def_u = true,
     .desc = "single-precision floating point (F)"},
    {.name = "d",
     .type = PROP_BOOL,
     .offset = offsetof(RiscvHart, ext_d),
     .def_u = true,
     .desc = "double-precision floating point (D)"},
    {.name = "sstc",
     .type = PROP_BOOL,
     .offset = offsetof(RiscvHart, ext_sstc),
     .def_u = true,
     .desc = "supervisor timer compare (Sstc)"},
    PROP_END,
};

const DeviceClass riscv_hart_class = {
    .obj =
        {
            .name = TYPE_RISCV_HART,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(RiscvHart),
            .user_creatable = false,
            .desc = "RISC-V RV64GC hart",
            .props = riscv_hart_props,
        },
    .irq_in = {{"irq", 64, riscv_hart_irq}},
    .realize = riscv_hart_realize,
    .reset = riscv_hart_device_reset,
    .unrealize = riscv_hart_unrealize,
};
