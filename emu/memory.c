/* SPDX-License-Identifier: MIT */
/*
 * Memory regions and the address space.
 *
 * The region tree (containers holding RAM, ROM, MMIO and aliases at offsets
 * with priorities) is flattened into a sorted array of non-overlapping leaf
 * ranges whenever it changed.  Flattening paints each container's
 * subregions from the lowest to the highest priority (equal priorities in
 * the order they were added), so what is painted last wins, as in QEMU.
 * Every access then costs one binary search, or none when it hits the same
 * range as the previous one.
 */
#include "emu/memory.h"

#include <errno.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* Bumped by every change of any region tree; flat views compare it. */
static unsigned memory_generation = 1;
static MemOrigin memory_origin = MEM_ORIGIN_OTHER;
static AddressSpace *system_as;

static void memory_changed(void)
{
    memory_generation++;
    if (memory_generation == 0) {
        memory_generation = 1;
    }
}

/* Last offset inside a region of @size bytes; UINT64_MAX spans 2^64. */
static uint64_t region_last(uint64_t size)
{
    return size == UINT64_MAX ? UINT64_MAX : size - 1;
}

static MemoryRegion *memory_region_alloc(Object *owner, const char *name,
                                         MemoryRegionKind kind, uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    mr->name = g_strdup(name ? name : "anonymous");
    mr->owner = owner;
    mr->kind = kind;
    mr->size = size;
    mr->enabled = true;
    return mr;
}

/*
 * Guest memory of 2 MiB or more is mapped on its own, so that it may use
 * transparent huge pages once code runs (memory_advise_huge_pages); smaller
 * buffers come from the heap.  Both start zeroed.
 */
#define MEMORY_HUGE_SIZE ((uint64_t)2 << 20)

static uint8_t *memory_host_alloc(uint64_t size)
{
    void *p;

    if (size > G_MAXSIZE) {
        return NULL;
    }
    if (size < MEMORY_HUGE_SIZE) {
        return g_try_malloc0(size);
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    return p;
}

static void memory_host_free(uint8_t *host, uint64_t size)
{
    if (!host) {
        return;
    }
    if (size < MEMORY_HUGE_SIZE) {
        g_free(host);
    } else {
        munmap(host, size);
    }
}

static void memory_advise_range(const FlatRange *r, void *opaque)
{
#ifdef MADV_HUGEPAGE
    MemoryRegion *mr = r->mr;

    if (mr->kind == MR_RAM && mr->size >= MEMORY_HUGE_SIZE) {
        /* advice only: failure is harmless; repeating it too */
        madvise(mr->host, mr->size, MADV_HUGEPAGE);
    }
#endif
}

void memory_advise_huge_pages(void)
{
    address_space_foreach(address_space_system(), memory_advise_range, NULL);
}

static MemoryRegion *memory_region_new_backed(Object *owner, const char *name,
                                              MemoryRegionKind kind,
                                              uint64_t size, GError **errp)
{
    uint8_t *host = NULL;
    MemoryRegion *mr;

    if (size > 0) {
        host = memory_host_alloc(size);
        if (!host) {
            g_set_error(errp, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                        "cannot set up guest memory '%s': %s",
                        name ? name : "anonymous", g_strerror(ENOMEM));
            return NULL;
        }
    }
    mr = memory_region_alloc(owner, name, kind, size);
    mr->host = host;
    return mr;
}

MemoryRegion *memory_region_new_ram(Object *owner, const char *name,
                                    uint64_t size, GError **errp)
{
    return memory_region_new_backed(owner, name, MR_RAM, size, errp);
}

MemoryRegion *memory_region_new_rom(Object *owner, const char *name,
                                    uint64_t size, GError **errp)
{
    return memory_region_new_backed(owner, name, MR_ROM, size, errp);
}

MemoryRegion *memory_region_new_io(Object *owner, const char *name,
                                   uint64_t size, const MemoryRegionOps *ops,
                                   void *opaque)
{
    MemoryRegion *mr = memory_region_alloc(owner, name, MR_MMIO, size);

    mr->ops = ops;
    mr->opaque = opaque;
    return mr;
}

MemoryRegion *memory_region_new_container(Object *owner, const char *name,
                                          uint64_t size)
{
    MemoryRegion *mr = memory_region_alloc(owner, name, MR_CONTAINER, size);

    mr->subregions = g_ptr_array_new();
    return mr;
}

MemoryRegion *memory_region_new_alias(Object *owner, const char *name,
                                      MemoryRegion *target, hwaddr offset,
                                      uint64_t size)
{
    MemoryRegion *mr = memory_region_alloc(owner, name, MR_ALIAS, size);

    g_assert(target);
    mr->alias = target;
    mr->alias_offset = offset;
    return mr;
}

void memory_region_free(MemoryRegion *mr)
{
    if (!mr) {
        return;
    }
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    if (mr->subregions) {
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);

            sub->container = NULL;
        }
        if (mr->subregions->len > 0) {
            memory_changed();
        }
        g_ptr_array_free(mr->subregions, TRUE);
    }
    g_free(mr->code_pages);
    memory_host_free(mr->host, mr->size);
    g_free(mr->name);
    g_free(mr);
}

