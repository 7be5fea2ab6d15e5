/* SPDX-License-Identifier: MIT */
/*
 * The device tree builder (hw/core/fdt.c) and the virt board's boot flow
 * (virt-machine.md §6.3, §6.4, §7): trees are checked with libfdt against
 * the values QEMU 7.2 puts there (spec/dts/qemu-7.2-virt-*.dts).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "hw/core/fdt.h"
#include "hw/core/machine.h"
#include "hw/riscv/riscv-boot.h"
#include "hw/riscv/riscv-fdt.h"
#include "target/riscv/cpu.h"
#include "tests/unit/fdt-check.h"
#include "tests/unit/fork-run.h"

#define MiB       (UINT64_C(1) << 20)
#define DRAM_BASE UINT64_C(0x80000000)
/* RAM of most cases: small, as allocating it dominates their run time */
#define SMALL_RAM  (16 * MiB)
#define ISA_STRING "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"

static char *tmpdir;

static int setup(void **state)
{
    type_register_all();
    clock_reset_for_test();
    memory_reset_for_test();
    tmpdir = g_dir_make_tmp("test-fdt-XXXXXX", NULL);
    return tmpdir ? 0 : -1;
}

static int teardown(void **state)
{
    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    object_reset_root();
    memory_reset_for_test();
    clock_reset_for_test();
    while (dir && (name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);

        g_unlink(p);
    }
    g_rmdir(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

static char *tmpfile_with(const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(tmpdir, name, NULL);

    assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    return path;
}

/* A virt machine with -bios none (or @fw) and the given boot options. */
static Machine *virt_new(uint64_t ram, unsigned smp, const char *fw)
{
    const MachineClass *mc = machine_class_find("virt");
    GError *err = NULL;
    Machine *m;

    assert_non_null(mc);
    m = machine_new(mc, NULL, &err);
    assert_non_null(m);
    m->firmware = g_strdup(fw ? fw : "none");
    if (!machine_init_board(m, ram, smp, &err)) {
        fail_msg("%s", err->message);
    }
    return m;
}

static void virt_done_ok(Machine *m)
{
    GError *err = NULL;

    if (!MACHINE_GET_CLASS(m)->done(m, &err)) {
        fail_msg("%s", err->message);
    }
}

/* The message machine done fails with (caller frees). */
static char *virt_done_error(Machine *m)
{
    GError *err = NULL;
    char *msg;

    assert_false(MACHINE_GET_CLASS(m)->done(m, &err));
    assert_non_null(err);
    msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

/* The tree machine done produces, through -machine dumpdtb=. */
static void *virt_dump(Machine *m, gsize *size)
{
    g_autofree char *path = g_build_filename(tmpdir, "dump.dtb", NULL);
    char *data = NULL;

    m->dumpdtb = g_strdup(path);
    virt_done_ok(m);
    assert_true(m->dtb_dumped);
    assert_true(g_file_get_contents(path, &data, size, NULL));
    assert_int_equal(fdt_check_header(data), 0);
    return data;
}

static uint64_t ld(hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    assert_int_equal(address_space_ld(address_space_system(), addr, size, &v),
                     MEMTX_OK);
    return v;
}

/* ---- the context helpers on their own ---- */

static void test_fdt_ctx_builds_nodes_and_props(void **state)
{
    g_autoptr(FdtContext) ctx = fdt_ctx_new(object_get_root(), "/soc");
    GError *err = NULL;
    const char *soc = fdt_ctx_add_node(ctx, "/", "soc");
    const char *n = fdt_ctx_add_node(ctx, soc, "dev@%x", 0x1000);
    static const uint32_t cells[] = {1, 0xdeadbeef};
    void *fdt;

    assert_string_equal(soc, "/soc");
    assert_string_equal(n, "/soc/dev@1000");
    /* adding an existing node is not an error */
    assert_string_equal(fdt_ctx_add_node(ctx, "/", "soc"), "/soc");
    fdt_ctx_setprop_strings(ctx, n, "compatible", "a,b", "c", NULL);
    fdt_ctx_setprop_reg(ctx, n, UINT64_C(0x123456789), 0x1000);
    fdt_ctx_setprop_cells(ctx, n, "cells", cells, 2);
    fdt_ctx_setprop_empty(ctx, n, "flag");
    fdt_ctx_set_chosen(ctx, "console=ttyS0", 0x84200000, 0x84300000);
    assert_true(fdt_ctx_finish(ctx, &err));

    fdt = fdt_ctx_blob(ctx);
    assert_int_equal(fdt_ctx_buf_size(ctx), FDT_BUF_SIZE);
    assert_true(fdt_totalsize(fdt) < FDT_BUF_SIZE); /* packed */
    assert_prop(fdt, n, "compatible", "a,b\0c", 6);
    assert_cells(fdt, n, "reg", 4, 0x1, 0x23456789, 0x0, 0x1000);
    assert_cells(fdt, n, "cells", 2, 1, 0xdeadbeef);
    assert_non_null(fdt_getprop(fdt, node(fdt, n), "flag", NULL));
    assert_str(fdt, "/chosen", "bootargs", "console=ttyS0");
    assert_cells(fdt, "/chosen", "linux,initrd-start", 1, 0x84200000);
    assert_cells(fdt, "/chosen", "linux,initrd-end", 1, 0x84300000);
}

static void test_fdt_ctx_error_is_sticky(void **state)
{
    g_autoptr(FdtContext) ctx = fdt_ctx_new(object_get_root(), "/soc");
    GError *err = NULL;

    fdt_ctx_setprop_cell(ctx, "/nosuch", "x", 1);
    fdt_ctx_add_node(ctx, "/", "later"); /* ignored after the error */
    assert_false(fdt_ctx_check(ctx, &err));
    assert_non_null(strstr(err->message, "/nosuch"));
    g_clear_error(&err);
    assert_int_equal(fdt_path_offset(fdt_ctx_blob(ctx), "/later"),
                     -FDT_ERR_NOTFOUND);
}

static void test_fdt_ctx_dangling_phandle_fails(void **state)
{
    g_autoptr(FdtContext) ctx = fdt_ctx_new(object_get_root(), "/soc");
    GError *err = NULL;
    Device *dev = device_new("sifive-test", &err);

    assert_non_null(dev);
    /* referenced, but no node ever sets it */
    assert_int_equal(fdt_ctx_phandle(ctx, dev), 1);
    assert_int_equal(fdt_ctx_phandle(ctx, dev), 1);
    assert_false(fdt_ctx_finish(ctx, &err));
    assert_non_null(strstr(err->message, "has no node"));
    g_clear_error(&err);
    object_unref(&dev->obj);
}

/* ---- the virt board's tree ---- */

static void test_fdt_virt_tree_smp1(void **state)
{
    Machine *m = virt_new(0, 1, NULL); /* the default 128 MiB */
    gsize size = 0;
    g_autofree void *fdt = virt_dump(m, &size);

    /* the whole 1 MiB buffer is dumped, the header has the packed size */
    assert_int_equal(size, FDT_BUF_SIZE);
    assert_true(fdt_totalsize(fdt) < 0x1000);
    assert_str(fdt, "/", "model", "riscv-virtio,qemu");
    assert_str(fdt, "/", "compatible", "riscv-virtio");
    assert_cells(fdt, "/", "#address-cells", 1, 2);
    assert_cells(fdt, "/memory@80000000", "reg", 4, 0, 0x80000000, 0,
                 0x8000000);
    assert_str(fdt, "/memory@80000000", "device_type", "memory");

    /* harts: our own ISA string, phandles cpu 1, intc 2 */
    assert_cells(fdt, "/cpus", "timebase-frequency", 1, 10000000);
    assert_str(fdt, "/cpus/cpu@0", "riscv,isa", ISA_STRING);
    assert_str(fdt, "/cpus/cpu@0", "mmu-type", "riscv,sv57");
    assert_str(fdt, "/cpus/cpu@0", "status", "okay");
    assert_cells(fdt, "/cpus/cpu@0", "phandle", 1, 1);
    assert_cells(fdt, "/cpus/cpu@0/interrupt-controller", "phandle", 1, 2);
    assert_str(fdt, "/cpus/cpu@0/interrupt-controller", "compatible",
               "riscv,cpu-intc");
    assert_cells(fdt, "/cpus/cpu-map/cluster0/core0", "cpu", 1, 1);

    /* CLINT: M-soft 3, M-timer 7; PLIC: M-ext 11, S-ext 9; PLIC is 3 */
    assert_prop(fdt, "/soc/clint@2000000", "compatible",
                "sifive,clint0\0riscv,clint0", 27);
    assert_cells(fdt, "/soc/clint@2000000", "reg", 4, 0, 0x2000000, 0, 0x10000);
    assert_cells(fdt, "/soc/clint@2000000", "interrupts-extended", 4, 2, 3, 2,
                 7);
    assert_cells(fdt, "/soc/plic@c000000", "interrupts-extended", 4, 2, 11, 2,
                 9);
    assert_cells(fdt, "/soc/plic@c000000", "phandle", 1, 3);
    assert_cells(fdt, "/soc/plic@c000000", "riscv,ndev", 1, 96);
    assert_cells(fdt, "/soc/plic@c000000", "reg", 4, 0, 0xc000000, 0, 0x600000);

    /* devices on PLIC sources: UART 10, RTC 11, virtio slot i at 1 + i */
    assert_str(fdt, "/soc/serial@10000000", "compatible", "ns16550a");
    assert_cells(fdt, "/soc/serial@10000000", "reg", 4, 0, 0x10000000, 0,
                 0x100);
    assert_cells(fdt, "/soc/serial@10000000", "clock-frequency", 1, 3686400);
    assert_cells(fdt, "/soc/serial@10000000", "interrupts", 1, 10);
    assert_cells(fdt, "/soc/serial@10000000", "interrupt-parent", 1, 3);
    assert_str(fdt, "/soc/rtc@101000", "compatible", "google,goldfish-rtc");
    assert_cells(fdt, "/soc/rtc@101000", "interrupts", 1, 11);
    assert_cells(fdt, "/soc/virtio_mmio@10001000", "interrupts", 1, 1);
    assert_cells(fdt, "/soc/virtio_mmio@10008000", "interrupts", 1, 8);
    assert_cells(fdt, "/soc/virtio_mmio@10008000", "reg", 4, 0, 0x10008000, 0,
                 0x1000);

    /* test device 4, reached through the syscon nodes */
    assert_prop(fdt, "/soc/test@100000", "compatible",
                "sifive,test1\0sifive,test0\0syscon", 33);
    assert_cells(fdt, "/soc/test@100000", "phandle", 1, 4);
    assert_cells(fdt, "/poweroff", "regmap", 1, 4);
    assert_cells(fdt, "/poweroff", "value", 1, 0x5555);
    assert_cells(fdt, "/reboot", "value", 1, 0x7777);
    assert_str(fdt, "/chosen", "stdout-path", "/soc/serial@10000000");
    assert_non_null(fdt_getprop(fdt, node(fdt, "/chosen"), "rng-seed", NULL));
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "bootargs", NULL));

    /* devices Benchtop does not have get no node */
    assert_absent(fdt, "/soc/pci@30000000");
    assert_absent(fdt, "/flash@20000000");
    assert_absent(fdt, "/fw-cfg@10100000");
    assert_absent(fdt, "/platform-bus@4000000");
}

static void test_fdt_virt_tree_smp2(void **state)
{
    Machine *m = virt_new(SMALL_RAM, 2, NULL);
    gsize size = 0;
    g_autofree void *fdt = virt_dump(m, &size);

    /* highest hart first: cpu@1 1, its intc 2, cpu@0 3, its intc 4 */
    assert_cells(fdt, "/cpus/cpu@1", "phandle", 1, 1);
    assert_cells(fdt, "/cpus/cpu@1", "reg", 1, 1);
    assert_cells(fdt, "/cpus/cpu@0", "phandle", 1, 3);
    assert_cells(fdt, "/cpus/cpu-map/cluster0/core0", "cpu", 1, 3);
    assert_cells(fdt, "/cpus/cpu-map/cluster0/core1", "cpu", 1, 1);
    assert_cells(fdt, "/soc/plic@c000000", "interrupts-extended", 8, 4, 11, 4,
                 9, 2, 11, 2, 9);
    assert_cells(fdt, "/soc/clint@2000000", "interrupts-extended", 8, 4, 3, 4,
                 7, 2, 3, 2, 7);
    assert_cells(fdt, "/soc/plic@c000000", "phandle", 1, 5);
    assert_cells(fdt, "/soc/serial@10000000", "interrupt-parent", 1, 5);
    assert_cells(fdt, "/reboot", "regmap", 1, 6);
}

static void test_fdt_isa_string_follows_the_hart(void **state)
{
    GError *err = NULL;
    Device *dev = device_new(TYPE_RISCV_HART, &err);
    g_autofree char *full = NULL;
    g_autofree char *reduced = NULL;

    assert_non_null(dev);
    assert_true(device_realize(dev, &err));
    full = riscv_fdt_isa_string((RiscvHart *)dev);
    assert_string_equal(full, ISA_STRING);
    object_unref(&dev->obj); /* unrealizes it */

    dev = device_new(TYPE_RISCV_HART, &err);
    assert_true(object_property_parse(&dev->obj, "sstc", "off", &err));
    assert_true(object_property_parse(&dev->obj, "d", "off", &err));
    assert_true(device_realize(dev, &err));
    reduced = riscv_fdt_isa_string((RiscvHart *)dev);
    assert_string_equal(reduced, "rv64imafc_zicsr_zifencei_zihintpause_zba_"
                                 "zbb_zbc_zbs");
    object_unref(&dev->obj); /* unrealizes it */
}

/* ---- placement: firmware, kernel, initrd, FDT, MROM ---- */

static void test_fdt_virt_places_images(void **state)
{
    static const uint8_t kernel[] = {0x6f, 0x00, 0x00, 0x00}; /* j . */
    static const uint8_t initrd[] = {0x1f, 0x8b, 0x08, 0x00, 0x42};
    g_autofree uint8_t *fw_bytes = g_malloc0(0x1c000); /* ~OpenSBI's size */
    g_autofree char *fw = tmpfile_with("fw.bin", fw_bytes, 0x1c000);
    g_autofree char *k = tmpfile_with("Image", kernel, sizeof(kernel));
    g_autofree char *rd = tmpfile_with("rd", initrd, sizeof(initrd));
    Machine *m = virt_new(32 * MiB, 1, fw);
    uint8_t blob[64];
    const void *fdt = blob;

    m->kernel = g_strdup(k);
    m->initrd = g_strdup(rd);
    m->append = g_strdup("console=ttyS0 bench=0");
    virt_done_ok(m);

    /* MROM: start 0x80000000, FDT 0x81e00000, fw_dynamic_info next_addr */
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_START_ADDR, 8),
                     0x80000000);
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FDT_ADDR, 8), 0x81e00000);
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FW_DYN + 0x10, 8),
                     0x80200000);
    /* the kernel at the first 2 MiB boundary after the firmware */
    assert_int_equal(ld(0x80200000, 4), 0x0000006f);
    /* the initrd at kernel + min(RAM / 2, 128 MiB) */
    assert_int_equal(ld(0x81200000, 4), 0x00088b1f);

    /* the tree in RAM, with /chosen filled in */
    assert_int_equal(address_space_read(address_space_system(), 0x81e00000,
                                        blob, sizeof(blob)),
                     MEMTX_OK);
    assert_int_equal(fdt_magic(fdt), FDT_MAGIC);
    {
        uint32_t total = fdt_totalsize(fdt);
        g_autofree uint8_t *whole = g_malloc(total);

        assert_int_equal(address_space_read(address_space_system(), 0x81e00000,
                                            whole, total),
                         MEMTX_OK);
        assert_str(whole, "/chosen", "bootargs", "console=ttyS0 bench=0");
        assert_cells(whole, "/chosen", "linux,initrd-start", 1, 0x81200000);
        assert_cells(whole, "/chosen", "linux,initrd-end", 1,
                     0x81200000 + sizeof(initrd));
        assert_cells(whole, "/memory@80000000", "reg", 4, 0, 0x80000000, 0,
                     0x2000000);
    }
}

