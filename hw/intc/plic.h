/* SPDX-License-Identifier: MIT */
/*
 * SiFive PLIC 1.0.0 (riscv,plic0) as on the virt board: 96 interrupt
 * sources, two contexts per hart (2h = M-mode, 2h+1 = S-mode).  Offsets
 * and field masks shared by boards and tests.
 */
#pragma once

#include "emu/device.h"

#define TYPE_PLIC "plic"

extern const DeviceClass plic_class;

/* Decoded window: 0x200000 + 1024 context pages of 0x1000. */
#define PLIC_SIZE 0x600000

/* Source IDs 0..95; 0 means "no interrupt" and never becomes pending. */
#define PLIC_NUM_SOURCES 96
/* Most harts one instance serves (two context pages each). */
#define PLIC_MAX_HARTS 512

/* priority[s] at PLIC_PRIORITY + 4 * s, s = 1..95 (3 bits, WARL). */
#define PLIC_PRIORITY      0x000000
#define PLIC_PRIORITY_MASK 0x7u
/* pending bits of sources 32w..32w+31 at PLIC_PENDING + 4 * w, w = 0..2. */
#define PLIC_PENDING 0x001000
/* enable bits of context c at PLIC_ENABLE + PLIC_ENABLE_STRIDE * c + 4 * w */
#define PLIC_ENABLE        0x002000
#define PLIC_ENABLE_STRIDE 0x80
/* threshold and claim/complete of context c, PLIC_CONTEXT_STRIDE apart */
#define PLIC_THRESHOLD      0x200000
#define PLIC_CLAIM          0x200004
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_THRESHOLD_MASK 0x7u

/* Context numbers of hart h. */
#define PLIC_CONTEXT_M(h) (2 * (h))
#define PLIC_CONTEXT_S(h) (2 * (h) + 1)
