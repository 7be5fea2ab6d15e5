/* SPDX-License-Identifier: MIT */
/*
 * Run state and main loop: events only on real transitions, requests
 * handled from the loop, -no-reboot / -no-shutdown, host-coupled timers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/clock.h"
#include "emu/loop.h"

static GString *events;    /* "NAME DATA;" per event */
static GString *reset_log; /* "reset CAUSE;" per reset hook call */

static void hook_event(const char *name, const char *data)
{
    g_string_append_printf(events, "%s %s;", name, data ? data : "-");
}

static void hook_reset(ShutdownCause cause)
{
    g_string_append_printf(reset_log, "reset %s;", shutdown_cause_name(cause));
}

static int setup(void **state)
{
    static const LoopHooks hooks = {
        .reset = hook_reset,
        .event = hook_event,
    };

    events = g_string_new(NULL);
    reset_log = g_string_new(NULL);
    loop_set_hooks(&hooks);
    loop_set_no_reboot(false);
    loop_set_no_shutdown(false);
    loop_set_qtest_clock(true);
    clock_reset_for_test();
    vm_start();
    g_string_truncate(events, 0);
    return 0;
}

static int teardown(void **state)
{
    g_string_free(events, true);
    g_string_free(reset_log, true);
    return 0;
}

/* STOP and RESUME only on actual transitions; the clock follows */
static void test_stop_resume_events(void **state)
{
    assert_int_equal(runstate_get(), RUN_STATE_RUNNING);
    assert_true(runstate_is_running());
    assert_true(clock_is_enabled());
    vm_start();
    assert_string_equal(events->str, "");
    vm_stop(RUN_STATE_PAUSED);
    assert_string_equal(events->str, "STOP -;");
    assert_int_equal(runstate_get(), RUN_STATE_PAUSED);
    assert_false(clock_is_enabled());
    vm_stop(RUN_STATE_PAUSED);
    assert_string_equal(events->str, "STOP -;");
    vm_start();
    assert_string_equal(events->str, "STOP -;RESUME -;");
    assert_true(clock_is_enabled());
}

static void test_names(void **state)
{
    assert_string_equal(run_state_name(RUN_STATE_PRELAUNCH), "prelaunch");
    assert_string_equal(run_state_name(RUN_STATE_PAUSED), "paused");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_QMP_QUIT),
                        "host-qmp-quit");
    assert_string_equal(
        shutdown_cause_name(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET),
        "host-qmp-system-reset");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_GUEST_RESET),
                        "guest-reset");
}

/* A reset is deferred to the loop: hook first, then RESET */
static void test_reset_from_loop(void **state)
{
    loop_request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    assert_string_equal(reset_log->str, "");
    assert_true(g_main_context_iteration(NULL, false));
    assert_string_equal(reset_log->str, "reset host-qmp-system-reset;");
    assert_string_equal(events->str, "RESET {\"guest\": false, \"reason\": "
                                     "\"host-qmp-system-reset\"};");
    assert_int_equal(runstate_get(), RUN_STATE_RUNNING);
}

/* A reset while stopped leaves the VM in prelaunch, as QEMU does */
static void test_reset_while_paused(void **state)
{
    vm_stop(RUN_STATE_PAUSED);
    loop_request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    loop_process_requests();
    assert_string_equal(events->str, "STOP -;RESET {\"guest\": true, "
                                     "\"reason\": \"guest-reset\"};");
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    /* the idle source finds nothing left to do */
    g_main_context_iteration(NULL, false);
    assert_string_equal(reset_log->str, "reset guest-reset;");
}

/* SHUTDOWN event, then loop_run returns the requested status */
static void test_shutdown_status(void **state)
{
    loop_request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL, 3);
    assert_int_equal(loop_run(), 3);
    assert_string_equal(events->str, "SHUTDOWN {\"guest\": false, "
                                     "\"reason\": \"host-signal\"};");
}

/* the quiet variant emits nothing (QMP quit sends its own event) */
static void test_shutdown_quiet(void **state)
{
    loop_request_shutdown_quiet(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
    assert_int_equal(loop_run(), 0);
    assert_string_equal(events->str, "");
}

/* -no-reboot: a reset becomes a shutdown with the reset's cause */
static void test_no_reboot(void **state)
{
    loop_set_no_reboot(true);
    loop_request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_int_equal(loop_run(), 0);
    assert_string_equal(reset_log->str, "");
    assert_string_equal(events->str, "SHUTDOWN {\"guest\": true, "
                                     "\"reason\": \"guest-reset\"};");
}

/* -no-shutdown: a guest shutdown stops the VM; a signal still exits */
static void test_no_shutdown(void **state)
{
    loop_set_no_shutdown(true);
    loop_request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 0);
    loop_process_requests();
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
    assert_string_equal(events->str, "SHUTDOWN {\"guest\": true, "
                                     "\"reason\": \"guest-shutdown\"};STOP -;");
    loop_request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    assert_int_equal(loop_run(), 0);
}

static int64_t fired_at = -1;

static void timer_cb(void *opaque)
{
    fired_at = clock_get_ns();
    loop_request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 7);
}

/* host-coupled clock: the loop wakes for the next deadline by itself */
static void test_host_clock_timer(void **state)
{
    EmuTimer *t = timer_new(timer_cb, NULL);
    int64_t start;
    gint64 host0 = g_get_monotonic_time();

    loop_set_qtest_clock(false);
    start = clock_get_ns();
    timer_mod(t, start + 3 * 1000000);
    assert_int_equal(loop_run(), 7);
    assert_true(fired_at >= start + 3 * 1000000);
    assert_true(g_get_monotonic_time() - host0 >= 2000);
    assert_true(g_get_monotonic_time() - host0 < 2000000);
    timer_free(t);
}

/* emitting through the hook */
static void test_emit_event(void **state)
{
    loop_emit_event("POWERDOWN", NULL);
    assert_string_equal(events->str, "POWERDOWN -;");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_stop_resume_events), T(test_names),
        T(test_reset_from_loop),    T(test_reset_while_paused),
        T(test_shutdown_status),    T(test_shutdown_quiet),
        T(test_no_reboot),          T(test_no_shutdown),
        T(test_host_clock_timer),   T(test_emit_event),
    };
    return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
