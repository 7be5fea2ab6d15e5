/* SPDX-License-Identifier: MIT */
/*
 * Booting RISC-V boards: harts, the mask ROM and firmware images
 * (virt-machine.md §5, §6).
 * Firmware and kernel bytes go through machine_load_image(), so a system
 * reset copies them again (virt-machine.md §10); the MROM is read-only to
 * the guest and is not recorded.
 */
#include "hw/riscv/riscv-boot.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "target/riscv/cpu.h"

static MemoryRegion *riscv_boot_mrom;

bool riscv_boot_create_harts(Machine *m, unsigned n, GError **errp)
{
    Object *soc = object_get_container(&m->obj, "soc0");

    for (unsigned h = 0; h < n; h++) {
        g_autofree char *name = g_strdup_printf("harts[%u]", h);
        g_autofree char *id = g_strdup_printf("%u", h);
        Device *dev = device_new(TYPE_RISCV_HART, errp);

        if (!dev) {
            return false;
        }
        if (!object_property_parse(&dev->obj, "hartid", id, errp) ||
            !object_add_child(soc, name, &dev->obj, errp)) {
            object_unref(&dev->obj);
            return false;
        }
        object_unref(&dev->obj); /* the tree holds it now */
        if (!device_realize(dev, errp)) {
            return false;
        }
    }
    return true;
}

static void riscv_boot_rom_put64(hwaddr off, uint64_t v)
{
    uint8_t *p;

    if (!riscv_boot_mrom) {
        return;
    }
    memory_region_notify_write(riscv_boot_mrom, off, 8);
    p = memory_region_get_host(riscv_boot_mrom) + off;
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

bool riscv_boot_rom_setup(Machine *m, uint64_t start_addr, GError **errp)
{
    static const uint32_t reset_vec[] = {
        0x00000297, /* auipc t0, 0 */
        0x02828613, /* addi a2, t0, 0x28 (fw_dynamic_info) */
        0xf1402573, /* csrr a0, mhartid */
        0x0202b583, /* ld a1, 0x20(t0) (FDT address) */
        0x0182b283, /* ld t0, 0x18(t0) (start address) */
        0x00028067, /* jr t0 */
    };
    MemoryRegion *mr = memory_region_new_rom(&m->obj, "riscv_virt_board.mrom",
                                             RISCV_MROM_SIZE, errp);
    uint8_t *p;

    if (!mr) {
        return false;
    }
    memory_region_add_subregion(memory_system_root(), RISCV_MROM_BASE, mr, 0);
    riscv_boot_mrom = mr;
    p = memory_region_get_host(mr);
    for (size_t i = 0; i < G_N_ELEMENTS(reset_vec); i++) {
        for (unsigned b = 0; b < 4; b++) {
            p[4 * i + b] = (uint8_t)(reset_vec[i] >> (8 * b));
        }
    }
    riscv_boot_rom_put64(RISCV_MROM_START_ADDR, start_addr);
    riscv_boot_rom_put64(RISCV_MROM_FDT_ADDR, 0);
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x00, 0x4942534f); /* "OSBI" */
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x08, 2);          /* version */
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x10, 0);          /* next_addr */
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x18, 1); /* next_mode S */
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x20, 0); /* options */
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x28, 0); /* boot_hart */
    return true;
}

void riscv_boot_rom_set_fdt_addr(uint64_t fdt_addr)
{
    riscv_boot_rom_put64(RISCV_MROM_FDT_ADDR, fdt_addr);
}

void riscv_boot_rom_set_next_addr(uint64_t next_addr)
{
    riscv_boot_rom_put64(RISCV_MROM_FW_DYN + 0x10, next_addr);
}

static uint64_t rd_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

/*
 * Writes @len bytes at @addr (NULL: zeros) as a boot image that a system
 * reset copies again; every byte must land in one RAM or ROM region.
 */
static bool riscv_boot_write(hwaddr addr, const uint8_t *data, uint64_t len)
{
    return machine_load_image(addr, data, len);
}

#define ELF_PT_LOAD 1

static bool riscv_boot_load_elf(const uint8_t *d, gsize size, uint64_t *end)
{
    uint64_t phoff;
    unsigned phentsize, phnum;
    uint64_t top = 0;

    if (size < 64 || d[4] != 2 /* ELFCLASS64 */ || d[5] != 1 /* LE */ ||
        rd_le(d + 18, 2) != 243 /* EM_RISCV */) {
        return false;
    }
    phoff = rd_le(d + 32, 8);
    phentsize = (unsigned)rd_le(d + 54, 2);
    phnum = (unsigned)rd_le(d + 56, 2);
    if (phentsize < 56 || phoff > size ||
        (uint64_t)phnum * phentsize > size - phoff) {
        return false;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
        uint64_t off = rd_le(ph + 8, 8);
        uint64_t paddr = rd_le(ph + 24, 8);
        uint64_t filesz = rd_le(ph + 32, 8);
        uint64_t memsz = rd_le(ph + 40, 8);

        if (rd_le(ph, 4) != ELF_PT_LOAD || memsz == 0) {
            continue;
        }
        if (filesz > memsz || off > size || filesz > size - off ||
            memsz > (UINT64_C(1) << 40)) {
            return false;
        }
        if (!riscv_boot_write(paddr, d + off, filesz)) {
            return false;
        }
        if (memsz > filesz &&
            !riscv_boot_write(paddr + filesz, NULL, memsz - filesz)) {
            return false;
        }
        if (paddr + memsz > top) {
            top = paddr + memsz;
        }
    }
    *end = top;
    return true;
}

bool riscv_boot_load_firmware(const char *path, hwaddr base, uint64_t *end,
                              GError **errp)
{
    g_autofree gchar *data = NULL;
    gsize size = 0;
    const uint8_t *d;
    bool ok;

    if (!g_file_get_contents(path, &data, &size, NULL)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to load the RISC-V firmware \"%s\"", path);
        return false;
    }
    d = (const uint8_t *)data;
    if (size >= 4 && !memcmp(d,
                             "\x7f"
                             "ELF",
                             4)) {
        ok = riscv_boot_load_elf(d, size, end);
    } else {
        ok = riscv_boot_write(base, d, size);
        *end = base + size;
    }
    if (!ok) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to load the RISC-V firmware \"%s\"", path);
        return false;
    }
    return true;
}
