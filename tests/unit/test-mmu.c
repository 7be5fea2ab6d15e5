/* SPDX-License-Identifier: MIT */
/*
 * RISC-V MMU: Sv39/Sv48/Sv57 walks built by hand in RAM, PTE validity and
 * permission rules, A/D updates, MPRV, PMP matching, misaligned accesses,
 * bus errors and the software TLB.  Privileged spec 1.12 §3.7, §4.3-4.5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/memory.h"
#include "target/riscv/cpu.h"
#include "target/riscv/mmu.h"

#define RAM_BASE UINT64_C(0x80000000)
#define RAM_SIZE (UINT64_C(4) << 20)
#define ROM_BASE UINT64_C(0x1000)
#define ROM_SIZE 0x1000
#define IO_BASE  UINT64_C(0x10000000)
#define IO_SIZE  0x100
#define TABLES   (RAM_BASE + 0x100000) /* page tables are bumped from here */
#define DATA     (RAM_BASE + 0x200000) /* 2 MiB-aligned data area */
#define UNMAPPED UINT64_C(0x40000000)

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80

#define RWX_AD (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define SATP_SV39 (UINT64_C(8) << 60)
#define SATP_SV48 (UINT64_C(9) << 60)
#define SATP_SV57 (UINT64_C(10) << 60)

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

typedef struct Fixture {
    RiscvHart *cpu;
    MemoryRegion *ram;
    MemoryRegion *rom;
    MemoryRegion *io;
    uint8_t *host;
    uint64_t next_table;
    uint64_t root;
    unsigned levels;
    MemOrigin io_origin; /* origin seen by the last MMIO access */
} Fixture;

/*
 * Trap entry belongs to trap.c; when this test links without it, this
 * stand-in records the trap the way M-mode trap entry would.
 */
__attribute__((weak)) void riscv_raise_exception(RiscvHart *cpu, unsigned cause,
                                                 uint64_t tval)
{
    cpu->mcause = cause;
    cpu->mtval = tval;
    cpu->trapped = true;
}

/* MMIO that accepts only 4-byte accesses; each word reads 0x12345678. */
static MemTxResult io_read(void *opaque, hwaddr off, unsigned size,
                           uint64_t *val)
{
    Fixture *f = opaque;

    f->io_origin = memory_get_origin();
    *val = 0x12345678;
    return MEMTX_OK;
}

static MemTxResult io_write(void *opaque, hwaddr off, unsigned size,
                            uint64_t val)
{
    Fixture *f = opaque;

    f->io_origin = memory_get_origin();
    return MEMTX_OK;
}

static const MemoryRegionOps io_ops = {
    .read = io_read,
    .write = io_write,
    .min_access = 4,
    .max_access = 4,
};

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);

    memory_reset_for_test();
    f->ram = memory_region_new_ram(NULL, "ram", RAM_SIZE, NULL);
    f->rom = memory_region_new_rom(NULL, "rom", ROM_SIZE, NULL);
    f->io = memory_region_new_io(NULL, "io", IO_SIZE, &io_ops, f);
    assert_non_null(f->ram);
    assert_non_null(f->rom);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, f->ram, 0);
    memory_region_add_subregion(memory_system_root(), ROM_BASE, f->rom, 0);
    memory_region_add_subregion(memory_system_root(), IO_BASE, f->io, 0);
    f->host = memory_region_get_host(f->ram);
    f->next_table = TABLES;

    f->cpu = g_new0(RiscvHart, 1);
    f->cpu->as = address_space_system();
    f->cpu->priv = PRV_M;
    riscv_tlb_flush(f->cpu);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    memory_reset_for_test();
    memory_region_free(f->ram);
    memory_region_free(f->rom);
    memory_region_free(f->io);
    g_free(f->cpu);
    g_free(f);
    return 0;
}

/* ---- guest memory and page-table helpers ---- */

static uint8_t *ram_ptr(Fixture *f, uint64_t pa)
{
    assert_true(pa >= RAM_BASE && pa + 8 <= RAM_BASE + RAM_SIZE);
    return f->host + (pa - RAM_BASE);
}

