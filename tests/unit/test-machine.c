/* SPDX-License-Identifier: MIT */
/*
 * Machines without a command line (hw/core/machine.c): machine_create,
 * -machine properties, and boards built from device and wire tables
 * (STYLE.md §4) including every way a table can be wrong, which no real
 * board's fixed table reaches.  The -device and -global paths are covered
 * through the binary by tests/qtest/test_cli_machine.py.
 */
#include <glib.h>
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
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/opts.h"
#include "hw/core/machine.h"
#include "hw/rtc/goldfish-rtc.h"
#include "tests/unit/fork-run.h"

#define KiB (UINT64_C(1) << 10)

/* ---- a device whose only region is one it creates itself ---- */

#define TYPE_TEST_SRAM "test-sram"
#define TEST_SRAM_SIZE 0x100

static bool test_sram_realize(Device *dev, GError **errp)
{
    MemoryRegion *mr =
        memory_region_new_ram(&dev->obj, "sram", TEST_SRAM_SIZE, errp);

    if (!mr) {
        return false;
    }
    device_add_region(dev, mr);
    return true;
}

static const DeviceClass test_sram_class = {
    .obj =
        {
            .name = TYPE_TEST_SRAM,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(Device),
            .desc = "RAM created at realize (no register region)",
        },
    .realize = test_sram_realize,
};

