/* SPDX-License-Identifier: MIT */
/*
 * The CSR file (privileged spec 1.12 ch. 2-3 and 4.1; riscv-hart.md §2).
 *
 * Access from instructions (riscv_csr_access) checks, in QEMU's order:
 * the CSR exists -> no write to a read-only CSR (bits 11:10 = 3) ->
 * feature predicate (FS, counteren, STCE, TVM) -> privilege (bits 9:8).
 * Every failure is an illegal instruction for the caller to raise.
 * Debug access (qtest) only needs the CSR to exist; WARL rules still apply.
 *
 * WARL masks are the ones riscv-hart.md says to build, not QEMU 7.2's
 * quirks: no H (its CSRs are absent), VS/UXL/SXL/MPV/GVA read-only,
 * MPP=2 stores U, xepc bit 0 reads 0, counteren 32 bits, PMP bytes with
 * bits 6:5 read-only 0 and W without R cleared, pmpaddr 54 bits.
 * mcycle and minstret both count retired instructions (deterministic).
 * hpmcounters and hpmevents read 0 and ignore writes.  Debug triggers,
 * mstateen, mtopi, scountovf, seed and mseccfg are absent (illegal).
 */
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emu/clock.h"
#include "target/riscv/cpu.h"
#include "target/riscv/hart-internal.h"

/* CSR numbers */
enum {
    CSR_FFLAGS = 0x001,
    CSR_FRM = 0x002,
    CSR_FCSR = 0x003,
    CSR_SSTATUS = 0x100,
    CSR_SIE = 0x104,
    CSR_STVEC = 0x105,
    CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a,
    CSR_SSCRATCH = 0x140,
    CSR_SEPC = 0x141,
    CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143,
    CSR_SIP = 0x144,
    CSR_STIMECMP = 0x14d,
    CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300,
    CSR_MISA = 0x301,
    CSR_MEDELEG = 0x302,
    CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304,
    CSR_MTVEC = 0x305,
    CSR_MCOUNTEREN = 0x306,
    CSR_MENVCFG = 0x30a,
    CSR_MCOUNTINHIBIT = 0x320,
    CSR_MHPMEVENT3 = 0x323,
    CSR_MHPMEVENT31 = 0x33f,
    CSR_MSCRATCH = 0x340,
    CSR_MEPC = 0x341,
    CSR_MCAUSE = 0x342,
    CSR_MTVAL = 0x343,
    CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0,
    CSR_PMPCFG2 = 0x3a2,
    CSR_PMPADDR0 = 0x3b0,
    CSR_PMPADDR15 = 0x3bf,
    CSR_MCYCLE = 0xb00,
    CSR_MINSTRET = 0xb02,
    CSR_MHPMCOUNTER3 = 0xb03,
    CSR_MHPMCOUNTER31 = 0xb1f,
    CSR_CYCLE = 0xc00,
    CSR_TIME = 0xc01,
    CSR_INSTRET = 0xc02,
    CSR_HPMCOUNTER3 = 0xc03,
    CSR_HPMCOUNTER31 = 0xc1f,
    CSR_MVENDORID = 0xf11,
    CSR_MARCHID = 0xf12,
    CSR_MIMPID = 0xf13,
    CSR_MHARTID = 0xf14,
    CSR_MCONFIGPTR = 0xf15,
};

/* WARL masks to build (riscv-hart.md §2.3-2.5) */
#define MSTATUS_WMASK       UINT64_C(0x00000000007E79AA)
#define SSTATUS_RMASK       UINT64_C(0x80000003000DE762)
#define SSTATUS_WMASK       UINT64_C(0x00000000000C6122)
#define MEDELEG_WMASK       UINT64_C(0xB3FF)
#define MIDELEG_WMASK       UINT64_C(0x222)
#define MIE_WMASK           UINT64_C(0xAAA)
#define MIP_SW_MASK         (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define PMPADDR_MASK        UINT64_C(0x003FFFFFFFFFFFFF)
#define MCOUNTINHIBIT_WMASK UINT64_C(0x5) /* CY, IR */
#define MARCHID_VALUE       UINT64_C(0x70216)

