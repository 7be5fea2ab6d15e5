/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio over qtest: the eight empty slots of virt
 * (virt-machine.md §4, virtio-mmio.md "Empty slot"), the force-legacy
 * property, access widths, and a slot alone on -machine none.  Cases that
 * only use addresses also run against QEMU; cases that name QOM paths are
 * skipped there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "harness/c/libqtest.h"
#include "hw/virtio/virtio-mmio.h"

#define SLOT(i)   (0x10001000ULL + 0x1000 * (i))
#define NSLOTS    8
#define PLIC_PATH "/machine/plic"
#define T(fn)     cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)
#define TX(fn)    cmocka_unit_test(fn)

/* Transport registers an empty slot answers with 0 (virtio-mmio.md). */
static const uint32_t other_regs[] = {
    0x010, 0x014, 0x020, 0x024, 0x028, 0x030, 0x034, 0x038, 0x03c, 0x040, 0x044,
    0x050, 0x060, 0x064, 0x070, 0x080, 0x084, 0x090, 0x094, 0x0a0, 0x0a4, 0x0ac,
    0x0b0, 0x0b4, 0x0b8, 0x0bc, 0x0c0, 0x0fc, 0x100, 0x104, 0x1fc,
};

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static QTestState *start_virt(const char *extra)
{
    return qtest_initf("-machine virt -nodefaults %s%s",
                       !qtest_is_benchtop(NULL) ? "-bios none " : "", extra);
}

static int setup_virt(void **state)
{
    *state = start_virt("");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    qtest_quit(*state);
    return 0;
}

static void check_ids(QTestState *qts, uint64_t base, uint32_t version)
{
    assert_int_equal(qtest_readl(qts, base + VIRTIO_MMIO_MAGIC_VALUE),
                     VIRTIO_MMIO_MAGIC);
    assert_int_equal(qtest_readl(qts, base + VIRTIO_MMIO_VERSION), version);
    assert_int_equal(qtest_readl(qts, base + VIRTIO_MMIO_DEVICE_ID), 0);
    assert_int_equal(qtest_readl(qts, base + VIRTIO_MMIO_VENDOR_ID),
                     VIRTIO_MMIO_VENDOR);
}

/* Every slot: the IDs of an empty legacy transport. */
static void test_empty_slots(void **state)
{
    QTestState *qts = *state;

    for (unsigned i = 0; i < NSLOTS; i++) {
        check_ids(qts, SLOT(i), VIRTIO_MMIO_VERSION_LEGACY);
    }
}

/* Every other register reads 0; writes change nothing. */
static void test_other_registers(void **state)
{
    QTestState *qts = *state;

    for (unsigned i = 0; i < NSLOTS; i++) {
        for (size_t r = 0; r < G_N_ELEMENTS(other_regs); r++) {
            qtest_writel(qts, SLOT(i) + other_regs[r], 0xffffffff);
            assert_int_equal(qtest_readl(qts, SLOT(i) + other_regs[r]), 0);
        }
        /* The ID registers are read-only. */
        qtest_writel(qts, SLOT(i) + VIRTIO_MMIO_MAGIC_VALUE, 0);
        qtest_writel(qts, SLOT(i) + VIRTIO_MMIO_VERSION, 2);
        qtest_writel(qts, SLOT(i) + VIRTIO_MMIO_DEVICE_ID, 2);
        qtest_writel(qts, SLOT(i) + VIRTIO_MMIO_VENDOR_ID, 0);
        check_ids(qts, SLOT(i), VIRTIO_MMIO_VERSION_LEGACY);
    }
}

/* 1-, 2- and 4-byte accesses act on the register they start at. */
static void test_access_widths(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readw(qts, SLOT(0)), 0x6976);
    assert_int_equal(qtest_readb(qts, SLOT(0)), 0x76);
    assert_int_equal(qtest_readb(qts, SLOT(0) + 1), 0);
    assert_int_equal(qtest_readw(qts, SLOT(0) + 2), 0);
    assert_int_equal(qtest_readb(qts, SLOT(0) + VIRTIO_MMIO_VERSION), 1);
    assert_int_equal(qtest_readw(qts, SLOT(0) + VIRTIO_MMIO_VENDOR_ID), 0x4551);
    assert_int_equal(qtest_readb(qts, SLOT(0) + 0x70), 0);
    assert_int_equal(qtest_readl(qts, SLOT(7) + VIRTIO_MMIO_MAGIC_VALUE),
                     VIRTIO_MMIO_MAGIC);
    /* An 8-byte access is two 32-bit ones: MagicValue, then Version. */
    assert_int_equal(qtest_readq(qts, SLOT(0)),
                     VIRTIO_MMIO_MAGIC | (uint64_t)1 << 32);
}

