/* SPDX-License-Identifier: MIT */
/*
 * Booting RISC-V boards: hart creation, QEMU's mask ROM (reset vector and
 * fw_dynamic_info, virt-machine.md §6) and firmware loading.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/memory.h"
#include "hw/core/machine.h"

#define RISCV_MROM_BASE 0x1000
#define RISCV_MROM_SIZE 0xf000

/* Offsets in the MROM (virt-machine.md §6.1, §6.2) */
#define RISCV_MROM_START_ADDR 0x18 /* dword: where the reset code jumps */
#define RISCV_MROM_FDT_ADDR   0x20 /* dword: a1 (FDT address) */
#define RISCV_MROM_FW_DYN     0x28 /* struct fw_dynamic_info */

/**
 * Creates @n harts at /machine/soc0/harts[0..n-1] (soc0 is a container),
 * hartid = index, and realizes them.  False + @errp on failure.
 */
bool riscv_boot_create_harts(Machine *m, unsigned n, GError **errp);

/**
 * Maps a ROM of RISCV_MROM_SIZE bytes at RISCV_MROM_BASE holding QEMU's
 * reset code (auipc t0; addi a2, t0, 0x28; csrr a0, mhartid;
 * ld a1, 0x20(t0); ld t0, 0x18(t0); jr t0), the 64-bit @start_addr, the FDT
 * address (0 until riscv_boot_rom_set_fdt_addr) and fw_dynamic_info
 * (magic "OSBI", version 2, next_addr 0, next_mode S, options 0,
 * boot_hart 0).
 */
bool riscv_boot_rom_setup(Machine *m, uint64_t start_addr, GError **errp);

/** Sets the FDT address the reset code passes in a1. */
void riscv_boot_rom_set_fdt_addr(uint64_t fdt_addr);

/** Sets fw_dynamic_info.next_addr (the kernel entry). */
void riscv_boot_rom_set_next_addr(uint64_t next_addr);

/**
 * Loads firmware @path: an ELF64 (starts with "\x7fELF") by the physical
 * addresses of its PT_LOAD segments, anything else raw at @base.  Stores
 * the end of what was loaded in *@end.  Fails with QEMU's "Unable to load
 * the RISC-V firmware" text when the file cannot be read or does not fit.
 */
bool riscv_boot_load_firmware(const char *path, hwaddr base, uint64_t *end,
                              GError **errp);
