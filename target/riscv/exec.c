/* SPDX-License-Identifier: MIT */
/*
 * The interpreter: fetch (one or two 16-bit parcels, each with its own
 * translation), RVC expansion, decode, execute, retire.
 *
 * Every instruction of every insn-*.def is implemented by exec_<name> in
 * the matching exec-*.c.inc, all included here so handlers stay static and
 * riscv_insns[] is built from the same lists.
 *
 * Decoding is cached three times: globally by instruction bits (no
 * invalidation needed), per hart by pc (see "Decoded-instruction cache"
 * below; stepping and traced runs) and per hart as decoded blocks keyed by
 * physical address (exec-block.c.inc; untraced runs), which skip the fetch
 * path for code already seen.
 *
 * Interrupts are checked before the first instruction of a run and after
 * any instruction that may have enabled one (CSR writes, xRET) or when a
 * device line changed (check_irq); such instructions end a decoded block,
 * and check_irq also ends one, so interrupts are still taken after the
 * same instruction.  riscv_hart_run stops after exactly max_insns
 * instructions; riscv_hart_run_slice may finish the block it is in.
 *
 * Tracing (-d): the log mask is sampled once per run into cpu->trace.
 * in_asm prints each instruction as it is decoded into the cache (again
 * after an eviction or a flush, and at every execution for instructions
 * that cannot be cached, e.g. in MMIO or across a page); exec prints one
 * line per executed instruction from a separate copy of the run loop, so
 * the untraced loop has no per-instruction test.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "emu/log.h"
#include "emu/memory.h"
#include "target/riscv/cpu.h"
#include "target/riscv/disas.h"
#include "target/riscv/fpu.h"
#include "target/riscv/hart-internal.h"
#include "target/riscv/insn.h"
#include "target/riscv/mmu.h"

/* clang-format off */
#include "target/riscv/exec-i.c.inc"
#include "target/riscv/exec-m.c.inc"
#include "target/riscv/exec-a.c.inc"
#include "target/riscv/exec-zb.c.inc"
#include "target/riscv/exec-system.c.inc"
#include "target/riscv/exec-fp.c.inc"
/* clang-format on */

#define INSN(n, f, ma, mk, e) {#n, #f, ma, mk, #e, exec_##n},

const RiscvInsnDesc riscv_insns[] = {
#include "target/riscv/insn-a.def"
#include "target/riscv/insn-d.def"
#include "target/riscv/insn-f.def"
#include "target/riscv/insn-i.def"
#include "target/riscv/insn-m.def"
#include "target/riscv/insn-system.def"
#include "target/riscv/insn-zb.def"
};

#undef INSN

const unsigned riscv_insn_count = G_N_ELEMENTS(riscv_insns);

/* ---- decode cache (by instruction bits) ---- */

#define DCACHE_SIZE 4096

typedef struct DecodeCacheEntry {
    uint32_t insn; /* 0 = empty (never a valid instruction) */
    const RiscvInsnDesc *desc;
} DecodeCacheEntry;

static DecodeCacheEntry exec_dcache[DCACHE_SIZE];

static const RiscvInsnDesc *exec_decode(uint32_t insn)
{
    DecodeCacheEntry *e =
        &exec_dcache[(insn ^ (insn >> 12) ^ (insn >> 20)) & (DCACHE_SIZE - 1)];

    if (e->insn != insn) {
        e->desc = riscv_decode(insn);
        e->insn = insn;
    }
    return e->desc;
}

/* F and D instructions exist only when misa says so. */
static bool exec_ext_present(const RiscvHart *cpu, const RiscvInsnDesc *d)
{
    if (d->ext[0] == 'F' && d->ext[1] == 0) {
        return cpu->ext_f;
    }
    if (d->ext[0] == 'D' && d->ext[1] == 0) {
        return cpu->ext_d;
    }
    return true;
}

