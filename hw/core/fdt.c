/* SPDX-License-Identifier: MIT */
/*
 * The guest's flattened device tree (see fdt.h): a libfdt read-write tree
 * in a fixed buffer, phandles handed out on demand, and the helpers that
 * device hooks use to describe themselves.
 */
#include "hw/core/fdt.h"

#include <glib.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emu/device.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "emu/object.h"

struct FdtContext {
    void *blob;
    size_t size;
    Object *root;
    char *bus;
    GError *err;          /* first failure */
    GPtrArray *paths;     /* char *, returned by fdt_add_node */
    GHashTable *phandles; /* Device * -> phandle */
    GHashTable *set;      /* phandles some node has set */
    uint32_t last_phandle;
};

static void fdt_ctx_fail(FdtContext *ctx, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void fdt_ctx_fail(FdtContext *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->err) {
        return;
    }
    va_start(ap, fmt);
    ctx->err = g_error_new_valist(EMU_ERROR, EMU_ERROR_GENERIC, fmt, ap);
    va_end(ap);
}

static FdtContext *fdt_ctx_alloc(Object *root, void *blob, size_t size)
{
    FdtContext *ctx = g_new0(FdtContext, 1);

    ctx->blob = blob;
    ctx->size = size;
    ctx->root = root;
    ctx->bus = g_strdup("/");
    ctx->paths = g_ptr_array_new_with_free_func(g_free);
    ctx->phandles = g_hash_table_new(NULL, NULL);
    ctx->set = g_hash_table_new(NULL, NULL);
    return ctx;
}

FdtContext *fdt_ctx_new(Object *root, const char *bus)
{
    void *blob = g_malloc0(FDT_BUF_SIZE);
    FdtContext *ctx;
    int ret = fdt_create_empty_tree(blob, FDT_BUF_SIZE);

    g_assert(ret == 0); /* a fixed, large enough buffer */
    ctx = fdt_ctx_alloc(root, blob, FDT_BUF_SIZE);
    g_free(ctx->bus);
    ctx->bus = g_strdup(bus);
    return ctx;
}

FdtContext *fdt_ctx_new_from_file(Object *root, const char *path, GError **errp)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    void *blob;
    size_t size;
    int ret;

    if (!g_file_get_contents(path, &data, &len, NULL)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to get size of device tree file '%s'\n"
                    "%s: load_device_tree() failed",
                    path, log_progname());
        return NULL;
    }
    if (len > 64 * 1024 * 1024) {
        ret = -FDT_ERR_TRUNCATED;
    } else {
        size = len + FDT_FILE_EXTRA;
        blob = g_malloc0(size);
        ret = fdt_open_into(data, blob, (int)size);
        if (ret == 0) {
            return fdt_ctx_alloc(root, blob, size);
        }
        g_free(blob);
    }
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "load_device_tree: Unable to copy device tree into memory: "
                "%s\n%s: load_device_tree() failed",
                fdt_strerror(ret), log_progname());
    return NULL;
}

void fdt_ctx_free(FdtContext *ctx)
{
    if (!ctx) {
        return;
    }
    g_free(ctx->blob);
    g_free(ctx->bus);
    g_clear_error(&ctx->err);
    g_ptr_array_free(ctx->paths, true);
    g_hash_table_destroy(ctx->phandles);
    g_hash_table_destroy(ctx->set);
    g_free(ctx);
}

void *fdt_ctx_blob(FdtContext *ctx)
{
    return ctx->blob;
}

size_t fdt_ctx_buf_size(const FdtContext *ctx)
{
    return ctx->size;
}

bool fdt_ctx_check(FdtContext *ctx, GError **errp)
{
    if (ctx->err) {
        g_propagate_error(errp, ctx->err);
        ctx->err = NULL;
        return false;
    }
    return true;
}