/* ---- code pages ---- */

static void (*memory_code_write_hook)(MemoryRegion *mr, hwaddr page_off);

void memory_set_code_write_hook(void (*fn)(MemoryRegion *mr, hwaddr page_off))
{
    memory_code_write_hook = fn;
}

bool memory_region_mark_code(MemoryRegion *mr, hwaddr off)
{
    hwaddr page = off >> MEMORY_CODE_PAGE_SHIFT;
    uint64_t bit = UINT64_C(1) << (page % 64);

    g_assert(mr->host && off < mr->size);
    if (!mr->code_pages) {
        uint64_t pages =
            (mr->size + (UINT64_C(1) << MEMORY_CODE_PAGE_SHIFT) - 1) >>
            MEMORY_CODE_PAGE_SHIFT;

        mr->code_pages = g_new0(uint64_t, (pages + 63) / 64);
    }
    if (mr->code_pages[page / 64] & bit) {
        return false;
    }
    mr->code_pages[page / 64] |= bit;
    return true;
}

void memory_region_notify_write(MemoryRegion *mr, hwaddr off, uint64_t len)
{
    hwaddr first, last;

    if (!mr->code_pages || len == 0 || off >= mr->size) {
        return;
    }
    if (len > mr->size - off) {
        len = mr->size - off;
    }
    first = off >> MEMORY_CODE_PAGE_SHIFT;
    last = (off + len - 1) >> MEMORY_CODE_PAGE_SHIFT;
    for (hwaddr page = first; page <= last; page++) {
        uint64_t bit = UINT64_C(1) << (page % 64);

        if (mr->code_pages[page / 64] & bit) {
            mr->code_pages[page / 64] &= ~bit;
            if (memory_code_write_hook) {
                memory_code_write_hook(mr, page << MEMORY_CODE_PAGE_SHIFT);
            }
        }
    }
}

void memory_region_add_subregion(MemoryRegion *container, hwaddr addr,
                                 MemoryRegion *sub, int priority)
{
    guint i;

    g_assert(container && container->kind == MR_CONTAINER);
    g_assert(sub && !sub->container && sub != container);
    sub->container = container;
    sub->addr = addr;
    sub->priority = priority;
    /*
     * Keep the array sorted by ascending priority; a newcomer goes after
     * every region of the same priority, so it is painted later and wins.
     */
    for (i = 0; i < container->subregions->len; i++) {
        MemoryRegion *other = g_ptr_array_index(container->subregions, i);

        if (other->priority > priority) {
            break;
        }
    }
    g_ptr_array_insert(container->subregions, (gint)i, sub);
    memory_changed();
}

void memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub)
{
    g_assert(container && sub && sub->container == container);
    g_ptr_array_remove(container->subregions, sub);
    sub->container = NULL;
    memory_changed();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_changed();
    }
}

uint8_t *memory_region_get_host(MemoryRegion *mr)
{
    if (mr && (mr->kind == MR_RAM || mr->kind == MR_ROM)) {
        return mr->host;
    }
    return NULL;
}

/* ---- flattening ---- */

/*
 * Paints [start, end] -> (mr, offset) over @flat, cutting away whatever it
 * covers.  @flat stays sorted and non-overlapping.
 */
static void flat_paint(GArray *flat, hwaddr start, hwaddr end, MemoryRegion *mr,
                       hwaddr offset)
{
    FlatRange nr = {.start = start, .end = end, .mr = mr, .offset = offset};
    guint i = 0;

    /* Skip ranges entirely below the new one. */
    while (i < flat->len && g_array_index(flat, FlatRange, i).end < start) {
        i++;
    }
    /* A range sticking out on the left keeps its head. */
    if (i < flat->len) {
        FlatRange *r = &g_array_index(flat, FlatRange, i);

        if (r->start < start) {
            FlatRange head = *r;

            head.end = start - 1;
            r->offset += start - r->start;
            r->start = start;
            g_array_insert_val(flat, i, head);
            i++;
        }
    }
    /* Drop ranges fully covered; trim the one sticking out on the right. */
    while (i < flat->len) {
        FlatRange *r = &g_array_index(flat, FlatRange, i);

        if (r->start > end) {
            break;
        }
        if (r->end <= end) {
            g_array_remove_index(flat, i);
            continue;
        }
        r->offset += end + 1 - r->start;
        r->start = end + 1;
        break;
    }
    g_array_insert_val(flat, i, nr);
}

