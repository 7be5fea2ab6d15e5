/* SPDX-License-Identifier: MIT */
/*
 * Register maps and coverage counters as JSON, built from the same
 * RegionDesc/RegDesc tables that drive MMIO dispatch, so what a client sees
 * is what the guest gets.
 */
#include "emu/regmap-json.h"

#include <glib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/machine.h"

static Object *regmap_json_machine(void)
{
    return object_get_child(object_get_root(), "machine");
}

/* -M name of the machine ("virt"), its type name if not a Machine, or NULL. */
static const char *regmap_json_machine_name(void)
{
    Object *m = regmap_json_machine();

    if (!m) {
        return NULL;
    }
    if (object_dynamic_cast(m, TYPE_MACHINE) &&
        MACHINE_GET_CLASS(m)->machine_name) {
        return MACHINE_GET_CLASS(m)->machine_name;
    }
    return object_type_name(m);
}

static void regmap_json_collect(Device *dev, void *opaque)
{
    g_ptr_array_add(opaque, dev);
}

/*
 * The devices @path selects (see regmap_json_maps()), in pre-order, as a
 * new array of borrowed pointers; NULL with @errp set if none matches.
 */
static GPtrArray *regmap_json_select(const char *path, GError **errp)
{
    GPtrArray *devs = g_ptr_array_new();
    Object *root = regmap_json_machine();
    Device *dev;
    bool ambiguous = false;

    if (path) {
        root = object_resolve_path(path, &ambiguous);
        if (!root) {
            if (ambiguous) {
                g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                            "Path '%s' is ambiguous", path);
            } else {
                g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                            "Device '%s' not found", path);
            }
            g_ptr_array_free(devs, true);
            return NULL;
        }
        dev = (Device *)object_dynamic_cast(root, TYPE_DEVICE);
        if (dev) {
            if (!dev->realized) {
                g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                            "Device '%s' not found", path);
                g_ptr_array_free(devs, true);
                return NULL;
            }
            g_ptr_array_add(devs, dev);
            return devs;
        }
    }
    if (root) {
        device_foreach(root, regmap_json_collect, devs);
    }
    return devs;
}

/* Member @name = @v: an integer below 2^53, else a "0x%016x" string. */
static void regmap_json_add_u64(JsonBuilder *b, const char *name, uint64_t v)
{
    json_builder_set_member_name(b, name);
    if (v < REGMAP_JSON_MAX_INT) {
        json_builder_add_int_value(b, (gint64)v);
    } else {
        char buf[24];

        snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
        json_builder_add_string_value(b, buf);
    }
}

/* Member @name = @s, or null when @s is NULL. */
static void regmap_json_add_str(JsonBuilder *b, const char *name, const char *s)
{
    json_builder_set_member_name(b, name);
    if (s) {
        json_builder_add_string_value(b, s);
    } else {
        json_builder_add_null_value(b);
    }
}

static void regmap_json_add_bool(JsonBuilder *b, const char *name, bool v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, v);
}

static const char *regmap_json_access(const RegDesc *r)
{
    switch (r->access & REG_RW) {
    case REG_R:
        return "r";
    case REG_W:
        return "w";
    default:
        return "rw";
    }
}

/* "path" and "type" members of @dev's object. */
static void regmap_json_add_dev_ids(JsonBuilder *b, Device *dev)
{
    g_autofree char *path = object_get_canonical_path(&dev->obj);

    regmap_json_add_str(b, "path", path);
    regmap_json_add_str(b, "type", object_type_name(&dev->obj));
}

