/* SPDX-License-Identifier: MIT */
/*
 * Devices: realize builds regions and IRQ groups from the class, reset
 * restores register values, regions map by name, lines are found by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/device.h"

#define TYPE_TEST_TIMER "test-timer"
#define TEST_CTRL       0x0
#define TEST_STATUS     0x4
#define TEST_RAW_VALUE  0x55

typedef struct TestTimerState {
    Device parent;
    uint32_t regs[2];
    bool fail;
    unsigned realize_calls;
    unsigned reset_calls;
    IrqLine *irq;
    int last_n;
    bool last_level;
    unsigned in_calls;
} TestTimerState;

extern const DeviceClass test_timer_class;
#define TEST_TIMER(dev) DEVICE_CAST(TestTimerState, dev, &test_timer_class)

/* Appends "<id>;" for every device device_foreach visits. */
static GString *visit_log;

static const RegDesc test_timer_regs[] = {
    REG(TEST, CTRL, .reset = 0x11, .rw = 0xff),
    REG(TEST, STATUS, .reset = 0x80000000),
};

static MemTxResult test_raw_read(void *opaque, hwaddr off, unsigned size,
                                 uint64_t *val)
{
    *val = TEST_RAW_VALUE;
    return MEMTX_OK;
}

static MemTxResult test_raw_write(void *opaque, hwaddr off, unsigned size,
                                  uint64_t val)
{
    return MEMTX_OK;
}

static const MemoryRegionOps test_raw_ops = {
    .read = test_raw_read,
    .write = test_raw_write,
    .min_access = 1,
    .max_access = 4,
};

static void test_timer_source(void *opaque, int n, bool level)
{
    TestTimerState *s = TEST_TIMER(opaque);

    s->in_calls++;
    s->last_n = n;
    s->last_level = level;
}

static bool test_timer_realize(Device *dev, GError **errp)
{
    TestTimerState *s = TEST_TIMER(dev);

    s->realize_calls++;
    if (s->fail) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC, "told to fail");
        return false;
    }
    s->irq = device_irq_out(dev, "irq");
    device_init_irq_out(dev, "extra", 2);
    return true;
}

static void test_timer_reset(Device *dev)
{
    TestTimerState *s = TEST_TIMER(dev);

    s->reset_calls++;
    irq_lower(s->irq);
}

static const PropDesc test_timer_props[] = {
    PROP_BOOL_("fail", TestTimerState, fail, false),
    PROP_END,
};

const DeviceClass test_timer_class = {
    .obj =
        {
            .name = TYPE_TEST_TIMER,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(TestTimerState),
            .props = test_timer_props,
        },
    .regions = {REGION32("regs", 0x10, test_timer_regs, TestTimerState, regs,
                         .min_access = 4, .max_access = 4),
                {.name = "raw", .size = 0x8, .ops = &test_raw_ops}},
    .irq_out = {"irq", "done"},
    .irq_in = {{"source", 4, test_timer_source}},
    .realize = test_timer_realize,
    .reset = test_timer_reset,
};

static int setup(void **state)
{
    static bool registered;

    if (!registered) {
        device_register_types();
        type_register(&test_timer_class.obj);
        registered = true;
    }
    visit_log = g_string_new(NULL);
    return 0;
}

static int teardown(void **state)
{
    object_reset_root();
    memory_reset_for_test();
    g_string_free(visit_log, TRUE);
    return 0;
}

static void assert_error(GError **err, const char *msg)
{
    assert_non_null(*err);
    assert_string_equal((*err)->message, msg);
    g_clear_error(err);
}

/* A realized test-timer at /machine/@name (the tree holds it). */
static Device *new_timer(const char *name)
{
    Object *machine = object_get_container(object_get_root(), "machine");
    GError *err = NULL;
    Device *dev = device_new(TYPE_TEST_TIMER, &err);

    assert_non_null(dev);
    assert_true(object_add_child(machine, name, &dev->obj, &err));
    object_unref(&dev->obj);
    assert_true(device_realize(dev, &err));
    assert_null(err);
    return dev;
}

