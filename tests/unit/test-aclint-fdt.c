/* SPDX-License-Identifier: MIT */
/*
 * Device tree nodes of the ACLINT devices (hw/intc/aclint.c): an MSWI with
 * its MTIMER right behind it is QEMU's CLINT node; apart, they are QEMU's
 * aclint=on nodes (riscv,aclint-mswi and riscv,aclint-mtimer).  virt
 * always builds the pair, so the split layout is checked here on boards
 * built from tables, wired to a stand-in interrupt controller whose input
 * numbers show up in interrupts-extended.
 */
#include <glib.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
#include "hw/intc/aclint.h"
#include "tests/unit/fdt-check.h"
#include "tests/unit/fork-run.h"

/* ---- a stand-in interrupt controller: node /intc, 16 inputs ---- */

#define TYPE_TEST_INTC "test-intc"

static void test_intc_irq(void *opaque, int n, bool level)
{
}

static bool test_intc_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_node(ctx, "/", "intc");

    fdt_ctx_set_phandle(ctx, node, dev);
    fdt_ctx_setprop_empty(ctx, node, "interrupt-controller");
    return fdt_ctx_check(ctx, errp);
}

static const DeviceClass test_intc_class = {
    .obj =
        {
            .name = TYPE_TEST_INTC,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(Device),
            .desc = "interrupt controller stand-in",
        },
    .irq_in = {{"irq", 16, test_intc_irq}},
    .fdt_node = test_intc_fdt_node,
};

static int setup(void **state)
{
    type_register_all();
    if (!type_lookup(TYPE_TEST_INTC)) {
        type_register(&test_intc_class.obj);
    }
    clock_reset_for_test();
    memory_reset_for_test();
    return 0;
}

static int teardown(void **state)
{
    object_reset_root();
    memory_reset_for_test();
    clock_reset_for_test();
    return 0;
}

/*
 * Builds a "none" board of @devs plus /machine/intc, with hart h's MSIP
 * wired to intc input 3 + 8h and its MTIP to input 7 + 8h (2 harts), and
 * returns its finished device tree (caller frees).
 */
static void *build_tree(const BoardDevice *devs, size_t ndevs,
                        const BoardWire *wires, size_t nwires)
{
    static const BoardDevice intc[] = {{"intc", TYPE_TEST_INTC, 0, NULL}};
    GError *err = NULL;
    Machine *m = machine_create(machine_class_find("none"), 0, 2, &err);
    FdtContext *ctx;
    const char *soc;
    void *blob;

    assert_non_null(m);
    if (!machine_build(m, intc, 1, NULL, 0, &err) ||
        !machine_build(m, devs, ndevs, wires, nwires, &err)) {
        fail_msg("%s", err->message);
    }
    ctx = fdt_ctx_new(&m->obj, "/soc");
    soc = fdt_ctx_add_node(ctx, "/", "soc");
    fdt_ctx_setprop_cell(ctx, soc, "#address-cells", 2);
    fdt_ctx_setprop_cell(ctx, soc, "#size-cells", 2);
    if (!fdt_ctx_add_device_nodes(ctx, NULL, &err) ||
        !fdt_ctx_finish(ctx, &err)) {
        fail_msg("%s", err->message);
    }
    blob = g_memdup2(fdt_ctx_blob(ctx), fdt_totalsize(fdt_ctx_blob(ctx)));
    fdt_ctx_free(ctx);
    return blob;
}

static uint32_t intc_phandle(const void *fdt)
{
    uint32_t ph = fdt_get_phandle(fdt, node(fdt, "/intc"));

    assert_int_not_equal(ph, 0);
    return ph;
}

#define ASSERT_STR(fdt, path, prop, lit)                                       \
    assert_prop(fdt, path, prop, lit, sizeof(lit))

static const BoardWire wires[] = {
    {"mswi.msip[0]", "intc.irq[3]"},
    {"mswi.msip[1]", "intc.irq[11]"},
    {"mtimer.mtip[0]", "intc.irq[7]"},
    {"mtimer.mtip[1]", "intc.irq[15]"},
};