static uint64_t rd64(Fixture *f, uint64_t pa)
{
    uint64_t v = 0;
    uint8_t *p = ram_ptr(f, pa);

    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void wr64(Fixture *f, uint64_t pa, uint64_t v)
{
    uint8_t *p = ram_ptr(f, pa);

    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t alloc_table(Fixture *f)
{
    uint64_t t = f->next_table;

    f->next_table += 0x1000;
    assert_true(f->next_table <= DATA);
    return t;
}

static void pmp_set(RiscvHart *cpu, unsigned i, unsigned cfg, uint64_t addr)
{
    uint64_t *reg = &cpu->pmpcfg[i / 8];
    unsigned sh = (i % 8) * 8;

    *reg = (*reg & ~(UINT64_C(0xff) << sh)) | ((uint64_t)cfg << sh);
    cpu->pmpaddr[i] = addr;
    riscv_tlb_flush(cpu);
}

/* Starts a fresh table tree and points satp (mode @satp_mode) at it. */
static void paging_on(Fixture *f, uint64_t satp_mode, unsigned levels)
{
    f->levels = levels;
    f->root = alloc_table(f);
    f->cpu->satp = satp_mode | (f->root >> 12);
    /* Like OpenSBI: the last entry opens all memory below M. */
    pmp_set(f->cpu, 15, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
}

/*
 * Maps @va as a leaf at @leaf_level (0 = 4 KiB) with raw @flags (V not
 * implied) and PPN from @pa; returns the PTE's physical address.
 */
static uint64_t map_raw(Fixture *f, uint64_t va, uint64_t pa, unsigned leaf,
                        uint64_t flags)
{
    uint64_t table = f->root;

    for (int lvl = (int)f->levels - 1; lvl >= 0; lvl--) {
        uint64_t slot = table + ((va >> (12 + 9 * lvl)) & 0x1ff) * 8;
        uint64_t pte = rd64(f, slot);

        if (lvl == (int)leaf) {
            wr64(f, slot, ((pa >> 12) << 10) | flags);
            return slot;
        }
        if (!(pte & PTE_V)) {
            uint64_t next = alloc_table(f);

            pte = ((next >> 12) << 10) | PTE_V;
            wr64(f, slot, pte);
        }
        table = ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
    }
    fail();
    return 0;
}

static uint64_t map(Fixture *f, uint64_t va, uint64_t pa, unsigned leaf,
                    uint64_t flags)
{
    return map_raw(f, va, pa, leaf, flags | PTE_V);
}

/* Physical address of the level-@lvl PTE slot of @va (tables must exist). */
static uint64_t slot_at(Fixture *f, uint64_t va, unsigned lvl)
{
    uint64_t table = f->root;

    for (unsigned l = f->levels - 1; l > lvl; l--) {
        uint64_t pte = rd64(f, table + ((va >> (12 + 9 * l)) & 0x1ff) * 8);

        table = ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
    }
    return table + ((va >> (12 + 9 * lvl)) & 0x1ff) * 8;
}

/* pmpaddr value of a NAPOT region of @size bytes at @base. */
static uint64_t napot(uint64_t base, uint64_t size)
{
    return (base | (size / 2 - 1)) >> 2;
}

/* Asserts that the last access trapped with @cause/@tval; restores state. */
static void expect_trap(RiscvHart *cpu, unsigned priv, uint64_t mstatus,
                        unsigned cause, uint64_t tval)
{
    assert_true(cpu->trapped);
    assert_int_equal(cpu->mcause, cause);
    assert_int_equal(cpu->mtval, tval);
    cpu->trapped = false;
    cpu->priv = (uint8_t)priv;
    cpu->mstatus = mstatus;
}

static int xlate(RiscvHart *cpu, uint64_t va, RiscvAccess acc, uint64_t *pa)
{
    *pa = UINT64_C(0xdeadbeef);
    return riscv_translate(cpu, va, acc, pa);
}

/* ---- translation ---- */

static void test_mmu_bare_and_m_mode_identity(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    /* M-mode ignores satp (§3.1.6.3); S with satp.MODE=Bare too. */
    paging_on(f, SATP_SV39, 3);
    cpu->priv = PRV_M;
    assert_int_equal(xlate(cpu, 0x80001234, ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, 0x80001234);
    cpu->satp = 0;
    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x12345678abc, ACCESS_STORE, &pa), 0);
    assert_int_equal(pa, 0x12345678abc);
}

static void test_mmu_sv39_4k_and_superpages(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;
    uint64_t v;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x12345000, DATA + 0x7000, 0, RWX_AD);
    map(f, 0x40200000, DATA, 1, RWX_AD);     /* 2 MiB */
    map(f, 0x80000000, RAM_BASE, 2, RWX_AD); /* 1 GiB */
    cpu->priv = PRV_S;

    assert_int_equal(xlate(cpu, 0x12345abc, ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, DATA + 0x7abc);
    assert_int_equal(xlate(cpu, 0x402fedcb, ACCESS_FETCH, &pa), 0);
    assert_int_equal(pa, DATA + 0xfedcb);
    assert_int_equal(xlate(cpu, 0xbfffff08, ACCESS_STORE, &pa), 0);
    assert_int_equal(pa, RAM_BASE + 0x3fffff08);

    /* Data moves through the mapping. */
    wr64(f, DATA + 0x7ab8, UINT64_C(0x1122334455667788));
    assert_true(riscv_load(cpu, 0x12345ab8, 8, &v));
    assert_int_equal(v, UINT64_C(0x1122334455667788));
    assert_true(riscv_store(cpu, 0x12345ab8, 4, 0xcafef00d));
    assert_int_equal(rd64(f, DATA + 0x7ab8), UINT64_C(0x11223344cafef00d));
    assert_true(riscv_load(cpu, 0x40207ab8, 2, &v)); /* same PA via 2 MiB */
    assert_int_equal(v, 0xf00d);
    assert_false(cpu->trapped);

    /* Not canonical: bits 63:39 must equal bit 38. */
    assert_int_equal(xlate(cpu, UINT64_C(0x4000000000), ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_int_equal(
        xlate(cpu, UINT64_C(0xffffffc000000000), ACCESS_FETCH, &pa),
        EXC_INSN_PAGE_FAULT); /* canonical but unmapped */
    /* Nothing mapped at VA 0. */
    assert_int_equal(xlate(cpu, 0, ACCESS_STORE, &pa), EXC_STORE_PAGE_FAULT);
}

static void test_mmu_sv48_sv57(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    cpu->priv = PRV_S;
    paging_on(f, SATP_SV48, 4);
    map(f, UINT64_C(0x7f0012345000), DATA + 0x3000, 0, RWX_AD);
    map(f, UINT64_C(0x008000000000), 0, 3, RWX_AD); /* 512 GiB at PA 0 */
    assert_int_equal(xlate(cpu, UINT64_C(0x7f0012345678), ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, DATA + 0x3678);
    assert_int_equal(xlate(cpu, UINT64_C(0x00c087654321), ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, UINT64_C(0x4087654321));
    /* Canonical for Sv39 only matters up to bit 47 here. */
    assert_int_equal(xlate(cpu, UINT64_C(0x800000000000), ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);

    paging_on(f, SATP_SV57, 5);
    map(f, UINT64_C(0x00fff00012345000), DATA + 0x4000, 0, RWX_AD);
    map(f, UINT64_C(0x0001000000000000), 0, 4, RWX_AD); /* 256 TiB */
    assert_int_equal(
        xlate(cpu, UINT64_C(0x00fff00012345abc), ACCESS_STORE, &pa), 0);
    assert_int_equal(pa, DATA + 0x4abc);
    assert_int_equal(
        xlate(cpu, UINT64_C(0x0001123456789abc), ACCESS_FETCH, &pa), 0);
    assert_int_equal(pa, UINT64_C(0x123456789abc));
    assert_int_equal(xlate(cpu, UINT64_C(0x0100000000000000), ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_int_equal(xlate(cpu, UINT64_C(0xff00000000000000), ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT); /* canonical, nothing mapped */
}

static void test_mmu_misaligned_superpage_faults(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x40200000, DATA + 0x1000, 1, RWX_AD);       /* PPN[0] != 0 */
    map(f, 0x80000000, RAM_BASE + 0x200000, 2, RWX_AD); /* PPN[1] != 0 */
    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x40200000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x40200000, ACCESS_FETCH, &pa),
                     EXC_INSN_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x80000000, ACCESS_STORE, &pa),
                     EXC_STORE_PAGE_FAULT);
}

static void test_mmu_invalid_and_reserved_ptes(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;
    uint64_t slot;

    paging_on(f, SATP_SV39, 3);
    slot = map(f, 0x10000000, DATA, 0, RWX_AD);
    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);

    /* V=0 */
    wr64(f, slot, rd64(f, slot) & ~(uint64_t)PTE_V);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    /* Bits 63:54 (N, PBMT, reserved) must be zero. */
    for (unsigned bit = 54; bit < 64; bit++) {
        map(f, 0x10000000, DATA, 0, RWX_AD | (UINT64_C(1) << bit));
        assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                         EXC_LOAD_PAGE_FAULT);
    }
    /* RSW (9:8) is free for software. */
    map(f, 0x10000000, DATA, 0, RWX_AD | 0x300);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
    /* W without R is reserved, for every access type. */
    map(f, 0x10000000, DATA, 0, PTE_W | PTE_X | PTE_A | PTE_D);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa),
                     EXC_STORE_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa),
                     EXC_INSN_PAGE_FAULT);
    /* A pointer at level 0 runs out of levels. */
    map(f, 0x10000000, DATA, 0, 0);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    /* Non-leaf PTEs with A, D or U set fault. */
    map(f, 0x10000000, DATA, 0, RWX_AD);
    slot = slot_at(f, 0x10000000, 2);
    wr64(f, slot, rd64(f, slot) | PTE_A);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    wr64(f, slot, (rd64(f, slot) & ~(uint64_t)PTE_A) | PTE_U);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    wr64(f, slot, rd64(f, slot) & ~(uint64_t)PTE_U);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
}

static void test_mmu_user_pages_and_sum(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, RWX_AD | PTE_U);
    map(f, 0x10001000, DATA, 0, RWX_AD);

    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa),
                     EXC_STORE_PAGE_FAULT);
    cpu->mstatus |= MSTATUS_SUM;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa), 0);
    /* S never executes U pages, SUM or not. */
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa),
                     EXC_INSN_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x10001000, ACCESS_FETCH, &pa), 0);

    cpu->priv = PRV_U;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa), 0);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa), 0);
    assert_int_equal(xlate(cpu, 0x10001000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_int_equal(xlate(cpu, 0x10001000, ACCESS_FETCH, &pa),
                     EXC_INSN_PAGE_FAULT);
}

static void test_mmu_mxr_makes_execute_only_readable(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, PTE_X | PTE_A | PTE_D);
    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa), 0);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    cpu->mstatus |= MSTATUS_MXR;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa),
                     EXC_STORE_PAGE_FAULT);
}

