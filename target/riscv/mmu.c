/* SPDX-License-Identifier: MIT */
/*
 * RISC-V memory access path of one hart: Sv39/Sv48/Sv57 translation with
 * hardware A/D updates, PMP, a software TLB and the guest load/store/fetch
 * entry points used by instruction handlers.
 *
 * Spec: RISC-V Privileged Architecture 1.12, §3.1.6.3 (MPRV, SUM, MXR),
 * §3.7 (PMP), §4.1.11 (satp), §4.3-4.5 (Sv39, Sv48, Sv57).
 *
 * Effective privilege: fetches use cpu->priv; loads and stores in M with
 * mstatus.MPRV=1 use mstatus.MPP.  M (effective) or satp.MODE=Bare means
 * PA = VA; PMP applies to every access (M only hits locked entries).
 *
 * Faults: page faults 12/13/15 from the walk; access faults 1/5/7 for PMP
 * denials and bus errors, including those on page-table reads and A/D
 * write-backs (those are checked as S-mode accesses).  tval is always the
 * faulting virtual address (of the faulting part of a page-crossing access).
 *
 * Misaligned loads and stores complete in hardware, like QEMU 7.2: an access
 * crossing a page is translated and checked per page before any byte moves,
 * and a fault on the second page reports that page's start as tval.  Only
 * AMOs (riscv_amo_prepare) require natural alignment; LR/SC alignment is
 * checked by their handlers.
 *
 * TLB: one direct-mapped table of 4 KiB pages per access kind (so a page
 * filled by a load never grants a store before the walk has set D).  Keys
 * carry the effective privilege plus, for loads and stores, SUM and MXR, so
 * privilege changes need no flush, and a flush epoch, so flushing is cheap;
 * riscv_tlb_flush() is needed after SFENCE.VMA, satp writes and PMP writes.  A
 * page is cached only when PMP grants the whole 4 KiB page; RAM (and ROM for
 * reads) pages keep a host pointer, validated against the memory map
 * generation.
 *
 * Deviations: a PTE that hits no RAM/device gives an access fault (QEMU: page
 * fault).  The LR reservation is per hart and compared as a virtual address:
 * a store by this hart into its 8-byte granule clears it; stores by other
 * harts do not (SC also compares the value LR read, see exec-a.c.inc).
 */
#include "target/riscv/mmu.h"

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/log.h"
#include "emu/memory.h"
#include "target/riscv/cpu.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (UINT64_C(1) << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)

/* Page table entry fields (§4.3.1, §4.4) */
#define PTE_V         (UINT64_C(1) << 0)
#define PTE_R         (UINT64_C(1) << 1)
#define PTE_W         (UINT64_C(1) << 2)
#define PTE_X         (UINT64_C(1) << 3)
#define PTE_U         (UINT64_C(1) << 4)
#define PTE_G         (UINT64_C(1) << 5)
#define PTE_A         (UINT64_C(1) << 6)
#define PTE_D         (UINT64_C(1) << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  ((UINT64_C(1) << 44) - 1)
/* 63:54 = N, PBMT, reserved: all reserved without Svnapot/Svpbmt */
#define PTE_RESERVED (UINT64_C(0x3ff) << 54)

#define SATP_MODE_SHIFT 60
#define SATP_PPN_MASK   ((UINT64_C(1) << 44) - 1)
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_MODE_SV57  10

/* pmpcfg byte fields (§3.7.1) */
#define PMP_R         0x01
#define PMP_W         0x02
#define PMP_X         0x04
#define PMP_A_SHIFT   3
#define PMP_A_OFF     0
#define PMP_A_TOR     1
#define PMP_A_NA4     2
#define PMP_A_NAPOT   3
#define PMP_L         0x80
#define PMP_ADDR_BITS UINT64_C(0x003fffffffffffff) /* pmpaddr = PA 55:2 */

/* RiscvTlbEntry.perm bits */
#define TLB_PERM_READ  0x1
#define TLB_PERM_WRITE 0x2
#define TLB_PERM_EXEC  0x4