static void test_split_nodes(void **state)
{
    static const BoardDevice devs[] = {
        {"mswi", TYPE_ACLINT_MSWI, 0x2000000, "num-harts=2"},
        {"mtimer", TYPE_ACLINT_MTIMER, 0x2100000, "num-harts=2"},
    };
    g_autofree void *fdt = build_tree(devs, 2, wires, 4);
    uint32_t ph = intc_phandle(fdt);
    const char *mswi = "/soc/mswi@2000000", *mtimer = "/soc/mtimer@2100000";

    ASSERT_STR(fdt, mswi, "compatible", "riscv,aclint-mswi");
    assert_cells(fdt, mswi, "reg", 4, 0, 0x2000000, 0, ACLINT_MSWI_SIZE);
    assert_cells(fdt, mswi, "interrupts-extended", 4, ph, 3, ph, 11);
    assert_prop(fdt, mswi, "interrupt-controller", "", 0);
    assert_cells(fdt, mswi, "#interrupt-cells", 1, 0);

    ASSERT_STR(fdt, mtimer, "compatible", "riscv,aclint-mtimer");
    /* mtime first, then the mtimecmp array (QEMU's aclint=on layout) */
    assert_cells(fdt, mtimer, "reg", 8, 0, 0x2100000 + ACLINT_MTIME, 0,
                 ACLINT_MTIMER_SIZE - ACLINT_MTIME, 0, 0x2100000, 0,
                 ACLINT_MTIME);
    assert_cells(fdt, mtimer, "interrupts-extended", 4, ph, 7, ph, 15);
    assert_absent(fdt, "/soc/clint@2000000");
}

static void test_pair_is_one_clint_node(void **state)
{
    static const BoardDevice devs[] = {
        {"mswi", TYPE_ACLINT_MSWI, 0x2000000, "num-harts=2"},
        {"mtimer", TYPE_ACLINT_MTIMER, 0x2000000 + ACLINT_MSWI_SIZE,
         "num-harts=2"},
    };
    g_autofree void *fdt = build_tree(devs, 2, wires, 4);
    uint32_t ph = intc_phandle(fdt);
    const char *clint = "/soc/clint@2000000";

    ASSERT_STR(fdt, clint, "compatible", "sifive,clint0\0riscv,clint0");
    assert_cells(fdt, clint, "reg", 4, 0, 0x2000000, 0, 0x10000);
    /* per hart: MSIP then MTIP */
    assert_cells(fdt, clint, "interrupts-extended", 8, ph, 3, ph, 7, ph, 11, ph,
                 15);
    assert_absent(fdt, "/soc/mswi@2000000");
    assert_absent(fdt, "/soc/mtimer@2004000");
}

static void test_mtimer_behind_other_device(void **state)
{
    /* 0x4000 below the MTIMER sits a device that is no MSWI */
    static const BoardDevice devs[] = {
        {"test", "sifive-test", 0x2000000, NULL},
        {"mtimer", TYPE_ACLINT_MTIMER, 0x2000000 + ACLINT_MSWI_SIZE, NULL},
    };
    static const BoardWire w[] = {{"mtimer.mtip[0]", "intc.irq[7]"}};
    g_autofree void *fdt = build_tree(devs, 2, w, 1);
    uint32_t ph = intc_phandle(fdt);
    const char *mtimer = "/soc/mtimer@2004000";

    ASSERT_STR(fdt, mtimer, "compatible", "riscv,aclint-mtimer");
    assert_cells(fdt, mtimer, "interrupts-extended", 2, ph, 7);
    assert_absent(fdt, "/soc/clint@2000000");
}

static void test_mtimer_at_zero(void **state)
{
    /* no room for an MSWI below: the MTIMER stands alone */
    static const BoardDevice devs[] = {
        {"mtimer", TYPE_ACLINT_MTIMER, 0, NULL},
    };
    static const BoardWire w[] = {{"mtimer.mtip[0]", "intc.irq[7]"}};
    g_autofree void *fdt = build_tree(devs, 1, w, 1);
    const char *mtimer = "/soc/mtimer@0";

    ASSERT_STR(fdt, mtimer, "compatible", "riscv,aclint-mtimer");
    assert_cells(fdt, mtimer, "reg", 8, 0, ACLINT_MTIME, 0,
                 ACLINT_MTIMER_SIZE - ACLINT_MTIME, 0, 0, 0, ACLINT_MTIME);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_split_nodes),
        T(test_pair_is_one_clint_node),
        T(test_mtimer_behind_other_device),
        T(test_mtimer_at_zero),
    };
#undef T
    return run_each_forked(tests, G_N_ELEMENTS(tests)) ? 1 : 0;
}
