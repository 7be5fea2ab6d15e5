/* SPDX-License-Identifier: MIT */
/*
 * Registers by name for C qtests, resolved against the emulator's live
 * register map ("bt_regmap").  The parsed map is cached per QTestState and
 * emulator pid, so a state freed and reallocated at the same address never
 * sees a stale map.
 */
#include "harness/c/regmap.h"

#include <glib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "harness/c/libqmp.h"
#include "harness/c/libqtest.h"

typedef struct RegFieldInfo {
    const char *name;
    unsigned shift;
    unsigned width;
} RegFieldInfo;

typedef struct RegEntry {
    QTestReg reg;
    bool mapped;
    const char *device_name; /* last path component */
    GArray *fields;          /* RegFieldInfo */
} RegEntry;

typedef struct RegCache {
    pid_t pid;
    QDict *doc;       /* keeps every string alive */
    GPtrArray *regs;  /* RegEntry * */
    GPtrArray *names; /* device-name strings we allocated */
} RegCache;

static GHashTable *regmap_caches; /* QTestState * -> RegCache * */

static void regmap_entry_free(gpointer p)
{
    RegEntry *e = p;

    g_array_free(e->fields, true);
    g_free(e);
}

static void regmap_cache_free(gpointer p)
{
    RegCache *c = p;

    qobject_unref(c->doc);
    g_ptr_array_free(c->regs, true);
    g_ptr_array_free(c->names, true);
    g_free(c);
}

/* A number of the export: an integer, or a "0x..." string from 2^53 up. */
static uint64_t regmap_num(JsonObject *o, const char *key)
{
    JsonNode *n = json_object_get_member(o, key);

    if (!n || JSON_NODE_HOLDS_NULL(n)) {
        return 0;
    }
    if (json_node_get_value_type(n) == G_TYPE_STRING) {
        return g_ascii_strtoull(json_node_get_string(n), NULL, 0);
    }
    return (uint64_t)json_node_get_int(n);
}

static void regmap_add_register(RegCache *c, JsonObject *dev,
                                const char *dev_name, JsonObject *region,
                                JsonObject *r)
{
    RegEntry *e = g_new0(RegEntry, 1);
    JsonArray *fields = qdict_get_qlist(r, "fields");
    JsonNode *base = json_object_get_member(region, "base");
    unsigned min_access = (unsigned)regmap_num(region, "min-access");
    unsigned max_access = (unsigned)regmap_num(region, "max-access");
    unsigned size;

    e->device_name = dev_name;
    e->reg.device_path = qdict_get_str(dev, "path");
    e->reg.device_type = qdict_get_str(dev, "type");
    e->reg.region = qdict_get_str(region, "name");
    e->reg.name = qdict_get_str(r, "name");
    e->reg.offset = regmap_num(r, "offset");
    e->reg.width = (unsigned)regmap_num(r, "width");
    e->mapped = base && !JSON_NODE_HOLDS_NULL(base);
    e->reg.addr = (e->mapped ? regmap_num(region, "base") : 0) + e->reg.offset;
    size = e->reg.width;
    if (min_access && size < min_access) {
        size = min_access;
    }
    if (max_access && size > max_access) {
        size = max_access;
    }
    e->reg.access_size = size;
    e->reg.reset = regmap_num(r, "reset");
    e->reg.rw = regmap_num(r, "rw");
    e->reg.w1c = regmap_num(r, "w1c");
    e->reg.w1s = regmap_num(r, "w1s");
    e->reg.rc = regmap_num(r, "rc");
    e->reg.unimp = regmap_num(r, "unimp");
    e->reg.read_hook = qdict_get_bool(r, "read-hook");
    e->reg.write_hook = qdict_get_bool(r, "write-hook");
    e->fields = g_array_new(false, true, sizeof(RegFieldInfo));
    for (guint i = 0; fields && i < json_array_get_length(fields); i++) {
        JsonObject *f = json_array_get_object_element(fields, i);
        RegFieldInfo fi = {
            .name = qdict_get_str(f, "name"),
            .shift = (unsigned)regmap_num(f, "shift"),
            .width = (unsigned)regmap_num(f, "width"),
        };

        g_array_append_val(e->fields, fi);
    }
    g_ptr_array_add(c->regs, e);
}