/*
 * Renders the window of absolute addresses [lo, hi], which shows @mr from
 * offset @off on, into @flat.
 */
static void flat_render(GArray *flat, MemoryRegion *mr, hwaddr lo, hwaddr hi,
                        hwaddr off, unsigned depth)
{
    uint64_t last;
    uint64_t len; /* window length minus one */

    if (!mr->enabled || mr->size == 0 || depth > 32) {
        return;
    }
    last = region_last(mr->size);
    if (off > last) {
        return;
    }
    len = MIN(hi - lo, last - off);
    hi = lo + len;

    switch (mr->kind) {
    case MR_RAM:
    case MR_ROM:
    case MR_MMIO:
        flat_paint(flat, lo, hi, mr, off);
        break;
    case MR_ALIAS:
        if (off > UINT64_MAX - mr->alias_offset) {
            return;
        }
        flat_render(flat, mr->alias, lo, hi, off + mr->alias_offset, depth + 1);
        break;
    case MR_CONTAINER:
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);
            uint64_t sub_last;
            uint64_t s;
            uint64_t e;

            if (!sub->enabled || sub->size == 0) {
                continue;
            }
            /* Container offsets the subregion occupies, clamped at 2^64. */
            sub_last =
                sub->addr + MIN(region_last(sub->size), UINT64_MAX - sub->addr);
            s = MAX(off, sub->addr);
            e = MIN(off + len, sub_last);
            if (s > e) {
                continue;
            }
            flat_render(flat, sub, lo + (s - off), lo + (e - off),
                        s - sub->addr, depth + 1);
        }
        break;
    }
}

/* Joins neighbours that continue the same region at consecutive offsets. */
static void flat_simplify(GArray *flat)
{
    guint i = 1;

    while (i < flat->len) {
        FlatRange *prev = &g_array_index(flat, FlatRange, i - 1);
        FlatRange *r = &g_array_index(flat, FlatRange, i);

        if (prev->mr == r->mr && prev->end + 1 == r->start &&
            prev->offset + (prev->end - prev->start) + 1 == r->offset) {
            prev->end = r->end;
            g_array_remove_index(flat, i);
            continue;
        }
        i++;
    }
}

void address_space_update(AddressSpace *as)
{
    if (as->flat && as->generation == memory_generation) {
        return;
    }
    if (!as->flat) {
        as->flat = g_array_new(FALSE, FALSE, sizeof(FlatRange));
    }
    g_array_set_size(as->flat, 0);
    as->last = NULL;
    if (as->root) {
        flat_render(as->flat, as->root, 0, UINT64_MAX, 0, 0);
        flat_simplify(as->flat);
    }
    as->generation = memory_generation;
}

AddressSpace *address_space_system(void)
{
    if (!system_as) {
        system_as = g_new0(AddressSpace, 1);
        system_as->name = g_strdup("memory");
        system_as->root =
            memory_region_new_container(NULL, "system", UINT64_MAX);
    }
    return system_as;
}

MemoryRegion *memory_system_root(void)
{
    return address_space_system()->root;
}

void memory_reset_for_test(void)
{
    MemoryRegion *root = memory_system_root();

    while (root->subregions->len > 0) {
        memory_region_del_subregion(
            root,
            g_ptr_array_index(root->subregions, root->subregions->len - 1));
    }
    memory_origin = MEM_ORIGIN_OTHER;
    address_space_update(system_as);
}

/* Index of the first flat range whose end is >= @addr (may be len). */
static guint flat_search(const GArray *flat, hwaddr addr)
{
    guint lo = 0;
    guint hi = flat->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (g_array_index(flat, FlatRange, mid).end < addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr)
{
    const FlatRange *r;
    guint i;

    address_space_update(as);
    if (as->last && as->last->start <= addr && addr <= as->last->end) {
        return as->last;
    }
    i = flat_search(as->flat, addr);
    if (i >= as->flat->len) {
        return NULL;
    }
    r = &g_array_index(as->flat, FlatRange, i);
    if (r->start > addr) {
        return NULL;
    }
    as->last = r;
    return r;
}

/* ---- integer accesses ---- */

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static uint64_t ld_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (i * 8);
    }
    return v;
}

