/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V hart: architectural state and the interfaces between its parts
 * (decoder/executor, CSR file, traps, MMU + PMP, FP).  RV64 only for now;
 * XLEN is a property so RV32 can come later.
 *
 * A hart is a Device of type "riscv-hart" at /machine/soc0/harts[N].  Its
 * input line group "irq" (64 lines) sets/clears the matching mip bit, like
 * QEMU's unnamed GPIO inputs (7 = MTIP, 3 = MSIP, 11 = MEIP, 9 = SEIP,
 * 5 = STIP, 1 = SSIP), so `irq_intercept_in /machine/soc0/harts[0]`
 * reports "IRQ raise 7" for the machine timer.  SSIP is software-writable:
 * a rising edge on line 1 sets it (ACLINT SSWI), software clears it.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/device.h"
#include "emu/memory.h"

#define TYPE_RISCV_HART "riscv-hart"

typedef struct RiscvHart RiscvHart;

/* Privilege levels */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* Exception causes (mcause, interrupt bit clear) */
enum {
    EXC_INSN_MISALIGNED = 0,
    EXC_INSN_ACCESS = 1,
    EXC_ILLEGAL_INSN = 2,
    EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4,
    EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7,
    EXC_ECALL_U = 8,
    EXC_ECALL_S = 9,
    EXC_ECALL_M = 11,
    EXC_INSN_PAGE_FAULT = 12,
    EXC_LOAD_PAGE_FAULT = 13,
    EXC_STORE_PAGE_FAULT = 15,
};

/* Interrupt numbers (mip/mie bit positions) */
enum {
    IRQ_S_SOFT = 1,
    IRQ_M_SOFT = 3,
    IRQ_S_TIMER = 5,
    IRQ_M_TIMER = 7,
    IRQ_S_EXT = 9,
    IRQ_M_EXT = 11,
};

#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)

/* mstatus fields */
#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_FS   (3ull << 13)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM  (1ull << 18)
#define MSTATUS_MXR  (1ull << 19)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)
#define MSTATUS_UXL  (3ull << 32)
#define MSTATUS_SXL  (3ull << 34)
#define MSTATUS_SD   (1ull << 63)

/* Memory access kinds for translation, PMP and faults */
typedef enum RiscvAccess {
    ACCESS_FETCH,
    ACCESS_LOAD,
    ACCESS_STORE, /* also AMOs and SC */
} RiscvAccess;

#define RISCV_PMP_ENTRIES 16
#define RISCV_TLB_SIZE    2048

/* One software-TLB entry: a 4 KiB page of guest-virtual space. */
typedef struct RiscvTlbEntry {
    uint64_t vpage; /* virtual page number + 1, 0 = invalid */
    uint64_t ppage; /* physical page base */
    uint8_t perm;   /* bit 0 read, 1 write, 2 exec (already checked) */
    uint8_t *host;  /* host pointer of the page for RAM, else NULL */
} RiscvTlbEntry;

struct RiscvHart {
    Device dev; /* must be first */

    /* properties */
    uint32_t hartid;
    uint32_t xlen;     /* 64 */
    uint64_t reset_pc; /* 0x1000 on virt */
    bool ext_f, ext_d; /* F and D present (misa) */
    bool ext_sstc;

    /* architectural state */
    uint64_t gpr[32];
    uint64_t fpr[32];
    uint64_t pc;
    uint8_t priv;
    uint32_t fflags; /* 5 bits */
    uint32_t frm;    /* 3 bits */

    /* M-mode CSRs */
    uint64_t mstatus;
    uint64_t misa;
    uint64_t medeleg, mideleg;
    uint64_t mie, mip;
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, mcountinhibit, menvcfg;
    uint64_t pmpcfg[RISCV_PMP_ENTRIES / 8 * 2]; /* pmpcfg0, pmpcfg2 (RV64) */
    uint64_t pmpaddr[RISCV_PMP_ENTRIES];
    uint64_t mcycle, minstret; /* offsets: value = base + retired */

    /* S-mode CSRs */
    uint64_t stvec, sscratch, sepc, scause, stval;
    uint64_t scounteren, senvcfg, satp, stimecmp;

    /* LR/SC reservation */
    uint64_t resv_addr;
    bool resv_valid;

    /* execution */
    uint64_t next_pc;   /* set to pc + insn length before each handler */
    uint8_t insn_len;   /* 2 or 4, for the current instruction */
    uint32_t insn_bits; /* raw bits of the current instruction (mtval) */
    bool wfi;           /* waiting for an interrupt */
    bool trapped;       /* set by riscv_raise_exception during an insn */
    uint64_t retired;   /* instructions retired since reset */
    AddressSpace *as;

    /* last trap taken, for the hart_* qtest commands */
    uint64_t last_cause, last_tval, last_epc;
    uint8_t last_trap_priv;
    bool has_trapped;

