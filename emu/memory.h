/* SPDX-License-Identifier: MIT */
/*
 * Memory regions and the address space.
 *
 * Region kinds: RAM (host buffer, read/write), ROM (host buffer, writes
 * ignored), MMIO (callbacks with access-size rules), CONTAINER (holds
 * subregions at offsets with priorities; higher priority wins where they
 * overlap) and ALIAS (a window onto another region).  An AddressSpace has a
 * root container; it keeps a flattened, sorted view rebuilt when the tree
 * changes, so a lookup is one binary search (plus a last-hit cache).
 *
 * All multi-byte values are little-endian in guest memory (target byte
 * order); MMIO callbacks see host integers.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint64_t hwaddr;
typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct Object Object;

/** Result of a bus transaction. */
typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_DECODE_ERROR, /* nothing mapped there */
    MEMTX_ACCESS_ERROR, /* the device rejected the width/offset */
} MemTxResult;

/** Who issued an access (for register coverage counting). */
typedef enum MemOrigin {
    MEM_ORIGIN_OTHER = 0,
    MEM_ORIGIN_QTEST,
    MEM_ORIGIN_HART,
} MemOrigin;

typedef struct MemoryRegionOps {
    /* @size is 1, 2, 4 or 8 and within [min_access, max_access]. */
    MemTxResult (*read)(void *opaque, hwaddr off, unsigned size, uint64_t *val);
    MemTxResult (*write)(void *opaque, hwaddr off, unsigned size, uint64_t val);
    unsigned min_access; /* default 1 */
    unsigned max_access; /* default 8 */
    bool unaligned;      /* accept accesses not aligned to their size */
    /*
     * Widest access the callbacks implement (0: max_access).  A wider
     * accepted access is split into pieces of this size, low address
     * first, combined little-endian (QEMU's impl.max_access_size).
     */
    unsigned impl_max;
} MemoryRegionOps;

typedef enum MemoryRegionKind {
    MR_RAM,
    MR_ROM,
    MR_MMIO,
    MR_CONTAINER,
    MR_ALIAS,
} MemoryRegionKind;

struct MemoryRegion {
    char *name;
    Object *owner; /* may be NULL */
    MemoryRegionKind kind;
    uint64_t size;
    uint8_t *host; /* RAM/ROM backing, size bytes */
    const MemoryRegionOps *ops;
    void *opaque;
    /* alias */
    MemoryRegion *alias;
    hwaddr alias_offset;
    /* placement inside a container */
    MemoryRegion *container;
    hwaddr addr;
    int priority;
    GPtrArray *subregions; /* MemoryRegion *, containers only */
    bool enabled;
    /* RAM/ROM: one bit per 4 KiB page holding decoded guest code, or NULL */
    uint64_t *code_pages;
};

/** Creates a zero-filled RAM region (g_try_malloc0; NULL + error on OOM). */
MemoryRegion *memory_region_new_ram(Object *owner, const char *name,
                                    uint64_t size, GError **errp);
/** Creates a zero-filled ROM region (writes from the bus are ignored). */
MemoryRegion *memory_region_new_rom(Object *owner, const char *name,
                                    uint64_t size, GError **errp);
MemoryRegion *memory_region_new_io(Object *owner, const char *name,
                                   uint64_t size, const MemoryRegionOps *ops,
                                   void *opaque);
MemoryRegion *memory_region_new_container(Object *owner, const char *name,
                                          uint64_t size);
MemoryRegion *memory_region_new_alias(Object *owner, const char *name,
                                      MemoryRegion *target, hwaddr offset,
                                      uint64_t size);
/** Frees @mr (must not be mapped; subregions are unmapped, not freed). */
void memory_region_free(MemoryRegion *mr);

/** Maps @sub at @addr in @container with @priority. */
void memory_region_add_subregion(MemoryRegion *container, hwaddr addr,
                                 MemoryRegion *sub, int priority);
void memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub);

/** Shows or hides @mr (and its subregions) wherever it is mapped. */
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);