/* Fetches and indexes the map; NULL with @errp set on failure. */
static RegCache *regmap_fetch(QTestState *qts, GError **errp)
{
    g_autofree char *reply = qtest_raw_cmd(qts, "bt_regmap");
    RegCache *c;
    JsonArray *devs;

    if (!g_str_has_prefix(reply, "OK ")) {
        g_set_error(errp, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                    "the emulator has no register map: 'bt_regmap' -> '%s'",
                    reply);
        return NULL;
    }
    c = g_new0(RegCache, 1);
    c->doc = qmp_json_parse(reply + 3, strlen(reply + 3), errp);
    if (!c->doc) {
        g_free(c);
        return NULL;
    }
    c->pid = qtest_pid(qts);
    c->regs = g_ptr_array_new_with_free_func(regmap_entry_free);
    c->names = g_ptr_array_new_with_free_func(g_free);
    devs = qdict_get_qlist(c->doc, "devices");
    for (guint i = 0; devs && i < json_array_get_length(devs); i++) {
        JsonObject *dev = json_array_get_object_element(devs, i);
        JsonArray *regions = qdict_get_qlist(dev, "regions");
        const char *path = qdict_get_str(dev, "path");
        const char *slash = strrchr(path, '/');
        char *dev_name = g_strdup(slash ? slash + 1 : path);

        g_ptr_array_add(c->names, dev_name);
        for (guint j = 0; regions && j < json_array_get_length(regions); j++) {
            JsonObject *region = json_array_get_object_element(regions, j);
            JsonArray *regs = qdict_get_qlist(region, "registers");

            for (guint k = 0; regs && k < json_array_get_length(regs); k++) {
                regmap_add_register(c, dev, dev_name, region,
                                    json_array_get_object_element(regs, k));
            }
        }
    }
    return c;
}

static RegCache *regmap_cache(QTestState *qts, GError **errp)
{
    RegCache *c;

    if (!regmap_caches) {
        regmap_caches = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                              NULL, regmap_cache_free);
    }
    c = g_hash_table_lookup(regmap_caches, qts);
    if (c && c->pid == qtest_pid(qts)) {
        return c;
    }
    c = regmap_fetch(qts, errp);
    if (c) {
        g_hash_table_replace(regmap_caches, qts, c);
    }
    return c;
}

/* Does @dev name the device of @e (last component, path suffix or path)? */
static bool regmap_dev_matches(const RegEntry *e, const char *dev)
{
    const char *path = e->reg.device_path;
    size_t plen = strlen(path);
    size_t dlen = strlen(dev);

    if (g_str_equal(dev, e->device_name) || g_str_equal(dev, path)) {
        return true;
    }
    return dlen < plen && path[plen - dlen - 1] == '/' &&
           g_str_equal(path + plen - dlen, dev);
}

/* Every known "DEVICE.REG" of @c whose device matches @dev (NULL: all). */
static char *regmap_known(RegCache *c, const char *dev)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (guint i = 0; i < c->regs->len; i++) {
        const RegEntry *e = g_ptr_array_index(c->regs, i);

        if (dev && !regmap_dev_matches(e, dev)) {
            continue;
        }
        g_string_append_printf(s, "%s%s.%s", s->len ? ", " : "", e->device_name,
                               e->reg.name);
    }
    return g_strdup(s->len ? s->str : "none");
}

static const RegEntry *regmap_find(RegCache *c, const char *name, GError **errp)
{
    const char *dot = strrchr(name, '.');
    g_autofree char *dev = NULL;
    g_autofree char *region = NULL;
    g_autofree char *known = NULL;
    const char *reg;
    const RegEntry *found = NULL;
    unsigned matches = 0;
    bool any_dev = false;

    if (!dot || dot == name || !dot[1]) {
        g_set_error(errp, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "register name '%s' is not DEVICE.REG", name);
        return NULL;
    }
    reg = dot + 1;
    dev = g_strndup(name, (gsize)(dot - name));
    for (int pass = 0; pass < 2 && !matches; pass++) {
        /* Pass 0: DEVICE.REGION.REG; pass 1: DEVICE.REG. */
        const char *d = dev;
        const char *rdot = strrchr(dev, '.');

        if (pass == 0) {
            if (!rdot) {
                continue;
            }
            g_free(region);
            region = g_strdup(rdot + 1);
            d = g_strndup(dev, (gsize)(rdot - dev));
        }
        for (guint i = 0; i < c->regs->len; i++) {
            const RegEntry *e = g_ptr_array_index(c->regs, i);

            if (!regmap_dev_matches(e, d)) {
                continue;
            }
            any_dev = true;
            if (pass == 0 && !g_str_equal(e->reg.region, region)) {
                continue;
            }
            if (g_str_equal(e->reg.name, reg)) {
                if (!found ||
                    !g_str_equal(found->reg.device_path, e->reg.device_path) ||
                    !g_str_equal(found->reg.region, e->reg.region)) {
                    matches++;
                }
                found = found ? found : e;
            }
        }
        if (d != dev) {
            g_free((char *)d);
        }
    }
    if (matches > 1) {
        g_set_error(errp, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "register name '%s' is ambiguous (use a longer path "
                    "or DEVICE.REGION.REG)",
                    name);
        return NULL;
    }
    if (!found) {
        known = regmap_known(c, any_dev ? dev : NULL);
        g_set_error(errp, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                    "no register '%s' (known: %s)", name, known);
        return NULL;
    }
    if (!found->mapped) {
        g_set_error(errp, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                    "register '%s': region %s of %s is not mapped", name,
                    found->reg.region, found->reg.device_path);
        return NULL;
    }
    return found;
}

static const RegEntry *regmap_entry(QTestState *qts, const char *name,
                                    GError **errp)
{
    RegCache *c = regmap_cache(qts, errp);

    return c ? regmap_find(c, name, errp) : NULL;
}

