/* SPDX-License-Identifier: MIT */
/*
 * Machines: the abstract TYPE_MACHINE, the registry of machine types, the
 * /machine object with its containers and RAM, board building from device
 * and wire tables (STYLE.md §4) and -device placement (cli.md §3.5).
 */
#include "hw/core/machine.h"

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu/device.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/opts.h"

extern const MachineClass none_machine_class;
extern const MachineClass virt_machine_class;

static const PropDesc machine_props[] = {
    {.name = "kernel",
     .type = PROP_STR,
     .offset = offsetof(Machine, kernel),
     .desc = "Linux kernel image file"},
    {.name = "initrd",
     .type = PROP_STR,
     .offset = offsetof(Machine, initrd),
     .desc = "Linux initial ramdisk file"},
    {.name = "append",
     .type = PROP_STR,
     .offset = offsetof(Machine, append),
     .desc = "Linux kernel command line"},
    {.name = "dtb",
     .type = PROP_STR,
     .offset = offsetof(Machine, dtb),
     .desc = "Linux kernel device tree file"},
    {.name = "firmware",
     .type = PROP_STR,
     .offset = offsetof(Machine, firmware),
     .desc = "Firmware image"},
    {.name = "dumpdtb",
     .type = PROP_STR,
     .offset = offsetof(Machine, dumpdtb),
     .desc = "Dump current dtb to a file and quit"},
    PROP_END,
};

static const ObjectClass machine_class = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Machine),
    .abstract = true,
    .desc = "a machine: the root of the guest-visible object tree",
    .props = machine_props,
};

static Machine *machine_cur;
static unsigned machine_anon_count;
static GPtrArray *machine_serials; /* char * (may be NULL), by index */

typedef struct MachineGlobal {
    char *driver;
    char *prop;
    char *value;
} MachineGlobal;
static GPtrArray *machine_globals; /* MachineGlobal * */

/* Bytes a board copied into guest memory at start-up (machine_load_image). */
typedef struct BootImage {
    hwaddr addr;
    uint64_t len;
    uint8_t *data; /* NULL: @len zero bytes */
} BootImage;
/* BootImage *, in load order; emptied by machine_new() */
static GPtrArray *machine_boot_images;

/* A region mapped by machine_build() or machine_add_device(). */
typedef struct MappedRange {
    char *label;
    hwaddr start;
    hwaddr end; /* inclusive */
} MappedRange;
/* MappedRange *, for the life of the process (one machine per process) */
static GPtrArray *machine_ranges;

void machine_register_types(void)
{
    if (type_lookup(TYPE_MACHINE)) {
        return;
    }
    object_register_types();
    type_register(&machine_class);
    type_register(&none_machine_class.obj);
    type_register(&virt_machine_class.obj);
}

static void collect_machine(const ObjectClass *cls, void *opaque)
{
    g_ptr_array_add(opaque, (gpointer)cls);
}

static gint machine_cmp(gconstpointer a, gconstpointer b)
{
    const MachineClass *ma = *(const MachineClass *const *)a;
    const MachineClass *mb = *(const MachineClass *const *)b;

    return strcmp(ma->machine_name, mb->machine_name);
}

/* Every registered machine class, sorted by machine name. */
static GPtrArray *machine_classes(void)
{
    GPtrArray *a = g_ptr_array_new();

    type_foreach(TYPE_MACHINE, false, collect_machine, a);
    g_ptr_array_sort(a, machine_cmp);
    return a;
}

const MachineClass *machine_class_find(const char *name)
{
    g_autoptr(GPtrArray) a = machine_classes();

    if (!name) {
        return NULL;
    }
    for (guint i = 0; i < a->len; i++) {
        const MachineClass *mc = g_ptr_array_index(a, i);

        if (!strcmp(mc->machine_name, name) ||
            (mc->alias && !strcmp(mc->alias, name))) {
            return mc;
        }
    }
    return NULL;
}