static void test_device_new_errors(void **state)
{
    GError *err = NULL;

    assert_null(device_new("nope", &err));
    assert_int_equal(err->code, EMU_ERROR_NOT_FOUND);
    assert_error(&err, "'nope' is not a valid device model name");
    assert_null(device_new(TYPE_CONTAINER, &err));
    assert_error(&err, "'container' is not a valid device model name");
    assert_null(device_new(TYPE_DEVICE, &err));
    assert_error(&err, "Parameter 'driver' expects a non-abstract device type");
}

static void test_device_realize_builds_class_data(void **state)
{
    Device *dev = new_timer("timer0");
    TestTimerState *s = TEST_TIMER(dev);
    RegRegion *rr = device_regmap(dev, "regs");
    MemoryRegion *raw = device_region(dev, "raw");

    assert_true(dev->realized);
    assert_int_equal(s->realize_calls, 1);
    assert_int_equal(s->reset_calls, 1); /* realize ends with a reset */
    assert_non_null(rr);
    assert_ptr_equal(rr->dev, dev);
    assert_ptr_equal(rr->desc, &test_timer_class.regions[0]);
    assert_non_null(rr->counters);
    assert_true(rr->mapped_at == (hwaddr)-1);
    assert_ptr_equal(device_region(dev, "regs"), rr->mr);
    assert_string_equal(rr->mr->name, "regs");
    assert_ptr_equal(rr->mr->owner, &dev->obj);
    assert_ptr_equal(rr->mr->opaque, rr);
    assert_int_equal(rr->mr->ops->min_access, 4); /* from the RegionDesc */
    assert_int_equal(rr->mr->ops->max_access, 4);
    assert_ptr_equal(rr->mr->ops->read, regmap_ops.read);
    assert_non_null(raw);
    assert_ptr_equal(raw->ops, &test_raw_ops);
    assert_ptr_equal(raw->opaque, dev);
    assert_null(device_regmap(dev, "raw"));
    assert_null(device_region(dev, "nope"));
    assert_int_equal(s->regs[0], 0x11);
    assert_int_equal(s->regs[1], 0x80000000);
    assert_true(device_realize(dev, NULL)); /* already realized */
    assert_int_equal(s->realize_calls, 1);
}

static void test_device_realize_failure(void **state)
{
    GError *err = NULL;
    Device *dev = device_new(TYPE_TEST_TIMER, &err);
    TestTimerState *s = TEST_TIMER(dev);

    assert_true(object_property_parse(&dev->obj, "fail", "on", &err));
    assert_false(device_realize(dev, &err));
    assert_error(&err, "told to fail");
    assert_false(dev->realized);
    assert_int_equal(dev->regions->len, 0);
    assert_int_equal(dev->irq_groups->len, 0);
    assert_int_equal(dev->extra_mrs->len, 0);
    assert_int_equal(s->reset_calls, 0);
    device_reset(dev); /* unrealized: nothing to reset */
    assert_int_equal(s->reset_calls, 0);

    assert_true(object_property_parse(&dev->obj, "fail", "off", &err));
    assert_true(device_realize(dev, &err));
    assert_int_equal(s->realize_calls, 2);
    assert_int_equal(dev->regions->len, 1);
    object_unref(&dev->obj);
}

static void test_device_reset_restores_registers(void **state)
{
    Device *dev = new_timer("timer0");
    TestTimerState *s = TEST_TIMER(dev);
    RegRegion *rr = device_regmap(dev, "regs");

    regmap_set(rr, 0, 0x42);
    s->regs[1] = 0;
    irq_raise(s->irq);
    device_reset(dev);
    assert_int_equal(s->regs[0], 0x11);
    assert_int_equal(s->regs[1], 0x80000000);
    assert_int_equal(s->reset_calls, 2);
    assert_false(s->irq->level);
}