bool qtest_reg_lookup(QTestState *qts, const char *name, QTestReg *out,
                      GError **errp)
{
    const RegEntry *e = regmap_entry(qts, name, errp);

    if (!e) {
        return false;
    }
    *out = e->reg;
    return true;
}

/*
 * Fails the test with @msg (taken).  The message stays reachable until the
 * next failure: the failure hook may longjmp past any cleanup.
 */
static G_NORETURN void regmap_fail(char *msg)
{
    static char *last;

    g_free(last);
    last = msg;
    qtest_fail_test("%s", last);
}

/* The entry for @name, or a test failure. */
static const RegEntry *regmap_entry_or_fail(QTestState *qts, const char *name)
{
    GError *err = NULL;
    const RegEntry *e = regmap_entry(qts, name, &err);
    char *msg;

    if (!e) {
        msg = g_strdup(err->message);
        g_error_free(err);
        regmap_fail(msg);
    }
    return e;
}

static uint64_t regmap_width_mask(unsigned bytes)
{
    return bytes >= 8 ? UINT64_MAX : (UINT64_C(1) << (bytes * 8)) - 1;
}

uint64_t qtest_reg_addr(QTestState *qts, const char *name)
{
    return regmap_entry_or_fail(qts, name)->reg.addr;
}

static uint64_t regmap_read(QTestState *qts, const RegEntry *e)
{
    uint64_t v;

    switch (e->reg.access_size) {
    case 1:
        v = qtest_readb(qts, e->reg.addr);
        break;
    case 2:
        v = qtest_readw(qts, e->reg.addr);
        break;
    case 4:
        v = qtest_readl(qts, e->reg.addr);
        break;
    default:
        v = qtest_readq(qts, e->reg.addr);
        break;
    }
    return v & regmap_width_mask(e->reg.width);
}

uint64_t qtest_reg_read(QTestState *qts, const char *name)
{
    return regmap_read(qts, regmap_entry_or_fail(qts, name));
}

void qtest_reg_write(QTestState *qts, const char *name, uint64_t value)
{
    const RegEntry *e = regmap_entry_or_fail(qts, name);

    switch (e->reg.access_size) {
    case 1:
        qtest_writeb(qts, e->reg.addr, (uint8_t)value);
        break;
    case 2:
        qtest_writew(qts, e->reg.addr, (uint16_t)value);
        break;
    case 4:
        qtest_writel(qts, e->reg.addr, (uint32_t)value);
        break;
    default:
        qtest_writeq(qts, e->reg.addr, value);
        break;
    }
}

static char *regmap_message(const RegEntry *e, uint64_t want, uint64_t got,
                            uint64_t mask)
{
    GString *s = g_string_new(NULL);
    int digits = (int)e->reg.width * 2;
    uint64_t diff = (want ^ got) & mask;

    g_string_append_printf(s,
                           "%s.%s (%s %s, %s+0x%" PRIx64 " at 0x%" PRIx64
                           "): expected 0x%0*" PRIx64,
                           e->device_name, e->reg.name, e->reg.device_type,
                           e->reg.device_path, e->reg.region, e->reg.offset,
                           e->reg.addr, digits, want & mask);
    if (mask != regmap_width_mask(e->reg.width)) {
        g_string_append_printf(s, " under mask 0x%0*" PRIx64, digits, mask);
    }
    g_string_append_printf(s, ", read 0x%0*" PRIx64, digits, got);
    for (guint i = 0; i < e->fields->len; i++) {
        const RegFieldInfo *f = &g_array_index(e->fields, RegFieldInfo, i);
        uint64_t fmask =
            f->width >= 64 ? UINT64_MAX : (UINT64_C(1) << f->width) - 1;

        if (!(diff & (fmask << f->shift))) {
            continue;
        }
        if (f->width == 1) {
            g_string_append_printf(s, "; %s (bit %u)", f->name, f->shift);
        } else {
            g_string_append_printf(s, "; %s (bits %u:%u)", f->name,
                                   f->shift + f->width - 1, f->shift);
        }
        g_string_append_printf(s, ": expected 0x%" PRIx64 ", read 0x%" PRIx64,
                               (want >> f->shift) & fmask,
                               (got >> f->shift) & fmask);
    }
    return g_string_free(s, false);
}

char *qtest_reg_mismatch_message(QTestState *qts, const char *name,
                                 uint64_t want, uint64_t got, uint64_t mask)
{
    return regmap_message(regmap_entry_or_fail(qts, name), want, got, mask);
}

uint64_t qtest_reg_expect_mask(QTestState *qts, const char *name,
                               uint64_t value, uint64_t mask)
{
    const RegEntry *e = regmap_entry_or_fail(qts, name);
    uint64_t got = regmap_read(qts, e);

    mask &= regmap_width_mask(e->reg.width);
    if ((got & mask) != (value & mask)) {
        regmap_fail(regmap_message(e, value, got, mask));
    }
    return got;
}

uint64_t qtest_reg_expect(QTestState *qts, const char *name, uint64_t value)
{
    return qtest_reg_expect_mask(qts, name, value, UINT64_MAX);
}