const MachineClass *machine_class_default(void)
{
    g_autoptr(GPtrArray) a = machine_classes();

    for (guint i = 0; i < a->len; i++) {
        const MachineClass *mc = g_ptr_array_index(a, i);

        if (mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

void machine_class_foreach(void (*fn)(const MachineClass *mc, void *opaque),
                           void *opaque)
{
    g_autoptr(GPtrArray) a = machine_classes();

    for (guint i = 0; i < a->len; i++) {
        fn(g_ptr_array_index(a, i), opaque);
    }
}

Machine *machine_current(void)
{
    return machine_cur;
}

void machine_set_serial(unsigned index, const char *chardev_id)
{
    if (!machine_serials) {
        machine_serials = g_ptr_array_new_with_free_func(g_free);
    }
    while (machine_serials->len <= index) {
        g_ptr_array_add(machine_serials, NULL);
    }
    g_free(g_ptr_array_index(machine_serials, index));
    g_ptr_array_index(machine_serials, index) = g_strdup(chardev_id);
}

const char *machine_serial(unsigned index)
{
    if (!machine_serials || index >= machine_serials->len) {
        return NULL;
    }
    return g_ptr_array_index(machine_serials, index);
}

void machine_add_global(const char *driver, const char *prop, const char *value)
{
    MachineGlobal *g = g_new0(MachineGlobal, 1);

    if (!machine_globals) {
        machine_globals = g_ptr_array_new();
    }
    g->driver = g_strdup(driver);
    g->prop = g_strdup(prop);
    g->value = g_strdup(value);
    g_ptr_array_add(machine_globals, g);
}

/* Applies the -global defaults that match @dev's type or an ancestor. */
static bool machine_apply_globals(Device *dev, GError **errp)
{
    Object *obj = &dev->obj;

    if (!machine_globals) {
        return true;
    }
    for (guint i = 0; i < machine_globals->len; i++) {
        const MachineGlobal *g = g_ptr_array_index(machine_globals, i);
        GError *err = NULL;

        if (!type_is_a(obj->cls, g->driver)) {
            continue;
        }
        if (!object_property_parse(obj, g->prop, g->value, &err)) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "can't apply global %s.%s=%s: %s", g->driver, g->prop,
                        g->value, err->message);
            g_error_free(err);
            return false;
        }
    }
    return true;
}

/* -machine keys QEMU has that change nothing on our machines. */
static bool machine_prop_ignored(const char *key)
{
    static const char *const ignored[] = {
        "graphics",       "usb",           "dump-guest-core", "mem-merge",
        "memory-backend", "dt-compatible", "phandle-start",   NULL,
    };

    return g_strv_contains(ignored, key) || g_str_has_prefix(key, "smp.") ||
           g_str_has_prefix(key, "memory.");
}

Machine *machine_new(const MachineClass *mc, const Opts *props, GError **errp)
{
    Object *root = object_get_root();
    Object *obj;
    Machine *m;

    g_assert(!machine_cur);
    if (machine_boot_images) {
        g_ptr_array_set_size(machine_boot_images, 0);
    }
    obj = object_new_with_class(&mc->obj);
    if (props) {
        for (guint i = 0; i < props->pairs->len; i++) {
            const OptsPair *p = &g_array_index(props->pairs, OptsPair, i);

            if (machine_prop_ignored(p->key)) {
                continue;
            }
            if (!object_property_parse(obj, p->key, p->value, errp)) {
                object_unref(obj);
                return NULL;
            }
        }
    }
    if (!object_add_child(root, "machine", obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_unref(obj); /* the tree holds it now */
    object_get_container(obj, "peripheral");
    object_get_container(obj, "peripheral-anon");
    object_get_container(obj, "unattached");
    m = (Machine *)obj;
    m->smp = 1;
    machine_cur = m;
    return m;
}

bool machine_init_board(Machine *m, uint64_t ram_size, unsigned smp,
                        GError **errp)
{
    const MachineClass *mc = MACHINE_GET_CLASS(m);
    uint64_t size = ram_size ? ram_size : mc->default_ram_size;

    m->smp = smp ? smp : 1;
    if (size) {
        const char *id = mc->default_ram_id ? mc->default_ram_id : "ram";
        GError *err = NULL;

        m->ram = memory_region_new_ram(&m->obj, id, size, &err);
        if (!m->ram) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "cannot set up guest memory '%s': Cannot allocate "
                        "memory",
                        id);
            g_error_free(err);
            return false;
        }
        memory_region_add_subregion(memory_system_root(), mc->ram_base, m->ram,
                                    0);
        m->ram_size = size;
    }
    if (mc->init && !mc->init(m, errp)) {
        return false;
    }
    return true;
}

Machine *machine_create(const MachineClass *mc, uint64_t ram_size, unsigned smp,
                        GError **errp)
{
    Machine *m = machine_new(mc, NULL, errp);

    if (!m || !machine_init_board(m, ram_size, smp, errp)) {
        return NULL;
    }
    return m;
}

/* The region a board or -device maps: the class's first, else the first
 * one the device created itself. */
static MemoryRegion *machine_first_region(Device *dev)
{
    const DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->regions[0].name) {
        return device_region(dev, dc->regions[0].name);
    }
    if (dev->extra_mrs->len) {
        return g_ptr_array_index(dev->extra_mrs, 0);
    }
    return NULL;
}