/*
 * Decoded-instruction cache, per hart, direct-mapped by virtual pc.  An
 * entry is used only when its context (code generation + TLB flush count,
 * and privilege) matches and the instruction bytes in host memory still
 * equal the bits it was decoded from, so stores to code (with or without
 * FENCE.I) are always seen.  The code generation moves on reset
 * and memory-map changes, the TLB flush count on SFENCE.VMA, satp and PMP
 * writes, which drops cached translations and fetch permissions; entries
 * exist only for instructions in RAM/ROM that do not cross a page.
 */
#define CODE_CACHE_SIZE 4096

typedef struct CodeEntry {
    uint64_t pc;
    uint64_t ctx; /* (gen + tlb_flushes) << 2 | priv */
    const uint8_t *host;
    const uint8_t *host2; /* second parcel, or exec_no_parcel (2 bytes) */
    RiscvExecFn fn;
    uint32_t bits; /* raw parcel(s) */
    uint32_t insn; /* expanded */
    uint8_t len;
} CodeEntry;

/* Compile decoded blocks (riscv_jit_set_enabled) once hot */
static bool exec_jit_on = true;
static unsigned exec_jit_hot = 16;

/* clang-format off */
#include "target/riscv/exec-block.c.inc"
#include "target/riscv/jit-x86_64.c.inc"
/* clang-format on */

/*
 * The memory core's code-write hook: a write is about to change the code
 * page at @page_off of @mr.  Every hart drops the blocks decoded from it and
 * ends the block it is running after the current instruction.
 */
static void exec_code_write(MemoryRegion *mr, hwaddr page_off)
{
    const uint8_t *lo = mr->host + page_off;
    const uint8_t *hi = lo + ((hwaddr)1 << MEMORY_CODE_PAGE_SHIFT);

    for (unsigned h = 0; h < riscv_hart_count(); h++) {
        RiscvHart *cpu = riscv_hart_nth(h);
        CodeCache *cc = cpu->code_cache;

        if (!cc) {
            continue;
        }
        for (unsigned i = 0; i < BLOCK_CACHE_SIZE; i++) {
            BlockTag *t = &cc->tag[i];

            if (t->gen && t->host >= lo && t->host < hi) {
                t->gen = 0;
                cc->stats.blocks_dropped++;
            }
        }
        cpu->check_irq = true;
    }
}

void riscv_hart_code_stats(RiscvHart *cpu, RiscvCodeStats *stats)
{
    const CodeCache *cc = cpu->code_cache;

    *stats = cc ? cc->stats : (RiscvCodeStats){0};
}

