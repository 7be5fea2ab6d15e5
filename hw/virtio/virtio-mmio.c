/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio: one virtio MMIO transport slot, so far always empty (no
 * backend device).
 *
 * Model interface:
 *   region  "regs"          0x200 bytes, accesses of 1..8 bytes; an 8-byte
 *                           access is two 32-bit ones, low address first
 *   irq out "irq"           the transport interrupt (always low while the
 *                           slot is empty)
 *   prop    "force-legacy"  true (default, as QEMU 7.2): Version reads 1;
 *                           false: Version reads 2 (virtio 1.x)
 * Spec: virtio 1.x section 4.2.2 and spec/devices/virtio-mmio.md ("Empty
 * slot").  An empty slot answers MagicValue, Version, DeviceID 0 (no
 * device, so drivers stop there) and VendorID; every other offset reads 0
 * and ignores writes.  An 8-byte read of MagicValue returns
 * MagicValue | Version << 32, as QEMU's does.
 */
#include "hw/virtio/virtio-mmio.h"

#include <stdbool.h>
#include <stdint.h>

#include "emu/device.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

enum { R_MAGIC_VALUE, R_VERSION, R_DEVICE_ID, R_VENDOR_ID, R_NUM };

typedef struct VirtioMmioState {
    Device parent; /* must be first */

    bool force_legacy; /* property */
    uint32_t regs[R_NUM];
} VirtioMmioState;

#define VIRTIO_MMIO(dev) DEVICE_CAST(VirtioMmioState, dev, &virtio_mmio_class)

static const RegDesc virtio_mmio_regs[R_NUM] = {
    [R_MAGIC_VALUE] = REG(VIRTIO_MMIO, MAGIC_VALUE, .reset = VIRTIO_MMIO_MAGIC,
                          .desc = "\"virt\""),
    [R_VERSION] = REG(VIRTIO_MMIO, VERSION, .reset = VIRTIO_MMIO_VERSION_LEGACY,
                      .desc = "transport version: 1 legacy, 2 virtio 1.x"),
    [R_DEVICE_ID] = REG(VIRTIO_MMIO, DEVICE_ID,
                        .desc = "virtio device type, 0 = empty slot"),
    [R_VENDOR_ID] = REG(VIRTIO_MMIO, VENDOR_ID, .reset = VIRTIO_MMIO_VENDOR,
                        .desc = "\"QEMU\""),
};

/* Registers act on the offset they start at, as QEMU's decoder does. */
static int virtio_mmio_select(Device *dev, hwaddr off, bool is_write)
{
    if (off % 4 != 0 || off / 4 >= R_NUM) {
        return -1;
    }
    return (int)(off / 4);
}

/* Version follows force-legacy. */
static void virtio_mmio_reset(Device *dev)
{
    VirtioMmioState *s = VIRTIO_MMIO(dev);

    s->regs[R_VERSION] = s->force_legacy ? VIRTIO_MMIO_VERSION_LEGACY
                                         : VIRTIO_MMIO_VERSION_MODERN;
}

/*
 * Device tree (QEMU 7.2 virt): every slot has a node, device or not; a
 * 0x1000-byte window, 0x200 bytes decode.
 */
#define VIRTIO_MMIO_FDT_SIZE 0x1000

static bool virtio_mmio_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_device_node(ctx, dev, "virtio_mmio");
    hwaddr base = 0;

    fdt_device_base(dev, &base);
    fdt_ctx_setprop_string(ctx, node, "compatible", "virtio,mmio");
    fdt_ctx_setprop_reg(ctx, node, base, VIRTIO_MMIO_FDT_SIZE);
    fdt_ctx_set_interrupts(ctx, node, dev, "irq");
    return fdt_ctx_check(ctx, errp);
}

static const PropDesc virtio_mmio_props[] = {
    PROP_BOOL_("force-legacy", VirtioMmioState, force_legacy, true),
    PROP_END,
};

const DeviceClass virtio_mmio_class = {
    .obj =
        {
            .name = TYPE_VIRTIO_MMIO,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(VirtioMmioState),
            .user_creatable = true,
            .desc = "virtio MMIO transport",
            .props = virtio_mmio_props,
        },
    .regions =
        {
            REGION32("regs", VIRTIO_MMIO_SIZE, virtio_mmio_regs,
                     VirtioMmioState, regs, .min_access = 1, .max_access = 8,
                     .impl_max_access = 4, .select = virtio_mmio_select),
        },
    .irq_out = {"irq"},
    .reset = virtio_mmio_reset,
    .fdt_node = virtio_mmio_fdt_node,
};