/* pmpcfg byte fields */
#define PMP_R   0x01u
#define PMP_W   0x02u
#define PMP_A   0x18u
#define PMP_TOR 0x08u
#define PMP_L   0x80u

/* ---- names ---- */

typedef struct CsrName {
    unsigned num;
    const char *name;
} CsrName;

static const CsrName csr_fixed_names[] = {
    {CSR_FFLAGS, "fflags"},
    {CSR_FRM, "frm"},
    {CSR_FCSR, "fcsr"},
    {CSR_SSTATUS, "sstatus"},
    {CSR_SIE, "sie"},
    {CSR_STVEC, "stvec"},
    {CSR_SCOUNTEREN, "scounteren"},
    {CSR_SENVCFG, "senvcfg"},
    {CSR_SSCRATCH, "sscratch"},
    {CSR_SEPC, "sepc"},
    {CSR_SCAUSE, "scause"},
    {CSR_STVAL, "stval"},
    {CSR_SIP, "sip"},
    {CSR_STIMECMP, "stimecmp"},
    {CSR_SATP, "satp"},
    {CSR_MSTATUS, "mstatus"},
    {CSR_MISA, "misa"},
    {CSR_MEDELEG, "medeleg"},
    {CSR_MIDELEG, "mideleg"},
    {CSR_MIE, "mie"},
    {CSR_MTVEC, "mtvec"},
    {CSR_MCOUNTEREN, "mcounteren"},
    {CSR_MENVCFG, "menvcfg"},
    {CSR_MCOUNTINHIBIT, "mcountinhibit"},
    {CSR_MSCRATCH, "mscratch"},
    {CSR_MEPC, "mepc"},
    {CSR_MCAUSE, "mcause"},
    {CSR_MTVAL, "mtval"},
    {CSR_MIP, "mip"},
    {CSR_PMPCFG0, "pmpcfg0"},
    {CSR_PMPCFG2, "pmpcfg2"},
    {CSR_MCYCLE, "mcycle"},
    {CSR_MINSTRET, "minstret"},
    {CSR_CYCLE, "cycle"},
    {CSR_TIME, "time"},
    {CSR_INSTRET, "instret"},
    {CSR_MVENDORID, "mvendorid"},
    {CSR_MARCHID, "marchid"},
    {CSR_MIMPID, "mimpid"},
    {CSR_MHARTID, "mhartid"},
    {CSR_MCONFIGPTR, "mconfigptr"},
};

static const char *csr_names[4096];
static GHashTable *csr_by_name;

static void csr_add_name(unsigned num, const char *name)
{
    csr_names[num] = name;
    g_hash_table_insert(csr_by_name, (gpointer)name, GUINT_TO_POINTER(num));
}

static void csr_names_init(void)
{
    static gsize done;

    if (!g_once_init_enter(&done)) {
        return;
    }
    csr_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < G_N_ELEMENTS(csr_fixed_names); i++) {
        csr_add_name(csr_fixed_names[i].num, csr_fixed_names[i].name);
    }
    for (unsigned i = 0; i < 16; i++) {
        csr_add_name(CSR_PMPADDR0 + i, g_strdup_printf("pmpaddr%u", i));
    }
    for (unsigned i = 3; i < 32; i++) {
        csr_add_name(CSR_MHPMEVENT3 + i - 3, g_strdup_printf("mhpmevent%u", i));
        csr_add_name(CSR_MHPMCOUNTER3 + i - 3,
                     g_strdup_printf("mhpmcounter%u", i));
        csr_add_name(CSR_HPMCOUNTER3 + i - 3,
                     g_strdup_printf("hpmcounter%u", i));
    }
    g_once_init_leave(&done, 1);
}