/* FDT at align_down(min(RAM end, 3 GiB) - 1 MiB, 2 MiB); no -kernel */
static void check_fdt_address(uint64_t ram, uint64_t want)
{
    Machine *m = virt_new(ram, 1, NULL);

    virt_done_ok(m);
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FDT_ADDR, 8), want);
    assert_int_equal(ld(want, 4), 0xedfe0dd0); /* FDT_MAGIC, big-endian */
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FW_DYN + 0x10, 8), 0);
}

static void test_fdt_virt_fdt_address_128m(void **state)
{
    check_fdt_address(128 * MiB, 0x87e00000);
}

static void test_fdt_virt_fdt_address_32m(void **state)
{
    check_fdt_address(32 * MiB, 0x81e00000);
}

/* An ELF64 RISC-V image with PT_LOAD segments at 0x80400000, 0x80300000. */
static GByteArray *tiny_elf(void)
{
    GByteArray *b = g_byte_array_new();
    uint8_t eh[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    uint8_t ph[2][56];
    const uint64_t addrs[2] = {0x80400000, 0x80300000};
    uint8_t payload[8] = {1, 2, 3, 4, 5, 6, 7, 8};

    eh[16] = 2;   /* ET_EXEC */
    eh[18] = 243; /* EM_RISCV */
    eh[20] = 1;   /* EV_CURRENT */
    eh[32] = 64;  /* e_phoff */
    eh[52] = 64;  /* e_ehsize */
    eh[54] = 56;  /* e_phentsize */
    eh[56] = 2;   /* e_phnum */
    memset(ph, 0, sizeof(ph));
    for (int i = 0; i < 2; i++) {
        uint64_t off = 64 + 2 * 56;

        ph[i][0] = 1; /* PT_LOAD */
        for (int b8 = 0; b8 < 8; b8++) {
            ph[i][8 + b8] = (uint8_t)(off >> (8 * b8));
            ph[i][16 + b8] = (uint8_t)(addrs[i] >> (8 * b8)); /* vaddr */
            ph[i][24 + b8] = (uint8_t)(addrs[i] >> (8 * b8)); /* paddr */
        }
        ph[i][32] = 8; /* filesz */
        ph[i][40] = 8; /* memsz */
    }
    g_byte_array_append(b, eh, sizeof(eh));
    g_byte_array_append(b, &ph[0][0], sizeof(ph));
    g_byte_array_append(b, payload, sizeof(payload));
    return b;
}

static void test_fdt_virt_elf_kernel_enters_lowest_segment(void **state)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autofree char *k = tmpfile_with("k.elf", elf->data, elf->len);
    Machine *m = virt_new(SMALL_RAM, 1, NULL);

    m->kernel = g_strdup(k);
    virt_done_ok(m);
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FW_DYN + 0x10, 8),
                     0x80300000);
    assert_int_equal(ld(0x80300000, 8), 0x0807060504030201);
    assert_int_equal(ld(0x80400000, 8), 0x0807060504030201);
}

