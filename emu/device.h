/* SPDX-License-Identifier: MIT */
/*
 * Devices: objects with named memory regions (register tables as data, see
 * emu/regmap.h), named IRQ line groups, static properties, realize and
 * reset.  A device type is one const DeviceClass whose first member is the
 * ObjectClass; hw/device-types.def lists them.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/regmap.h"

#define TYPE_DEVICE "device"

#define DEVICE_MAX_REGIONS 4
#define DEVICE_MAX_IRQS    4

typedef struct Device Device;
typedef struct FdtContext FdtContext; /* hw/core/fdt.h */

/** A group of input lines declared by a class: "source" x count. */
typedef struct IrqInDesc {
    const char *name;
    unsigned count;
    IrqHandler handler; /* opaque = Device *, n = index in the group */
} IrqInDesc;

typedef struct DeviceClass {
    ObjectClass obj;                        /* must be first */
    RegionDesc regions[DEVICE_MAX_REGIONS]; /* ends at the first NULL name */
    const char *irq_out[DEVICE_MAX_IRQS];   /* single output lines */
    IrqInDesc irq_in[DEVICE_MAX_IRQS];
    bool (*realize)(Device *dev, GError **errp);
    void (*reset)(Device *dev); /* after registers got their reset values */
    void (*unrealize)(Device *dev);
    /*
     * Adds the device's node(s) to the guest's device tree with the
     * helpers of hw/core/fdt.h; NULL: the device has no node.
     */
    bool (*fdt_node)(Device *dev, FdtContext *ctx, GError **errp);
} DeviceClass;

/** A named group of IRQ lines of one device instance. */
typedef struct IrqGroup {
    char *name;
    bool is_in;
    unsigned count;
    IrqLine *lines;
} IrqGroup;

struct Device {
    Object obj; /* must be first */
    bool realized;
    char *id;              /* -device id=, or NULL */
    GPtrArray *irq_groups; /* IrqGroup *, declaration order */
    GPtrArray *regions;    /* RegRegion *, declaration order */
    GPtrArray *extra_mrs;  /* MemoryRegion * added with device_add_region */
};

#define DEVICE(o)             ((Device *)(o))
#define DEVICE_GET_CLASS(dev) ((const DeviceClass *)((Object *)(dev))->cls)

/** Checked cast used by device files: DEVICE_CAST(FooState, dev, &foo_class) */
#define DEVICE_CAST(st, dev, cls) ((st *)device_check_cast((dev), (cls)))
void *device_check_cast(void *dev, const DeviceClass *cls);

/** Registers TYPE_DEVICE (idempotent). */
void device_register_types(void);

/** Creates an unrealized device of @type_name (must derive from device). */
Device *device_new(const char *type_name, GError **errp);

/**
 * Realizes @dev: creates its regmap/raw regions and IRQ groups from the
 * class, calls the class realize hook, then resets the device.
 */
bool device_realize(Device *dev, GError **errp);

/** Resets registers to their reset values, then calls the class reset. */
void device_reset(Device *dev);

/** Resets every realized device in the tree below @root (pre-order). */
void device_reset_tree(Object *root);

/** The region @name, or NULL. */
MemoryRegion *device_region(Device *dev, const char *name);
RegRegion *device_regmap(Device *dev, const char *name);

/** Adds a region created by the device itself (RAM, ROM, raw MMIO). */
void device_add_region(Device *dev, MemoryRegion *mr);

/** Maps region @name of @dev into the system address space at @addr. */
bool device_map(Device *dev, const char *region, hwaddr addr, int priority,
                GError **errp);

/** Adds an IRQ group at realize time (for counts that depend on props). */
IrqGroup *device_init_irq_in(Device *dev, const char *name, unsigned count,
                             IrqHandler handler);
IrqGroup *device_init_irq_out(Device *dev, const char *name, unsigned count);

/** Looks up a group by name (NULL name: the first group of that kind). */
IrqGroup *device_irq_group(Device *dev, const char *name, bool is_in);

/** Line @n of output group @name, or NULL. */
IrqLine *device_irq_out_n(Device *dev, const char *name, unsigned n);
static inline IrqLine *device_irq_out(Device *dev, const char *name)
{
    return device_irq_out_n(dev, name, 0);
}
/** Line @n of input group @name, or NULL. */
IrqLine *device_irq_in(Device *dev, const char *name, unsigned n);

/**
 * Parses a line reference "NAME" or "NAME[N]" and returns the line of @dev
 * in the given direction, or NULL with an error listing the valid lines.
 */
IrqLine *device_irq_lookup(Device *dev, const char *ref, bool is_in,
                           GError **errp);

/** Calls @fn for every realized device below @root, pre-order. */
void device_foreach(Object *root, void (*fn)(Device *dev, void *opaque),
                    void *opaque);