static void regmap_json_add_fields(JsonBuilder *b, const RegField *fields)
{
    json_builder_set_member_name(b, "fields");
    json_builder_begin_array(b);
    for (const RegField *f = fields; f && f->name; f++) {
        json_builder_begin_object(b);
        regmap_json_add_str(b, "name", f->name);
        regmap_json_add_u64(b, "shift", f->shift);
        regmap_json_add_u64(b, "width", f->width);
        regmap_json_add_str(b, "desc", f->desc);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static void regmap_json_add_reg(JsonBuilder *b, const RegionDesc *rd,
                                const RegDesc *r)
{
    uint64_t wmask = regmap_width_mask(rd, r);

    json_builder_begin_object(b);
    regmap_json_add_str(b, "name", r->name);
    regmap_json_add_u64(b, "offset", r->offset);
    regmap_json_add_u64(b, "width", (uint64_t)__builtin_popcountll(wmask) / 8);
    regmap_json_add_str(b, "access", regmap_json_access(r));
    regmap_json_add_u64(b, "reset", r->reset & wmask);
    regmap_json_add_u64(b, "rw", r->rw & wmask);
    regmap_json_add_u64(b, "w1c", r->w1c & wmask);
    regmap_json_add_u64(b, "w1s", r->w1s & wmask);
    regmap_json_add_u64(b, "rc", r->rc & wmask);
    regmap_json_add_u64(b, "unimp", r->unimp & wmask);
    regmap_json_add_bool(b, "read-hook", r->read != NULL);
    regmap_json_add_bool(b, "write-hook",
                         r->write != NULL || r->post_write != NULL);
    regmap_json_add_str(b, "desc", r->desc);
    regmap_json_add_fields(b, r->fields);
    json_builder_end_object(b);
}

static void regmap_json_add_region(JsonBuilder *b, const RegRegion *rr)
{
    const RegionDesc *rd = rr->desc;

    json_builder_begin_object(b);
    regmap_json_add_str(b, "name", rd->name);
    if (rr->mapped_at == (hwaddr)-1) {
        json_builder_set_member_name(b, "base");
        json_builder_add_null_value(b);
    } else {
        regmap_json_add_u64(b, "base", rr->mapped_at);
    }
    regmap_json_add_u64(b, "size", rd->size);
    regmap_json_add_u64(b, "min-access", rd->min_access ? rd->min_access : 1);
    regmap_json_add_u64(b, "max-access", rd->max_access ? rd->max_access : 8);
    json_builder_set_member_name(b, "registers");
    json_builder_begin_array(b);
    for (unsigned i = 0; i < rd->nregs; i++) {
        if (rd->regs[i].name) {
            regmap_json_add_reg(b, rd, &rd->regs[i]);
        }
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

JsonNode *regmap_json_maps(const char *path, GError **errp)
{
    g_autoptr(GPtrArray) devs = regmap_json_select(path, errp);
    g_autoptr(JsonBuilder) b = NULL;

    if (!devs) {
        return NULL;
    }
    b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < devs->len; i++) {
        Device *dev = g_ptr_array_index(devs, i);

        json_builder_begin_object(b);
        regmap_json_add_dev_ids(b, dev);
        json_builder_set_member_name(b, "regions");
        json_builder_begin_array(b);
        for (guint j = 0; j < dev->regions->len; j++) {
            regmap_json_add_region(b, g_ptr_array_index(dev->regions, j));
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static void regmap_json_add_counters(JsonBuilder *b, const RegRegion *rr,
                                     unsigned i)
{
    static const struct {
        MemOrigin origin;
        const char *reads;
        const char *writes;
    } origins[] = {
        {MEM_ORIGIN_QTEST, "qtest-reads", "qtest-writes"},
        {MEM_ORIGIN_HART, "hart-reads", "hart-writes"},
        {MEM_ORIGIN_OTHER, "other-reads", "other-writes"},
    };
    const RegCounters *c = rr->counters ? &rr->counters[i] : NULL;

    json_builder_begin_object(b);
    regmap_json_add_str(b, "region", rr->desc->name);
    regmap_json_add_str(b, "name", rr->desc->regs[i].name);
    for (size_t k = 0; k < G_N_ELEMENTS(origins); k++) {
        unsigned o = origins[k].origin;

        regmap_json_add_u64(b, origins[k].reads, c ? c->reads[o] : 0);
        regmap_json_add_u64(b, origins[k].writes, c ? c->writes[o] : 0);
    }
    json_builder_end_object(b);
}

JsonNode *regmap_json_coverage(const char *path, const char *tag, GError **errp)
{
    g_autoptr(GPtrArray) devs = regmap_json_select(path, errp);
    g_autoptr(JsonBuilder) b = NULL;

    if (!devs) {
        return NULL;
    }
    if (!tag) {
        tag = getenv("BENCHTOP_REGCOV_TAG");
    }
    b = json_builder_new();
    json_builder_begin_object(b);
    regmap_json_add_str(b, "tag", tag ? tag : "");
    regmap_json_add_u64(b, "pid", (uint64_t)getpid());
    regmap_json_add_str(b, "machine", regmap_json_machine_name());
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < devs->len; i++) {
        Device *dev = g_ptr_array_index(devs, i);

        json_builder_begin_object(b);
        regmap_json_add_dev_ids(b, dev);
        json_builder_set_member_name(b, "registers");
        json_builder_begin_array(b);
        for (guint j = 0; j < dev->regions->len; j++) {
            const RegRegion *rr = g_ptr_array_index(dev->regions, j);

            for (unsigned k = 0; k < rr->desc->nregs; k++) {
                if (rr->desc->regs[k].name) {
                    regmap_json_add_counters(b, rr, k);
                }
            }
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static void regmap_json_reset_dev(Device *dev, void *opaque)
{
    for (guint i = 0; i < dev->regions->len; i++) {
        RegRegion *rr = g_ptr_array_index(dev->regions, i);

        if (rr->counters) {
            memset(rr->counters, 0, sizeof(RegCounters) * rr->desc->nregs);
        }
    }
}

void regmap_coverage_reset(void)
{
    Object *m = regmap_json_machine();

    if (m) {
        device_foreach(m, regmap_json_reset_dev, NULL);
    }
}

char *regmap_json_compact(JsonNode *node)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();

    json_generator_set_pretty(gen, false);
    json_generator_set_root(gen, node);
    return json_generator_to_data(gen, NULL);
}