static void test_fdt_virt_raw_kernel_without_firmware(void **state)
{
    static const uint8_t kernel[] = {0x13, 0, 0, 0};
    g_autofree char *k = tmpfile_with("k.bin", kernel, sizeof(kernel));
    Machine *m = virt_new(SMALL_RAM, 1, NULL);

    /* -bios none: firmware_end is the RAM base, so is the kernel */
    m->kernel = g_strdup(k);
    virt_done_ok(m);
    assert_int_equal(ld(RISCV_MROM_BASE + RISCV_MROM_FW_DYN + 0x10, 8),
                     DRAM_BASE);
    assert_int_equal(ld(DRAM_BASE, 4), 0x13);
}

static void test_fdt_virt_dtb_file_patches_chosen(void **state)
{
    const MachineClass *mc = machine_class_find("virt");
    g_autofree char *dump = g_build_filename(tmpdir, "d.dtb", NULL);
    g_autofree char *path = NULL;
    g_autofree char *k = tmpfile_with("k", "\x13\0\0\0", 4);
    g_autofree char *rd = tmpfile_with("rd", "RD", 2);
    g_autofree void *fdt = NULL;
    GError *err = NULL;
    uint8_t buf[512];
    gsize size = 0;
    Machine *m;

    assert_int_equal(fdt_create_empty_tree(buf, sizeof(buf)), 0);
    assert_int_equal(fdt_setprop_string(buf, 0, "model", "mine"), 0);
    path = tmpfile_with("mine.dtb", buf, fdt_totalsize(buf));

    m = machine_new(mc, NULL, &err);
    assert_non_null(m);
    m->firmware = g_strdup("none");
    m->dtb = g_strdup(path);
    m->kernel = g_strdup(k);
    m->initrd = g_strdup(rd);
    m->append = g_strdup("quiet");
    m->dumpdtb = g_strdup(dump);
    assert_true(machine_init_board(m, SMALL_RAM, 1, &err));
    virt_done_ok(m);
    assert_true(g_file_get_contents(dump, (char **)&fdt, &size, NULL));
    /* the file's size plus QEMU's 10000 bytes of room */
    assert_int_equal(size, fdt_totalsize(buf) + FDT_FILE_EXTRA);
    assert_str(fdt, "/", "model", "mine");
    assert_str(fdt, "/chosen", "bootargs", "quiet");
    /* kernel at 0x80000000 (-bios none), initrd RAM / 2 above it */
    assert_cells(fdt, "/chosen", "linux,initrd-start", 1, 0x80800000);
    assert_cells(fdt, "/chosen", "linux,initrd-end", 1, 0x80800002);
    assert_absent(fdt, "/cpus"); /* used as it is */
}