/*
 * Bits 55:52 of a TLB key: effective privilege (2 bits), SUM, MXR; bits
 * 63:56: the flush epoch, so a flush only moves it on (entries of older
 * epochs never match) and clears the table once per 256 flushes.
 */
#define TLB_TAG_SHIFT   52
#define TLB_EPOCH_SHIFT 56
#define TLB_TAG_SUM     0x4
#define TLB_TAG_MXR     0x8

#define RESV_GRANULE 8

static int mmu_page_fault(RiscvAccess acc)
{
    switch (acc) {
    case ACCESS_FETCH:
        return EXC_INSN_PAGE_FAULT;
    case ACCESS_LOAD:
        return EXC_LOAD_PAGE_FAULT;
    case ACCESS_STORE:
        return EXC_STORE_PAGE_FAULT;
    }
    g_assert_not_reached();
}

static int mmu_access_fault(RiscvAccess acc)
{
    switch (acc) {
    case ACCESS_FETCH:
        return EXC_INSN_ACCESS;
    case ACCESS_LOAD:
        return EXC_LOAD_ACCESS;
    case ACCESS_STORE:
        return EXC_STORE_ACCESS;
    }
    g_assert_not_reached();
}

/* Privilege the access is checked at (§3.1.6.3 MPRV). */
static inline __attribute__((always_inline)) unsigned
mmu_effective_priv(const RiscvHart *cpu, RiscvAccess acc)
{
    if (acc != ACCESS_FETCH && cpu->priv == PRV_M &&
        (cpu->mstatus & MSTATUS_MPRV)) {
        return (unsigned)((cpu->mstatus & MSTATUS_MPP) >> 11);
    }
    return cpu->priv;
}

/* Page-table levels for satp.MODE, or 0 for Bare (csr.c stores no other). */
static unsigned mmu_levels(uint64_t satp)
{
    switch (satp >> SATP_MODE_SHIFT) {
    case SATP_MODE_SV39:
        return 3;
    case SATP_MODE_SV48:
        return 4;
    case SATP_MODE_SV57:
        return 5;
    default:
        return 0;
    }
}

/* ---- PMP (§3.7) ---- */

static unsigned pmp_cfg(const RiscvHart *cpu, unsigned i)
{
    return (unsigned)(cpu->pmpcfg[i / 8] >> ((i % 8) * 8)) & 0xff;
}

/*
 * Byte range [*lo, *hi] (inclusive) of entry @i; false when the entry is OFF
 * or an empty TOR range.
 */
static bool pmp_range(const RiscvHart *cpu, unsigned i, unsigned cfg,
                      uint64_t *lo, uint64_t *hi)
{
    uint64_t addr = cpu->pmpaddr[i] & PMP_ADDR_BITS;

    switch ((cfg >> PMP_A_SHIFT) & 3) {
    case PMP_A_TOR: {
        uint64_t prev = i == 0 ? 0 : cpu->pmpaddr[i - 1] & PMP_ADDR_BITS;

        if (prev >= addr) {
            return false;
        }
        *lo = prev << 2;
        *hi = (addr << 2) - 1;
        return true;
    }
    case PMP_A_NA4:
        *lo = addr << 2;
        *hi = *lo + 3;
        return true;
    case PMP_A_NAPOT: {
        uint64_t y = (addr << 2) | 3;

        *lo = y & (y + 1);
        *hi = y | (y + 1);
        return true;
    }
    default:
        return false;
    }
}

bool riscv_pmp_check(RiscvHart *cpu, uint64_t paddr, unsigned size,
                     RiscvAccess acc, unsigned priv)
{
    uint64_t last;

    g_assert(size > 0);
    last = paddr + (size - 1);
    if (last < paddr) {
        return false; /* wraps around the address space */
    }
    for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++) {
        unsigned cfg = pmp_cfg(cpu, i);
        uint64_t lo;
        uint64_t hi;

        if (!pmp_range(cpu, i, cfg, &lo, &hi) || last < lo || paddr > hi) {
            continue;
        }
        /* The lowest matching entry decides; it must cover every byte. */
        if (paddr < lo || last > hi) {
            return false;
        }
        if (priv == PRV_M && !(cfg & PMP_L)) {
            return true;
        }
        switch (acc) {
        case ACCESS_FETCH:
            return cfg & PMP_X;
        case ACCESS_LOAD:
            return cfg & PMP_R;
        case ACCESS_STORE:
            return cfg & PMP_W;
        }
    }
    /* No match: M succeeds; S/U fail since 16 entries are implemented. */
    return priv == PRV_M;
}

