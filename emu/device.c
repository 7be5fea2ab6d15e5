/* SPDX-License-Identifier: MIT */
/*
 * Devices: realize turns the data in a DeviceClass (regions with register
 * tables, named IRQ lines) into per-instance memory regions and IRQ groups,
 * then runs the class hooks.  Lines and regions are found by name, never by
 * position, so boards, qtest and QMP share one vocabulary.
 */
#include "emu/device.h"

#include <glib.h>
#include <string.h>

/*
 * A regmap region together with the MMIO ops it is mapped with: the ops
 * are regmap_ops with the access rules of this region's RegionDesc.
 */
typedef struct DeviceRegRegion {
    RegRegion rr; /* must be first: handed out as RegRegion * */
    MemoryRegionOps ops;
} DeviceRegRegion;

static void device_instance_init(Object *obj)
{
    Device *dev = DEVICE(obj);

    dev->irq_groups = g_ptr_array_new();
    dev->regions = g_ptr_array_new();
    dev->extra_mrs = g_ptr_array_new();
}

static void device_unmap_free(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    memory_region_free(mr);
}

static void device_free_resources(Device *dev)
{
    while (dev->irq_groups->len > 0) {
        IrqGroup *g =
            g_ptr_array_steal_index(dev->irq_groups, dev->irq_groups->len - 1);

        g_free(g->lines);
        g_free(g->name);
        g_free(g);
    }
    while (dev->regions->len > 0) {
        DeviceRegRegion *drr =
            g_ptr_array_steal_index(dev->regions, dev->regions->len - 1);

        device_unmap_free(drr->rr.mr);
        g_free(drr->rr.counters);
        g_free(drr);
    }
    while (dev->extra_mrs->len > 0) {
        device_unmap_free(
            g_ptr_array_steal_index(dev->extra_mrs, dev->extra_mrs->len - 1));
    }
}

static void device_instance_finalize(Object *obj)
{
    Device *dev = DEVICE(obj);
    const DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dev->realized && dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    device_free_resources(dev);
    g_ptr_array_free(dev->irq_groups, TRUE);
    g_ptr_array_free(dev->regions, TRUE);
    g_ptr_array_free(dev->extra_mrs, TRUE);
    g_free(dev->id);
}

static const DeviceClass device_base_class = {
    .obj =
        {
            .name = TYPE_DEVICE,
            .parent = TYPE_OBJECT,
            .instance_size = sizeof(Device),
            .abstract = true,
            .desc = "base of every device",
            .instance_init = device_instance_init,
            .instance_finalize = device_instance_finalize,
        },
};

void device_register_types(void)
{
    object_register_types();
    if (!type_lookup(TYPE_DEVICE)) {
        type_register(&device_base_class.obj);
    }
}

void *device_check_cast(void *dev, const DeviceClass *cls)
{
    Object *obj = dev;

    if (!obj) {
        return NULL;
    }
    if (obj->cls == &cls->obj || type_is_a(obj->cls, cls->obj.name)) {
        return dev;
    }
    g_error("object of type '%s' is not a '%s'", obj->cls->name, cls->obj.name);
}

Device *device_new(const char *type_name, GError **errp)
{
    const ObjectClass *cls = type_lookup(type_name);

    if (!cls) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "'%s' is not a valid device model name", type_name);
        return NULL;
    }
    if (!type_is_a(cls, TYPE_DEVICE)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "'%s' is not a valid device model name", type_name);
        return NULL;
    }
    if (cls->abstract) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'driver' expects a non-abstract device type");
        return NULL;
    }
    return DEVICE(object_new(type_name, errp));
}

/* The name a message uses for @dev: its id, child name or type. */
static const char *device_label(const Device *dev)
{
    if (dev->id) {
        return dev->id;
    }
    if (dev->obj.name) {
        return dev->obj.name;
    }
    return object_type_name(&dev->obj);
}

