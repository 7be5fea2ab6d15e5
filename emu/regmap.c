/* SPDX-License-Identifier: MIT */
/*
 * Register tables: MMIO dispatch, masks, reset, tracing and coverage.
 *
 * A regmap region's MemoryRegion has regmap_ops and a RegRegion as opaque.
 * The register storage is an array of uint32_t or uint64_t inside the
 * device state, indexed like the table (RegionDesc.storage_offset and
 * storage_bytes).
 */
#include "emu/regmap.h"

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/device.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "emu/object.h"

static unsigned reg_width(const RegionDesc *rd, const RegDesc *r)
{
    unsigned w = r->width ? r->width : rd->reg_width;

    if (!w) {
        w = rd->storage_bytes;
    }
    return w ? MIN(w, 8u) : 4;
}

static uint64_t bytes_mask(unsigned bytes)
{
    return bytes >= 8 ? UINT64_MAX : (UINT64_C(1) << (bytes * 8)) - 1;
}

uint64_t regmap_width_mask(const RegionDesc *rd, const RegDesc *r)
{
    return bytes_mask(reg_width(rd, r));
}

static void *reg_storage(const RegRegion *rr)
{
    return (uint8_t *)rr->dev + rr->desc->storage_offset;
}

uint64_t regmap_get(const RegRegion *rr, unsigned i)
{
    g_assert(i < rr->desc->nregs);
    if (rr->desc->storage_bytes == 8) {
        return ((const uint64_t *)reg_storage(rr))[i];
    }
    return ((const uint32_t *)reg_storage(rr))[i];
}

void regmap_set(RegRegion *rr, unsigned i, uint64_t val)
{
    g_assert(i < rr->desc->nregs);
    if (rr->desc->storage_bytes == 8) {
        ((uint64_t *)reg_storage(rr))[i] = val;
    } else {
        ((uint32_t *)reg_storage(rr))[i] = (uint32_t)val;
    }
}

void regmap_reset(RegRegion *rr)
{
    for (unsigned i = 0; i < rr->desc->nregs; i++) {
        const RegDesc *r = &rr->desc->regs[i];

        regmap_set(rr, i, r->reset & regmap_width_mask(rr->desc, r));
    }
}

int regmap_find(const RegionDesc *rd, const char *name)
{
    for (unsigned i = 0; i < rd->nregs; i++) {
        if (rd->regs[i].name && g_str_equal(rd->regs[i].name, name)) {
            return (int)i;
        }
    }
    return -1;
}

/*
 * Name of the device for log lines: its canonical path once it is in the
 * composition tree, else its id or type name.
 */
static char *regmap_dev_path(const RegRegion *rr)
{
    const Object *obj = (const Object *)rr->dev;

    if (!obj) {
        return g_strdup("?");
    }
    if (obj->parent) {
        char *path = object_get_canonical_path(obj);

        if (path) {
            return path;
        }
    }
    if (rr->dev->id) {
        return g_strdup(rr->dev->id);
    }
    if (obj->cls && obj->cls->name) {
        return g_strdup(obj->cls->name);
    }
    return g_strdup("device");
}

/* Index of the register an access at @off goes to, or -1. */
static int regmap_select(const RegRegion *rr, hwaddr off, bool is_write)
{
    const RegionDesc *rd = rr->desc;
    unsigned dir = is_write ? REG_W : REG_R;

    if (rd->select) {
        int i = rd->select(rr->dev, off, is_write);

        return i >= 0 && (unsigned)i < rd->nregs ? i : -1;
    }
    for (unsigned i = 0; i < rd->nregs; i++) {
        const RegDesc *r = &rd->regs[i];

        if (off >= r->offset && off - r->offset < reg_width(rd, r) &&
            (r->access == 0 || (r->access & dir))) {
            return (int)i;
        }
    }
    return -1;
}

/*
 * Byte position of @off inside register @r; a selected register that does
 * not cover @off (a select hook's choice) is treated as accessed whole.
 */
static unsigned reg_pos(const RegionDesc *rd, const RegDesc *r, hwaddr off)
{
    if (off >= r->offset && off - r->offset < reg_width(rd, r)) {
        return (unsigned)(off - r->offset);
    }
    return 0;
}

static void regmap_invalid(const RegRegion *rr, const char *dir, hwaddr off,
                           unsigned size)
{
    g_autofree char *path = NULL;

    if (!log_enabled(LOG_GUEST_ERROR)) {
        return;
    }
    path = regmap_dev_path(rr);
    log_mask(LOG_GUEST_ERROR,
             "%s: invalid %s of size %u at offset 0x%" PRIx64 " (region %s)",
             path, dir, size, (uint64_t)off, rr->desc->name);
}