static void test_mmu_updates_accessed_and_dirty(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint8_t *rom = memory_region_get_host(f->rom);
    unsigned idx = (0x10002000 >> 12) & 0x1ff;
    uint64_t leaf = ((DATA >> 12) << 10) | PTE_V | PTE_R | PTE_W;
    uint64_t pa;
    uint64_t v;
    uint64_t a;

    paging_on(f, SATP_SV39, 3);
    a = map(f, 0x10000000, DATA, 0, PTE_R | PTE_W | PTE_X);
    cpu->priv = PRV_S;

    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa), 0);
    assert_int_equal(rd64(f, a) & (PTE_A | PTE_D), PTE_A);
    wr64(f, a, rd64(f, a) & ~(uint64_t)PTE_A);
    assert_true(riscv_load(cpu, 0x10000010, 8, &v));
    assert_int_equal(rd64(f, a) & (PTE_A | PTE_D), PTE_A);
    /* The load filled the TLB; a store must still walk and set D. */
    assert_true(riscv_store(cpu, 0x10000010, 8, 7));
    assert_int_equal(rd64(f, a) & (PTE_A | PTE_D), PTE_A | PTE_D);
    assert_int_equal(rd64(f, a) >> 10, DATA >> 12); /* PPN kept */

    /*
     * A PTE in ROM cannot be updated: access fault of the access type.
     * Point the level-1 slot of 0x10000000 at a level-0 table in ROM.
     */
    for (unsigned i = 0; i < 8; i++) {
        rom[idx * 8 + i] = (uint8_t)(leaf >> (8 * i));
    }
    wr64(f, slot_at(f, 0x10000000, 1), ((ROM_BASE >> 12) << 10) | PTE_V);
    riscv_tlb_flush(cpu);
    assert_int_equal(xlate(cpu, 0x10002000, ACCESS_LOAD, &pa), EXC_LOAD_ACCESS);
    assert_int_equal(xlate(cpu, 0x10002000, ACCESS_STORE, &pa),
                     EXC_STORE_ACCESS);
    /* With A and D already set nothing is written: it translates. */
    leaf |= PTE_A | PTE_D;
    for (unsigned i = 0; i < 8; i++) {
        rom[idx * 8 + i] = (uint8_t)(leaf >> (8 * i));
    }
    assert_int_equal(xlate(cpu, 0x10002000, ACCESS_STORE, &pa), 0);
    assert_int_equal(pa, DATA);
}