static void device_create_region(Device *dev, const RegionDesc *desc)
{
    if (desc->regs) {
        DeviceRegRegion *drr = g_new0(DeviceRegRegion, 1);

        drr->ops = regmap_ops;
        drr->ops.min_access = desc->min_access ? desc->min_access : 1;
        drr->ops.max_access = desc->max_access ? desc->max_access : 8;
        drr->ops.unaligned = desc->unaligned;
        drr->ops.impl_max = desc->impl_max_access;
        drr->rr.desc = desc;
        drr->rr.dev = dev;
        drr->rr.counters = g_new0(RegCounters, desc->nregs);
        drr->rr.mapped_at = (hwaddr)-1;
        drr->rr.mr = memory_region_new_io(&dev->obj, desc->name, desc->size,
                                          &drr->ops, &drr->rr);
        g_ptr_array_add(dev->regions, drr);
    } else {
        g_assert(desc->ops);
        g_ptr_array_add(dev->extra_mrs,
                        memory_region_new_io(&dev->obj, desc->name, desc->size,
                                             desc->ops, dev));
    }
}

bool device_realize(Device *dev, GError **errp)
{
    const DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dev->realized) {
        return true;
    }
    for (unsigned i = 0; i < DEVICE_MAX_REGIONS && dc->regions[i].name; i++) {
        device_create_region(dev, &dc->regions[i]);
    }
    for (unsigned i = 0; i < DEVICE_MAX_IRQS && dc->irq_out[i]; i++) {
        device_init_irq_out(dev, dc->irq_out[i], 1);
    }
    for (unsigned i = 0; i < DEVICE_MAX_IRQS && dc->irq_in[i].name; i++) {
        device_init_irq_in(dev, dc->irq_in[i].name, dc->irq_in[i].count,
                           dc->irq_in[i].handler);
    }
    if (dc->realize && !dc->realize(dev, errp)) {
        device_free_resources(dev);
        return false;
    }
    dev->realized = true;
    device_reset(dev);
    return true;
}

void device_reset(Device *dev)
{
    const DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dev->realized) {
        return;
    }
    for (guint i = 0; i < dev->regions->len; i++) {
        regmap_reset(g_ptr_array_index(dev->regions, i));
    }
    if (dc->reset) {
        dc->reset(dev);
    }
}

static void device_reset_one(Device *dev, void *opaque)
{
    device_reset(dev);
}

void device_reset_tree(Object *root)
{
    device_foreach(root, device_reset_one, NULL);
}

RegRegion *device_regmap(Device *dev, const char *name)
{
    for (guint i = 0; i < dev->regions->len; i++) {
        RegRegion *rr = g_ptr_array_index(dev->regions, i);

        if (strcmp(rr->desc->name, name) == 0) {
            return rr;
        }
    }
    return NULL;
}

MemoryRegion *device_region(Device *dev, const char *name)
{
    RegRegion *rr = device_regmap(dev, name);

    if (rr) {
        return rr->mr;
    }
    for (guint i = 0; i < dev->extra_mrs->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(dev->extra_mrs, i);

        if (strcmp(mr->name, name) == 0) {
            return mr;
        }
    }
    return NULL;
}

void device_add_region(Device *dev, MemoryRegion *mr)
{
    g_ptr_array_add(dev->extra_mrs, mr);
}

bool device_map(Device *dev, const char *region, hwaddr addr, int priority,
                GError **errp)
{
    MemoryRegion *mr = device_region(dev, region);
    RegRegion *rr;

    if (!mr) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Device '%s' has no region '%s'", device_label(dev),
                    region);
        return false;
    }
    if (mr->container) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Region '%s' of device '%s' is already mapped", region,
                    device_label(dev));
        return false;
    }
    memory_region_add_subregion(memory_system_root(), addr, mr, priority);
    rr = device_regmap(dev, region);
    if (rr) {
        rr->mapped_at = addr;
    }
    return true;
}

static IrqGroup *device_add_irq_group(Device *dev, const char *name,
                                      unsigned count, bool is_in)
{
    IrqGroup *g = g_new0(IrqGroup, 1);

    for (guint i = 0; i < dev->irq_groups->len; i++) {
        IrqGroup *other = g_ptr_array_index(dev->irq_groups, i);

        g_assert(other->is_in != is_in || strcmp(other->name, name) != 0);
    }
    g->name = g_strdup(name);
    g->is_in = is_in;
    g->count = count;
    g->lines = g_new0(IrqLine, count);
    g_ptr_array_add(dev->irq_groups, g);
    return g;
}