static void test_device_map(void **state)
{
    GError *err = NULL;
    Device *dev = new_timer("timer0");
    AddressSpace *as = address_space_system();
    uint64_t val;

    assert_true(device_map(dev, "regs", 0x1000, 0, &err));
    assert_true(device_regmap(dev, "regs")->mapped_at == 0x1000);
    assert_int_equal(address_space_ld(as, 0x1000 + TEST_STATUS, 4, &val),
                     MEMTX_OK);
    assert_int_equal(val, 0x80000000);
    /* the region's access rules come from its RegionDesc */
    assert_int_equal(address_space_ld(as, 0x1000 + TEST_STATUS, 1, &val),
                     MEMTX_ACCESS_ERROR);
    assert_int_equal(address_space_st(as, 0x1000 + TEST_CTRL, 4, 0x1234),
                     MEMTX_OK);
    assert_int_equal(TEST_TIMER(dev)->regs[0], 0x34);

    assert_true(device_map(dev, "raw", 0x2000, 0, &err));
    assert_int_equal(address_space_ld(as, 0x2000, 1, &val), MEMTX_OK);
    assert_int_equal(val, TEST_RAW_VALUE);

    assert_false(device_map(dev, "regs", 0x3000, 0, &err));
    assert_error(&err, "Region 'regs' of device 'timer0' is already mapped");
    assert_false(device_map(dev, "nope", 0x3000, 0, &err));
    assert_error(&err, "Device 'timer0' has no region 'nope'");

    /* finalizing the device unmaps its regions */
    object_unparent(&dev->obj);
    assert_int_equal(address_space_ld(as, 0x1000, 4, &val), MEMTX_DECODE_ERROR);
    assert_int_equal(address_space_ld(as, 0x2000, 1, &val), MEMTX_DECODE_ERROR);
}

static void test_device_extra_region(void **state)
{
    GError *err = NULL;
    Device *dev = new_timer("timer0");
    MemoryRegion *ram = memory_region_new_ram(&dev->obj, "buf", 0x100, &err);
    uint64_t val;

    assert_non_null(ram);
    device_add_region(dev, ram);
    assert_ptr_equal(device_region(dev, "buf"), ram);
    assert_true(device_map(dev, "buf", 0x4000, 0, &err));
    assert_int_equal(address_space_st(address_space_system(), 0x4010, 4, 7),
                     MEMTX_OK);
    assert_int_equal(address_space_ld(address_space_system(), 0x4010, 4, &val),
                     MEMTX_OK);
    assert_int_equal(val, 7);
}

static void test_device_irq_lines(void **state)
{
    Device *dev = new_timer("timer0");
    TestTimerState *s = TEST_TIMER(dev);
    IrqGroup *g;

    assert_non_null(s->irq);
    assert_ptr_equal(device_irq_out(dev, "irq"), s->irq);
    assert_non_null(device_irq_out(dev, "done"));
    assert_ptr_not_equal(device_irq_out(dev, "done"), s->irq);
    assert_null(device_irq_out_n(dev, "irq", 1));
    assert_null(device_irq_out(dev, "source"));
    assert_non_null(device_irq_out_n(dev, "extra", 1));
    assert_null(device_irq_out_n(dev, "extra", 2));

    g = device_irq_group(dev, NULL, false);
    assert_string_equal(g->name, "irq");
    g = device_irq_group(dev, NULL, true);
    assert_string_equal(g->name, "source");
    assert_true(g->is_in);
    assert_int_equal(g->count, 4);
    assert_null(device_irq_group(dev, "irq", true));

    irq_raise(device_irq_in(dev, "source", 3));
    assert_int_equal(s->in_calls, 1);
    assert_int_equal(s->last_n, 3);
    assert_true(s->last_level);
    assert_null(device_irq_in(dev, "source", 4));

    /* an output wired to an input of the same device */
    irq_connect(device_irq_out(dev, "done"), device_irq_in(dev, "source", 1));
    irq_raise(device_irq_out(dev, "done"));
    assert_int_equal(s->in_calls, 2);
    assert_int_equal(s->last_n, 1);
}