/* ---- page table walk (§4.3.2) ---- */

/* Reads a PTE: an 8-byte S-mode read, PMP-checked. */
static bool mmu_pte_read(RiscvHart *cpu, uint64_t addr, uint64_t *pte)
{
    if (!riscv_pmp_check(cpu, addr, 8, ACCESS_LOAD, PRV_S)) {
        return false;
    }
    return address_space_ld(cpu->as, addr, 8, pte) == MEMTX_OK;
}

/* Writes back a PTE (A/D update); only RAM can hold an updatable PTE. */
static bool mmu_pte_write(RiscvHart *cpu, uint64_t addr, uint64_t pte)
{
    const FlatRange *r = address_space_lookup(cpu->as, addr);

    if (!r || r->mr->kind != MR_RAM ||
        !riscv_pmp_check(cpu, addr, 8, ACCESS_STORE, PRV_S)) {
        return false;
    }
    return address_space_st(cpu->as, addr, 8, pte) == MEMTX_OK;
}

/* Leaf permission check (§4.3.2 step 5, MXR and SUM). */
static bool mmu_leaf_allows(const RiscvHart *cpu, uint64_t pte, RiscvAccess acc,
                            unsigned priv)
{
    bool user_page = pte & PTE_U;

    switch (acc) {
    case ACCESS_FETCH:
        /* S-mode never executes U pages, whatever SUM says. */
        return (pte & PTE_X) && (priv == PRV_U ? user_page : !user_page);
    case ACCESS_LOAD:
        if (!(pte & PTE_R) &&
            !((pte & PTE_X) && (cpu->mstatus & MSTATUS_MXR))) {
            return false;
        }
        break;
    case ACCESS_STORE:
        if (!(pte & PTE_W)) {
            return false;
        }
        break;
    }
    if (priv == PRV_U) {
        return user_page;
    }
    return !user_page || (cpu->mstatus & MSTATUS_SUM);
}

static int mmu_walk(RiscvHart *cpu, uint64_t vaddr, RiscvAccess acc,
                    uint64_t *paddr)
{
    unsigned priv = mmu_effective_priv(cpu, acc);
    unsigned levels = mmu_levels(cpu->satp);
    unsigned va_bits;
    uint64_t base;

    if (priv == PRV_M || levels == 0) {
        *paddr = vaddr;
        return 0;
    }
    /* Bits 63:va_bits must all equal bit va_bits-1. */
    va_bits = PAGE_SHIFT + 9 * levels;
    if ((uint64_t)((int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits)) !=
        vaddr) {
        return mmu_page_fault(acc);
    }
    base = (cpu->satp & SATP_PPN_MASK) << PAGE_SHIFT;
    for (int i = (int)levels - 1; i >= 0; i--) {
        unsigned shift = PAGE_SHIFT + 9 * (unsigned)i;
        uint64_t pte_addr = base + ((vaddr >> shift) & 0x1ff) * 8;
        uint64_t pte;
        uint64_t ppn;
        uint64_t want;

        if (!mmu_pte_read(cpu, pte_addr, &pte)) {
            return mmu_access_fault(acc);
        }
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte & PTE_RESERVED)) {
            return mmu_page_fault(acc);
        }
        ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
        if (!(pte & (PTE_R | PTE_X))) {
            /* Pointer to the next level: D, A and U are reserved. */
            if (pte & (PTE_D | PTE_A | PTE_U)) {
                return mmu_page_fault(acc);
            }
            base = ppn << PAGE_SHIFT;
            continue;
        }
        if (!mmu_leaf_allows(cpu, pte, acc, priv)) {
            return mmu_page_fault(acc);
        }
        /* A superpage must be aligned to its size. */
        if (ppn & ((UINT64_C(1) << (9 * (unsigned)i)) - 1)) {
            return mmu_page_fault(acc);
        }
        /*
         * Hardware A/D update.  Harts run one at a time, so the read-modify-
         * write cannot race with another hart's and needs no retry.
         */
        want = PTE_A | (acc == ACCESS_STORE ? PTE_D : 0);
        if ((pte & want) != want && !mmu_pte_write(cpu, pte_addr, pte | want)) {
            return mmu_access_fault(acc);
        }
        *paddr = (ppn << PAGE_SHIFT) | (vaddr & ((UINT64_C(1) << shift) - 1));
        return 0;
    }
    return mmu_page_fault(acc);
}