static void test_mmu_pte_outside_memory_is_access_fault(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    cpu->priv = PRV_S;
    cpu->satp = SATP_SV39 | (UNMAPPED >> 12);
    assert_int_equal(xlate(cpu, 0x1000, ACCESS_LOAD, &pa), EXC_LOAD_ACCESS);
    assert_int_equal(xlate(cpu, 0x1000, ACCESS_STORE, &pa), EXC_STORE_ACCESS);
    assert_int_equal(xlate(cpu, 0x1000, ACCESS_FETCH, &pa), EXC_INSN_ACCESS);

    /* Through riscv_load: cause 5, tval = the virtual address. */
    assert_false(riscv_load(cpu, 0x1008, 4, &pa));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_ACCESS, 0x1008);
}

static void test_mmu_pte_reads_are_pmp_checked_as_s(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, RWX_AD);
    /* Only the data page is accessible below M. */
    pmp_set(cpu, 15, 0, 0);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, napot(DATA, 0x1000));
    cpu->priv = PRV_S;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa),
                     EXC_STORE_ACCESS);
    /* Even for an M-mode access through MPRV. */
    cpu->priv = PRV_M;
    cpu->mstatus = MSTATUS_MPRV | ((uint64_t)PRV_S << 11);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), EXC_LOAD_ACCESS);
    /* Open the page tables (read only suffices: A/D already set). */
    pmp_set(cpu, 1, PMP_NAPOT | PMP_R, napot(TABLES, 0x100000));
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, DATA);
}

static void test_mmu_mprv_uses_mpp_for_data_only(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t pa;
    uint64_t v;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, RWX_AD | PTE_U);
    wr64(f, DATA, 0xabcdef);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));

    cpu->priv = PRV_M;
    cpu->mstatus = MSTATUS_MPRV | ((uint64_t)PRV_U << 11);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa), 0);
    assert_int_equal(pa, DATA);
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_int_equal(v, 0xabcdef);
    /* Fetches ignore MPRV: M fetches are untranslated. */
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_FETCH, &pa), 0);
    assert_int_equal(pa, 0x10000000);
    /* MPP = S: the U page needs SUM. */
    cpu->mstatus = MSTATUS_MPRV | ((uint64_t)PRV_S << 11);
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_LOAD, &pa),
                     EXC_LOAD_PAGE_FAULT);
    assert_false(riscv_load(cpu, 0x10000000, 8, &v));
    expect_trap(cpu, PRV_M, MSTATUS_MPRV | ((uint64_t)PRV_S << 11),
                EXC_LOAD_PAGE_FAULT, 0x10000000);
    cpu->mstatus |= MSTATUS_SUM;
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    /* MPP = M: no translation. */
    cpu->mstatus = MSTATUS_MPRV | MSTATUS_MPP;
    assert_int_equal(xlate(cpu, 0x10000000, ACCESS_STORE, &pa), 0);
    assert_int_equal(pa, 0x10000000);
}

/* ---- PMP ---- */

