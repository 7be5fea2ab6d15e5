/* SPDX-License-Identifier: MIT */
/*
 * Machines: a machine type is a recipe that builds the object tree under
 * /machine from options.  Boards list devices and wires as data
 * (STYLE.md §4) and call machine_build().
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/opts.h"

#define TYPE_MACHINE "machine"

/** Registers TYPE_MACHINE and every machine type (idempotent). */
void machine_register_types(void);

typedef struct Machine Machine;

typedef struct MachineClass {
    ObjectClass obj;          /* name is "<machine>-machine" */
    const char *machine_name; /* what -M takes: "virt", "none" */
    const char *alias;
    bool is_default;
    unsigned max_cpus;
    const char *default_cpu_type;
    const char *default_ram_id;
    uint64_t default_ram_size; /* 0: no RAM unless -m */
    hwaddr ram_base;
    bool numa_mem_supported; /* reported by query-machines */
    bool (*init)(Machine *m, GError **errp);
    /*
     * "Machine done", after every -device: loads the boot images and
     * places the device tree (NULL: nothing to do).
     */
    bool (*done)(Machine *m, GError **errp);
} MachineClass;

struct Machine {
    Object obj; /* must be first; lives at /machine */
    uint64_t ram_size;
    unsigned smp;
    MemoryRegion *ram;
    char *kernel, *initrd, *append, *dtb, *firmware, *dumpdtb;
    Opts *props;     /* remaining -machine properties for the board */
    bool dtb_dumped; /* the board wrote -machine dumpdtb=FILE */
};

#define MACHINE_GET_CLASS(m) ((const MachineClass *)((Object *)(m))->cls)

/** Finds a machine class by -M name or alias, or NULL. */
const MachineClass *machine_class_find(const char *name);
/** The default machine class (none for now if nothing is marked). */
const MachineClass *machine_class_default(void);
/** Calls @fn for every machine class, sorted by machine name. */
void machine_class_foreach(void (*fn)(const MachineClass *mc, void *opaque),
                           void *opaque);

/** The current machine, or NULL before creation. */
Machine *machine_current(void);

/**
 * Creates /machine of class @mc (with containers peripheral,
 * peripheral-anon, unattached), allocates RAM at mc->ram_base when
 * @ram_size is non-zero (or the class default), and runs mc->init.
 */
Machine *machine_create(const MachineClass *mc, uint64_t ram_size, unsigned smp,
                        GError **errp);

typedef struct BoardDevice {
    const char *name; /* child name under /machine */
    const char *type;
    hwaddr addr;       /* where region "regs" (the first region) is mapped */
    const char *props; /* "key=value,..." or NULL */
} BoardDevice;

typedef struct BoardWire {
    const char *from; /* "uart0.irq" (output line) */
    const char *to;   /* "plic.source[10]" (input line) */
} BoardWire;

/**
 * Creates, realizes and maps each board device under /machine, then
 * connects each wire.  Fails with a message naming both devices when
 * regions overlap, or listing the valid lines when an endpoint is unknown.
 */
bool machine_build(Machine *m, const BoardDevice *devs, size_t ndevs,
                   const BoardWire *wires, size_t nwires, GError **errp);

/**
 * Creates a -device on the current machine: "TYPE,id=ID,addr=ADDR,prop=..".
 * The device goes to /machine/peripheral/ID (or peripheral-anon/device[N])
 * and its first region is mapped at addr= (required for sysbus devices on
 * -machine none).  Errors use QEMU's texts.
 */
Device *machine_add_device(Machine *m, Opts *opts, GError **errp);

/**
 * Resets every device of the machine (system_reset), then copies every
 * boot image (machine_load_image) back into guest memory, so the harts
 * restart from the images as they were loaded (virt-machine.md §10).
 * RAM outside the images keeps its contents.
 */
void machine_reset(Machine *m);

/**
 * Copies @len bytes of @data (NULL: zeros) into guest RAM or ROM at @addr
 * and records them as a boot image (firmware, kernel, initrd, device tree)
 * that machine_reset() copies again.  All @len bytes must land in one RAM
 * or ROM region; false (nothing written or recorded) otherwise.  The image
 * list is emptied by machine_new().
 */
bool machine_load_image(hwaddr addr, const void *data, uint64_t len);

/** Number of boot images recorded since machine_new() (tests). */
unsigned machine_boot_image_count(void);

/**
 * First half of machine_create(): creates /machine of class @mc with its
 * containers and applies the -machine properties @props (may be NULL).
 * Generic QEMU keys Benchtop accepts without effect (graphics, usb,
 * dump-guest-core, mem-merge, memory-backend, dt-compatible,
 * phandle-start) are skipped; any other unknown key fails with
 * "Property 'TYPE.KEY' not found".
 */
Machine *machine_new(const MachineClass *mc, const Opts *props, GError **errp);

/**
 * Second half of machine_create(): allocates RAM at mc->ram_base (@ram_size
 * bytes, or the class default when 0; none when both are 0), records @smp
 * and runs mc->init (the board).
 */
bool machine_init_board(Machine *m, uint64_t ram_size, unsigned smp,
                        GError **errp);

/**
 * Records the chardev id backing serial port @index (-serial, in order;
 * NULL: no backend) for boards to connect their UARTs; call before
 * machine_init_board().
 */
void machine_set_serial(unsigned index, const char *chardev_id);
/** The chardev id recorded for serial port @index, or NULL. */
const char *machine_serial(unsigned index);

/**
 * Adds a -global DRIVER.PROP=VALUE default, applied to every device of
 * type DRIVER (or a subtype) created afterwards, board devices included.
 * A bad property or value fails that device's creation with
 * "can't apply global D.P=V: <reason>".
 */
void machine_add_global(const char *driver, const char *prop,
                        const char *value);