static const char *const mmu_access_name[] = {
    [ACCESS_FETCH] = "fetch",
    [ACCESS_LOAD] = "load",
    [ACCESS_STORE] = "store",
};

/*
 * -d mmu logs every page-table walk (TLB misses and code-cache fills with
 * paging on) with its result; bare and M-mode accesses walk nothing.
 */
int riscv_translate(RiscvHart *cpu, uint64_t vaddr, RiscvAccess acc,
                    uint64_t *paddr)
{
    int cause = mmu_walk(cpu, vaddr, acc, paddr);

    if ((cpu->trace & LOG_MMU) && mmu_levels(cpu->satp) != 0 &&
        mmu_effective_priv(cpu, acc) != PRV_M) {
        if (cause == 0) {
            log_mask(LOG_MMU,
                     "mmu: hart %u %s va 0x%016" PRIx64
                     " priv %u satp 0x%016" PRIx64 " -> pa 0x%016" PRIx64,
                     cpu->hartid, mmu_access_name[acc], vaddr,
                     mmu_effective_priv(cpu, acc), cpu->satp, *paddr);
        } else {
            log_mask(LOG_MMU,
                     "mmu: hart %u %s va 0x%016" PRIx64
                     " priv %u satp 0x%016" PRIx64 " -> fault cause %d",
                     cpu->hartid, mmu_access_name[acc], vaddr,
                     mmu_effective_priv(cpu, acc), cpu->satp, cause);
        }
    }
    return cause;
}

/* ---- software TLB ---- */

static const uint8_t tlb_perm_for[] = {
    [ACCESS_FETCH] = TLB_PERM_EXEC,
    [ACCESS_LOAD] = TLB_PERM_READ,
    [ACCESS_STORE] = TLB_PERM_WRITE,
};

static inline __attribute__((always_inline)) uint64_t
tlb_key(const RiscvHart *cpu, uint64_t vaddr, RiscvAccess acc)
{
    uint64_t tag = mmu_effective_priv(cpu, acc);

    if (acc != ACCESS_FETCH) {
        if (cpu->mstatus & MSTATUS_SUM) {
            tag |= TLB_TAG_SUM;
        }
        if (cpu->mstatus & MSTATUS_MXR) {
            tag |= TLB_TAG_MXR;
        }
    }
    return ((vaddr >> PAGE_SHIFT) | (tag << TLB_TAG_SHIFT) |
            ((uint64_t)cpu->tlb_epoch << TLB_EPOCH_SHIFT)) +
           1;
}

static inline RiscvTlbEntry *tlb_entry(RiscvHart *cpu, uint64_t vaddr,
                                       RiscvAccess acc)
{
    return &cpu->tlb[acc][(vaddr >> PAGE_SHIFT) % RISCV_TLB_SIZE];
}

void riscv_tlb_flush(RiscvHart *cpu)
{
    cpu->tlb_epoch = (uint8_t)(cpu->tlb_epoch + 1);
    if (cpu->tlb_epoch == 0) {
        memset(cpu->tlb, 0, sizeof(cpu->tlb));
    }
    cpu->tlb_tag_state = UINT64_MAX; /* tlb_ktag holds the old epoch */
    cpu->tlb_flushes++;
    cpu->check_irq = true; /* ends the decoded block being executed */
    if (cpu->as) {
        address_space_update(cpu->as);
        cpu->tlb_generation = cpu->as->generation;
    }
}