bool fdt_ctx_finish(FdtContext *ctx, GError **errp)
{
    GHashTableIter it;
    gpointer key, value;
    int ret;

    if (!fdt_ctx_check(ctx, errp)) {
        return false;
    }
    g_hash_table_iter_init(&it, ctx->phandles);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        if (!g_hash_table_contains(ctx->set, value)) {
            g_autofree char *p = object_get_canonical_path(key);

            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "device tree: %s is referenced but has no node", p);
            return false;
        }
    }
    ret = fdt_pack(ctx->blob);
    if (ret != 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "device tree: fdt_pack: %s", fdt_strerror(ret));
        return false;
    }
    return true;
}

/* The offset of @path, or -1 with an error recorded. */
static int fdt_ctx_offset(FdtContext *ctx, const char *path)
{
    int off;

    if (ctx->err) {
        return -1;
    }
    off = fdt_path_offset(ctx->blob, path);
    if (off < 0) {
        fdt_ctx_fail(ctx, "device tree: no node %s: %s", path,
                     fdt_strerror(off));
        return -1;
    }
    return off;
}

const char *fdt_ctx_add_node(FdtContext *ctx, const char *parent,
                             const char *fmt, ...)
{
    g_autofree char *name = NULL;
    char *path;
    va_list ap;
    int poff, ret;

    va_start(ap, fmt);
    name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    path = g_strdup_printf("%s/%s", strcmp(parent, "/") ? parent : "", name);
    g_ptr_array_add(ctx->paths, path);
    poff = fdt_ctx_offset(ctx, parent);
    if (poff < 0) {
        return path;
    }
    ret = fdt_add_subnode(ctx->blob, poff, name);
    if (ret < 0 && ret != -FDT_ERR_EXISTS) {
        fdt_ctx_fail(ctx, "device tree: cannot add %s: %s", path,
                     fdt_strerror(ret));
    }
    return path;
}

bool fdt_device_base(Device *dev, hwaddr *base)
{
    const DeviceClass *dc = DEVICE_GET_CLASS(dev);
    MemoryRegion *mr;

    if (!dc->regions[0].name) {
        return false;
    }
    mr = device_region(dev, dc->regions[0].name);
    if (!mr || mr->container != memory_system_root()) {
        return false;
    }
    *base = mr->addr;
    return true;
}

const char *fdt_ctx_add_device_node(FdtContext *ctx, Device *dev,
                                    const char *name)
{
    hwaddr base = 0;

    if (!fdt_device_base(dev, &base)) {
        g_autofree char *p = object_get_canonical_path(&dev->obj);

        fdt_ctx_fail(ctx, "device tree: %s is not mapped", p);
    }
    return fdt_ctx_add_node(ctx, ctx->bus, "%s@%" G_GINT64_MODIFIER "x", name,
                            (guint64)base);
}

typedef struct FdtFind {
    hwaddr addr;
    Device *found;
} FdtFind;

static void fdt_find_cb(Device *dev, void *opaque)
{
    FdtFind *f = opaque;
    hwaddr base;

    if (!f->found && fdt_device_base(dev, &base) && base == f->addr) {
        f->found = dev;
    }
}

Device *fdt_ctx_find_device_at(FdtContext *ctx, hwaddr addr)
{
    FdtFind f = {.addr = addr};

    device_foreach(ctx->root, fdt_find_cb, &f);
    return f.found;
}

void fdt_ctx_setprop(FdtContext *ctx, const char *path, const char *name,
                     const void *val, size_t len)
{
    int off = fdt_ctx_offset(ctx, path);
    int ret;

    if (off < 0) {
        return;
    }
    ret = fdt_setprop(ctx->blob, off, name, val, (int)len);
    if (ret < 0) {
        fdt_ctx_fail(ctx, "device tree: cannot set %s/%s: %s", path, name,
                     fdt_strerror(ret));
    }
}

void fdt_ctx_setprop_empty(FdtContext *ctx, const char *path, const char *name)
{
    fdt_ctx_setprop(ctx, path, name, NULL, 0);
}

void fdt_ctx_setprop_cell(FdtContext *ctx, const char *path, const char *name,
                          uint32_t val)
{
    fdt_ctx_setprop_cells(ctx, path, name, &val, 1);
}