int riscv_csr_by_name(const char *name)
{
    gpointer v;

    csr_names_init();
    if (!g_hash_table_lookup_extended(csr_by_name, name, NULL, &v)) {
        return -1;
    }
    return (int)GPOINTER_TO_UINT(v);
}

const char *riscv_csr_name(unsigned csrno)
{
    csr_names_init();
    return csrno < 4096 ? csr_names[csrno] : NULL;
}

/* ---- time, mip, Sstc ---- */

uint64_t riscv_hart_time(RiscvHart *cpu)
{
    if (cpu->get_time) {
        return cpu->get_time(cpu->time_opaque);
    }
    return (uint64_t)clock_get_ns() / 100;
}

static bool csr_stce(const RiscvHart *cpu)
{
    return cpu->ext_sstc && (cpu->menvcfg & MENVCFG_STCE);
}

void riscv_update_mip(RiscvHart *cpu)
{
    uint64_t mip = cpu->mip_hw | (cpu->mip_sw & (MIP_SSIP | MIP_SEIP));

    if (csr_stce(cpu) ? cpu->sstc_stip : (cpu->mip_sw & MIP_STIP)) {
        mip |= MIP_STIP;
    }
    if (mip != cpu->mip) {
        cpu->mip = mip;
        cpu->check_irq = true;
    }
    if (cpu->wfi && (cpu->mip & cpu->mie)) {
        cpu->wfi = false;
        if (riscv_hart_kick_hook) {
            riscv_hart_kick_hook(cpu);
        }
    }
}

static void csr_sstc_timer_cb(void *opaque)
{
    riscv_sstc_update(opaque);
}

void riscv_sstc_update(RiscvHart *cpu)
{
    if (csr_stce(cpu)) {
        uint64_t now = riscv_hart_time(cpu);

        cpu->sstc_stip = now >= cpu->stimecmp;
        if (!cpu->stimecmp_timer) {
            cpu->stimecmp_timer = timer_new(csr_sstc_timer_cb, cpu);
        }
        if (cpu->sstc_stip) {
            timer_del(cpu->stimecmp_timer);
        } else {
            uint64_t ticks = cpu->stimecmp - now;
            int64_t ns = clock_get_ns();

            if (ticks > (uint64_t)(INT64_MAX - ns) / 100) {
                timer_del(cpu->stimecmp_timer);
            } else {
                timer_mod(cpu->stimecmp_timer, ns + (int64_t)ticks * 100);
            }
        }
    } else {
        cpu->sstc_stip = false;
        if (cpu->stimecmp_timer) {
            timer_del(cpu->stimecmp_timer);
        }
    }
    riscv_update_mip(cpu);
}

void riscv_hart_set_mip(RiscvHart *cpu, uint64_t mask, bool level)
{
    if (level) {
        cpu->mip_hw |= mask;
    } else {
        cpu->mip_hw &= ~mask;
    }
    riscv_update_mip(cpu);
}

/* ---- counters ---- */

/* mcycle/minstret hold an offset from cpu->retired, or the frozen value
 * while mcountinhibit stops them. */
static uint64_t csr_counter_read(const RiscvHart *cpu, uint64_t base,
                                 unsigned inhibit_bit)
{
    if (cpu->mcountinhibit & (UINT64_C(1) << inhibit_bit)) {
        return base;
    }
    return base + cpu->retired;
}

static void csr_counter_write(RiscvHart *cpu, uint64_t *base,
                              unsigned inhibit_bit, uint64_t val, bool in_insn)
{
    if (cpu->mcountinhibit & (UINT64_C(1) << inhibit_bit)) {
        *base = val;
    } else {
        /* the writing instruction retires after the write */
        *base = val - cpu->retired - (in_insn ? 1 : 0);
    }
}