IrqGroup *device_init_irq_in(Device *dev, const char *name, unsigned count,
                             IrqHandler handler)
{
    IrqGroup *g = device_add_irq_group(dev, name, count, true);

    for (unsigned i = 0; i < count; i++) {
        irq_init_in(&g->lines[i], handler, dev, (int)i);
    }
    return g;
}

IrqGroup *device_init_irq_out(Device *dev, const char *name, unsigned count)
{
    IrqGroup *g = device_add_irq_group(dev, name, count, false);

    for (unsigned i = 0; i < count; i++) {
        irq_init_out(&g->lines[i]);
    }
    return g;
}

IrqGroup *device_irq_group(Device *dev, const char *name, bool is_in)
{
    for (guint i = 0; i < dev->irq_groups->len; i++) {
        IrqGroup *g = g_ptr_array_index(dev->irq_groups, i);

        if (g->is_in == is_in && (!name || strcmp(g->name, name) == 0)) {
            return g;
        }
    }
    return NULL;
}

static IrqLine *device_irq_line(Device *dev, const char *name, unsigned n,
                                bool is_in)
{
    IrqGroup *g = device_irq_group(dev, name, is_in);

    if (!g || n >= g->count) {
        return NULL;
    }
    return &g->lines[n];
}

IrqLine *device_irq_out_n(Device *dev, const char *name, unsigned n)
{
    return device_irq_line(dev, name, n, false);
}

IrqLine *device_irq_in(Device *dev, const char *name, unsigned n)
{
    return device_irq_line(dev, name, n, true);
}

/* Splits "NAME" or "NAME[N]"; false if the brackets are malformed. */
static bool device_parse_line_ref(const char *ref, char **name, unsigned *n)
{
    const char *open = strchr(ref, '[');
    g_autofree char *index = NULL;
    guint64 v;
    size_t len;

    if (!open) {
        *name = g_strdup(ref);
        *n = 0;
        return true;
    }
    len = strlen(open);
    if (open == ref || len < 3 || open[len - 1] != ']') {
        return false;
    }
    index = g_strndup(open + 1, len - 2);
    if (!g_ascii_string_to_unsigned(index, 10, 0, G_MAXUINT, &v, NULL)) {
        return false;
    }
    *name = g_strndup(ref, (gsize)(open - ref));
    *n = (unsigned)v;
    return true;
}

IrqLine *device_irq_lookup(Device *dev, const char *ref, bool is_in,
                           GError **errp)
{
    g_autofree char *name = NULL;
    g_autoptr(GString) valid = g_string_new(NULL);
    IrqLine *line = NULL;
    unsigned n;

    if (device_parse_line_ref(ref, &name, &n)) {
        line = device_irq_line(dev, name, n, is_in);
    }
    if (line) {
        return line;
    }
    for (guint i = 0; i < dev->irq_groups->len; i++) {
        IrqGroup *g = g_ptr_array_index(dev->irq_groups, i);

        if (g->is_in != is_in || g->count == 0) {
            continue;
        }
        if (valid->len) {
            g_string_append(valid, ", ");
        }
        if (g->count == 1) {
            g_string_append(valid, g->name);
        } else {
            g_string_append_printf(valid, "%s[0..%u]", g->name, g->count - 1);
        }
    }
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "Device '%s' has no %s line '%s'; valid: %s", device_label(dev),
                is_in ? "input" : "output", ref,
                valid->len ? valid->str : "(none)");
    return NULL;
}

void device_foreach(Object *root, void (*fn)(Device *dev, void *opaque),
                    void *opaque)
{
    Device *dev = (Device *)object_dynamic_cast(root, TYPE_DEVICE);

    if (dev && dev->realized) {
        fn(dev, opaque);
    }
    for (guint i = 0; i < root->children->len; i++) {
        device_foreach(g_ptr_array_index(root->children, i), fn, opaque);
    }
}