/* Only 0x200 bytes per slot are decoded. */
static void test_window(void **state)
{
    QTestState *qts = *state;

    for (unsigned i = 0; i < NSLOTS; i++) {
        assert_int_equal(qtest_readl(qts, SLOT(i) + 0x200), 0);
        assert_int_equal(qtest_readl(qts, SLOT(i) + 0xffc), 0);
    }
    assert_int_equal(qtest_readl(qts, SLOT(8)), 0);
}

/* -global virtio-mmio.force-legacy=false: Version 2 everywhere. */
static void test_modern_version(void **state)
{
    QTestState *qts = start_virt("-global virtio-mmio.force-legacy=false");

    assert_non_null(qts);
    for (unsigned i = 0; i < NSLOTS; i++) {
        check_ids(qts, SLOT(i), VIRTIO_MMIO_VERSION_MODERN);
    }
    qtest_system_reset(qts);
    check_ids(qts, SLOT(3), VIRTIO_MMIO_VERSION_MODERN);
    qtest_quit(qts);
}

/* System reset leaves the IDs as they were. */
static void test_system_reset(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, SLOT(2) + 0x70, 0xf);
    qtest_system_reset(qts);
    for (unsigned i = 0; i < NSLOTS; i++) {
        check_ids(qts, SLOT(i), VIRTIO_MMIO_VERSION_LEGACY);
        assert_int_equal(qtest_readl(qts, SLOT(i) + 0x70), 0);
    }
}

/* The empty slots never interrupt: PLIC sources 1..8 stay low. */
static void test_irq_stays_low(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_in(qts, PLIC_PATH);
    for (unsigned i = 0; i < NSLOTS; i++) {
        qtest_writel(qts, SLOT(i) + 0x70, 0xf);
        qtest_writel(qts, SLOT(i) + 0x50, 0);
        qtest_writel(qts, SLOT(i) + 0x64, 3);
    }
    qtest_clock_step(qts, 1000000);
    for (unsigned i = 0; i < NSLOTS; i++) {
        assert_false(qtest_get_irq(qts, 1 + (int)i));
    }
}

/* The slots are /machine/virtio_mmio0..7, each with an "irq" line. */
static void test_slot_paths(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    for (unsigned i = 0; i < NSLOTS; i++) {
        g_autofree char *path = g_strdup_printf("/machine/virtio_mmio%u", i);
        QDict *r = qtest_qmp_assert_success_ref(
            qts,
            "{'execute': 'qom-get', 'arguments': "
            "{'path': '%s', 'property': 'force-legacy'}}",
            path);

        assert_true(qdict_get_bool(r, "return"));
        qobject_unref(r);
    }
    qtest_irq_intercept_out_named(qts, "/machine/virtio_mmio7", "irq");
    qtest_writel(qts, SLOT(7) + 0x70, 0xf);
    assert_false(qtest_get_irq(qts, 0));
}

/* A slot alone on -machine none, modern. */
static void test_none_machine(void **state)
{
    QTestState *qts;

    SKIP_UNLESS_BENCHTOP(NULL,
                         "-device with addr= on -machine none is Benchtop's");
    qts = qtest_init("-machine none "
                     "-device virtio-mmio,id=v0,addr=0x1000,force-legacy=off");
    assert_non_null(qts);
    check_ids(qts, 0x1000, VIRTIO_MMIO_VERSION_MODERN);
    assert_int_equal(qtest_readl(qts, 0x1200), 0);
    qtest_quit(qts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_slots),   T(test_other_registers), T(test_access_widths),
        T(test_window),        TX(test_modern_version), T(test_system_reset),
        T(test_irq_stays_low), T(test_slot_paths),      TX(test_none_machine),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("virtio-mmio", tests, NULL, NULL);
}