static void regmap_count(const RegRegion *rr, unsigned i, bool is_write)
{
    unsigned origin = memory_get_origin();

    if (!rr->counters || origin >= G_N_ELEMENTS(rr->counters[i].reads)) {
        return;
    }
    if (is_write) {
        rr->counters[i].writes[origin]++;
    } else {
        rr->counters[i].reads[origin]++;
    }
}

static MemTxResult regmap_read(void *opaque, hwaddr off, unsigned size,
                               uint64_t *val)
{
    RegRegion *rr = opaque;
    const RegionDesc *rd = rr->desc;
    const RegDesc *r;
    unsigned pos;
    uint64_t v;
    int i = regmap_select(rr, off, false);

    if (i < 0) {
        regmap_invalid(rr, "read", off, size);
        *val = 0;
        return MEMTX_OK;
    }
    r = &rd->regs[i];
    pos = reg_pos(rd, r, off);
    v = r->read ? r->read(rr->dev, r) : regmap_get(rr, (unsigned)i);
    v &= regmap_width_mask(rd, r);
    if (r->rc) {
        regmap_set(rr, (unsigned)i, regmap_get(rr, (unsigned)i) & ~r->rc);
    }
    regmap_count(rr, (unsigned)i, false);
    if (log_enabled(LOG_REGS)) {
        g_autofree char *path = regmap_dev_path(rr);

        log_mask(LOG_REGS, "%s %s read 0x%" PRIx64, path, r->name, v);
    }
    *val = (v >> (pos * 8)) & bytes_mask(size);
    return MEMTX_OK;
}

/*
 * Default store of @merged into register @i: rw bits take the new value,
 * w1c bits written as 1 clear, w1s bits written as 1 set.  Only the bits
 * in @cover (the bytes the access wrote) take part.
 */
static void regmap_store(RegRegion *rr, unsigned i, uint64_t old,
                         uint64_t merged, uint64_t cover)
{
    const RegDesc *r = &rr->desc->regs[i];
    uint64_t written = merged & cover;
    uint64_t nv = (old & ~(r->rw & cover)) | (written & r->rw);

    nv &= ~(written & r->w1c);
    nv |= written & r->w1s;
    regmap_set(rr, i, nv & regmap_width_mask(rr->desc, r));
    if ((written & r->unimp) && log_enabled(LOG_UNIMP)) {
        g_autofree char *path = regmap_dev_path(rr);

        log_mask(LOG_UNIMP,
                 "%s: unimplemented bits 0x%" PRIx64 " written to %s "
                 "(value 0x%" PRIx64 ")",
                 path, written & r->unimp, r->name, merged);
    }
}

static MemTxResult regmap_write(void *opaque, hwaddr off, unsigned size,
                                uint64_t val)
{
    RegRegion *rr = opaque;
    const RegionDesc *rd = rr->desc;
    const RegDesc *r;
    uint64_t wmask;
    uint64_t cover; /* register bits this access writes */
    uint64_t old;
    uint64_t merged;
    unsigned pos;
    int i = regmap_select(rr, off, true);

    if (i < 0) {
        regmap_invalid(rr, "write", off, size);
        return MEMTX_OK;
    }
    r = &rd->regs[i];
    pos = reg_pos(rd, r, off);
    wmask = regmap_width_mask(rd, r);
    cover = (bytes_mask(size) << (pos * 8)) & wmask;
    old = regmap_get(rr, (unsigned)i) & wmask;
    merged = (old & ~cover) | ((val << (pos * 8)) & cover);

    regmap_count(rr, (unsigned)i, true);
    if (log_enabled(LOG_REGS)) {
        g_autofree char *path = regmap_dev_path(rr);

        log_mask(LOG_REGS, "%s %s write 0x%" PRIx64, path, r->name, merged);
    }
    if (r->write) {
        r->write(rr->dev, r, merged);
        return MEMTX_OK;
    }
    regmap_store(rr, (unsigned)i, old, merged, cover);
    if (r->post_write) {
        r->post_write(rr->dev, r, old);
    }
    return MEMTX_OK;
}

const MemoryRegionOps regmap_ops = {
    .read = regmap_read,
    .write = regmap_write,
    .min_access = 1,
    .max_access = 8,
};
