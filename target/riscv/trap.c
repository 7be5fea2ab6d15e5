/* SPDX-License-Identifier: MIT */
/*
 * Trap entry, interrupt selection and trap return (privileged spec 1.12
 * §3.1.6.1, §3.1.9, §3.3.2, §3.1.7; riscv-hart.md §4).
 *
 * Target mode: S when the current privilege is at most S and the cause is
 * delegated (medeleg for exceptions, mideleg for interrupts); otherwise M.
 * Vectored xtvec (MODE 1) offsets only interrupts by 4 * cause.  Every trap
 * entry and xRET drops the LR reservation (as QEMU does).
 *
 * Interrupts: M-level candidates (not delegated) are taken in S/U always
 * and in M when mstatus.MIE; S-level (delegated) ones in U always and in S
 * when SIE, never in M.  Within a level the order is MEI MSI MTI SEI SSI
 * STI (spec order).  Deviation from QEMU 7.2, which takes the lowest bit.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/log.h"
#include "target/riscv/cpu.h"

#define CAUSE_INTERRUPT (UINT64_C(1) << 63)

static const unsigned trap_irq_order[] = {
    IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER,
};

static const char *trap_exc_name(unsigned cause)
{
    static const char *const names[] = {
        "misaligned_fetch", "fault_fetch",      "illegal_instruction",
        "breakpoint",       "misaligned_load",  "fault_load",
        "misaligned_store", "fault_store",      "user_ecall",
        "supervisor_ecall", "hypervisor_ecall", "machine_ecall",
        "exec_page_fault",  "load_page_fault",  "reserved",
        "store_page_fault",
    };

    return cause < G_N_ELEMENTS(names) ? names[cause] : "reserved";
}

static const char *trap_irq_name(unsigned irq)
{
    static const char *const names[] = {
        "u_software", "s_software", "h_software", "m_software",
        "u_timer",    "s_timer",    "h_timer",    "m_timer",
        "u_external", "s_external", "h_external", "m_external",
    };

    return irq < G_N_ELEMENTS(names) ? names[irq] : "reserved";
}

static uint64_t trap_vector(uint64_t tvec, bool is_irq, unsigned code)
{
    uint64_t base = tvec & ~UINT64_C(3);

    if (is_irq && (tvec & 3) == 1) {
        return base + 4 * (uint64_t)code;
    }
    return base;
}

/* Common trap entry; @code is the cause without the interrupt bit. */
static void trap_enter(RiscvHart *cpu, bool is_irq, unsigned code,
                       uint64_t tval)
{
    uint64_t deleg = is_irq ? cpu->mideleg : cpu->medeleg;
    uint64_t cause = code | (is_irq ? CAUSE_INTERRUPT : 0);
    uint64_t epc = cpu->pc;
    uint8_t from = cpu->priv;
    bool to_s = cpu->priv <= PRV_S && code < 64 && ((deleg >> code) & 1);
    uint64_t s = cpu->mstatus;

    if (to_s) {
        cpu->sepc = epc;
        cpu->scause = cause;
        cpu->stval = tval;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s &= ~MSTATUS_SIE;
        s = (s & ~MSTATUS_SPP) | (cpu->priv == PRV_S ? MSTATUS_SPP : 0);
        cpu->priv = PRV_S;
        cpu->pc = trap_vector(cpu->stvec, is_irq, code);
    } else {
        cpu->mepc = epc;
        cpu->mcause = cause;
        cpu->mtval = tval;
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s &= ~MSTATUS_MIE;
        s = (s & ~MSTATUS_MPP) | ((uint64_t)cpu->priv << 11);
        cpu->priv = PRV_M;
        cpu->pc = trap_vector(cpu->mtvec, is_irq, code);
    }
    cpu->mstatus = s;
    cpu->next_pc = cpu->pc;
    cpu->trapped = true;
    cpu->wfi = false;
    cpu->resv_valid = false;

    cpu->last_cause = cause;
    cpu->last_tval = tval;
    cpu->last_epc = epc;
    cpu->last_trap_priv = cpu->priv;
    cpu->has_trapped = true;

    log_mask(LOG_INT,
             "riscv_cpu_do_interrupt: hart:%" PRIu32 ", async:%d, "
             "cause:%016" PRIx64 ", epc:0x%016" PRIx64 ", tval:0x%016" PRIx64
             ", desc=%s, priv:%u->%u, pc:0x%016" PRIx64,
             cpu->hartid, is_irq ? 1 : 0, cause, epc, tval,
             is_irq ? trap_irq_name(code) : trap_exc_name(code), from,
             cpu->priv, cpu->pc);
}

void riscv_raise_exception(RiscvHart *cpu, unsigned cause, uint64_t tval)
{
    trap_enter(cpu, false, cause, tval);
}

void riscv_take_interrupt(RiscvHart *cpu, unsigned irq)
{
    trap_enter(cpu, true, irq, 0);
}

bool riscv_hart_check_interrupts(RiscvHart *cpu)
{
    uint64_t pending = cpu->mip & cpu->mie;
    uint64_t m_ints, s_ints;
    bool m_on, s_on;

    if (!pending) {
        return false;
    }
    cpu->wfi = false;
    m_ints = pending & ~cpu->mideleg;
    s_ints = pending & cpu->mideleg;
    m_on = cpu->priv < PRV_M || (cpu->mstatus & MSTATUS_MIE);
    s_on = cpu->priv < PRV_S ||
           (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_SIE));
    if (m_on && m_ints) {
        for (size_t i = 0; i < G_N_ELEMENTS(trap_irq_order); i++) {
            if (m_ints & (UINT64_C(1) << trap_irq_order[i])) {
                riscv_take_interrupt(cpu, trap_irq_order[i]);
                return true;
            }
        }
    }
    if (s_on && s_ints) {
        for (size_t i = 0; i < G_N_ELEMENTS(trap_irq_order); i++) {
            if (s_ints & (UINT64_C(1) << trap_irq_order[i])) {
                riscv_take_interrupt(cpu, trap_irq_order[i]);
                return true;
            }
        }
    }
    return false;
}

void riscv_mret(RiscvHart *cpu)
{
    uint64_t s = cpu->mstatus;
    uint8_t to = (uint8_t)((s & MSTATUS_MPP) >> 11);

    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP; /* U */
    if (to != PRV_M) {
        s &= ~MSTATUS_MPRV;
    }
    cpu->mstatus = s;
    cpu->priv = to;
    cpu->next_pc = cpu->mepc;
    cpu->resv_valid = false;
    cpu->check_irq = true;
    log_mask(LOG_INT,
             "riscv_mret: hart:%" PRIu32 ", pc:0x%016" PRIx64 ", priv:%u",
             cpu->hartid, cpu->mepc, to);
}

void riscv_sret(RiscvHart *cpu)
{
    uint64_t s = cpu->mstatus;
    uint8_t to = (s & MSTATUS_SPP) ? PRV_S : PRV_U;

    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV; /* SPP is never M */
    cpu->mstatus = s;
    cpu->priv = to;
    cpu->next_pc = cpu->sepc;
    cpu->resv_valid = false;
    cpu->check_irq = true;
    log_mask(LOG_INT,
             "riscv_sret: hart:%" PRIu32 ", pc:0x%016" PRIx64 ", priv:%u",
             cpu->hartid, cpu->sepc, to);
}