static int setup(void **state)
{
    type_register_all();
    if (!type_lookup(TYPE_TEST_SRAM)) {
        type_register(&test_sram_class.obj);
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

static Machine *none_machine(uint64_t ram)
{
    GError *err = NULL;
    Machine *m = machine_create(machine_class_find("none"), ram, 1, &err);

    if (!m) {
        fail_msg("%s", err->message);
    }
    return m;
}

/* machine_build()'s error for @devs/@wires (caller frees). */
static char *build_error(Machine *m, const BoardDevice *devs, size_t ndevs,
                         const BoardWire *wires, size_t nwires)
{
    GError *err = NULL;
    char *msg;

    assert_false(machine_build(m, devs, ndevs, wires, nwires, &err));
    assert_non_null(err);
    msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static uint32_t ld32(hwaddr addr)
{
    uint64_t v = 0;

    assert_int_equal(address_space_ld(address_space_system(), addr, 4, &v),
                     MEMTX_OK);
    return (uint32_t)v;
}

/* ---- machine_create, machine_new ---- */

static void test_create_none_with_ram(void **state)
{
    Machine *m = none_machine(64 * KiB);

    assert_ptr_equal(machine_current(), m);
    assert_ptr_equal(object_resolve_path("/machine", NULL), &m->obj);
    assert_int_equal(m->ram_size, 64 * KiB);
    assert_int_equal(m->smp, 1);
    assert_string_equal(m->ram->name, "ram");
    for (const char *const *c =
             (const char *const[]){"peripheral", "peripheral-anon",
                                   "unattached", NULL};
         *c; c++) {
        assert_non_null(object_get_child(&m->obj, *c));
    }
    /* RAM at 0 (none's ram_base) */
    assert_int_equal(
        address_space_st(address_space_system(), 0x1000, 4, 0x12345678),
        MEMTX_OK);
    assert_int_equal(ld32(0x1000), 0x12345678);
}

static void test_create_fails_without_memory(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan aborts on the huge allocation instead of failing it */
#else
    GError *err = NULL;

    assert_null(
        machine_create(machine_class_find("none"), UINT64_MAX / 2, 1, &err));
    assert_non_null(err);
    assert_string_equal(err->message,
                        "cannot set up guest memory 'ram': Cannot allocate "
                        "memory");
    g_error_free(err);
#endif
}

static void test_new_applies_and_skips_props(void **state)
{
    g_autoptr(Opts) props = opts_parse_keyval(
        "kernel=/k,graphics=off,usb=off,dump-guest-core=off,mem-merge=off,"
        "memory-backend=m,dt-compatible=x,phandle-start=1,smp.cpus=2,"
        "memory.size=1M,append=quiet",
        NULL, NULL);
    GError *err = NULL;
    Machine *m;

    assert_non_null(props);
    m = machine_new(machine_class_find("none"), props, &err);
    assert_non_null(m);
    assert_null(err);
    assert_string_equal(m->kernel, "/k");
    assert_string_equal(m->append, "quiet");
    /* skipped keys set nothing, e.g. no RAM before machine_init_board */
    assert_null(m->ram);
    assert_int_equal(m->smp, 1);
}

static void test_new_rejects_unknown_prop(void **state)
{
    g_autoptr(Opts) props = opts_parse_keyval("foo=bar", NULL, NULL);
    GError *err = NULL;

    assert_null(machine_new(machine_class_find("none"), props, &err));
    assert_non_null(err);
    assert_string_equal(err->message, "Property 'none-machine.foo' not found");
    g_clear_error(&err);
    /* nothing was left behind: a second attempt succeeds */
    assert_null(machine_current());
    assert_null(object_get_child(object_get_root(), "machine"));
    assert_non_null(machine_new(machine_class_find("none"), NULL, &err));
}

static void test_new_refuses_taken_path(void **state)
{
    Object *squatter = object_new_with_class(type_lookup("container"));
    GError *err = NULL;

    assert_true(object_add_child(object_get_root(), "machine", squatter, NULL));
    object_unref(squatter);
    assert_null(machine_new(machine_class_find("none"), NULL, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "duplicate property 'machine'"));
    g_error_free(err);
    assert_null(machine_current());
    assert_ptr_equal(object_get_child(object_get_root(), "machine"), squatter);
}

/* ---- machine_build: working tables ---- */

static const BoardDevice rtc_and_plic[] = {
    {"rtc", TYPE_GOLDFISH_RTC, 0x1000, "clock=vm,base-ns=0x100000005"},
    {"plic", "plic", 0xc000000, "num-harts=1"},
    {"sram", TYPE_TEST_SRAM, 0x8000, NULL},
};

static void test_build_maps_props_and_wires(void **state)
{
    static const BoardWire wires[] = {{"rtc.irq", "plic.source[11]"}};
    Machine *m = none_machine(0);
    GError *err = NULL;
    Device *rtc, *plic;

    assert_true(machine_build(m, rtc_and_plic, G_N_ELEMENTS(rtc_and_plic),
                              wires, G_N_ELEMENTS(wires), &err));
    assert_null(err);
    rtc = DEVICE(object_get_child(&m->obj, "rtc"));
    plic = DEVICE(object_get_child(&m->obj, "plic"));
    assert_non_null(rtc);
    assert_non_null(plic);
    assert_true(rtc->realized && plic->realized);
    /* props applied and the register region mapped at addr */
    assert_int_equal(ld32(0x1000 + GOLDFISH_RTC_TIME_LOW), 5);
    assert_int_equal(ld32(0x1000 + GOLDFISH_RTC_TIME_HIGH), 1);
    /* the wire connects the RTC's output to PLIC source 11 */
    assert_ptr_equal(device_irq_out(rtc, "irq")->sink,
                     device_irq_in(plic, "source", 11));
    /* a device without a register region gets its own region mapped */
    assert_int_equal(
        address_space_st(address_space_system(), 0x80fc, 4, 0xcafef00d),
        MEMTX_OK);
    assert_int_equal(ld32(0x80fc), 0xcafef00d);
}

static void test_build_applies_globals(void **state)
{
    static const BoardDevice devs[] = {
        {"rtc", TYPE_GOLDFISH_RTC, 0x1000, "clock=vm"},
    };
    Machine *m = none_machine(0);
    GError *err = NULL;

    /* a global on an ancestor type reaches the board device */
    machine_add_global("device", "base-ns", "7");
    assert_true(machine_build(m, devs, 1, NULL, 0, &err));
    assert_int_equal(ld32(0x1000 + GOLDFISH_RTC_TIME_LOW), 7);
}

/* ---- machine_build: broken tables ---- */

static void test_build_bad_global(void **state)
{
    static const BoardDevice devs[] = {
        {"rtc", TYPE_GOLDFISH_RTC, 0x1000, NULL}};
    Machine *m = none_machine(0);
    g_autofree char *msg = NULL;

    machine_add_global(TYPE_GOLDFISH_RTC, "base-ns", "soon");
    msg = build_error(m, devs, 1, NULL, 0);
    assert_string_equal(msg, "can't apply global goldfish-rtc.base-ns=soon: "
                             "Parameter 'base-ns' expects integer");
    assert_null(object_get_child(&m->obj, "rtc"));
}

static void test_build_bad_type(void **state)
{
    static const BoardDevice devs[] = {{"x", "nosuch", 0x1000, NULL}};
    Machine *m = none_machine(0);
    g_autofree char *msg = build_error(m, devs, 1, NULL, 0);

    assert_non_null(strstr(msg, "nosuch"));
    assert_null(object_get_child(&m->obj, "x"));
}

static void test_build_bad_props(void **state)
{
    static const BoardDevice unknown[] = {
        {"rtc", TYPE_GOLDFISH_RTC, 0x1000, "clock=vm,foo=1"}};
    static const BoardDevice malformed[] = {
        {"rtc2", TYPE_GOLDFISH_RTC, 0x2000, ",=y"}};
    Machine *m = none_machine(0);
    g_autofree char *msg = build_error(m, unknown, 1, NULL, 0);
    g_autofree char *msg2 = build_error(m, malformed, 1, NULL, 0);

    assert_string_equal(msg, "Property 'goldfish-rtc.foo' not found");
    assert_null(object_get_child(&m->obj, "rtc"));
    assert_string_equal(msg2, "Invalid parameter ''");
    assert_null(object_get_child(&m->obj, "rtc2"));
}

static void test_build_duplicate_name(void **state)
{
    static const BoardDevice devs[] = {
        {"rtc", TYPE_GOLDFISH_RTC, 0x1000, NULL},
        {"rtc", TYPE_GOLDFISH_RTC, 0x2000, NULL},
    };
    Machine *m = none_machine(0);
    g_autofree char *msg = build_error(m, devs, 2, NULL, 0);

    assert_non_null(strstr(msg, "duplicate property 'rtc'"));
}

static void test_build_overlaps(void **state)
{
    static const BoardDevice devs[] = {
        {"a", TYPE_GOLDFISH_RTC, 0x1000, NULL},
        {"b", TYPE_GOLDFISH_RTC, 0x1023, NULL},
    };
    static const BoardDevice in_ram[] = {
        {"c", TYPE_GOLDFISH_RTC, 0xfe0, NULL},
    };
    Machine *m = none_machine(4 * KiB);
    g_autofree char *msg = build_error(m, devs, 2, NULL, 0);
    g_autofree char *msg2 = build_error(m, in_ram, 1, NULL, 0);

    assert_string_equal(msg, "Regions of devices 'a' (0x1000-0x1023) and 'b' "
                             "(0x1023-0x1046) overlap");
    assert_string_equal(msg2, "Regions of devices 'ram' (0x0-0xfff) and 'c' "
                              "(0xfe0-0x1003) overlap");
}

static void test_build_region_does_not_fit(void **state)
{
    static const BoardDevice devs[] = {
        {"rtc", TYPE_GOLDFISH_RTC, UINT64_C(0xffffffffffffffe0), NULL},
    };
    Machine *m = none_machine(0);
    g_autofree char *msg = build_error(m, devs, 1, NULL, 0);

    assert_string_equal(msg, "Region 'regs' of device 'rtc' does not fit at "
                             "0xffffffffffffffe0");
}

static void test_build_bad_wire_ends(void **state)
{
    static const struct {
        BoardWire w;
        const char *msg;
    } cases[] = {
        {{"rtcirq", "plic.source[11]"},
         "Board wire end 'rtcirq' is not DEVICE.LINE"},
        {{".irq", "plic.source[11]"},
         "Board wire end '.irq' is not DEVICE.LINE"},
        {{"rtc.", "plic.source[11]"},
         "Board wire end 'rtc.' is not DEVICE.LINE"},
        {{"rtc.irq", "plicsource"},
         "Board wire end 'plicsource' is not DEVICE.LINE"},
        {{"nosuch.irq", "plic.source[11]"},
         "Board wire end 'nosuch.irq': no device 'nosuch' on the board"},
        /* a child of /machine that is no device */
        {{"rtc.irq", "peripheral.x"},
         "Board wire end 'peripheral.x': no device 'peripheral' on the "
         "board"},
        {{"rtc.nosuch", "plic.source[11]"},
         "Board wire end 'rtc.nosuch': Device 'rtc' has no output line "
         "'nosuch'; valid: irq"},
        {{"rtc.irq", "plic.source[99]"},
         "Board wire end 'plic.source[99]': Device 'plic' has no input line "
         "'source[99]'; valid: source[0..95]"},
        /* directions are checked: an input is no wire start */
        {{"plic.source[1]", "rtc.irq"},
         "Board wire end 'plic.source[1]': Device 'plic' has no output line "
         "'source[1]'; valid: context[0..1]"},
    };
    Machine *m = none_machine(0);
    GError *err = NULL;

    assert_true(machine_build(m, rtc_and_plic, 2, NULL, 0, &err));
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = build_error(m, NULL, 0, &cases[i].w, 1);

        assert_string_equal(msg, cases[i].msg);
    }
    /* nothing got connected on the way */
    assert_null(
        device_irq_out(DEVICE(object_get_child(&m->obj, "rtc")), "irq")->sink);
}

static void test_reset_cancels_rtc_interrupt(void **state)
{
    static const BoardWire wires[] = {{"rtc.irq", "plic.source[11]"}};
    Machine *m = none_machine(0);
    GError *err = NULL;
    IrqLine *irq;

    assert_true(machine_build(m, rtc_and_plic, 2, wires, 1, &err));
    irq = device_irq_out(DEVICE(object_get_child(&m->obj, "rtc")), "irq");
    /* alarm in the past, interrupt enabled: the line goes high */
    assert_int_equal(address_space_st(address_space_system(),
                                      0x1000 + GOLDFISH_RTC_IRQ_ENABLED, 4, 1),
                     MEMTX_OK);
    assert_int_equal(address_space_st(address_space_system(),
                                      0x1000 + GOLDFISH_RTC_ALARM_LOW, 4, 1),
                     MEMTX_OK);
    assert_true(irq->level);
    machine_reset(m);
    assert_false(irq->level);
    assert_int_equal(ld32(0x1000 + GOLDFISH_RTC_IRQ_ENABLED), 0);
}

/* ---- boot images (machine_load_image, machine_reset) ---- */

static void test_reset_reloads_boot_images(void **state)
{
    static const uint8_t fw[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    Machine *m = none_machine(64 * KiB);
    AddressSpace *as = address_space_system();

    assert_true(machine_load_image(0x100, fw, sizeof(fw)));
    assert_true(machine_load_image(0x200, NULL, 16)); /* zeros (bss) */
    assert_true(machine_load_image(0x300, fw, 0));    /* nothing */
    assert_int_equal(machine_boot_image_count(), 2);
    assert_int_equal(ld32(0x104), 0x08070605);
    /* the guest overwrites the images and RAM around them */
    assert_int_equal(address_space_st(as, 0x100, 4, 0xdeadbeef), MEMTX_OK);
    assert_int_equal(address_space_st(as, 0x20c, 4, 0x55555555), MEMTX_OK);
    assert_int_equal(address_space_st(as, 0x108, 4, 0x12345678), MEMTX_OK);
    assert_int_equal(address_space_st(as, 0x210, 4, 0x9abcdef0), MEMTX_OK);
    machine_reset(m);
    assert_int_equal(ld32(0x100), 0x04030201);
    assert_int_equal(ld32(0x20c), 0);
    assert_int_equal(ld32(0x108), 0x12345678); /* not an image: kept */
    assert_int_equal(ld32(0x210), 0x9abcdef0);
    /* a region gone since start-up takes nothing, the rest is restored */
    assert_true(machine_load_image(64 * KiB - 4, fw, 4));
    assert_int_equal(address_space_st(as, 0x100, 4, 0), MEMTX_OK);
    memory_region_del_subregion(memory_system_root(), m->ram);
    machine_reset(m);
    memory_region_add_subregion(memory_system_root(), 0, m->ram, 0);
    assert_int_equal(ld32(0x100), 0);
}

static void test_load_image_must_fit(void **state)
{
    static const uint8_t fw[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    Machine *m = none_machine(4 * KiB);
    GError *err = NULL;
    static const BoardDevice test_dev[] = {
        {"test", "sifive-test", 0x10000, NULL},
    };

    assert_true(machine_build(m, test_dev, 1, NULL, 0, &err));
    assert_false(machine_load_image(4 * KiB - 4, fw, sizeof(fw)));
    assert_false(machine_load_image(0x20000, fw, sizeof(fw))); /* unmapped */
    assert_false(machine_load_image(0x10000, fw, 4));          /* MMIO */
    assert_false(machine_load_image(UINT64_MAX - 3, fw, sizeof(fw)));
    assert_int_equal(machine_boot_image_count(), 0);
    assert_true(machine_load_image(4 * KiB - 8, fw, sizeof(fw)));
    assert_int_equal(machine_boot_image_count(), 1);
}

static void test_new_machine_forgets_images(void **state)
{
    static const uint8_t fw[4] = {1, 2, 3, 4};
    GError *err = NULL;
    MemoryRegion *ram =
        memory_region_new_ram(object_get_root(), "early", 4 * KiB, &err);

    assert_non_null(ram);
    memory_region_add_subregion(memory_system_root(), 0, ram, 0);
    assert_true(machine_load_image(0, fw, sizeof(fw)));
    assert_int_equal(machine_boot_image_count(), 1);
    assert_non_null(machine_new(machine_class_find("none"), NULL, &err));
    assert_int_equal(machine_boot_image_count(), 0);
}

/* ---- machine_add_device, called directly ---- */

static Device *add_device(Machine *m, const char *args, GError **errp)
{
    g_autoptr(Opts) o = opts_parse(args, "driver", NULL);

    assert_non_null(o);
    return machine_add_device(m, o, errp);
}

static void test_add_device_ids(void **state)
{
    Machine *m = none_machine(0);
    GError *err = NULL;
    Device *r = add_device(m,
                           "goldfish-rtc,id=r,addr=0x1000,clock=vm,"
                           "base-ns=9",
                           &err);
    Device *anon;

    assert_non_null(r);
    assert_string_equal(r->id, "r");
    assert_ptr_equal(object_resolve_path("/machine/peripheral/r", NULL),
                     &r->obj);
    assert_int_equal(ld32(0x1000 + GOLDFISH_RTC_TIME_LOW), 9);
    /*
     * The command line rejects a second -device id=r before the machine
     * sees it; the machine checks on its own too.
     */
    assert_null(add_device(m, "goldfish-rtc,id=r,addr=0x2000", &err));
    assert_non_null(err);
    assert_string_equal(err->message, "Duplicate ID 'r' for device");
    g_clear_error(&err);
    assert_int_equal(
        address_space_ld(address_space_system(), 0x2000, 4, &(uint64_t){0}),
        MEMTX_DECODE_ERROR);
    /* without an id: numbered in peripheral-anon, no -device id */
    anon = add_device(m, "sifive-test,addr=0x3000", &err);
    assert_non_null(anon);
    assert_null(anon->id);
    assert_ptr_equal(
        object_resolve_path("/machine/peripheral-anon/device[0]", NULL),
        &anon->obj);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_create_none_with_ram),
        T(test_create_fails_without_memory),
        T(test_new_applies_and_skips_props),
        T(test_new_rejects_unknown_prop),
        T(test_new_refuses_taken_path),
        T(test_build_maps_props_and_wires),
        T(test_build_applies_globals),
        T(test_build_bad_global),
        T(test_build_bad_type),
        T(test_build_bad_props),
        T(test_build_duplicate_name),
        T(test_build_overlaps),
        T(test_build_region_does_not_fit),
        T(test_build_bad_wire_ends),
        T(test_reset_cancels_rtc_interrupt),
        T(test_reset_reloads_boot_images),
        T(test_load_image_must_fit),
        T(test_new_machine_forgets_images),
        T(test_add_device_ids),
    };
#undef T
    return run_each_forked(tests, G_N_ELEMENTS(tests)) ? 1 : 0;
}