    /* software TLB (virtual -> physical), flushed by SFENCE.VMA etc. */
    RiscvTlbEntry tlb[3][RISCV_TLB_SIZE]; /* per RiscvAccess */
    unsigned tlb_generation; /* memory-map generation of the host pointers */
    uint64_t tlb_flushes; /* riscv_tlb_flush calls (keys exec.c's pc cache) */
    uint8_t tlb_epoch;    /* part of every TLB key (mmu.c) */

    /* time source for the time CSR and Sstc: ticks at 10 MHz by default */
    uint64_t (*get_time)(void *opaque);
    void *time_opaque;

    /* Sstc timer: raises STIP when time >= stimecmp */
    struct EmuTimer *stimecmp_timer;

    /* interrupt sources behind mip (the live value is kept in mip) */
    uint64_t mip_hw; /* levels of the "irq" input lines / device sources */
    uint64_t mip_sw; /* software-writable bits: SSIP, STIP, SEIP */
    bool sstc_stip;  /* time >= stimecmp (drives STIP while STCE=1) */
    bool check_irq;  /* re-check interrupts after the current instruction */

    uint64_t resv_value; /* value loaded by LR (SC also compares it) */
    uint64_t exec_count; /* instructions attempted (retired or trapped) */
    void *code_cache;    /* decoded-instruction cache (exec.c) */
    /* TLB key offsets per RiscvAccess, see riscv_tlb_update_tags (mmu.h) */
    uint64_t tlb_ktag[3];
    /* priv | mstatus MPRV/MPP/SUM/MXR when tlb_ktag was computed */
    uint64_t tlb_tag_state;
    /* retired and exec_count when the running decoded block started */
    uint64_t block_retired0, block_exec0;
    /* chaining of decoded blocks within one run (exec-block.c.inc) */
    uint64_t chain_limit;    /* exec_count at which the run's budget ends */
    unsigned chain_left;     /* blocks that may still be chained */
    bool chain_exact;        /* a chained block must fit the budget whole */
    const void *jit_exit_op; /* exit op of the last compiled block, or NULL */

    /*
     * -d channels this hart traces (LOG_IN_ASM, LOG_EXEC, LOG_MMU bits of
     * emu/log.h), sampled from the log mask at the start of each
     * riscv_hart_run / riscv_hart_step, so a disabled trace costs nothing
     * per instruction.
     */
    unsigned trace;
    /*
     * True while riscv_hart_run runs: the memory map was checked at its
     * start and is re-checked after each bus access of the hart, so the TLB
     * fast paths skip the check (mmu.c).
     */
    bool map_current;
};

#define RISCV_HART(obj) ((RiscvHart *)(obj))

extern const DeviceClass riscv_hart_class;

/* ---- executor (target/riscv/exec.c) ---- */

/**
 * Runs up to @max_insns instructions on @cpu (stops early on WFI).  Takes
 * pending enabled interrupts before the first instruction.  Returns the
 * number of instructions retired (traps count as retiring nothing).
 */
uint64_t riscv_hart_run(RiscvHart *cpu, uint64_t max_insns);

/**
 * Like riscv_hart_run, but may run past @max_insns to the end of the
 * decoded block it is in (by fewer than 32 instructions); the accelerator
 * uses it for time slices.  Returns the number retired.
 */
uint64_t riscv_hart_run_slice(RiscvHart *cpu, uint64_t max_insns);

/** Executes exactly one instruction (or takes one trap); for stepping. */
void riscv_hart_step(RiscvHart *cpu);

/** Resets the architectural state (pc = reset_pc, priv M, CSRs). */
void riscv_hart_reset(RiscvHart *cpu);

/**
 * Takes the highest-priority pending and enabled interrupt, if any, as the
 * spec orders them (MEI MSI MTI SEI SSI STI), honouring mideleg, mstatus
 * MIE/SIE and the current privilege.  Also clears wfi when any enabled
 * interrupt is pending (even if globally disabled).  Returns true if a trap
 * was taken.
 */
bool riscv_hart_check_interrupts(RiscvHart *cpu);

/** Decoded-code caches must drop everything (reset, memory-map change). */
void riscv_hart_flush_code(RiscvHart *cpu);

/** Counters of the decoded-block cache (exec.c), for tests and tuning. */
typedef struct RiscvCodeStats {
    uint64_t blocks_decoded;  /* blocks decoded (misses) */
    uint64_t blocks_dropped;  /* blocks dropped by writes to their page */
    uint64_t flushes;         /* riscv_hart_flush_code calls */
    uint64_t blocks_compiled; /* blocks compiled to host code (JIT) */
} RiscvCodeStats;

void riscv_hart_code_stats(RiscvHart *cpu, RiscvCodeStats *stats);

/**
 * Compiles decoded blocks to host machine code (x86-64 hosts only; other
 * hosts always interpret them).  On by default; -accel tcg,jit=off and
 * differential tests turn it off.  Takes effect for blocks decoded later
 * (riscv_hart_flush_code drops the others).
 */