static void test_pmp_default_deny_below_m(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* All entries OFF: M allowed, S/U denied (16 entries implemented). */
    assert_true(riscv_pmp_check(cpu, DATA, 8, ACCESS_LOAD, PRV_M));
    assert_false(riscv_pmp_check(cpu, DATA, 8, ACCESS_LOAD, PRV_S));
    assert_false(riscv_pmp_check(cpu, DATA, 4, ACCESS_FETCH, PRV_U));

    /* One non-matching entry changes nothing. */
    pmp_set(cpu, 3, PMP_NA4 | PMP_R, 0x1000 >> 2);
    assert_false(riscv_pmp_check(cpu, DATA, 8, ACCESS_LOAD, PRV_S));
    assert_true(riscv_pmp_check(cpu, DATA, 8, ACCESS_STORE, PRV_M));
}

static void test_pmp_match_modes(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* TOR entry 0: [0, 0x1000) */
    pmp_set(cpu, 0, PMP_TOR | PMP_R, 0x1000 >> 2);
    assert_true(riscv_pmp_check(cpu, 0, 8, ACCESS_LOAD, PRV_S));
    assert_true(riscv_pmp_check(cpu, 0xffc, 4, ACCESS_LOAD, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x1000, 4, ACCESS_LOAD, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x100, 4, ACCESS_STORE, PRV_S));

    /* TOR entry 2 from pmpaddr1: [0x2000, 0x3000) */
    pmp_set(cpu, 1, 0, 0x2000 >> 2);
    pmp_set(cpu, 2, PMP_TOR | PMP_R | PMP_W, 0x3000 >> 2);
    assert_false(riscv_pmp_check(cpu, 0x1ffc, 4, ACCESS_LOAD, PRV_S));
    assert_true(riscv_pmp_check(cpu, 0x2000, 4, ACCESS_STORE, PRV_S));
    assert_true(riscv_pmp_check(cpu, 0x2ff8, 8, ACCESS_LOAD, PRV_U));
    assert_false(riscv_pmp_check(cpu, 0x2000, 4, ACCESS_FETCH, PRV_S));
    /* Empty TOR (lower >= upper) matches nothing. */
    pmp_set(cpu, 2, PMP_TOR | PMP_R | PMP_W, 0x2000 >> 2);
    assert_false(riscv_pmp_check(cpu, 0x2000, 4, ACCESS_LOAD, PRV_S));

    /* NA4: exactly 4 bytes. */
    pmp_set(cpu, 4, PMP_NA4 | PMP_X, 0x5004 >> 2);
    assert_true(riscv_pmp_check(cpu, 0x5004, 4, ACCESS_FETCH, PRV_S));
    assert_true(riscv_pmp_check(cpu, 0x5006, 2, ACCESS_FETCH, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x5000, 4, ACCESS_FETCH, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x5008, 2, ACCESS_FETCH, PRV_S));

    /* NAPOT: 8 bytes for pmpaddr ending in 0, 64 KiB, and everything. */
    pmp_set(cpu, 5, PMP_NAPOT | PMP_R, 0x6000 >> 2);
    assert_true(riscv_pmp_check(cpu, 0x6000, 8, ACCESS_LOAD, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x6008, 4, ACCESS_LOAD, PRV_S));
    pmp_set(cpu, 6, PMP_NAPOT | PMP_W | PMP_R, napot(0x2000000, 0x10000));
    assert_int_equal(cpu->pmpaddr[6], 0x801fff); /* OpenSBI's CLINT entry */
    assert_true(riscv_pmp_check(cpu, 0x200fff8, 8, ACCESS_STORE, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x2010000, 8, ACCESS_STORE, PRV_S));
    pmp_set(cpu, 15, PMP_NAPOT | PMP_X, ~UINT64_C(0));
    assert_true(
        riscv_pmp_check(cpu, UINT64_C(0xfffffffffff0), 4, ACCESS_FETCH, PRV_U));
    assert_true(riscv_pmp_check(cpu, DATA, 4, ACCESS_FETCH, PRV_S));
    assert_false(riscv_pmp_check(cpu, DATA, 4, ACCESS_LOAD, PRV_S));
}

static void test_pmp_priority_and_partial_match(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* Entry 0: NA4 at 0x1004, no permission; entry 1: 4 KiB RW. */
    pmp_set(cpu, 0, PMP_NA4, 0x1004 >> 2);
    pmp_set(cpu, 1, PMP_NAPOT | PMP_R | PMP_W, napot(0x1000, 0x1000));
    assert_true(riscv_pmp_check(cpu, 0x1000, 4, ACCESS_LOAD, PRV_S));
    /* Lowest matching entry decides, even though entry 1 allows. */
    assert_false(riscv_pmp_check(cpu, 0x1004, 4, ACCESS_LOAD, PRV_S));
    /* An access straddling entry 0 matches it partially: fails even in M. */
    assert_false(riscv_pmp_check(cpu, 0x1000, 8, ACCESS_LOAD, PRV_S));
    assert_false(riscv_pmp_check(cpu, 0x1000, 8, ACCESS_LOAD, PRV_M));
    assert_false(riscv_pmp_check(cpu, 0x1006, 4, ACCESS_LOAD, PRV_M));
    /* Fully inside entry 0 with L=0: M is unaffected by R/W/X. */
    assert_true(riscv_pmp_check(cpu, 0x1004, 4, ACCESS_STORE, PRV_M));
    /* Straddling the end of entry 1. */
    assert_false(riscv_pmp_check(cpu, 0x1ffc, 8, ACCESS_LOAD, PRV_S));
}