void riscv_hart_init_code_cache(RiscvHart *cpu)
{
    if (!cpu->code_cache) {
        /* ~18 MiB touched as blocks are decoded (exec_block_fill) */
        void *p = mmap(NULL, sizeof(CodeCache), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CodeCache *cc;

        if (p == MAP_FAILED) {
            return; /* the hart runs uncached */
        }
        cc = p;
        cc->gen = 1;
        cpu->code_cache = cc;
    }
    memory_set_code_write_hook(exec_code_write);
}

void riscv_hart_free_code_cache(RiscvHart *cpu)
{
    if (cpu->code_cache) {
        munmap(cpu->code_cache, sizeof(CodeCache));
        cpu->code_cache = NULL;
    }
}

void riscv_hart_flush_code(RiscvHart *cpu)
{
    if (cpu->code_cache) {
        ((CodeCache *)cpu->code_cache)->gen++;
        ((CodeCache *)cpu->code_cache)->stats.flushes++;
    }
    cpu->check_irq = true; /* ends a block being executed */
}

/* Stands for the missing second parcel of a compressed instruction. */
static const uint8_t exec_no_parcel[2];

/* The instruction bits an entry was decoded from, as memory holds them now. */
static inline uint32_t exec_entry_bits(const CodeEntry *e)
{
    uint16_t lo, hi;

    memcpy(&lo, e->host, 2);
    memcpy(&hi, e->host2, 2);
    return GUINT16_FROM_LE(lo) | (uint32_t)GUINT16_FROM_LE(hi) << 16;
}

static uint32_t exec_host_bits(const uint8_t *p, unsigned len)
{
    uint32_t v = p[0] | (uint32_t)p[1] << 8;

    if (len == 4) {
        v |= (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    }
    return v;
}

/* Host pointer of the @len instruction bytes at pc, or NULL. */
static const uint8_t *exec_code_host(RiscvHart *cpu, unsigned len)
{
    const FlatRange *r;
    uint64_t pa;

    if ((cpu->pc & 0xfff) > 0x1000 - len || !cpu->as ||
        riscv_translate(cpu, cpu->pc, ACCESS_FETCH, &pa) != 0) {
        return NULL;
    }
    address_space_update(cpu->as);
    r = address_space_lookup(cpu->as, pa);
    if (!r || (r->mr->kind != MR_RAM && r->mr->kind != MR_ROM) ||
        pa + len - 1 > r->end) {
        return NULL;
    }
    return r->mr->host + r->offset + (pa - r->start);
}

static inline void exec_retire(RiscvHart *cpu)
{
    if (!cpu->trapped) {
        cpu->pc = cpu->next_pc;
        cpu->retired++;
    }
}

static const char exec_priv_letter[4] = {'U', 'S', 'H', 'M'};

/* -d in_asm: one decoded instruction. */
static void exec_log_in_asm(RiscvHart *cpu, uint64_t pc, uint32_t bits)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if ((bits & 3) == 3) {
        g_string_append_printf(
            s, "IN: hart %u priv %c 0x%016" PRIx64 ":  %08" PRIx32 "  ",
            cpu->hartid, exec_priv_letter[cpu->priv & 3], pc, bits);
    } else {
        g_string_append_printf(
            s, "IN: hart %u priv %c 0x%016" PRIx64 ":  %04" PRIx32 "      ",
            cpu->hartid, exec_priv_letter[cpu->priv & 3], pc, bits);
    }
    riscv_disas(s, pc, bits);
    log_mask(LOG_IN_ASM, "%s", s->str);
}

/* Fetches and decodes the instruction at pc (cache miss), executes it. */
static __attribute__((noinline)) void exec_one_slow(RiscvHart *cpu,
                                                    CodeEntry *e, uint64_t ctx)
{
    uint64_t pc = cpu->pc;
    uint16_t lo, hi;
    uint32_t insn, bits;
    const RiscvInsnDesc *d;

    if (!riscv_fetch16(cpu, pc, &lo)) {
        return;
    }
    if ((lo & 3) == 3) {
        if (!riscv_fetch16(cpu, pc + 2, &hi)) {
            return;
        }
        bits = lo | (uint32_t)hi << 16;
        insn = bits;
        cpu->insn_len = 4;
    } else {
        bits = lo;
        insn = riscv_expand_compressed(lo);
        cpu->insn_len = 2;
    }
    cpu->insn_bits = bits;
    cpu->next_pc = pc + cpu->insn_len;
    if (cpu->trace & LOG_IN_ASM) {
        exec_log_in_asm(cpu, pc, bits);
    }
    d = insn ? exec_decode(insn) : NULL;
    if (!d || !exec_ext_present(cpu, d)) {
        riscv_raise_exception(cpu, EXC_ILLEGAL_INSN, bits);
        return;
    }
    if (e) {
        const uint8_t *host = exec_code_host(cpu, cpu->insn_len);

        if (host && exec_host_bits(host, cpu->insn_len) == bits) {
            e->pc = pc;
            e->ctx = ctx;
            e->host = host;
            e->host2 = cpu->insn_len == 4 ? host + 2 : exec_no_parcel;
            e->fn = d->exec;
            e->bits = bits;
            e->insn = insn;
            e->len = cpu->insn_len;
        }
    }
    d->exec(cpu, insn);
    exec_retire(cpu);
}

/* Executes one instruction at pc: from the decoded cache when it hits. */
static inline __attribute__((always_inline)) void exec_one(RiscvHart *cpu)
{
    CodeCache *cc = cpu->code_cache;
    uint64_t pc = cpu->pc;
    uint64_t ctx;
    CodeEntry *e;

    cpu->trapped = false;
    cpu->exec_count++;
    if (!cc) {
        exec_one_slow(cpu, NULL, 0);
        return;
    }
    /* both only grow: their sum changes whenever either does */
    ctx = (cc->gen + cpu->tlb_flushes) << 2 | cpu->priv;
    e = &cc->e[(pc >> 1) & (CODE_CACHE_SIZE - 1)];
    if (e->pc == pc && e->ctx == ctx && exec_entry_bits(e) == e->bits) {
        cpu->insn_len = e->len;
        cpu->insn_bits = e->bits;
        cpu->next_pc = pc + e->len;
        e->fn(cpu, e->insn);
        exec_retire(cpu);
        return;
    }
    exec_one_slow(cpu, e, ctx);
}

/* Expanded major opcodes that end a block. */
static inline bool exec_ends_block(uint32_t insn)
{
    switch (insn & 0x7f) {
    case 0x0f: /* FENCE, FENCE.I */
    case 0x67: /* JALR */
    case 0x6f: /* JAL */
    case 0x73: /* SYSTEM */
        return true;
    default:
        return false;
    }
}

/*
 * Decodes the block at pc (virtual) = @pa (physical), whose bytes are at
 * @host, into @t/@body and marks its page as code; false (and the tag left
 * empty) when its first instruction cannot be cached (illegal, crossing the
 * page).
 */
static __attribute__((noinline)) bool
exec_block_fill(RiscvHart *cpu, CodeCache *cc, BlockTag *t, BlockBody *body,
                uint64_t pa, const uint8_t *host)
{
    uint64_t pc = cpu->pc;
    unsigned room = 0x1000 - (unsigned)(pc & 0xfff);
    const FlatRange *r;
    unsigned off = 0;
    unsigned n = 0;

    t->gen = 0;
#ifdef MADV_HUGEPAGE
    if (!cc->advised) {
        /* the hart runs code: huge pages for the cache (not under qtest) */
        madvise(cc, sizeof(CodeCache), MADV_HUGEPAGE);
        cc->advised = true;
    }
#endif
    while (n < BLOCK_MAX_INSNS && off + 2 <= room) {
        uint32_t bits = host[off] | (uint32_t)host[off + 1] << 8;
        uint32_t insn;
        unsigned len;
        const RiscvInsnDesc *d;

        if ((bits & 3) == 3) {
            if (off + 4 > room) {
                break;
            }
            bits |= (uint32_t)host[off + 2] << 16 | (uint32_t)host[off + 3]
                                                        << 24;
            insn = bits;
            len = 4;
        } else {
            insn = riscv_expand_compressed((uint16_t)bits);
            len = 2;
        }
        d = insn ? exec_decode(insn) : NULL;
        if (!d || !exec_ext_present(cpu, d)) {
            break;
        }
        block_decode_op(&body->op[n], d, insn, bits, len, pc + off);
        body->op[n].idx = (uint8_t)n;
        n++;
        off += len;
        if (exec_ends_block(insn)) {
            break;
        }
    }
    if (n == 0) {
        return false;
    }
    body->op[n] = (BlockOp){.fn = op_end, .pc = pc + off, .idx = (uint8_t)n};
    body->n = n;
    for (unsigned k = 0; k <= n; k++) {
        block_set_chain(&body->op[k], pc, pa);
    }
    /* later stores into this page must reach exec_code_write */
    address_space_update(cpu->as);
    r = address_space_lookup(cpu->as, pa);
    if (r && memory_region_mark_code(r->mr, r->offset + (pa - r->start))) {
        const uint8_t *page = host - (pa & 0xfff);

        /* every realized hart (the one decoding is one of them) */
        for (unsigned h = 0; h < riscv_hart_count(); h++) {
            riscv_tlb_drop_store_page(riscv_hart_nth(h), page);
        }
    }
    body->code = NULL;
    body->runs = 0;
    t->pa = pa;
    t->pc = pc;
    t->host = host;
    t->gen = cc->gen;
    cc->stats.blocks_decoded++;
    return true;
}

/* The mstatus fields TLB keys depend on (riscv_tlb_update_tags) */
#define EXEC_TAG_MSTATUS                                                       \
    (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR)

/*
 * Runs the block at pc, or one instruction through the uncached path when
 * there is none (or, with @exact, when the block is longer than @max).
 * Returns the number of instructions attempted (retired or trapped).
 */
/*
 * Blocks are compiled once they have started exec_jit_hot times: run-once
 * code (most of a boot) is cheaper to interpret than to compile.
 */
static void exec_block_warm(RiscvHart *cpu, const BlockBody *cbody)
{
#if JIT_AVAILABLE
    BlockBody *body = (BlockBody *)cbody; /* the cache owns it */

    if (!body->code && exec_jit_on && ++body->runs >= exec_jit_hot) {
        CodeCache *cc = cpu->code_cache;

        body->code = jit_compile(cc, body);
        cc->stats.blocks_compiled += body->code != NULL;
    }
#endif
}

static const BlockBody *exec_block_find(RiscvHart *cpu)
{
    CodeCache *cc = cpu->code_cache;
    uint64_t pc = cpu->pc;
    const RiscvTlbEntry *e =
        &cpu->tlb[ACCESS_FETCH][(pc >> 12) % RISCV_TLB_SIZE];
    const uint8_t *host;
    uint64_t pa;
    unsigned i;

#if JIT_AVAILABLE
    if (jit_full) {
        /* the code buffer is full: start it again, dropping every block */
        for (unsigned h = 0; h < riscv_hart_count(); h++) {
            riscv_hart_flush_code(riscv_hart_nth(h));
        }
        riscv_hart_flush_code(cpu);
        jit_used = 0;
        jit_full = false;
    }
#endif
    if (((cpu->mstatus & EXEC_TAG_MSTATUS) | cpu->priv) != cpu->tlb_tag_state) {
        riscv_tlb_update_tags(cpu);
    }
    if (e->vpage == (pc >> 12) + cpu->tlb_ktag[ACCESS_FETCH] && e->host &&
        !(pc & 1)) {
        host = e->host + (pc & 0xfff);
        pa = e->ppage | (pc & 0xfff);
    } else {
        host = riscv_fetch_page(cpu, pc, &pa);
        if (!host) {
            return NULL;
        }
        if (cpu->tlb_tag_state == UINT64_MAX) {
            riscv_tlb_update_tags(cpu); /* it flushed the TLB */
        }
    }
    i = (unsigned)(pa >> 1) & (BLOCK_CACHE_SIZE - 1);
    if ((cc->tag[i].pa != pa || cc->tag[i].pc != pc ||
         cc->tag[i].gen != cc->gen) &&
        !exec_block_fill(cpu, cc, &cc->tag[i], &cc->body[i], pa, host)) {
        return NULL;
    }
    return &cc->body[i];
}

/*
 * Runs the block at pc and the blocks it chains to, or one instruction
 * through the uncached path when there is none (or, with @exact, when the
 * block is longer than @max).  Returns the number of instructions attempted
 * (retired or trapped).
 */
static uint64_t exec_block(RiscvHart *cpu, uint64_t max, bool exact)
{
    const BlockBody *body = exec_block_find(cpu);
    uint64_t before = cpu->exec_count;

    if (!body || (exact && body->n > max)) {
        cpu->trapped = false;
        cpu->exec_count++;
        exec_one_slow(cpu, NULL, 0);
        return 1;
    }
    cpu->chain_left = BLOCK_CHAIN_MAX;
    cpu->chain_limit = before + max;
    cpu->chain_exact = exact;
    exec_block_warm(cpu, body);
    while (body->code) {
        cpu->block_retired0 = cpu->retired;
        cpu->block_exec0 = cpu->exec_count;
        body->code(cpu);
        body = block_next(cpu, cpu->jit_exit_op);
        if (!body) {
            return cpu->exec_count - before;
        }
        exec_block_warm(cpu, body);
    }
    cpu->block_retired0 = cpu->retired;
    cpu->block_exec0 = cpu->exec_count;
    body->op[0].fn(cpu, &body->op[0]);
    return cpu->exec_count - before;
}

/*
 * The untraced run loop over decoded blocks; with @exact false it may run
 * past @max_insns to the end of a block.
 */
static void exec_loop_blocks(RiscvHart *cpu, uint64_t max_insns, bool exact)
{
    uint64_t n = 0;

    while (n < max_insns && !cpu->wfi) {
        n += exec_block(cpu, max_insns - n, exact);
        if (cpu->check_irq) {
            cpu->check_irq = false;
            riscv_hart_check_interrupts(cpu);
        }
    }
}

/* The -d channels a hart samples into cpu->trace. */
static unsigned exec_trace_mask(void)
{
    unsigned m = 0;

    if (log_enabled(LOG_IN_ASM)) {
        m |= LOG_IN_ASM;
    }
    if (log_enabled(LOG_EXEC)) {
        m |= LOG_EXEC;
    }
    if (log_enabled(LOG_MMU)) {
        m |= LOG_MMU;
    }
    return m;
}

/* -d exec: one line per instruction about to execute. */
static void exec_log_exec(RiscvHart *cpu)
{
    log_mask(LOG_EXEC, "Trace 0: hart %u pc 0x%016" PRIx64 " priv %c",
             cpu->hartid, cpu->pc, exec_priv_letter[cpu->priv & 3]);
}

void riscv_hart_step(RiscvHart *cpu)
{
    cpu->trace = exec_trace_mask();
    cpu->check_irq = false;
    if (riscv_hart_check_interrupts(cpu)) {
        cpu->exec_count++;
        return;
    }
    if (cpu->wfi) {
        return;
    }
    if (cpu->trace & LOG_EXEC) {
        exec_log_exec(cpu);
    }
    exec_one(cpu);
}

/* The run loop; @trace_exec is a constant in each caller's copy. */
static inline __attribute__((always_inline)) void
exec_loop(RiscvHart *cpu, uint64_t max_insns, bool trace_exec)
{
    for (uint64_t n = 0; n < max_insns && !cpu->wfi; n++) {
        if (trace_exec) {
            exec_log_exec(cpu);
        }
        exec_one(cpu);
        if (cpu->check_irq) {
            cpu->check_irq = false;
            riscv_hart_check_interrupts(cpu);
        }
    }
}

static uint64_t exec_run(RiscvHart *cpu, uint64_t max_insns, bool exact)
{
    uint64_t start = cpu->retired;

    cpu->trace = exec_trace_mask();
    riscv_tlb_sync_map(cpu);
    cpu->map_current = cpu->as != NULL;
    cpu->check_irq = false;
    riscv_hart_check_interrupts(cpu);
    if (cpu->trace & LOG_EXEC) {
        exec_loop(cpu, max_insns, true);
    } else if (cpu->code_cache && !cpu->trace) {
        exec_loop_blocks(cpu, max_insns, exact);
    } else {
        exec_loop(cpu, max_insns, false);
    }
    cpu->map_current = false;
    return cpu->retired - start;
}

uint64_t riscv_hart_run(RiscvHart *cpu, uint64_t max_insns)
{
    return exec_run(cpu, max_insns, true);
}

uint64_t riscv_hart_run_slice(RiscvHart *cpu, uint64_t max_insns)
{
    return exec_run(cpu, max_insns, false);
}

void riscv_jit_set_enabled(bool on)
{
    exec_jit_on = on;
}

void riscv_jit_set_hot_threshold(unsigned starts)
{
    exec_jit_hot = starts ? starts : 1;
}

bool riscv_jit_enabled(void)
{
#if JIT_AVAILABLE
    return exec_jit_on && jit_map();
#else
    return false;
#endif
}