static void csr_write_mcountinhibit(RiscvHart *cpu, uint64_t val)
{
    uint64_t old = cpu->mcountinhibit;
    uint64_t new = val &MCOUNTINHIBIT_WMASK;
    uint64_t *bases[3] = {&cpu->mcycle, NULL, &cpu->minstret};

    for (unsigned bit = 0; bit < 3; bit += 2) {
        bool was = (old >> bit) & 1, now = (new >> bit) & 1;

        if (!was && now) {
            *bases[bit] += cpu->retired;
        } else if (was && !now) {
            *bases[bit] -= cpu->retired;
        }
    }
    cpu->mcountinhibit = new;
}

/* ---- PMP ---- */

static unsigned csr_pmp_cfg(const RiscvHart *cpu, unsigned i)
{
    return (unsigned)(cpu->pmpcfg[i / 8] >> ((i % 8) * 8)) & 0xff;
}

static void csr_write_pmpcfg(RiscvHart *cpu, unsigned reg, uint64_t val)
{
    uint64_t old = cpu->pmpcfg[reg];
    uint64_t new = 0;

    for (unsigned b = 0; b < 8; b++) {
        unsigned o = (unsigned)(old >> (8 * b)) & 0xff;
        unsigned n = (unsigned)(val >> (8 * b)) & 0xff;

        if (o & PMP_L) {
            n = o; /* locked until reset */
        } else {
            n &= ~0x60u; /* bits 6:5 reserved, read-only 0 */
            if ((n & PMP_W) && !(n & PMP_R)) {
                n &= ~PMP_W; /* W without R is reserved */
            }
        }
        new |= (uint64_t)n << (8 * b);
    }
    cpu->pmpcfg[reg] = new;
    riscv_tlb_flush(cpu);
}

static void csr_write_pmpaddr(RiscvHart *cpu, unsigned i, uint64_t val)
{
    if (csr_pmp_cfg(cpu, i) & PMP_L) {
        return;
    }
    if (i + 1 < RISCV_PMP_ENTRIES) {
        unsigned next = csr_pmp_cfg(cpu, i + 1);

        if ((next & PMP_L) && (next & PMP_A) == PMP_TOR) {
            return;
        }
    }
    cpu->pmpaddr[i] = val & PMPADDR_MASK;
    riscv_tlb_flush(cpu);
}

/* ---- existence, predicates, read, write ---- */

static bool csr_exists(const RiscvHart *cpu, unsigned csrno)
{
    if (csrno >= 4096) {
        return false;
    }
    csr_names_init();
    if (!csr_names[csrno]) {
        return false;
    }
    switch (csrno) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        return cpu->ext_f || cpu->ext_d;
    case CSR_STIMECMP:
        return cpu->ext_sstc;
    default:
        return true;
    }
}

static bool csr_counter_enabled(const RiscvHart *cpu, unsigned csrno)
{
    uint64_t bit = UINT64_C(1) << (csrno - CSR_CYCLE);

    if (cpu->priv < PRV_M && !(cpu->mcounteren & bit)) {
        return false;
    }
    if (cpu->priv < PRV_S && !(cpu->scounteren & bit)) {
        return false;
    }
    return true;
}

static bool csr_predicate(RiscvHart *cpu, unsigned csrno)
{
    switch (csrno) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        return riscv_fp_enabled(cpu);
    case CSR_STIMECMP:
        return cpu->priv == PRV_M ||
               ((cpu->mcounteren & 2) && (cpu->menvcfg & MENVCFG_STCE));
    case CSR_SATP:
        return !(cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TVM));
    default:
        break;
    }
    if (csrno >= CSR_CYCLE && csrno <= CSR_HPMCOUNTER31) {
        return csr_counter_enabled(cpu, csrno);
    }
    return true;
}

/* @s with SD = (FS == Dirty); XS and VS are read-only 0. */
static uint64_t csr_with_sd(uint64_t s)
{
    s &= ~MSTATUS_SD;
    if ((s & MSTATUS_FS) == MSTATUS_FS) {
        s |= MSTATUS_SD;
    }
    return s;
}