static void st_le(uint8_t *p, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = (uint8_t)(v >> (i * 8));
    }
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static unsigned mmio_min(const MemoryRegion *mr)
{
    return mr->ops && mr->ops->min_access ? mr->ops->min_access : 1;
}

static unsigned mmio_max(const MemoryRegion *mr)
{
    return mr->ops && mr->ops->max_access ? mr->ops->max_access : 8;
}

/* Checks an MMIO access of @size at region offset @off. */
static bool mmio_access_ok(const MemoryRegion *mr, hwaddr off, unsigned size)
{
    if (!valid_size(size) || size < mmio_min(mr) || size > mmio_max(mr)) {
        return false;
    }
    if (!(mr->ops && mr->ops->unaligned) && (off & (size - 1)) != 0) {
        return false;
    }
    return off <= region_last(mr->size) &&
           size - 1 <= region_last(mr->size) - off;
}

static MemTxResult mmio_read(MemoryRegion *mr, hwaddr off, unsigned size,
                             uint64_t *val)
{
    MemTxResult res;

    *val = 0;
    if (!mr->ops || !mr->ops->read) {
        return MEMTX_OK;
    }
    if (mr->ops->impl_max && size > mr->ops->impl_max) {
        unsigned piece = mr->ops->impl_max;

        for (unsigned done = 0; done < size; done += piece) {
            uint64_t v = 0;

            res = mr->ops->read(mr->opaque, off + done, piece, &v);
            if (res != MEMTX_OK) {
                *val = 0;
                return res;
            }
            *val |= (v & size_mask(piece)) << (8 * done);
        }
        return MEMTX_OK;
    }
    res = mr->ops->read(mr->opaque, off, size, val);
    if (res != MEMTX_OK) {
        *val = 0;
    }
    *val &= size_mask(size);
    return res;
}

static MemTxResult mmio_write(MemoryRegion *mr, hwaddr off, unsigned size,
                              uint64_t val)
{
    if (!mr->ops || !mr->ops->write) {
        return MEMTX_OK;
    }
    if (mr->ops->impl_max && size > mr->ops->impl_max) {
        unsigned piece = mr->ops->impl_max;

        for (unsigned done = 0; done < size; done += piece) {
            MemTxResult res =
                mr->ops->write(mr->opaque, off + done, piece,
                               (val >> (8 * done)) & size_mask(piece));

            if (res != MEMTX_OK) {
                return res;
            }
        }
        return MEMTX_OK;
    }
    return mr->ops->write(mr->opaque, off, size, val & size_mask(size));
}

/* Does the access of @size at @addr stay inside @r? */
static bool range_holds(const FlatRange *r, hwaddr addr, unsigned size)
{
    return size - 1 <= r->end - addr;
}

static MemTxResult ld_one(AddressSpace *as, hwaddr addr, unsigned size,
                          uint64_t *val, bool bytewise);
static MemTxResult st_one(AddressSpace *as, hwaddr addr, unsigned size,
                          uint64_t val, bool bytewise);

static MemTxResult ld_one(AddressSpace *as, hwaddr addr, unsigned size,
                          uint64_t *val, bool bytewise)
{
    const FlatRange *r = address_space_lookup(as, addr);
    hwaddr off;

    *val = 0;
    if (!r) {
        return MEMTX_DECODE_ERROR;
    }
    off = r->offset + (addr - r->start);
    if (r->mr->kind == MR_MMIO) {
        if (!range_holds(r, addr, size) || !mmio_access_ok(r->mr, off, size)) {
            return MEMTX_ACCESS_ERROR;
        }
        return mmio_read(r->mr, off, size, val);
    }
    if (range_holds(r, addr, size)) {
        *val = ld_le(r->mr->host + off, size);
        return MEMTX_OK;
    }
    if (bytewise) {
        return MEMTX_ACCESS_ERROR;
    }
    /* Crosses into another range: one byte at a time. */
    for (unsigned i = 0; i < size; i++) {
        uint64_t b;
        MemTxResult res = ld_one(as, addr + i, 1, &b, true);

        if (res != MEMTX_OK) {
            *val = 0;
            return res;
        }
        *val |= b << (i * 8);
    }
    return MEMTX_OK;
}

