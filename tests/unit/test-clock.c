/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock: timer order, ties, callbacks that arm and delete
 * timers, the disabled clock and far deadlines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/clock.h"

/* Records "NAME@NOW;" for each callback. */
static GString *fired;

typedef struct Probe {
    const char *name;
    EmuTimer *t;
    int64_t rearm_step; /* > 0: re-arm at now + step */
    unsigned rearm_left;
    EmuTimer *del_other; /* timer to disarm when firing */
    EmuTimer *mod_other; /* timer to arm at mod_other_at when firing */
    int64_t mod_other_at;
} Probe;

static void probe_cb(void *opaque)
{
    Probe *p = opaque;

    g_string_append_printf(fired, "%s@%lld;", p->name,
                           (long long)clock_get_ns());
    if (p->rearm_step > 0 && p->rearm_left > 0) {
        p->rearm_left--;
        timer_mod(p->t, clock_get_ns() + p->rearm_step);
    }
    if (p->del_other) {
        timer_del(p->del_other);
    }
    if (p->mod_other) {
        timer_mod(p->mod_other, p->mod_other_at);
    }
}

static Probe *probe_new(const char *name)
{
    Probe *p = g_new0(Probe, 1);

    p->name = name;
    p->t = timer_new(probe_cb, p);
    return p;
}

static void probe_free(Probe *p)
{
    timer_free(p->t);
    g_free(p);
}

static int setup(void **state)
{
    clock_reset_for_test();
    fired = g_string_new("");
    return 0;
}

static int teardown(void **state)
{
    g_string_free(fired, TRUE);
    fired = NULL;
    clock_reset_for_test();
    return 0;
}

static void test_starts_at_zero(void **state)
{
    assert_int_equal(clock_get_ns(), 0);
    assert_int_equal(clock_next_deadline(), -1);
    assert_true(clock_is_enabled());
}

static void test_fires_in_deadline_order(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");
    Probe *c = probe_new("c");

    timer_mod(a->t, 300);
    timer_mod(b->t, 100);
    timer_mod(c->t, 200);
    assert_int_equal(clock_next_deadline(), 100);
    assert_true(timer_pending(b->t));
    assert_int_equal(timer_expire_time(a->t), 300);

    clock_advance_to(250);
    assert_string_equal(fired->str, "b@100;c@200;");
    assert_int_equal(clock_get_ns(), 250);
    assert_false(timer_pending(b->t));
    assert_int_equal(timer_expire_time(b->t), -1);
    assert_int_equal(clock_next_deadline(), 300);

    clock_advance_to(300);
    assert_string_equal(fired->str, "b@100;c@200;a@300;");
    assert_int_equal(clock_next_deadline(), -1);
    probe_free(a);
    probe_free(b);
    probe_free(c);
}

static void test_ties_fire_in_arming_order(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");
    Probe *c = probe_new("c");

    timer_mod(b->t, 50);
    timer_mod(a->t, 50);
    timer_mod(c->t, 50);
    /* Re-arming moves b behind the others. */
    timer_mod(b->t, 50);
    clock_advance_to(50);
    assert_string_equal(fired->str, "a@50;c@50;b@50;");
    probe_free(a);
    probe_free(b);
    probe_free(c);
}

static void test_rearm_from_callback(void **state)
{
    Probe *p = probe_new("p");
    Probe *q = probe_new("q");

    p->rearm_step = 10;
    p->rearm_left = 3;
    timer_mod(p->t, 10);
    timer_mod(q->t, 25);
    clock_advance_to(100);
    assert_string_equal(fired->str, "p@10;p@20;q@25;p@30;p@40;");
    assert_int_equal(clock_get_ns(), 100);
    assert_false(timer_pending(p->t));
    probe_free(p);
    probe_free(q);
}

static void test_callback_deletes_and_arms_others(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");
    Probe *c = probe_new("c");

    /* a deletes b (due at the same time) and pulls c in before it. */
    a->del_other = b->t;
    a->mod_other = c->t;
    a->mod_other_at = 15;
    timer_mod(a->t, 10);
    timer_mod(b->t, 10);
    timer_mod(c->t, 1000);
    clock_advance_to(20);
    assert_string_equal(fired->str, "a@10;c@15;");
    assert_false(timer_pending(b->t));
    assert_false(timer_pending(c->t));
    probe_free(a);
    probe_free(b);
    probe_free(c);
}

