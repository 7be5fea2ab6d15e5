/* SPDX-License-Identifier: MIT */
/*
 * Register tables: one RegDesc per register, with reset value, masks, hooks
 * and fields.  The same table drives MMIO dispatch, reset, introspection,
 * generated tests and per-register coverage counting (STYLE.md §3).
 *
 * Access rules of a regmap region: an access that starts at a register's
 * offset is delivered to that register whole (reads return the register
 * value truncated to the access size; writes use the low bytes of the value,
 * widened to the register with the other bytes kept); an access starting
 * inside a register reads/merges the covered bytes.  An access at an offset
 * no register covers reads 0 and drops writes, with a guest-error log line.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/memory.h"

typedef struct Device Device;
typedef struct RegDesc RegDesc;

/** Access direction flags for RegDesc.access (0 means both). */
#define REG_R  1u
#define REG_W  2u
#define REG_RW (REG_R | REG_W)

typedef struct RegField {
    const char *name;
    uint8_t shift;
    uint8_t width;
    const char *desc;
} RegField;

struct RegDesc {
    const char *name;
    uint32_t offset;
    uint8_t width;  /* bytes; 0 = the region's reg_width */
    uint8_t access; /* REG_R, REG_W or 0/REG_RW */
    uint64_t reset;
    uint64_t rw;    /* bits a write stores */
    uint64_t w1c;   /* bits cleared by writing 1 */
    uint64_t w1s;   /* bits set by writing 1 */
    uint64_t rc;    /* bits cleared by a read */
    uint64_t unimp; /* bits not modelled: writing 1 logs "unimp" */
    /* Optional: computes the value read (default: the stored value). */
    uint64_t (*read)(Device *dev, const RegDesc *r);
    /* Optional: replaces the default store (masks are not applied). */
    void (*write)(Device *dev, const RegDesc *r, uint64_t val);
    /* Optional: runs after the default store; @old is the value before. */
    void (*post_write)(Device *dev, const RegDesc *r, uint64_t old);
    const RegField *fields; /* terminated by a NULL name, or NULL */
    const char *desc;
};

/** Builds .name and .offset from one token: REG(NS16550A, LCR, ...). */
#define REG(prefix, reg, ...)                                                  \
    {                                                                          \
        .name = #reg, .offset = prefix##_##reg, __VA_ARGS__                    \
    }

/**
 * Chooses the register for an access when several share an offset
 * (banked or direction-dependent registers); returns an index into the
 * table or -1 for "no register".  NULL: first entry covering the offset
 * whose access flags allow the direction.
 */
typedef int (*RegSelectFn)(Device *dev, hwaddr off, bool is_write);

/** Describes one memory region of a device. */
typedef struct RegionDesc {
    const char *name; /* "regs" */
    uint64_t size;
    const RegDesc *regs; /* NULL for a region with raw ops */
    unsigned nregs;
    size_t storage_offset; /* offset of the storage array in the state */
    uint8_t storage_bytes; /* 4 (uint32_t[]) or 8 (uint64_t[]) */
    uint8_t reg_width;     /* default register width in bytes */
    uint8_t min_access;    /* accepted access sizes (default 1..8) */
    uint8_t max_access;
    uint8_t impl_max_access; /* wider accesses are split (0: none) */
    bool unaligned;
    RegSelectFn select;
    const MemoryRegionOps *ops; /* raw region: ops with opaque = Device * */
} RegionDesc;

#define REGION32(nm, sz, table, st, field, ...)                                \
    {                                                                          \
        .name = (nm), .size = (sz), .regs = (table),                           \
        .nregs = G_N_ELEMENTS(table), .storage_offset = offsetof(st, field),   \
        .storage_bytes = 4, .reg_width = 4, __VA_ARGS__                        \
    }
#define REGION64(nm, sz, table, st, field, ...)                                \
    {                                                                          \
        .name = (nm), .size = (sz), .regs = (table),                           \
        .nregs = G_N_ELEMENTS(table), .storage_offset = offsetof(st, field),   \
        .storage_bytes = 8, .reg_width = 8, __VA_ARGS__                        \
    }

/** Per-register access counters, by origin (MemOrigin). */
typedef struct RegCounters {
    uint64_t reads[3];
    uint64_t writes[3];
} RegCounters;

/** A realized regmap region of one device instance. */
typedef struct RegRegion {
    const RegionDesc *desc;
    Device *dev;
    MemoryRegion *mr;
    RegCounters *counters; /* desc->nregs entries */
    hwaddr mapped_at;      /* base in the system address space, or -1 */
} RegRegion;

/** The MMIO ops used for every regmap region (opaque = RegRegion *). */
extern const MemoryRegionOps regmap_ops;

/** Stored value of register index @i of @rr. */
uint64_t regmap_get(const RegRegion *rr, unsigned i);
/** Sets the stored value of register index @i (no hooks, no masks). */
void regmap_set(RegRegion *rr, unsigned i, uint64_t val);

/** Stores every register's reset value. */
void regmap_reset(RegRegion *rr);

/** Index of register @name in @rd, or -1. */
int regmap_find(const RegionDesc *rd, const char *name);

/** Mask of a register's width in bits. */
uint64_t regmap_width_mask(const RegionDesc *rd, const RegDesc *r);