static void test_fdt_virt_missing_kernel(void **state)
{
    g_autofree char *missing = g_build_filename(tmpdir, "nosuch", NULL);
    g_autofree char *want =
        g_strdup_printf("could not load kernel '%s'", missing);
    g_autofree char *msg = NULL;
    Machine *m = virt_new(SMALL_RAM, 1, NULL);

    m->kernel = g_strdup(missing);
    msg = virt_done_error(m);
    assert_string_equal(msg, want);
}

static void test_fdt_virt_missing_initrd(void **state)
{
    g_autofree char *missing = g_build_filename(tmpdir, "nosuch", NULL);
    g_autofree char *want =
        g_strdup_printf("could not load ramdisk '%s'", missing);
    g_autofree char *msg = NULL;
    Machine *m = virt_new(SMALL_RAM, 1, NULL);

    m->kernel = tmpfile_with("k", "\x13\0\0\0", 4);
    m->initrd = g_strdup(missing);
    msg = virt_done_error(m);
    assert_string_equal(msg, want);
}

static void test_fdt_virt_bad_dtb_file(void **state)
{
    g_autofree char *bad = tmpfile_with("bad.dtb", "not a tree", 10);
    GError *err = NULL;
    Machine *m = machine_new(machine_class_find("virt"), NULL, &err);

    assert_non_null(m);
    m->dtb = g_strdup(bad);
    assert_false(machine_init_board(m, SMALL_RAM, 1, &err));
    assert_true(g_str_has_prefix(err->message,
                                 "load_device_tree: Unable to copy device "
                                 "tree into memory: FDT_ERR_BADMAGIC\n"));
    assert_true(g_str_has_suffix(err->message, ": load_device_tree() failed"));
    g_clear_error(&err);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fdt_ctx_builds_nodes_and_props),
        T(test_fdt_ctx_error_is_sticky),
        T(test_fdt_ctx_dangling_phandle_fails),
        T(test_fdt_isa_string_follows_the_hart),
    };
    const struct CMUnitTest machine_tests[] = {
        T(test_fdt_virt_tree_smp1),
        T(test_fdt_virt_tree_smp2),
        T(test_fdt_virt_places_images),
        T(test_fdt_virt_fdt_address_128m),
        T(test_fdt_virt_fdt_address_32m),
        T(test_fdt_virt_elf_kernel_enters_lowest_segment),
        T(test_fdt_virt_raw_kernel_without_firmware),
        T(test_fdt_virt_dtb_file_patches_chosen),
        T(test_fdt_virt_missing_kernel),
        T(test_fdt_virt_missing_initrd),
        T(test_fdt_virt_bad_dtb_file),
    };
#undef T
    int failed = cmocka_run_group_tests_name("fdt", tests, NULL, NULL);

    failed += run_each_forked(machine_tests, G_N_ELEMENTS(machine_tests));
    return failed ? 1 : 0;
}