/*
 * Drops the TLB and the decoded code if the memory map changed since host
 * pointers were taken (a physical address may now be other memory).
 */
static void tlb_check_generation(RiscvHart *cpu)
{
    address_space_update(cpu->as);
    if (cpu->as->generation != cpu->tlb_generation) {
        riscv_tlb_flush(cpu);
        riscv_hart_flush_code(cpu);
    }
}

void riscv_tlb_drop_store_page(RiscvHart *cpu, const uint8_t *host_page)
{
    for (unsigned i = 0; i < RISCV_TLB_SIZE; i++) {
        if (cpu->tlb[ACCESS_STORE][i].host == host_page) {
            cpu->tlb[ACCESS_STORE][i].vpage = 0;
            cpu->tlb[ACCESS_STORE][i].host = NULL;
        }
    }
}

void riscv_tlb_update_tags(RiscvHart *cpu)
{
    for (unsigned acc = ACCESS_FETCH; acc <= ACCESS_STORE; acc++) {
        cpu->tlb_ktag[acc] = tlb_key(cpu, 0, (RiscvAccess)acc);
    }
    cpu->tlb_tag_state = (cpu->mstatus & (MSTATUS_MPRV | MSTATUS_MPP |
                                          MSTATUS_SUM | MSTATUS_MXR)) |
                         cpu->priv;
}

void riscv_tlb_sync_map(RiscvHart *cpu)
{
    if (cpu->as) {
        tlb_check_generation(cpu);
    }
}

/*
 * Fast paths: during riscv_hart_run the map was checked at the start and is
 * re-checked after every bus access the hart makes (map_current), so only
 * calls from outside a run (qtest, unit tests) look it up each time.
 */
static inline void tlb_check_generation_fast(RiscvHart *cpu)
{
    if (!cpu->map_current) {
        tlb_check_generation(cpu);
    }
}

/*
 * Caches the translation of the page holding @vaddr when PMP grants the
 * whole physical page (then it grants every access inside it).
 */
static void tlb_fill(RiscvHart *cpu, uint64_t vaddr, uint64_t paddr,
                     RiscvAccess acc, unsigned priv)
{
    uint64_t ppage = paddr & ~PAGE_MASK;
    RiscvTlbEntry *e = tlb_entry(cpu, vaddr, acc);
    const FlatRange *r;
    uint8_t *host = NULL;

    if (!riscv_pmp_check(cpu, ppage, PAGE_SIZE, acc, priv)) {
        return;
    }
    tlb_check_generation(cpu);
    r = address_space_lookup(cpu->as, ppage);
    /*
     * Stores into pages holding decoded code take the bus path, where the
     * memory core tells the executor (emu/memory.h "Code pages").
     */
    if (r && r->end - ppage >= PAGE_MASK &&
        (r->mr->kind == MR_RAM ||
         (r->mr->kind == MR_ROM && acc != ACCESS_STORE)) &&
        !(acc == ACCESS_STORE &&
          memory_region_is_code(r->mr, r->offset + (ppage - r->start)))) {
        host = r->mr->host + r->offset + (ppage - r->start);
    }
    e->vpage = tlb_key(cpu, vaddr, acc);
    e->ppage = ppage;
    e->perm = tlb_perm_for[acc];
    e->host = host;
}

/*
 * Translates and checks [vaddr, vaddr+len), which lies in one page.  On
 * success sets *paddr and *host (NULL unless the page is cached RAM) and
 * returns 0; else returns the exception cause.
 */