static void test_pmp_lock_applies_to_m(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;

    pmp_set(cpu, 2, PMP_NAPOT | PMP_L | PMP_R, napot(DATA, 0x1000));
    assert_true(riscv_pmp_check(cpu, DATA, 8, ACCESS_LOAD, PRV_M));
    assert_false(riscv_pmp_check(cpu, DATA, 8, ACCESS_STORE, PRV_M));
    assert_false(riscv_pmp_check(cpu, DATA, 2, ACCESS_FETCH, PRV_M));
    assert_true(riscv_pmp_check(cpu, DATA + 0x1000, 8, ACCESS_STORE, PRV_M));

    /* Through the access path: store access fault with tval = address. */
    cpu->priv = PRV_M;
    assert_true(riscv_load(cpu, DATA + 8, 8, &v));
    assert_false(riscv_store(cpu, DATA + 8, 8, 1));
    expect_trap(cpu, PRV_M, 0, EXC_STORE_ACCESS, DATA + 8);
    assert_false(riscv_fetch16(cpu, DATA + 2, (uint16_t *)&v));
    expect_trap(cpu, PRV_M, 0, EXC_INSN_ACCESS, DATA + 2);
}

/* ---- the access path ---- */

static void test_mmu_misaligned_accesses_complete(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;

    cpu->priv = PRV_M;
    wr64(f, DATA, UINT64_C(0x0706050403020100));
    wr64(f, DATA + 8, UINT64_C(0x0f0e0d0c0b0a0908));
    assert_true(riscv_load(cpu, DATA + 3, 8, &v));
    assert_int_equal(v, UINT64_C(0x0a09080706050403));
    assert_true(riscv_load(cpu, DATA + 1, 4, &v));
    assert_int_equal(v, 0x04030201);
    assert_true(riscv_store(cpu, DATA + 5, 2, 0xbbaa));
    assert_int_equal(rd64(f, DATA), UINT64_C(0x07bbaa0403020100));
    assert_false(cpu->trapped);
}

static void test_mmu_page_crossing_accesses(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;

    paging_on(f, SATP_SV39, 3);
    /* Two virtually adjacent pages mapped to non-adjacent frames. */
    map(f, 0x10000000, DATA + 0x5000, 0, RWX_AD);
    map(f, 0x10001000, DATA + 0x2000, 0, RWX_AD);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
    cpu->priv = PRV_S;
    wr64(f, DATA + 0x5ff8, UINT64_C(0x8877665544332211));
    wr64(f, DATA + 0x2000, UINT64_C(0x00ffeeddccbbaa99));
    assert_true(riscv_load(cpu, 0x10000ffd, 8, &v));
    assert_int_equal(v, UINT64_C(0xddccbbaa99887766));
    assert_true(riscv_store(cpu, 0x10000ffe, 4, 0x44332211));
    assert_int_equal(rd64(f, DATA + 0x5ff8) >> 48, 0x2211);
    assert_int_equal(rd64(f, DATA + 0x2000) & 0xffff, 0x4433);

    /* Second page invalid: fault on it, tval = its start, nothing moved. */
    map_raw(f, 0x10001000, DATA + 0x2000, 0, 0);
    riscv_tlb_flush(cpu);
    assert_false(riscv_load(cpu, 0x10000ffd, 8, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_PAGE_FAULT, 0x10001000);
    assert_false(riscv_store(cpu, 0x10000ffc, 8, 0));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_PAGE_FAULT, 0x10001000);
    assert_int_equal(rd64(f, DATA + 0x5ff8), UINT64_C(0x2211665544332211));
    /* First page invalid: tval is the access address. */
    map_raw(f, 0x10000000, DATA + 0x5000, 0, 0);
    map(f, 0x10001000, DATA + 0x2000, 0, RWX_AD);
    riscv_tlb_flush(cpu);
    assert_false(riscv_load(cpu, 0x10000ffe, 4, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_PAGE_FAULT, 0x10000ffe);
}

static void test_mmu_bus_errors_are_access_faults(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;
    uint16_t parcel;

    cpu->priv = PRV_M;
    assert_false(riscv_load(cpu, UNMAPPED + 0x10, 4, &v));
    expect_trap(cpu, PRV_M, 0, EXC_LOAD_ACCESS, UNMAPPED + 0x10);
    assert_false(riscv_store(cpu, UNMAPPED, 1, 0));
    expect_trap(cpu, PRV_M, 0, EXC_STORE_ACCESS, UNMAPPED);
    assert_false(riscv_fetch16(cpu, UNMAPPED + 2, &parcel));
    expect_trap(cpu, PRV_M, 0, EXC_INSN_ACCESS, UNMAPPED + 2);
    /* The device rejects 1-byte accesses. */
    assert_false(riscv_load(cpu, IO_BASE, 1, &v));
    expect_trap(cpu, PRV_M, 0, EXC_LOAD_ACCESS, IO_BASE);
    f->io_origin = MEM_ORIGIN_OTHER;
    assert_true(riscv_load(cpu, IO_BASE + 4, 4, &v));
    assert_int_equal(v, 0x12345678);
    assert_int_equal(f->io_origin, MEM_ORIGIN_HART);
    assert_int_equal(memory_get_origin(), MEM_ORIGIN_OTHER);
    /* ROM ignores stores. */
    assert_true(riscv_store(cpu, ROM_BASE, 4, 0x1234));
    assert_true(riscv_load(cpu, ROM_BASE, 4, &v));
    assert_int_equal(v, 0);

    /* Through a mapping, tval is the virtual address. */
    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, UNMAPPED, 0, RWX_AD);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
    cpu->priv = PRV_S;
    assert_false(riscv_store(cpu, 0x10000040, 8, 0));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_ACCESS, 0x10000040);
}