void fdt_ctx_setprop_cells(FdtContext *ctx, const char *path, const char *name,
                           const uint32_t *cells, size_t n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, n ? n : 1);

    for (size_t i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fdt_ctx_setprop(ctx, path, name, be, n * sizeof(fdt32_t));
}

void fdt_ctx_setprop_string(FdtContext *ctx, const char *path, const char *name,
                            const char *val)
{
    fdt_ctx_setprop(ctx, path, name, val, strlen(val) + 1);
}

void fdt_ctx_setprop_strings(FdtContext *ctx, const char *path,
                             const char *name, ...)
{
    g_autoptr(GString) list = g_string_new(NULL);
    const char *s;
    va_list ap;

    va_start(ap, name);
    while ((s = va_arg(ap, const char *)) != NULL) {
        g_string_append_len(list, s, (gssize)strlen(s) + 1);
    }
    va_end(ap);
    fdt_ctx_setprop(ctx, path, name, list->str, list->len);
}

void fdt_ctx_setprop_reg(FdtContext *ctx, const char *path, uint64_t addr,
                         uint64_t size)
{
    const uint32_t cells[] = {
        (uint32_t)(addr >> 32),
        (uint32_t)addr,
        (uint32_t)(size >> 32),
        (uint32_t)size,
    };

    fdt_ctx_setprop_cells(ctx, path, "reg", cells, G_N_ELEMENTS(cells));
}

uint32_t fdt_ctx_alloc_phandle(FdtContext *ctx)
{
    if (ctx->last_phandle == 0) {
        /* a tree read from a file may already use some */
        uint32_t max = fdt_get_max_phandle(ctx->blob);

        ctx->last_phandle = max == (uint32_t)-1 ? 0 : max;
    }
    return ++ctx->last_phandle;
}

uint32_t fdt_ctx_phandle(FdtContext *ctx, Device *dev)
{
    gpointer v = g_hash_table_lookup(ctx->phandles, dev);

    if (!v) {
        v = GUINT_TO_POINTER(fdt_ctx_alloc_phandle(ctx));
        g_hash_table_insert(ctx->phandles, dev, v);
    }
    return GPOINTER_TO_UINT(v);
}

void fdt_ctx_bind_phandle(FdtContext *ctx, Device *dev, uint32_t phandle)
{
    g_assert(!g_hash_table_contains(ctx->phandles, dev));
    g_hash_table_insert(ctx->phandles, dev, GUINT_TO_POINTER(phandle));
    g_hash_table_add(ctx->set, GUINT_TO_POINTER(phandle));
}

void fdt_ctx_set_phandle(FdtContext *ctx, const char *path, Device *dev)
{
    uint32_t ph = fdt_ctx_phandle(ctx, dev);

    fdt_ctx_setprop_cell(ctx, path, "phandle", ph);
    g_hash_table_add(ctx->set, GUINT_TO_POINTER(ph));
}

/* The device that owns input line @in (its handler's opaque). */
static Device *fdt_line_owner(IrqLine *in)
{
    Object *obj = in ? in->opaque : NULL;

    return obj ? (Device *)object_dynamic_cast(obj, TYPE_DEVICE) : NULL;
}

void fdt_ctx_set_interrupts(FdtContext *ctx, const char *path, Device *dev,
                            const char *line)
{
    IrqLine *out = device_irq_out(dev, line);
    Device *parent = out ? fdt_line_owner(out->sink) : NULL;

    if (!parent) {
        return;
    }
    fdt_ctx_setprop_cell(ctx, path, "interrupt-parent",
                         fdt_ctx_phandle(ctx, parent));
    fdt_ctx_setprop_cell(ctx, path, "interrupts", (uint32_t)out->sink->n);
}

void fdt_ctx_append_irq_cells(FdtContext *ctx, GArray *cells, IrqLine *out)
{
    Device *parent = out ? fdt_line_owner(out->sink) : NULL;
    uint32_t c[2];

    if (!parent) {
        fdt_ctx_fail(ctx, "device tree: interrupt line not connected");
        return;
    }
    c[0] = fdt_ctx_phandle(ctx, parent);
    c[1] = (uint32_t)out->sink->n;
    g_array_append_vals(cells, c, 2);
}