static int mmu_prepare(RiscvHart *cpu, uint64_t vaddr, unsigned len,
                       RiscvAccess acc, uint64_t *paddr, uint8_t **host)
{
    RiscvTlbEntry *e = tlb_entry(cpu, vaddr, acc);
    unsigned priv;
    int cause;

    tlb_check_generation_fast(cpu); /* first: a flush changes the key */
    if (e->vpage == tlb_key(cpu, vaddr, acc)) {
        *paddr = e->ppage | (vaddr & PAGE_MASK);
        *host = e->host ? e->host + (vaddr & PAGE_MASK) : NULL;
        return 0;
    }
    cause = riscv_translate(cpu, vaddr, acc, paddr);
    if (cause != 0) {
        return cause;
    }
    priv = mmu_effective_priv(cpu, acc);
    if (!riscv_pmp_check(cpu, *paddr, len, acc, priv)) {
        if (cpu->trace & LOG_MMU) {
            log_mask(LOG_MMU,
                     "mmu: hart %u %s va 0x%016" PRIx64 " pa 0x%016" PRIx64
                     " priv %u -> pmp denied",
                     cpu->hartid, mmu_access_name[acc], vaddr, *paddr, priv);
        }
        return mmu_access_fault(acc);
    }
    tlb_fill(cpu, vaddr, *paddr, acc, priv);
    e = tlb_entry(cpu, vaddr, acc);
    *host = e->vpage == tlb_key(cpu, vaddr, acc) && e->host
                ? e->host + (vaddr & PAGE_MASK)
                : NULL;
    return 0;
}

/* ---- guest accesses ---- */

/* Little-endian host RAM accesses of 1, 2, 4 or 8 bytes (any alignment). */
static inline uint64_t ld_le(const uint8_t *p, unsigned size)
{
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;

    switch (size) {
    case 1:
        return p[0];
    case 2:
        memcpy(&v16, p, 2);
        return GUINT16_FROM_LE(v16);
    case 4:
        memcpy(&v32, p, 4);
        return GUINT32_FROM_LE(v32);
    default:
        memcpy(&v64, p, 8);
        return GUINT64_FROM_LE(v64);
    }
}

static inline void st_le(uint8_t *p, unsigned size, uint64_t v)
{
    uint16_t v16 = GUINT16_TO_LE((uint16_t)v);
    uint32_t v32 = GUINT32_TO_LE((uint32_t)v);
    uint64_t v64 = GUINT64_TO_LE(v);

    switch (size) {
    case 1:
        p[0] = (uint8_t)v;
        break;
    case 2:
        memcpy(p, &v16, 2);
        break;
    case 4:
        memcpy(p, &v32, 4);
        break;
    default:
        memcpy(p, &v64, 8);
        break;
    }
}

/* A bus transaction issued by the hart (register coverage counts it). */
static MemTxResult mmu_bus(RiscvHart *cpu, uint64_t paddr, unsigned size,
                           RiscvAccess acc, uint64_t *val)
{
    MemOrigin saved = memory_get_origin();
    MemTxResult res;

    memory_set_origin(MEM_ORIGIN_HART);
    if (acc == ACCESS_STORE) {
        res = address_space_st(cpu->as, paddr, size, *val);
    } else {
        res = address_space_ld(cpu->as, paddr, size, val);
    }
    memory_set_origin(saved);
    if (acc == ACCESS_STORE) {
        cpu->check_irq = true; /* a device may have raised an interrupt */
    }
    if (cpu->map_current) {
        tlb_check_generation(cpu); /* a device may have changed the map */
    }
    return res;
}

/* Moves @size bytes within one page; returns false after raising. */
static bool mmu_access_page(RiscvHart *cpu, uint64_t vaddr, unsigned size,
                            RiscvAccess acc, uint64_t *val)
{
    uint64_t paddr;
    uint8_t *host;
    int cause = mmu_prepare(cpu, vaddr, size, acc, &paddr, &host);

    if (cause != 0) {
        riscv_raise_exception(cpu, (unsigned)cause, vaddr);
        return false;
    }
    if (host) {
        if (acc == ACCESS_STORE) {
            st_le(host, size, *val);
        } else {
            *val = ld_le(host, size);
        }
        return true;
    }
    if (mmu_bus(cpu, paddr, size, acc, val) != MEMTX_OK) {
        riscv_raise_exception(cpu, (unsigned)mmu_access_fault(acc), vaddr);
        return false;
    }
    return true;
}