void riscv_jit_set_enabled(bool on);
/** True when blocks are being compiled (enabled and available here). */
bool riscv_jit_enabled(void);
/**
 * A block is compiled once it has started @starts times (default 16; at
 * least 1); tests lower it to reach compiled code with short programs.
 */
void riscv_jit_set_hot_threshold(unsigned starts);

/** Number of realized harts (in realize order) and the @n-th one. */
unsigned riscv_hart_count(void);
RiscvHart *riscv_hart_nth(unsigned n);
/** The realized hart whose mhartid is @hartid, or NULL. */
RiscvHart *riscv_hart_by_id(uint32_t hartid);

/**
 * Called when a hart may have become runnable (interrupt pending while in
 * WFI); the accelerator installs it to wake its run loop.  NULL: nothing.
 */
extern void (*riscv_hart_kick_hook)(RiscvHart *cpu);

/** Registers the hart_* and csr qtest commands (idempotent). */
void riscv_qtest_register_commands(void);

/* ---- traps (target/riscv/trap.c) ---- */

/**
 * Raises a synchronous exception: trap entry happens at once (target mode
 * by medeleg, xepc = pc, xcause, xtval, status stacking, pc = xtvec) and
 * cpu->trapped is set so the executor does not advance pc.
 */
void riscv_raise_exception(RiscvHart *cpu, unsigned cause, uint64_t tval);

/** Takes interrupt @irq (trap entry; vectored mtvec/stvec honoured). */
void riscv_take_interrupt(RiscvHart *cpu, unsigned irq);

/** MRET / SRET semantics (privilege checks done by the caller). */
void riscv_mret(RiscvHart *cpu);
void riscv_sret(RiscvHart *cpu);

/* ---- CSRs (target/riscv/csr.c) ---- */

/**
 * Performs a CSR access as an instruction would: checks existence,
 * read-only, privilege and feature predicates (FS, counteren, TVM, ...).
 * @write_mask/@write_val: the new value is (old & ~mask) | (val & mask);
 * @do_write false for a pure read.  Returns false (caller raises illegal
 * instruction) when the access is not allowed.
 */
bool riscv_csr_access(RiscvHart *cpu, unsigned csrno, uint64_t *old,
                      bool do_write, uint64_t write_val, uint64_t write_mask);

/**
 * Debugger/qtest access: bypasses privilege checks but keeps WARL rules.
 * Returns false for a CSR that does not exist.
 */
bool riscv_csr_read_debug(RiscvHart *cpu, unsigned csrno, uint64_t *val);
bool riscv_csr_write_debug(RiscvHart *cpu, unsigned csrno, uint64_t val);

/** CSR number for @name ("mstatus", "0x300" style numbers are the
 *  caller's job), or -1. */
int riscv_csr_by_name(const char *name);
/** Name of CSR @csrno, or NULL. */
const char *riscv_csr_name(unsigned csrno);

/** Sets or clears mip bits from devices (irq lines); re-checks WFI. */
void riscv_hart_set_mip(RiscvHart *cpu, uint64_t mask, bool level);

/** Current value of the time CSR. */
uint64_t riscv_hart_time(RiscvHart *cpu);

/* ---- memory (target/riscv/mmu.c) ---- */

/**
 * Translates @vaddr for an access of kind @acc at the effective privilege
 * (MPRV/MPP for loads/stores in M), doing the Sv39/48/57 walk with A/D
 * updates.  On success stores the physical address and returns 0; on
 * failure returns the exception cause (page fault or access fault for PMP /
 * bus errors during the walk).
 */
int riscv_translate(RiscvHart *cpu, uint64_t vaddr, RiscvAccess acc,
                    uint64_t *paddr);

/** PMP check of [paddr, paddr+size) at privilege @priv; true = allowed. */
bool riscv_pmp_check(RiscvHart *cpu, uint64_t paddr, unsigned size,
                     RiscvAccess acc, unsigned priv);

/** Drops every TLB entry (SFENCE.VMA, satp/mstatus/PMP changes). */
void riscv_tlb_flush(RiscvHart *cpu);

/**
 * Guest loads/stores/fetches used by instruction handlers: translation,
 * PMP, misaligned check, bus access.  On failure they raise the right
 * exception (riscv_raise_exception) and return false.
 */
bool riscv_load(RiscvHart *cpu, uint64_t vaddr, unsigned size, uint64_t *val);
bool riscv_store(RiscvHart *cpu, uint64_t vaddr, unsigned size, uint64_t val);
/** Fetches a 16-bit parcel at @vaddr (instruction fetch rules). */
bool riscv_fetch16(RiscvHart *cpu, uint64_t vaddr, uint16_t *parcel);

/* ---- floating point (target/riscv/fpu.c) ---- */

/** True when mstatus.FS != Off (else FP instructions are illegal). */
bool riscv_fp_enabled(const RiscvHart *cpu);
/** Marks FP state dirty (FS = 3, SD = 1). */
void riscv_fp_set_dirty(RiscvHart *cpu);