/* Maps @dev's first region at @addr unless it overlaps another device. */
static bool machine_map_device(Device *dev, const char *label, hwaddr addr,
                               int priority, GError **errp)
{
    MemoryRegion *mr = machine_first_region(dev);
    MappedRange *r;
    hwaddr end;

    if (!mr) {
        return true;
    }
    if (mr->size == 0 || addr + (mr->size - 1) < addr) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Region '%s' of device '%s' does not fit at 0x%" PRIx64,
                    mr->name, label, addr);
        return false;
    }
    end = addr + (mr->size - 1);
    if (!machine_ranges) {
        machine_ranges = g_ptr_array_new();
    }
    for (guint i = 0; i < machine_ranges->len; i++) {
        const MappedRange *o = g_ptr_array_index(machine_ranges, i);

        if (addr <= o->end && o->start <= end) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Regions of devices '%s' (0x%" PRIx64 "-0x%" PRIx64
                        ") and '%s' (0x%" PRIx64 "-0x%" PRIx64 ") overlap",
                        o->label, o->start, o->end, label, addr, end);
            return false;
        }
    }
    if (!device_map(dev, mr->name, addr, priority, errp)) {
        return false;
    }
    r = g_new0(MappedRange, 1);
    r->label = g_strdup(label);
    r->start = addr;
    r->end = end;
    g_ptr_array_add(machine_ranges, r);
    return true;
}

/* Applies "key=value,..." to @dev. */
static bool machine_set_props(Device *dev, const char *props, GError **errp)
{
    g_autoptr(Opts) o = NULL;

    if (!props) {
        return true;
    }
    o = opts_parse(props, NULL, errp);
    if (!o) {
        return false;
    }
    for (guint i = 0; i < o->pairs->len; i++) {
        const OptsPair *p = &g_array_index(o->pairs, OptsPair, i);

        if (!object_property_parse(&dev->obj, p->key, p->value, errp)) {
            return false;
        }
    }
    return true;
}

static bool machine_build_device(Machine *m, const BoardDevice *bd,
                                 GError **errp)
{
    Device *dev = device_new(bd->type, errp);
    bool ok;

    if (!dev) {
        return false;
    }
    ok = machine_apply_globals(dev, errp) &&
         machine_set_props(dev, bd->props, errp) &&
         object_add_child(&m->obj, bd->name, &dev->obj, errp);
    object_unref(&dev->obj); /* the tree holds it (or it is gone) */
    if (!ok) {
        return false;
    }
    return device_realize(dev, errp) &&
           machine_map_device(dev, bd->name, bd->addr, 0, errp);
}

/* Resolves "dev.line[N]" of a board wire to a line of a /machine child. */
static IrqLine *machine_wire_end(Machine *m, const char *spec, bool is_in,
                                 GError **errp)
{
    const char *dot = strchr(spec, '.');
    g_autofree char *name = NULL;
    Object *obj;
    GError *err = NULL;
    IrqLine *line;

    if (!dot || dot == spec || !dot[1]) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Board wire end '%s' is not DEVICE.LINE", spec);
        return NULL;
    }
    name = g_strndup(spec, dot - spec);
    obj = object_get_child(&m->obj, name);
    if (!obj || !object_dynamic_cast(obj, TYPE_DEVICE)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Board wire end '%s': no device '%s' on the board", spec,
                    name);
        return NULL;
    }
    line = device_irq_lookup(DEVICE(obj), dot + 1, is_in, &err);
    if (!line) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Board wire end '%s': %s", spec, err->message);
        g_error_free(err);
    }
    return line;
}

bool machine_build(Machine *m, const BoardDevice *devs, size_t ndevs,
                   const BoardWire *wires, size_t nwires, GError **errp)
{
    if (m->ram) {
        const MachineClass *mc = MACHINE_GET_CLASS(m);
        MappedRange *r = g_new0(MappedRange, 1);

        if (!machine_ranges) {
            machine_ranges = g_ptr_array_new();
        }
        r->label = g_strdup(m->ram->name);
        r->start = mc->ram_base;
        r->end = mc->ram_base + (m->ram->size - 1);
        g_ptr_array_add(machine_ranges, r);
    }
    for (size_t i = 0; i < ndevs; i++) {
        if (!machine_build_device(m, &devs[i], errp)) {
            return false;
        }
    }
    for (size_t i = 0; i < nwires; i++) {
        IrqLine *out = machine_wire_end(m, wires[i].from, false, errp);
        IrqLine *in = out ? machine_wire_end(m, wires[i].to, true, errp) : NULL;

        if (!in) {
            return false;
        }
        irq_connect(out, in);
    }
    return true;
}