static uint64_t csr_mstatus_value(const RiscvHart *cpu)
{
    return csr_with_sd(cpu->mstatus);
}

static uint64_t csr_read(RiscvHart *cpu, unsigned csrno)
{
    switch (csrno) {
    case CSR_FFLAGS:
        return cpu->fflags & 0x1f;
    case CSR_FRM:
        return cpu->frm & 7;
    case CSR_FCSR:
        return ((cpu->frm & 7) << 5) | (cpu->fflags & 0x1f);
    case CSR_SSTATUS:
        return csr_mstatus_value(cpu) & SSTATUS_RMASK;
    case CSR_SIE:
        return cpu->mie & cpu->mideleg;
    case CSR_STVEC:
        return cpu->stvec;
    case CSR_SCOUNTEREN:
        return cpu->scounteren;
    case CSR_SENVCFG:
        return cpu->senvcfg;
    case CSR_SSCRATCH:
        return cpu->sscratch;
    case CSR_SEPC:
        return cpu->sepc;
    case CSR_SCAUSE:
        return cpu->scause;
    case CSR_STVAL:
        return cpu->stval;
    case CSR_SIP:
        return cpu->mip & cpu->mideleg;
    case CSR_STIMECMP:
        return cpu->stimecmp;
    case CSR_SATP:
        return cpu->satp;
    case CSR_MSTATUS:
        return csr_mstatus_value(cpu);
    case CSR_MISA:
        return cpu->misa;
    case CSR_MEDELEG:
        return cpu->medeleg;
    case CSR_MIDELEG:
        return cpu->mideleg;
    case CSR_MIE:
        return cpu->mie;
    case CSR_MTVEC:
        return cpu->mtvec;
    case CSR_MCOUNTEREN:
        return cpu->mcounteren;
    case CSR_MENVCFG:
        return cpu->menvcfg;
    case CSR_MCOUNTINHIBIT:
        return cpu->mcountinhibit;
    case CSR_MSCRATCH:
        return cpu->mscratch;
    case CSR_MEPC:
        return cpu->mepc;
    case CSR_MCAUSE:
        return cpu->mcause;
    case CSR_MTVAL:
        return cpu->mtval;
    case CSR_MIP:
        return cpu->mip;
    case CSR_PMPCFG0:
        return cpu->pmpcfg[0];
    case CSR_PMPCFG2:
        return cpu->pmpcfg[1];
    case CSR_MCYCLE:
    case CSR_CYCLE:
        return csr_counter_read(cpu, cpu->mcycle, 0);
    case CSR_MINSTRET:
    case CSR_INSTRET:
        return csr_counter_read(cpu, cpu->minstret, 2);
    case CSR_TIME:
        return riscv_hart_time(cpu);
    case CSR_MARCHID:
    case CSR_MIMPID:
        return MARCHID_VALUE;
    case CSR_MHARTID:
        return cpu->hartid;
    default:
        break;
    }
    if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR15) {
        return cpu->pmpaddr[csrno - CSR_PMPADDR0];
    }
    /* mvendorid, mconfigptr, hpm counters and events */
    return 0;
}

static uint64_t csr_tvec(uint64_t old, uint64_t val)
{
    return (val & 3) >= 2 ? old : val;
}