static void test_mmu_pmp_fault_through_access_path(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;

    cpu->priv = PRV_S; /* satp Bare: PA = VA, PMP still applies */
    assert_false(riscv_load(cpu, DATA, 8, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_ACCESS, DATA);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R, napot(DATA, 0x1000));
    assert_true(riscv_load(cpu, DATA, 8, &v));
    assert_false(riscv_store(cpu, DATA, 8, 0));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_ACCESS, DATA);
    /* Crossing the end of the PMP region: the second part faults. */
    assert_false(riscv_load(cpu, DATA + 0xffc, 8, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_ACCESS, DATA + 0x1000);
    /* A sub-page PMP region: the rest of the page stays denied. */
    pmp_set(cpu, 0, PMP_NA4 | PMP_R, (DATA + 0x10) >> 2);
    assert_true(riscv_load(cpu, DATA + 0x10, 4, &v));
    assert_false(riscv_load(cpu, DATA + 0x14, 4, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_ACCESS, DATA + 0x14);
    /* Partial match of the NA4 entry inside one page. */
    assert_false(riscv_load(cpu, DATA + 0x10, 8, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_ACCESS, DATA + 0x10);
}

static void test_mmu_fetch16(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint16_t parcel = 0;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, PTE_X | PTE_A);
    map(f, 0x10001000, DATA + 0x1000, 0, PTE_R | PTE_A);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
    wr64(f, DATA + 0xff8, UINT64_C(0x0297000000000000));
    cpu->priv = PRV_S;
    assert_true(riscv_fetch16(cpu, 0x10000ffe, &parcel));
    assert_int_equal(parcel, 0x0297);
    assert_true(riscv_fetch16(cpu, 0x10000ffe, &parcel)); /* TLB hit */
    assert_int_equal(parcel, 0x0297);
    /* Next page is not executable: tval = that parcel's address. */
    assert_false(riscv_fetch16(cpu, 0x10001000, &parcel));
    expect_trap(cpu, PRV_S, 0, EXC_INSN_PAGE_FAULT, 0x10001000);
    assert_false(riscv_fetch16(cpu, 0x10000001, &parcel));
    expect_trap(cpu, PRV_S, 0, EXC_INSN_MISALIGNED, 0x10000001);
}

static void test_mmu_tlb_caching_and_flush(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t v;
    uint64_t slot;

    paging_on(f, SATP_SV39, 3);
    slot = map(f, 0x10000000, DATA, 0, RWX_AD | PTE_U);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
    wr64(f, DATA, 1);
    wr64(f, DATA + 0x1000, 2);
    cpu->priv = PRV_S;
    cpu->mstatus = MSTATUS_SUM;
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_int_equal(v, 1);

    /* The cached translation survives a PTE change until a flush. */
    wr64(f, slot, rd64(f, slot) + (UINT64_C(1) << 10));
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_int_equal(v, 1);
    riscv_tlb_flush(cpu);
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_int_equal(v, 2);

    /* Clearing SUM needs no flush: the entry is tagged with it. */
    cpu->mstatus = 0;
    assert_false(riscv_load(cpu, 0x10000000, 8, &v));
    expect_trap(cpu, PRV_S, 0, EXC_LOAD_PAGE_FAULT, 0x10000000);
    /* A load with SUM=1 must not let a fetch through (S on a U page). */
    cpu->mstatus = MSTATUS_SUM;
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_false(riscv_fetch16(cpu, 0x10000000, (uint16_t *)&v));
    expect_trap(cpu, PRV_S, MSTATUS_SUM, EXC_INSN_PAGE_FAULT, 0x10000000);
    /* Privilege change: U reaches the U page, M sees physical memory. */
    cpu->priv = PRV_U;
    assert_true(riscv_load(cpu, 0x10000000, 8, &v));
    assert_int_equal(v, 2);
    cpu->priv = PRV_M;
    assert_false(riscv_load(cpu, 0x10000000, 8, &v)); /* PA 0x10000000 */
    expect_trap(cpu, PRV_M, MSTATUS_SUM, EXC_LOAD_ACCESS, 0x10000000);
}

static void test_mmu_tlb_follows_memory_map_changes(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    MemoryRegion *ram2;
    uint64_t v;

    cpu->priv = PRV_M;
    wr64(f, DATA, 0x55);
    assert_true(riscv_load(cpu, DATA, 8, &v)); /* fills host pointer */
    assert_int_equal(v, 0x55);
    /* Replace the RAM: the cached host pointer must not be used. */
    memory_region_del_subregion(memory_system_root(), f->ram);
    memory_region_free(f->ram);
    ram2 = memory_region_new_ram(NULL, "ram2", RAM_SIZE, NULL);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, ram2, 0);
    f->ram = ram2;
    f->host = memory_region_get_host(ram2);
    assert_true(riscv_load(cpu, DATA, 8, &v));
    assert_int_equal(v, 0);
    assert_true(riscv_store(cpu, DATA, 8, 0x66));
    assert_int_equal(rd64(f, DATA), 0x66);
}