void fdt_ctx_set_chosen(FdtContext *ctx, const char *bootargs,
                        uint64_t initrd_start, uint64_t initrd_end)
{
    const char *chosen = fdt_ctx_add_node(ctx, "/", "chosen");

    if (bootargs && *bootargs) {
        fdt_ctx_setprop_string(ctx, chosen, "bootargs", bootargs);
    }
    if (initrd_end > initrd_start) {
        fdt_ctx_setprop_cell(ctx, chosen, "linux,initrd-start",
                             (uint32_t)initrd_start);
        fdt_ctx_setprop_cell(ctx, chosen, "linux,initrd-end",
                             (uint32_t)initrd_end);
    }
}

/*
 * Writes the blob to @path in place (not g_file_set_contents, whose
 * write-then-rename would replace a device node such as /dev/null with a
 * regular file).
 */
bool fdt_ctx_dump(FdtContext *ctx, const char *path, GError **errp)
{
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL;

    if (f) {
        ok = fwrite(ctx->blob, 1, ctx->size, f) == ctx->size;
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "qemu_fdt_dumpdtb: Failed dumping dtb to %s", path);
    }
    return ok;
}

void fdt_ctx_set_irq_extended(FdtContext *ctx, const char *path, Device *a,
                              const char *group_a, Device *b,
                              const char *group_b)
{
    IrqGroup *ga = device_irq_group(a, group_a, false);
    IrqGroup *gb = b ? device_irq_group(b, group_b, false) : NULL;
    g_autoptr(GArray) cells = g_array_new(false, false, sizeof(uint32_t));

    if (!ga || (b && !gb)) {
        fdt_ctx_fail(ctx, "device tree: no irq group %s",
                     ga ? group_b : group_a);
        return;
    }
    for (unsigned i = 0; i < ga->count; i++) {
        fdt_ctx_append_irq_cells(ctx, cells, &ga->lines[i]);
        if (gb) {
            fdt_ctx_append_irq_cells(ctx, cells,
                                     i < gb->count ? &gb->lines[i] : NULL);
        }
    }
    fdt_ctx_setprop_cells(ctx, path, "interrupts-extended",
                          (const uint32_t *)(void *)cells->data, cells->len);
}

typedef struct FdtWalk {
    FdtContext *ctx;
    GHashTable *done; /* Device * */
    GError *err;
} FdtWalk;

static void fdt_add_one(FdtWalk *w, Device *dev)
{
    bool (*hook)(Device *, FdtContext *, GError **) =
        DEVICE_GET_CLASS(dev)->fdt_node;

    if (w->err || g_hash_table_contains(w->done, dev)) {
        return;
    }
    g_hash_table_add(w->done, dev);
    if (hook && !hook(dev, w->ctx, &w->err)) {
        return;
    }
    if (!w->err && w->ctx->err) {
        fdt_ctx_check(w->ctx, &w->err);
    }
}

static void fdt_add_cb(Device *dev, void *opaque)
{
    fdt_add_one(opaque, dev);
}

bool fdt_ctx_add_device_nodes(FdtContext *ctx, const char *const *order,
                              GError **errp)
{
    FdtWalk w = {.ctx = ctx, .done = g_hash_table_new(NULL, NULL)};

    for (size_t i = 0; order && order[i]; i++) {
        Object *obj = object_get_child(ctx->root, order[i]);
        Device *dev =
            obj ? (Device *)object_dynamic_cast(obj, TYPE_DEVICE) : NULL;

        if (dev && dev->realized) {
            fdt_add_one(&w, dev);
        }
    }
    device_foreach(ctx->root, fdt_add_cb, &w);
    g_hash_table_destroy(w.done);
    if (w.err) {
        g_propagate_error(errp, w.err);
        return false;
    }
    return true;
}
