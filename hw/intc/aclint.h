/* SPDX-License-Identifier: MIT */
/*
 * RISC-V ACLINT as the SiFive-compatible CLINT of the virt board: two
 * devices placed back to back, MSWI (machine software interrupts) and
 * MTIMER (mtime + one mtimecmp per hart); with -M virt,aclint=on they are
 * described as separate ACLINT devices and an SSWI (supervisor software
 * interrupts) joins them.  Offsets are relative to each device's own
 * region.
 */
#pragma once

#include <stdint.h>

#include "emu/device.h"

#define TYPE_ACLINT_MSWI   "aclint-mswi"
#define TYPE_ACLINT_MTIMER "aclint-mtimer"
#define TYPE_ACLINT_SSWI   "aclint-sswi"

extern const DeviceClass aclint_mswi_class;
extern const DeviceClass aclint_mtimer_class;
extern const DeviceClass aclint_sswi_class;

/* Decoded windows; on virt MTIMER starts right after MSWI. */
#define ACLINT_MSWI_SIZE   0x4000
#define ACLINT_MTIMER_SIZE 0x8000
#define ACLINT_SSWI_SIZE   0x4000

/*
 * SSWI (-M virt,aclint=on): setssip of hart h at ACLINT_SETSSIP + 4 * h,
 * 32-bit accesses; writing bit 0 = 1 sets the hart's mip.SSIP, writing 0
 * does nothing, reads return 0.
 */
#define ACLINT_SETSSIP     0x0000
#define ACLINT_SETSSIP_BIT (1u << 0)

/* Most harts one instance serves (the last slot of each window). */
#define ACLINT_MAX_HARTS 4095

/* MSWI: msip of hart h at ACLINT_MSIP + 4 * h, 32-bit accesses only. */
#define ACLINT_MSIP     0x0000
#define ACLINT_MSIP_BIT (1u << 0)

/*
 * MTIMER, 32- or 64-bit accesses: mtimecmp of hart h at
 * ACLINT_MTIMECMP + 8 * h (high half at ACLINT_MTIMECMPH + 8 * h), mtime
 * at ACLINT_MTIME (high half at ACLINT_MTIMEH).
 */
#define ACLINT_MTIMECMP  0x0000
#define ACLINT_MTIMECMPH 0x0004
#define ACLINT_MTIME     0x7ff8
#define ACLINT_MTIMEH    0x7ffc

/* mtime counts at 10 MHz of virtual time: one tick per 100 ns. */
#define ACLINT_TIMEBASE_FREQ 10000000u
#define ACLINT_NS_PER_TICK   100

/**
 * Current mtime of the aclint-mtimer @opaque (a Device *), for the harts'
 * time CSR: floor(virtual ns / 100) plus the offset left by mtime writes.
 */
uint64_t aclint_mtimer_get_time(void *opaque);