/*
 * A misaligned access crossing into the next page: both pages are
 * translated and checked before any byte moves, then the bytes move one at
 * a time (misaligned accesses need not be atomic).
 */
static bool mmu_access_split(RiscvHart *cpu, uint64_t vaddr, unsigned size,
                             RiscvAccess acc, uint64_t *val)
{
    unsigned first = (unsigned)(PAGE_SIZE - (vaddr & PAGE_MASK));
    uint64_t part_va[2] = {vaddr, vaddr + first};
    unsigned part_len[2] = {first, size - first};
    uint64_t part_pa[2];
    uint8_t *part_host[2];
    uint64_t result = 0;

    for (unsigned p = 0; p < 2; p++) {
        int cause = mmu_prepare(cpu, part_va[p], part_len[p], acc, &part_pa[p],
                                &part_host[p]);

        if (cause != 0) {
            riscv_raise_exception(cpu, (unsigned)cause, part_va[p]);
            return false;
        }
    }
    for (unsigned i = 0; i < size; i++) {
        unsigned p = i < first ? 0 : 1;
        unsigned off = p == 0 ? i : i - first;
        uint64_t byte = (*val >> (i * 8)) & 0xff;

        if (part_host[p]) {
            if (acc == ACCESS_STORE) {
                part_host[p][off] = (uint8_t)byte;
            } else {
                byte = part_host[p][off];
            }
        } else if (mmu_bus(cpu, part_pa[p] + off, 1, acc, &byte) != MEMTX_OK) {
            riscv_raise_exception(cpu, (unsigned)mmu_access_fault(acc),
                                  part_va[p]);
            return false;
        }
        result |= byte << (i * 8);
    }
    if (acc != ACCESS_STORE) {
        *val = result;
    }
    return true;
}

static bool mmu_access(RiscvHart *cpu, uint64_t vaddr, unsigned size,
                       RiscvAccess acc, uint64_t *val)
{
    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    if ((vaddr & PAGE_MASK) + size <= PAGE_SIZE) {
        return mmu_access_page(cpu, vaddr, size, acc, val);
    }
    return mmu_access_split(cpu, vaddr, size, acc, val);
}

/* A store by this hart into its own reservation granule breaks it. */
static void mmu_store_hits_reservation(RiscvHart *cpu, uint64_t vaddr,
                                       unsigned size)
{
    uint64_t granule = cpu->resv_addr & ~(uint64_t)(RESV_GRANULE - 1);

    if (cpu->resv_valid && vaddr < granule + RESV_GRANULE &&
        granule < vaddr + size) {
        cpu->resv_valid = false;
    }
}

bool riscv_load(RiscvHart *cpu, uint64_t vaddr, unsigned size, uint64_t *val)
{
    RiscvTlbEntry *e = tlb_entry(cpu, vaddr, ACCESS_LOAD);

    /* Fast path: map unchanged (first: a flush changes the key), cached
     * RAM page, access inside it. */
    tlb_check_generation_fast(cpu);
    if (e->host && e->vpage == tlb_key(cpu, vaddr, ACCESS_LOAD) &&
        (vaddr & PAGE_MASK) + size <= PAGE_SIZE) {
        *val = ld_le(e->host + (vaddr & PAGE_MASK), size);
        return true;
    }
    *val = 0;
    return mmu_access(cpu, vaddr, size, ACCESS_LOAD, val);
}

bool riscv_store(RiscvHart *cpu, uint64_t vaddr, unsigned size, uint64_t val)
{
    RiscvTlbEntry *e = tlb_entry(cpu, vaddr, ACCESS_STORE);

    /* pages holding decoded code have no host pointer here (tlb_fill) */
    tlb_check_generation_fast(cpu);
    if (e->host && e->vpage == tlb_key(cpu, vaddr, ACCESS_STORE) &&
        (vaddr & PAGE_MASK) + size <= PAGE_SIZE) {
        st_le(e->host + (vaddr & PAGE_MASK), size, val);
        mmu_store_hits_reservation(cpu, vaddr, size);
        return true;
    }
    if (!mmu_access(cpu, vaddr, size, ACCESS_STORE, &val)) {
        return false;
    }
    mmu_store_hits_reservation(cpu, vaddr, size);
    return true;
}

