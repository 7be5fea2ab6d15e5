/* SPDX-License-Identifier: MIT */
/*
 * MMU helpers for the A extension, beyond the load/store/fetch entry points
 * declared in target/riscv/cpu.h.
 *
 * TLB policy (see mmu.c): entries are tagged with the effective privilege
 * and, for loads and stores, mstatus.SUM and MXR, so privilege changes
 * (traps, xRET, MPRV/MPP/SUM/MXR writes) need no flush.  riscv_tlb_flush()
 * is required after SFENCE.VMA, any satp write and any pmpcfg/pmpaddr write.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "target/riscv/cpu.h"

/**
 * Checks that an AMO of @size bytes at @vaddr may proceed: natural
 * alignment (else store/AMO misaligned, cause 6), translation as a store
 * (page fault 15 / access fault 7), PMP read and write permission on the
 * physical bytes (access fault 7).  On success stores the physical address
 * in @paddr and returns true; otherwise raises the exception (tval = @vaddr)
 * and returns false.
 */
bool riscv_amo_prepare(RiscvHart *cpu, uint64_t vaddr, unsigned size,
                       uint64_t *paddr);

/** Computes an AMO's new memory value from the @old one and operand @src. */
typedef uint64_t (*RiscvAmoFn)(uint64_t old, uint64_t src);

/**
 * One atomic read-modify-write of @size (4 or 8) bytes at @vaddr:
 * riscv_amo_prepare(), then load, then store fn(old, src).  @old receives
 * the raw memory value, zero-extended (a .W handler sign-extends it for rd;
 * @fn sees the same zero-extended value and only the low @size bytes of its
 * result are stored).  A bus error on either half is a store/AMO access
 * fault (7).  Returns false after raising the exception.
 */
bool riscv_amo(RiscvHart *cpu, uint64_t vaddr, unsigned size, RiscvAmoFn fn,
               uint64_t src, uint64_t *old);

/**
 * Drops the TLB and the decoded-code cache when the memory map changed
 * since their host pointers were taken.  The executor calls it at the start
 * of each run (then sets cpu->map_current until the run ends).
 */
void riscv_tlb_sync_map(RiscvHart *cpu);

/**
 * Fetch translation of @pc for the decoded-block executor: the host pointer
 * of @pc (and its physical address in @paddr) when the fetch is allowed and
 * the whole page is cached in the fetch TLB as RAM/ROM (PMP grants all of
 * it); NULL otherwise (fault, MMIO, partial PMP), and nothing is raised —
 * the caller then executes through riscv_fetch16.
 */
const uint8_t *riscv_fetch_page(RiscvHart *cpu, uint64_t pc, uint64_t *paddr);

/**
 * Drops every store-TLB entry of @cpu whose host page is @host_page (the
 * page just became code: later stores must take the bus path).
 */
void riscv_tlb_drop_store_page(RiscvHart *cpu, const uint8_t *host_page);

/**
 * Recomputes cpu->tlb_ktag[] from the privilege and mstatus (MPRV/MPP, SUM,
 * MXR) and notes them in cpu->tlb_tag_state: the TLB key of virtual page V
 * for access kind A is V + tlb_ktag[A].  The block executor calls it when a
 * block starts and they changed; anything changing them ends a block.
 */
void riscv_tlb_update_tags(RiscvHart *cpu);

/** The host pointer for an access of @size bytes at @va when the TLB holds a
 *  RAM page for it (tags current, inside one page), else NULL. */
static inline uint8_t *riscv_tlb_fast_host(RiscvHart *cpu, uint64_t va,
                                           RiscvAccess acc, unsigned size)
{
    const RiscvTlbEntry *e = &cpu->tlb[acc][(va >> 12) % RISCV_TLB_SIZE];

    if (e->vpage == (va >> 12) + cpu->tlb_ktag[acc] && e->host &&
        (va & 0xfff) <= 0x1000 - size) {
        return e->host + (va & 0xfff);
    }
    return NULL;
}