static void test_callback_arms_overdue_timer(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");

    /* A deadline already in the past fires at the current time. */
    a->mod_other = b->t;
    a->mod_other_at = 5;
    timer_mod(a->t, 10);
    clock_advance_to(20);
    assert_string_equal(fired->str, "a@10;b@10;");
    probe_free(a);
    probe_free(b);
}

static void test_timer_del_and_free(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");

    timer_mod(a->t, 10);
    timer_mod(b->t, 20);
    timer_del(a->t);
    assert_false(timer_pending(a->t));
    assert_int_equal(clock_next_deadline(), 20);
    timer_free(b->t);
    b->t = NULL;
    assert_int_equal(clock_next_deadline(), -1);
    clock_advance_to(30);
    assert_string_equal(fired->str, "");
    timer_free(NULL);
    probe_free(a);
    probe_free(b);
}

static void test_disabled_clock_only_counts(void **state)
{
    Probe *a = probe_new("a");

    timer_mod(a->t, 10);
    clock_set_enabled(false);
    assert_false(clock_is_enabled());
    assert_int_equal(clock_next_deadline(), -1);
    clock_advance_to(50);
    assert_int_equal(clock_get_ns(), 50);
    assert_string_equal(fired->str, "");
    assert_true(timer_pending(a->t));

    /* Overdue timers fire on the next advance once enabled. */
    clock_set_enabled(true);
    assert_int_equal(clock_next_deadline(), 10);
    clock_run_expired();
    assert_string_equal(fired->str, "a@50;");
    assert_int_equal(clock_get_ns(), 50);
    probe_free(a);
}

static void test_never_backwards(void **state)
{
    Probe *a = probe_new("a");

    clock_advance_to(100);
    timer_mod(a->t, 40);
    clock_advance_to(60);
    assert_int_equal(clock_get_ns(), 100);
    assert_string_equal(fired->str, "a@100;");
    probe_free(a);
}

static void test_far_deadline(void **state)
{
    Probe *a = probe_new("a");
    Probe *b = probe_new("b");

    timer_mod(a->t, INT64_MAX);
    timer_mod(b->t, 1000);
    assert_int_equal(clock_next_deadline(), 1000);
    clock_advance_to(INT64_MAX - 1);
    assert_string_equal(fired->str, "b@1000;");
    assert_int_equal(clock_next_deadline(), INT64_MAX);
    clock_advance_to(INT64_MAX);
    assert_string_equal(fired->str, "b@1000;a@9223372036854775807;");
    assert_int_equal(clock_get_ns(), INT64_MAX);
    probe_free(a);
    probe_free(b);
}

/* Deadlines computed from "now" saturate instead of overflowing. */
static void test_ns_after_saturates(void **state)
{
    clock_advance_to(1000);
    assert_int_equal(clock_ns_after(500), 1500);
    assert_int_equal(clock_ns_after(-5), 1000);
    assert_int_equal(clock_ns_after(INT64_MAX), INT64_MAX);
    clock_advance_to(INT64_MAX);
    assert_int_equal(clock_ns_after(1), INT64_MAX);
}

static void test_sync_host_moves_forward(void **state)
{
    int64_t before;

    clock_sync_host();
    before = clock_get_ns();
    g_usleep(2000);
    clock_sync_host();
    assert_true(clock_get_ns() >= before + 1000000);

    /* Time while stopped does not count. */
    clock_set_enabled(false);
    before = clock_get_ns();
    g_usleep(2000);
    clock_sync_host();
    assert_int_equal(clock_get_ns(), before);
    clock_set_enabled(true);
    clock_sync_host();
    assert_int_equal(clock_get_ns(), before);
}

static void test_reset_forgets_timers(void **state)
{
    Probe *a = probe_new("a");

    timer_mod(a->t, 10);
    clock_advance_to(5);
    clock_reset_for_test();
    assert_int_equal(clock_get_ns(), 0);
    assert_false(timer_pending(a->t));
    clock_advance_to(20);
    assert_string_equal(fired->str, "");
    probe_free(a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_starts_at_zero),
        T(test_fires_in_deadline_order),
        T(test_ties_fire_in_arming_order),
        T(test_rearm_from_callback),
        T(test_callback_deletes_and_arms_others),
        T(test_callback_arms_overdue_timer),
        T(test_timer_del_and_free),
        T(test_disabled_clock_only_counts),
        T(test_never_backwards),
        T(test_far_deadline),
        T(test_ns_after_saturates),
        T(test_sync_host_moves_forward),
        T(test_reset_forgets_timers),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
