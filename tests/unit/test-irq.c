/* SPDX-License-Identifier: MIT */
/*
 * IRQ lines: connection, change-only notification on outputs, unconditional
 * delivery on inputs, and interception of either kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "emu/irq.h"

/* Records every delivery a handler sees. */
typedef struct Recorder {
    int calls;
    int last_n;
    bool last_level;
} Recorder;

static void record(void *opaque, int n, bool level)
{
    Recorder *r = opaque;

    r->calls++;
    r->last_n = n;
    r->last_level = level;
}

static void test_irq_input_delivers_every_level(void **state)
{
    Recorder r = {0};
    IrqLine in;

    irq_init_in(&in, record, &r, 7);
    irq_raise(&in);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.last_n, 7);
    assert_true(r.last_level);
    irq_raise(&in);
    assert_int_equal(r.calls, 2);
    irq_lower(&in);
    irq_lower(&in);
    assert_int_equal(r.calls, 4);
    assert_false(r.last_level);
    assert_false(in.level);
}

static void test_irq_output_notifies_only_on_change(void **state)
{
    Recorder r = {0};
    IrqLine in, out;

    irq_init_in(&in, record, &r, 3);
    irq_init_out(&out);
    assert_false(out.level);
    irq_connect(&out, &in);

    irq_lower(&out); /* already low */
    assert_int_equal(r.calls, 0);
    irq_raise(&out);
    assert_int_equal(r.calls, 1);
    assert_true(r.last_level);
    assert_int_equal(r.last_n, 3);
    irq_raise(&out);
    assert_int_equal(r.calls, 1);
    irq_set_level(&out, false);
    assert_int_equal(r.calls, 2);
    assert_false(r.last_level);
    assert_false(in.level);
}

static void test_irq_unconnected_output_keeps_level(void **state)
{
    IrqLine out;

    irq_init_out(&out);
    irq_raise(&out);
    assert_true(out.level);
    irq_set_level(NULL, true); /* no line: nothing happens */
}

static void test_irq_connect_replaces_sink(void **state)
{
    Recorder a = {0}, b = {0};
    IrqLine in_a, in_b, out;

    irq_init_in(&in_a, record, &a, 0);
    irq_init_in(&in_b, record, &b, 1);
    irq_init_out(&out);
    irq_connect(&out, &in_a);
    irq_connect(&out, &in_b);
    irq_raise(&out);
    assert_int_equal(a.calls, 0);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.last_n, 1);
}

static void test_irq_intercept_output(void **state)
{
    Recorder sink = {0}, spy = {0};
    IrqLine in, out;

    irq_init_in(&in, record, &sink, 0);
    irq_init_out(&out);
    irq_connect(&out, &in);
    irq_intercept(&out, record, &spy, 42);

    irq_raise(&out);
    assert_int_equal(spy.calls, 1);
    assert_int_equal(spy.last_n, 42);
    assert_true(spy.last_level);
    assert_int_equal(sink.calls, 0); /* interception replaces delivery */
    irq_raise(&out);
    assert_int_equal(spy.calls, 1); /* outputs still dedupe */

    irq_intercept(&out, NULL, NULL, 0);
    assert_null(out.intercept);
    irq_lower(&out);
    assert_int_equal(spy.calls, 1);
    assert_int_equal(sink.calls, 1);
    assert_false(sink.last_level);
}

static void test_irq_intercept_input(void **state)
{
    Recorder owner = {0}, spy = {0};
    IrqLine in;

    irq_init_in(&in, record, &owner, 5);
    irq_intercept(&in, record, &spy, 9);
    irq_raise(&in);
    irq_raise(&in);
    assert_int_equal(spy.calls, 2); /* inputs never dedupe */
    assert_int_equal(spy.last_n, 9);
    assert_int_equal(owner.calls, 0);
    assert_true(in.level);

    irq_intercept(&in, NULL, &spy, 9);
    assert_null(in.intercept_opaque);
    irq_lower(&in);
    assert_int_equal(owner.calls, 1);
    assert_int_equal(owner.last_n, 5);
    assert_int_equal(spy.calls, 2);
}

static void test_irq_chain_through_intercepted_input(void **state)
{
    Recorder spy = {0}, owner = {0};
    IrqLine in, out;

    /* qtest's irq_intercept_in hooks the input; a device output feeds it */
    irq_init_in(&in, record, &owner, 0);
    irq_init_out(&out);
    irq_connect(&out, &in);
    irq_intercept(&in, record, &spy, 1);
    irq_raise(&out);
    assert_int_equal(spy.calls, 1);
    assert_true(spy.last_level);
    assert_int_equal(owner.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_irq_input_delivers_every_level),
        cmocka_unit_test(test_irq_output_notifies_only_on_change),
        cmocka_unit_test(test_irq_unconnected_output_keeps_level),
        cmocka_unit_test(test_irq_connect_replaces_sink),
        cmocka_unit_test(test_irq_intercept_output),
        cmocka_unit_test(test_irq_intercept_input),
        cmocka_unit_test(test_irq_chain_through_intercepted_input),
    };
    return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