static MemTxResult st_one(AddressSpace *as, hwaddr addr, unsigned size,
                          uint64_t val, bool bytewise)
{
    const FlatRange *r = address_space_lookup(as, addr);
    hwaddr off;

    if (!r) {
        return MEMTX_DECODE_ERROR;
    }
    off = r->offset + (addr - r->start);
    if (r->mr->kind == MR_MMIO) {
        if (!range_holds(r, addr, size) || !mmio_access_ok(r->mr, off, size)) {
            return MEMTX_ACCESS_ERROR;
        }
        return mmio_write(r->mr, off, size, val);
    }
    if (range_holds(r, addr, size)) {
        if (r->mr->kind == MR_RAM) {
            memory_region_notify_write(r->mr, off, size);
            st_le(r->mr->host + off, size, val);
        }
        return MEMTX_OK;
    }
    if (bytewise) {
        return MEMTX_ACCESS_ERROR;
    }
    for (unsigned i = 0; i < size; i++) {
        MemTxResult res = st_one(as, addr + i, 1, val >> (i * 8), true);

        if (res != MEMTX_OK) {
            return res;
        }
    }
    return MEMTX_OK;
}

MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *val)
{
    *val = 0;
    if (!valid_size(size)) {
        return MEMTX_ACCESS_ERROR;
    }
    return ld_one(as, addr, size, val, false);
}

MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t val)
{
    if (!valid_size(size)) {
        return MEMTX_ACCESS_ERROR;
    }
    return st_one(as, addr, size, val, false);
}

/* ---- raw byte transfers ---- */

/*
 * Width of the next MMIO access at region offset @off with @remaining
 * bytes to go: the widest power of two not above @remaining or max_access,
 * naturally aligned unless the region accepts unaligned accesses.
 */
static unsigned mmio_chunk(const MemoryRegion *mr, hwaddr off,
                           uint64_t remaining)
{
    unsigned size = 8;

    while (size > 1 &&
           (size > remaining || size > mmio_max(mr) ||
            (!(mr->ops && mr->ops->unaligned) && (off & (size - 1)) != 0))) {
        size >>= 1;
    }
    return size;
}

static MemTxResult address_space_rw(AddressSpace *as, hwaddr addr,
                                    uint8_t *rbuf, const uint8_t *wbuf,
                                    size_t len)
{
    MemTxResult result = MEMTX_OK;
    size_t done = 0;

    while (done < len) {
        hwaddr cur = addr + done;
        const FlatRange *r = address_space_lookup(as, cur);
        uint64_t left = len - done;
        uint64_t n;

        if (!r) {
            /* Unmapped up to the next range (or the end of the request). */
            guint i = flat_search(as->flat, cur);

            n = left;
            if (i < as->flat->len) {
                n = MIN(n, g_array_index(as->flat, FlatRange, i).start - cur);
            }
            if (rbuf) {
                memset(rbuf + done, 0, n);
            }
            if (result == MEMTX_OK) {
                result = MEMTX_DECODE_ERROR;
            }
            done += n;
            continue;
        }
        n = MIN(left - 1, r->end - cur) + 1;
        if (r->mr->kind == MR_MMIO) {
            hwaddr off = r->offset + (cur - r->start);
            unsigned size = mmio_chunk(r->mr, off, n);
            MemTxResult res;

            n = size;
            if (size < mmio_min(r->mr) || !mmio_access_ok(r->mr, off, size)) {
                res = MEMTX_ACCESS_ERROR;
                if (rbuf) {
                    memset(rbuf + done, 0, size);
                }
            } else if (rbuf) {
                uint64_t v;

                res = mmio_read(r->mr, off, size, &v);
                st_le(rbuf + done, size, v);
            } else {
                res = mmio_write(r->mr, off, size, ld_le(wbuf + done, size));
            }
            if (result == MEMTX_OK) {
                result = res;
            }
        } else {
            hwaddr off = r->offset + (cur - r->start);

            if (rbuf) {
                memcpy(rbuf + done, r->mr->host + off, n);
            } else if (r->mr->kind == MR_RAM) {
                memory_region_notify_write(r->mr, off, n);
                memcpy(r->mr->host + off, wbuf + done, n);
            }
        }
        done += n;
    }
    return result;
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               size_t len)
{
    return address_space_rw(as, addr, buf, NULL, len);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                                size_t len)
{
    return address_space_rw(as, addr, NULL, buf, len);
}

MemOrigin memory_get_origin(void)
{
    return memory_origin;
}

void memory_set_origin(MemOrigin origin)
{
    memory_origin = origin;
}

void address_space_foreach(AddressSpace *as,
                           void (*fn)(const FlatRange *r, void *opaque),
                           void *opaque)
{
    address_space_update(as);
    for (guint i = 0; i < as->flat->len; i++) {
        fn(&g_array_index(as->flat, FlatRange, i), opaque);
    }
}