static uint64_t amo_add(uint64_t old, uint64_t src)
{
    return old + src;
}

static void test_mmu_amo(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t old;
    uint64_t pa;

    paging_on(f, SATP_SV39, 3);
    map(f, 0x10000000, DATA, 0, PTE_R | PTE_W | PTE_A);
    map(f, 0x10001000, DATA + 0x1000, 0, PTE_R | PTE_A | PTE_D);
    pmp_set(cpu, 0, PMP_NAPOT | PMP_R, napot(DATA + 0x1000, 0x1000));
    pmp_set(cpu, 1, PMP_NAPOT | PMP_R | PMP_W | PMP_X, ~UINT64_C(0));
    cpu->priv = PRV_S;
    wr64(f, DATA + 8, UINT64_C(0xffffffff00000005));

    assert_true(riscv_amo(cpu, 0x10000008, 4, amo_add, 3, &old));
    assert_int_equal(old, 5);
    assert_int_equal(rd64(f, DATA + 8), UINT64_C(0xffffffff00000008));
    assert_true(riscv_amo(cpu, 0x10000008, 8, amo_add, 1, &old));
    assert_int_equal(old, UINT64_C(0xffffffff00000008));
    assert_int_equal(rd64(f, DATA + 8), UINT64_C(0xffffffff00000009));
    /* An AMO dirties the page like a store. */
    assert_int_equal(rd64(f, slot_at(f, 0x10000000, 0)) & PTE_D, PTE_D);

    assert_false(riscv_amo(cpu, 0x10000004, 8, amo_add, 1, &old));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_MISALIGNED, 0x10000004);
    assert_false(riscv_amo(cpu, 0x10001000, 8, amo_add, 1, &old));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_PAGE_FAULT, 0x10001000);
    /* PMP read-only page with a writable PTE: access fault 7. */
    map(f, 0x10001000, DATA + 0x1000, 0, RWX_AD);
    riscv_tlb_flush(cpu);
    assert_false(riscv_amo_prepare(cpu, 0x10001010, 4, &pa));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_ACCESS, 0x10001010);
    /* Bus error on an AMO: store access fault. */
    map(f, 0x10002000, UNMAPPED, 0, RWX_AD);
    assert_false(riscv_amo(cpu, 0x10002000, 8, amo_add, 1, &old));
    expect_trap(cpu, PRV_S, 0, EXC_STORE_ACCESS, 0x10002000);
}

static void test_mmu_store_clears_own_reservation(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    cpu->priv = PRV_M;
    cpu->resv_valid = true;
    cpu->resv_addr = DATA + 0x40;
    assert_true(riscv_store(cpu, DATA + 0x48, 8, 1)); /* next granule */
    assert_true(cpu->resv_valid);
    assert_true(riscv_store(cpu, DATA + 0x3c, 8, 1)); /* overlaps it */
    assert_false(cpu->resv_valid);
    cpu->resv_valid = true;
    assert_true(riscv_store(cpu, DATA + 0x44, 1, 1));
    assert_false(cpu->resv_valid);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mmu_bare_and_m_mode_identity),
        T(test_mmu_sv39_4k_and_superpages),
        T(test_mmu_sv48_sv57),
        T(test_mmu_misaligned_superpage_faults),
        T(test_mmu_invalid_and_reserved_ptes),
        T(test_mmu_user_pages_and_sum),
        T(test_mmu_mxr_makes_execute_only_readable),
        T(test_mmu_updates_accessed_and_dirty),
        T(test_mmu_pte_outside_memory_is_access_fault),
        T(test_mmu_pte_reads_are_pmp_checked_as_s),
        T(test_mmu_mprv_uses_mpp_for_data_only),
        T(test_pmp_default_deny_below_m),
        T(test_pmp_match_modes),
        T(test_pmp_priority_and_partial_match),
        T(test_pmp_lock_applies_to_m),
        T(test_mmu_misaligned_accesses_complete),
        T(test_mmu_page_crossing_accesses),
        T(test_mmu_bus_errors_are_access_faults),
        T(test_mmu_pmp_fault_through_access_path),
        T(test_mmu_fetch16),
        T(test_mmu_tlb_caching_and_flush),
        T(test_mmu_tlb_follows_memory_map_changes),
        T(test_mmu_amo),
        T(test_mmu_store_clears_own_reservation),
    };
    return cmocka_run_group_tests_name("mmu", tests, NULL, NULL);
}