static void test_device_irq_lookup(void **state)
{
    static const char *const bad[] = {"source[",   "source[]", "source[x]",
                                      "source[1",  "[1]",      "source[-1]",
                                      "source[1]x"};
    GError *err = NULL;
    Device *dev = new_timer("timer0");

    assert_ptr_equal(device_irq_lookup(dev, "irq", false, &err),
                     device_irq_out(dev, "irq"));
    assert_ptr_equal(device_irq_lookup(dev, "irq[0]", false, &err),
                     device_irq_out(dev, "irq"));
    assert_ptr_equal(device_irq_lookup(dev, "extra[1]", false, &err),
                     device_irq_out_n(dev, "extra", 1));
    assert_ptr_equal(device_irq_lookup(dev, "source[2]", true, &err),
                     device_irq_in(dev, "source", 2));
    assert_null(err);

    assert_null(device_irq_lookup(dev, "foo", false, &err));
    assert_error(&err, "Device 'timer0' has no output line 'foo'; "
                       "valid: irq, done, extra[0..1]");
    assert_null(device_irq_lookup(dev, "source[4]", true, &err));
    assert_error(&err, "Device 'timer0' has no input line 'source[4]'; "
                       "valid: source[0..3]");
    assert_null(device_irq_lookup(dev, "irq", true, &err));
    assert_error(&err, "Device 'timer0' has no input line 'irq'; "
                       "valid: source[0..3]");
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_null(device_irq_lookup(dev, bad[i], true, &err));
        assert_non_null(err);
        g_clear_error(&err);
    }
    dev->id = g_strdup("t0");
    assert_null(device_irq_lookup(dev, "x", true, &err));
    assert_error(&err, "Device 't0' has no input line 'x'; "
                       "valid: source[0..3]");
}

static void visit(Device *dev, void *opaque)
{
    g_string_append_printf(visit_log, "%s;", dev->obj.name);
}

static void test_device_foreach_and_reset_tree(void **state)
{
    Device *a = new_timer("a");
    Device *b = new_timer("b");
    Device *c = device_new(TYPE_TEST_TIMER, NULL);
    Device *inner = device_new(TYPE_TEST_TIMER, NULL);
    GError *err = NULL;

    /* c is not realized; inner is a realized child of a */
    assert_true(object_add_child(a->obj.parent, "c", &c->obj, &err));
    object_unref(&c->obj);
    assert_true(object_add_child(&a->obj, "inner", &inner->obj, &err));
    object_unref(&inner->obj);
    assert_true(device_realize(inner, &err));

    device_foreach(object_get_root(), visit, NULL);
    assert_string_equal(visit_log->str, "a;inner;b;");
    device_reset_tree(object_get_root());
    assert_int_equal(TEST_TIMER(a)->reset_calls, 2);
    assert_int_equal(TEST_TIMER(b)->reset_calls, 2);
    assert_int_equal(TEST_TIMER(inner)->reset_calls, 2);
    assert_int_equal(TEST_TIMER(c)->reset_calls, 0);
    g_string_truncate(visit_log, 0);
    device_foreach(&b->obj, visit, NULL);
    assert_string_equal(visit_log->str, "b;");
}

static void test_device_check_cast(void **state)
{
    Device *dev = new_timer("timer0");

    assert_ptr_equal(device_check_cast(dev, &test_timer_class), dev);
    assert_null(device_check_cast(NULL, &test_timer_class));
    assert_ptr_equal(DEVICE_GET_CLASS(dev), &test_timer_class);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_device_new_errors),
        T(test_device_realize_builds_class_data),
        T(test_device_realize_failure),
        T(test_device_reset_restores_registers),
        T(test_device_map),
        T(test_device_extra_region),
        T(test_device_irq_lines),
        T(test_device_irq_lookup),
        T(test_device_foreach_and_reset_tree),
        T(test_device_check_cast),
    };
#undef T
    return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