static void csr_write(RiscvHart *cpu, unsigned csrno, uint64_t val,
                      bool in_insn)
{
    switch (csrno) {
    case CSR_FFLAGS:
        cpu->fflags = val & 0x1f;
        riscv_fp_set_dirty(cpu);
        return;
    case CSR_FRM:
        cpu->frm = val & 7;
        riscv_fp_set_dirty(cpu);
        return;
    case CSR_FCSR:
        cpu->fflags = val & 0x1f;
        cpu->frm = (val >> 5) & 7;
        riscv_fp_set_dirty(cpu);
        return;
    case CSR_SSTATUS:
        val = (cpu->mstatus & ~SSTATUS_WMASK) | (val & SSTATUS_WMASK);
        csrno = CSR_MSTATUS;
        break; /* continues as an mstatus write below */
    case CSR_SIE: {
        uint64_t m = cpu->mideleg & MIE_WMASK;

        cpu->mie = (cpu->mie & ~m) | (val & m);
        riscv_update_mip(cpu);
        return;
    }
    case CSR_STVEC:
        cpu->stvec = csr_tvec(cpu->stvec, val);
        return;
    case CSR_SCOUNTEREN:
        cpu->scounteren = val & 0xffffffffu;
        return;
    case CSR_SENVCFG:
        cpu->senvcfg = val & MENVCFG_FIOM;
        return;
    case CSR_SSCRATCH:
        cpu->sscratch = val;
        return;
    case CSR_SEPC:
        cpu->sepc = val & ~UINT64_C(1);
        return;
    case CSR_SCAUSE:
        cpu->scause = val;
        return;
    case CSR_STVAL:
        cpu->stval = val;
        return;
    case CSR_SIP: {
        uint64_t m = cpu->mideleg & MIP_SSIP;

        cpu->mip_sw = (cpu->mip_sw & ~m) | (val & m);
        riscv_update_mip(cpu);
        return;
    }
    case CSR_STIMECMP:
        cpu->stimecmp = val;
        riscv_sstc_update(cpu);
        return;
    case CSR_SATP: {
        unsigned mode = (unsigned)(val >> 60);

        if (mode != 0 && mode != 8 && mode != 9 && mode != 10) {
            return; /* unsupported mode: the write changes nothing */
        }
        cpu->satp = val;
        riscv_tlb_flush(cpu);
        return;
    }
    case CSR_MSTATUS:
        break; /* below */
    case CSR_MISA:
        return; /* misa never changes */
    case CSR_MEDELEG:
        cpu->medeleg = val & MEDELEG_WMASK;
        return;
    case CSR_MIDELEG:
        cpu->mideleg = val & MIDELEG_WMASK;
        riscv_update_mip(cpu);
        return;
    case CSR_MIE:
        cpu->mie = val & MIE_WMASK;
        riscv_update_mip(cpu);
        return;
    case CSR_MTVEC:
        cpu->mtvec = csr_tvec(cpu->mtvec, val);
        return;
    case CSR_MCOUNTEREN:
        cpu->mcounteren = val & 0xffffffffu;
        return;
    case CSR_MENVCFG:
        cpu->menvcfg =
            val & (MENVCFG_FIOM | (cpu->ext_sstc ? MENVCFG_STCE : 0));
        riscv_sstc_update(cpu);
        return;
    case CSR_MCOUNTINHIBIT:
        csr_write_mcountinhibit(cpu, val);
        return;
    case CSR_MSCRATCH:
        cpu->mscratch = val;
        return;
    case CSR_MEPC:
        cpu->mepc = val & ~UINT64_C(1);
        return;
    case CSR_MCAUSE:
        cpu->mcause = val;
        return;
    case CSR_MTVAL:
        cpu->mtval = val;
        return;
    case CSR_MIP: {
        uint64_t m = MIP_SSIP | MIP_SEIP | (csr_stce(cpu) ? 0 : MIP_STIP);

        cpu->mip_sw = (cpu->mip_sw & ~m) | (val & m);
        riscv_update_mip(cpu);
        return;
    }
    case CSR_PMPCFG0:
        csr_write_pmpcfg(cpu, 0, val);
        return;
    case CSR_PMPCFG2:
        csr_write_pmpcfg(cpu, 1, val);
        return;
    case CSR_MCYCLE:
        csr_counter_write(cpu, &cpu->mcycle, 0, val, in_insn);
        return;
    case CSR_MINSTRET:
        csr_counter_write(cpu, &cpu->minstret, 2, val, in_insn);
        return;
    default:
        if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR15) {
            csr_write_pmpaddr(cpu, csrno - CSR_PMPADDR0, val);
        }
        /* read-only-zero hpm counters/events, read-only CSRs: ignored */
        return;
    }

    /* mstatus (also reached from sstatus) */
    {
        uint64_t mask = MSTATUS_WMASK;
        uint64_t s;

        if (!cpu->ext_f && !cpu->ext_d) {
            mask &= ~MSTATUS_FS;
        }
        s = (cpu->mstatus & ~mask) | (val & mask);
        if ((s & MSTATUS_MPP) == (UINT64_C(2) << 11)) {
            s &= ~MSTATUS_MPP; /* reserved MPP=2 stores U */
        }
        s = (s & ~(MSTATUS_UXL | MSTATUS_SXL)) | (UINT64_C(2) << 32) |
            (UINT64_C(2) << 34);
        cpu->mstatus = csr_with_sd(s);
        cpu->check_irq = true;
    }
}