const uint8_t *riscv_fetch_page(RiscvHart *cpu, uint64_t pc, uint64_t *paddr)
{
    RiscvTlbEntry *e = tlb_entry(cpu, pc, ACCESS_FETCH);
    uint64_t pa;

    if (!cpu->as || (pc & 1)) {
        return NULL;
    }
    tlb_check_generation_fast(cpu);
    if (e->vpage != tlb_key(cpu, pc, ACCESS_FETCH)) {
        if (riscv_translate(cpu, pc, ACCESS_FETCH, &pa) != 0) {
            return NULL;
        }
        tlb_fill(cpu, pc, pa, ACCESS_FETCH, cpu->priv);
        if (e->vpage != tlb_key(cpu, pc, ACCESS_FETCH)) {
            return NULL; /* PMP does not grant the whole page */
        }
    }
    if (!e->host) {
        return NULL;
    }
    *paddr = e->ppage | (pc & PAGE_MASK);
    return e->host + (pc & PAGE_MASK);
}

bool riscv_fetch16(RiscvHart *cpu, uint64_t vaddr, uint16_t *parcel)
{
    RiscvTlbEntry *e = tlb_entry(cpu, vaddr, ACCESS_FETCH);
    uint64_t val = 0;

    if (vaddr & 1) {
        riscv_raise_exception(cpu, EXC_INSN_MISALIGNED, vaddr);
        return false;
    }
    tlb_check_generation_fast(cpu);
    if (e->host && e->vpage == tlb_key(cpu, vaddr, ACCESS_FETCH)) {
        *parcel = (uint16_t)ld_le(e->host + (vaddr & PAGE_MASK), 2);
        return true;
    }
    if (!mmu_access(cpu, vaddr, 2, ACCESS_FETCH, &val)) {
        return false;
    }
    *parcel = (uint16_t)val;
    return true;
}

/* ---- AMOs ---- */

bool riscv_amo_prepare(RiscvHart *cpu, uint64_t vaddr, unsigned size,
                       uint64_t *paddr)
{
    unsigned priv = mmu_effective_priv(cpu, ACCESS_STORE);
    int cause;

    if (vaddr & (size - 1)) {
        riscv_raise_exception(cpu, EXC_STORE_MISALIGNED, vaddr);
        return false;
    }
    /* W=1 implies R=1 in a valid leaf PTE, so a store walk suffices. */
    cause = riscv_translate(cpu, vaddr, ACCESS_STORE, paddr);
    if (cause == 0 &&
        (!riscv_pmp_check(cpu, *paddr, size, ACCESS_LOAD, priv) ||
         !riscv_pmp_check(cpu, *paddr, size, ACCESS_STORE, priv))) {
        cause = EXC_STORE_ACCESS;
    }
    if (cause != 0) {
        riscv_raise_exception(cpu, (unsigned)cause, vaddr);
        return false;
    }
    return true;
}

bool riscv_amo(RiscvHart *cpu, uint64_t vaddr, unsigned size, RiscvAmoFn fn,
               uint64_t src, uint64_t *old)
{
    uint64_t paddr;
    uint64_t val;

    g_assert(size == 4 || size == 8);
    if (!riscv_amo_prepare(cpu, vaddr, size, &paddr)) {
        return false;
    }
    if (mmu_bus(cpu, paddr, size, ACCESS_LOAD, &val) != MEMTX_OK) {
        riscv_raise_exception(cpu, EXC_STORE_ACCESS, vaddr);
        return false;
    }
    *old = val;
    val = fn(val, src);
    if (mmu_bus(cpu, paddr, size, ACCESS_STORE, &val) != MEMTX_OK) {
        riscv_raise_exception(cpu, EXC_STORE_ACCESS, vaddr);
        return false;
    }
    mmu_store_hits_reservation(cpu, vaddr, size);
    return true;
}