Device *machine_add_device(Machine *m, Opts *opts, GError **errp)
{
    const char *driver = opts_get(opts, "driver");
    const ObjectClass *cls;
    Object *parent;
    Device *dev;
    g_autofree char *name = NULL;
    uint64_t addr = 0;
    const char *addr_str = opts_get(opts, "addr");

    if (!driver) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'driver' is missing");
        return NULL;
    }
    cls = type_lookup(driver);
    if (!cls || !type_is_a(cls, TYPE_DEVICE)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (cls->abstract) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'driver' expects a non-abstract device type");
        return NULL;
    }
    if (!cls->user_creatable) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    if (opts->id) {
        parent = object_get_container(&m->obj, "peripheral");
        if (object_get_child(parent, opts->id)) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Duplicate ID '%s' for device", opts->id);
            return NULL;
        }
        name = g_strdup(opts->id);
    } else {
        parent = object_get_container(&m->obj, "peripheral-anon");
        name = g_strdup_printf("device[%u]", machine_anon_count);
    }
    if (addr_str && !parse_u64(addr_str, &addr)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Property '%s.addr' doesn't take value '%s'", driver,
                    addr_str);
        return NULL;
    }
    if (opts_has(opts, "bus")) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC, "Bus '%s' not found",
                    opts_get(opts, "bus"));
        return NULL;
    }
    dev = device_new(driver, errp);
    if (!dev) {
        return NULL;
    }
    dev->id = g_strdup(opts->id);
    if (!machine_apply_globals(dev, errp)) {
        goto fail;
    }
    for (guint i = 0; i < opts->pairs->len; i++) {
        const OptsPair *p = &g_array_index(opts->pairs, OptsPair, i);

        if (!strcmp(p->key, "driver") || !strcmp(p->key, "addr")) {
            continue;
        }
        if (!object_property_parse(&dev->obj, p->key, p->value, errp)) {
            goto fail;
        }
    }
    if (DEVICE_GET_CLASS(dev)->regions[0].name && !addr_str) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'addr' is required for sysbus device '%s' on "
                    "this machine",
                    driver);
        goto fail;
    }
    if (!object_add_child(parent, name, &dev->obj, errp)) {
        goto fail;
    }
    if (!opts->id) {
        machine_anon_count++;
    }
    if (!device_realize(dev, errp) ||
        (addr_str && !machine_map_device(dev, name, addr, 1, errp))) {
        object_unparent(&dev->obj);
        goto fail;
    }
    object_unref(&dev->obj); /* the tree holds it */
    return dev;

fail:
    object_unref(&dev->obj);
    return NULL;
}

static void machine_boot_image_free(gpointer p)
{
    BootImage *img = p;

    g_free(img->data);
    g_free(img);
}

/* Host bytes of RAM/ROM for [@addr, @addr + @len), or NULL. */
static uint8_t *machine_image_host(hwaddr addr, uint64_t len)
{
    AddressSpace *as = address_space_system();
    const FlatRange *r;

    if (len == 0 || addr + (len - 1) < addr) {
        return NULL;
    }
    address_space_update(as);
    r = address_space_lookup(as, addr);
    if (!r || (r->mr->kind != MR_RAM && r->mr->kind != MR_ROM) ||
        addr + (len - 1) > r->end) {
        return NULL;
    }
    /* the caller writes these bytes now: drop code decoded from them */
    memory_region_notify_write(r->mr, r->offset + (addr - r->start), len);
    return r->mr->host + r->offset + (addr - r->start);
}

static void machine_image_copy(uint8_t *host, const BootImage *img)
{
    if (img->data) {
        memcpy(host, img->data, img->len);
    } else {
        memset(host, 0, img->len);
    }
}

bool machine_load_image(hwaddr addr, const void *data, uint64_t len)
{
    uint8_t *host;
    BootImage *img;

    if (len == 0) {
        return true;
    }
    host = machine_image_host(addr, len);
    if (!host) {
        return false;
    }
    img = g_new0(BootImage, 1);
    img->addr = addr;
    img->len = len;
    img->data = data ? g_memdup2(data, len) : NULL;
    machine_image_copy(host, img);
    if (!machine_boot_images) {
        machine_boot_images =
            g_ptr_array_new_with_free_func(machine_boot_image_free);
    }
    g_ptr_array_add(machine_boot_images, img);
    return true;
}

unsigned machine_boot_image_count(void)
{
    return machine_boot_images ? machine_boot_images->len : 0;
}

void machine_reset(Machine *m)
{
    device_reset_tree(&m->obj);
    for (guint i = 0; machine_boot_images && i < machine_boot_images->len;
         i++) {
        const BootImage *img = g_ptr_array_index(machine_boot_images, i);
        uint8_t *host = machine_image_host(img->addr, img->len);

        /* a region unmapped since start-up takes nothing */
        if (host) {
            machine_image_copy(host, img);
        }
    }
}