/* The value a read-modify-write merges into: mip/sip use the software
 * bits, so a set/clear never copies a device's level into them. */
static uint64_t csr_rmw_base(const RiscvHart *cpu, unsigned csrno, uint64_t old)
{
    if (csrno == CSR_MIP || csrno == CSR_SIP) {
        return cpu->mip_sw;
    }
    return old;
}

bool riscv_csr_access(RiscvHart *cpu, unsigned csrno, uint64_t *old,
                      bool do_write, uint64_t write_val, uint64_t write_mask)
{
    uint64_t v;

    if (!csr_exists(cpu, csrno)) {
        return false;
    }
    if (do_write && (csrno >> 10) == 3) {
        return false;
    }
    if (!csr_predicate(cpu, csrno)) {
        return false;
    }
    if (((csrno >> 8) & 3) > cpu->priv) {
        return false;
    }
    v = csr_read(cpu, csrno);
    *old = v;
    if (do_write) {
        uint64_t base = csr_rmw_base(cpu, csrno, v);

        csr_write(cpu, csrno, (base & ~write_mask) | (write_val & write_mask),
                  true);
    }
    return true;
}

bool riscv_csr_read_debug(RiscvHart *cpu, unsigned csrno, uint64_t *val)
{
    if (!csr_exists(cpu, csrno)) {
        return false;
    }
    *val = csr_read(cpu, csrno);
    return true;
}

bool riscv_csr_write_debug(RiscvHart *cpu, unsigned csrno, uint64_t val)
{
    if (!csr_exists(cpu, csrno)) {
        return false;
    }
    if ((csrno >> 10) != 3) {
        csr_write(cpu, csrno, val, false);
    }
    return true;
}

void riscv_csr_reset(RiscvHart *cpu)
{
    cpu->mstatus = (UINT64_C(2) << 32) | (UINT64_C(2) << 34);
    cpu->misa = MISA_MXL_64 | MISA_A | MISA_C | MISA_I | MISA_M | MISA_S |
                MISA_U | (cpu->ext_f ? MISA_F : 0) | (cpu->ext_d ? MISA_D : 0);
    cpu->medeleg = cpu->mideleg = 0;
    cpu->mie = 0;
    cpu->mip_sw = 0;
    cpu->sstc_stip = false;
    cpu->mtvec = cpu->mscratch = cpu->mepc = cpu->mcause = cpu->mtval = 0;
    cpu->mcounteren = cpu->mcountinhibit = cpu->menvcfg = 0;
    memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
    memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
    cpu->mcycle = cpu->minstret = 0;
    cpu->stvec = cpu->sscratch = cpu->sepc = cpu->scause = cpu->stval = 0;
    cpu->scounteren = cpu->senvcfg = cpu->satp = cpu->stimecmp = 0;
    cpu->fflags = cpu->frm = 0;
    riscv_sstc_update(cpu);
    riscv_update_mip(cpu);
}