/** Host pointer to RAM/ROM contents, or NULL. */
uint8_t *memory_region_get_host(MemoryRegion *mr);

/*
 * Code pages.  An executor that caches decoded instructions marks the RAM/ROM
 * pages it decoded from; any later write into a marked page through this
 * module (address_space_st/write, including the harts' own slow-path
 * stores, qtest and DMA) or reported with memory_region_notify_write()
 * clears the mark and calls the code-write hook for that page first, so the
 * executor drops what it decoded there.  Writers that bypass the bus with a
 * host pointer (harts' fast-path stores) must not be given one for a marked
 * page (memory_region_is_code).
 */
#define MEMORY_CODE_PAGE_SHIFT 12

/** Marks the page holding offset @off of RAM/ROM @mr; true if newly marked. */
bool memory_region_mark_code(MemoryRegion *mr, hwaddr off);
/** True when the page holding offset @off of @mr is marked as code. */
static inline bool memory_region_is_code(const MemoryRegion *mr, hwaddr off)
{
    hwaddr page = off >> MEMORY_CODE_PAGE_SHIFT;

    return mr->code_pages &&
           (mr->code_pages[page / 64] >> (page % 64) & 1) != 0;
}
/**
 * Reports a write of [@off, @off + @len) into RAM/ROM @mr made through a host
 * pointer: marked pages in the range are unmarked and the hook is called
 * once per such page (with the page's offset).
 */
void memory_region_notify_write(MemoryRegion *mr, hwaddr off, uint64_t len);
/** Installs the code-write hook (one executor; NULL removes it). */
void memory_set_code_write_hook(void (*fn)(MemoryRegion *mr, hwaddr page_off));

/** One entry of the flattened view. */
typedef struct FlatRange {
    hwaddr start;
    hwaddr end;       /* inclusive */
    MemoryRegion *mr; /* leaf: RAM, ROM or MMIO */
    hwaddr offset;    /* offset into mr of start */
} FlatRange;

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    GArray *flat; /* FlatRange, sorted, non-overlapping */
    unsigned generation;
    const FlatRange *last;
};

/** The system address space (root container spans 2^64), created lazily. */
AddressSpace *address_space_system(void);
MemoryRegion *memory_system_root(void);

/** Drops every mapping of the system address space (unit tests only). */
void memory_reset_for_test(void);

/** Rebuilds @as's flat view if the tree changed. */
void address_space_update(AddressSpace *as);

/** Leaf range covering @addr, or NULL. */
const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr);

/**
 * Loads an integer of @size (1, 2, 4, 8) bytes at @addr.  RAM/ROM: host
 * memory, little-endian, any alignment.  MMIO: checks the region's access
 * rules (MEMTX_ACCESS_ERROR if the size is outside [min,max] or it is
 * misaligned and not allowed; an access crossing the region end is an
 * access error).  Unmapped: MEMTX_DECODE_ERROR.  On error *val is 0.
 */
MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *val);
/** Stores the low @size bytes of @val at @addr; same rules, ROM ignores. */
MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t val);

/**
 * Raw byte transfer of @len bytes, split across regions; MMIO parts use the
 * widest naturally aligned access the region allows.  Unmapped or rejected
 * parts read as 0 / are dropped; returns the first error seen (or OK).
 */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               size_t len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                                size_t len);

/** Current origin of accesses (set around qtest commands / hart steps). */
MemOrigin memory_get_origin(void);
void memory_set_origin(MemOrigin origin);

/**
 * Asks the host for transparent huge pages on guest RAM of 2 MiB or more
 * (fewer page faults while a guest runs, as QEMU does).  Accelerators that
 * run code call it when they start; under qtest RAM stays in small pages,
 * so a test touching a few bytes keeps a small footprint.
 */
void memory_advise_huge_pages(void);

/** Calls @fn for every flat range of @as in address order (info mtree). */
void address_space_foreach(AddressSpace *as,
                           void (*fn)(const FlatRange *r, void *opaque),
                           void *opaque);
