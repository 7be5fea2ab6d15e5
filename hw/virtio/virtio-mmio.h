/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio transport slot (virtio 1.x, section 4.2).  Offsets shared by
 * boards and tests; only what an empty slot answers is modelled so far.
 */
#pragma once

#include "emu/device.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"

extern const DeviceClass virtio_mmio_class;

/* Decoded window of one slot (the device tree says 0x1000). */
#define VIRTIO_MMIO_SIZE 0x200

/* Offsets */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION     0x004
#define VIRTIO_MMIO_DEVICE_ID   0x008
#define VIRTIO_MMIO_VENDOR_ID   0x00c

/* Values */
#define VIRTIO_MMIO_MAGIC          0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION_LEGACY 1u
#define VIRTIO_MMIO_VERSION_MODERN 2u
#define VIRTIO_MMIO_VENDOR         0x554d4551u /* "QEMU" */
