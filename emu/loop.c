/* SPDX-License-Identifier: MIT */
/*
 * The main loop and the run state (QEMU's runstate.c in miniature).
 *
 * Shutdown and reset requests are only recorded by whoever makes them (a
 * device, a QMP command, a signal handler) and handled from an idle source
 * on glib's default main context, so a device never tears down the machine
 * from inside its own callback.  Without the qtest accelerator, virtual
 * time follows host time while the VM runs: each loop iteration syncs the
 * clock and, while timers are pending, arms a timeout for the next
 * deadline so the loop wakes up in time.
 *
 * Under the qtest accelerator nothing runs unless a client asks, and a
 * client mostly sends its next request right after reading a reply.  So
 * after handling an event the loop keeps polling (without sleeping) for a
 * short, bounded time before it blocks: the next request is then picked
 * up without a scheduler wake-up.  When nothing comes it blocks as usual,
 * so an idle process burns no CPU.  BENCHTOP_QTEST_POLL_US sets the time
 * (0 turns it off).
 */
#include "emu/loop.h"

#include <glib.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "emu/clock.h"
#include "emu/opts.h"

/* Default busy-poll time after an event under the qtest accelerator. */
#define LOOP_QTEST_POLL_US 50
/* Upper bound for BENCHTOP_QTEST_POLL_US. */
#define LOOP_QTEST_POLL_MAX_US 10000

static RunState loop_state = RUN_STATE_PRELAUNCH;
static LoopHooks loop_hooks;
static bool loop_no_reboot;
static bool loop_no_shutdown;
static bool loop_qtest;

static bool shutdown_pending;
static bool shutdown_quiet;
static ShutdownCause shutdown_cause;
static int shutdown_status;
static bool reset_pending;
static ShutdownCause reset_cause;
static guint request_source;

static bool loop_exit_requested;
static int loop_exit_status;
static GSource *deadline_source;

const char *shutdown_cause_name(ShutdownCause cause)
{
    switch (cause) {
    case SHUTDOWN_CAUSE_NONE:
        return "none";
    case SHUTDOWN_CAUSE_HOST_ERROR:
        return "host-error";
    case SHUTDOWN_CAUSE_HOST_QMP_QUIT:
        return "host-qmp-quit";
    case SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET:
        return "host-qmp-system-reset";
    case SHUTDOWN_CAUSE_HOST_SIGNAL:
        return "host-signal";
    case SHUTDOWN_CAUSE_GUEST_SHUTDOWN:
        return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET:
        return "guest-reset";
    }
    return "none";
}

const char *run_state_name(RunState s)
{
    switch (s) {
    case RUN_STATE_PRELAUNCH:
        return "prelaunch";
    case RUN_STATE_RUNNING:
        return "running";
    case RUN_STATE_PAUSED:
        return "paused";
    case RUN_STATE_SHUTDOWN:
        return "shutdown";
    }
    return "running";
}

static bool cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
           cause == SHUTDOWN_CAUSE_GUEST_RESET;
}

RunState runstate_get(void)
{
    return loop_state;
}

bool runstate_is_running(void)
{
    return loop_state == RUN_STATE_RUNNING;
}

void loop_emit_event(const char *name, const char *data_json)
{
    if (loop_hooks.event) {
        loop_hooks.event(name, data_json);
    }
}

static void emit_cause_event(const char *name, ShutdownCause cause)
{
    g_autofree char *data = g_strdup_printf(
        "{\"guest\": %s, \"reason\": \"%s\"}",
        cause_is_guest(cause) ? "true" : "false", shutdown_cause_name(cause));

    loop_emit_event(name, data);
}

void vm_start(void)
{
    if (loop_state == RUN_STATE_RUNNING) {
        return;
    }
    loop_state = RUN_STATE_RUNNING;
    clock_set_enabled(true);
    loop_emit_event("RESUME", NULL);
}

void vm_stop(RunState to)
{
    if (loop_state != RUN_STATE_RUNNING || to == RUN_STATE_RUNNING) {
        return;
    }
    loop_state = to;
    clock_set_enabled(false);
    loop_emit_event("STOP", NULL);
}

static gboolean loop_request_cb(gpointer opaque)
{
    request_source = 0;
    loop_process_requests();
    return G_SOURCE_REMOVE;
}

static void loop_schedule(void)
{
    if (!request_source) {
        request_source = g_idle_add(loop_request_cb, NULL);
    }
}

static void request_shutdown(ShutdownCause cause, int status, bool quiet)
{
    shutdown_pending = true;
    shutdown_quiet = quiet;
    shutdown_cause = cause;
    shutdown_status = status;
    loop_schedule();
}

void loop_request_shutdown(ShutdownCause cause, int status)
{
    request_shutdown(cause, status, false);
}

void loop_request_shutdown_quiet(ShutdownCause cause, int status)
{
    request_shutdown(cause, status, true);
}

void loop_request_reset(ShutdownCause cause)
{
    if (loop_no_reboot) {
        /* -no-reboot: the reset becomes a shutdown with the same cause */
        request_shutdown(cause, 0, false);
        return;
    }
    reset_pending = true;
    reset_cause = cause;
    loop_schedule();
}

static void process_shutdown(void)
{
    ShutdownCause cause = shutdown_cause;
    bool quiet = shutdown_quiet;

    shutdown_pending = false;
    shutdown_quiet = false;
    if (!quiet) {
        emit_cause_event("SHUTDOWN", cause);
    }
    if (loop_no_shutdown && cause_is_guest(cause)) {
        /* -no-shutdown: a guest shutdown only stops the VM */
        vm_stop(RUN_STATE_SHUTDOWN);
        return;
    }
    loop_exit_status = shutdown_status;
    loop_exit_requested = true;
}

static void process_reset(void)
{
    ShutdownCause cause = reset_cause;

    reset_pending = false;
    if (loop_hooks.reset) {
        loop_hooks.reset(cause);
    }
    emit_cause_event("RESET", cause);
    if (loop_state != RUN_STATE_RUNNING) {
        loop_state = RUN_STATE_PRELAUNCH;
    }
}

void loop_process_requests(void)
{
    if (shutdown_pending) {
        reset_pending = false;
        process_shutdown();
        return;
    }
    if (reset_pending) {
        process_reset();
    }
}

void loop_set_hooks(const LoopHooks *hooks)
{
    loop_hooks = *hooks;
}

void loop_set_no_reboot(bool on)
{
    loop_no_reboot = on;
}

void loop_set_no_shutdown(bool on)
{
    loop_no_shutdown = on;
}

void loop_set_qtest_clock(bool on)
{
    loop_qtest = on;
}

bool loop_qtest_clock(void)
{
    return loop_qtest;
}

static gboolean loop_deadline_cb(gpointer opaque)
{
    /* only wakes the loop; the sync happens at the top of the iteration */
    return G_SOURCE_REMOVE;
}

/* Arms a one-shot wake-up for the earliest timer (host-coupled mode). */
static void loop_arm_deadline(void)
{
    int64_t deadline;
    int64_t delta;
    guint ms;

    if (deadline_source) {
        g_source_destroy(deadline_source);
        g_source_unref(deadline_source);
        deadline_source = NULL;
    }
    if (loop_qtest || loop_state != RUN_STATE_RUNNING) {
        return;
    }
    deadline = clock_next_deadline();
    if (deadline < 0) {
        return;
    }
    delta = deadline - clock_get_ns();
    if (delta <= 0) {
        ms = 0;
    } else if (delta >= 1000 * 1000000LL) {
        ms = 1000;
    } else {
        ms = (guint)((delta + 999999) / 1000000);
    }
    deadline_source = g_timeout_source_new(ms);
    g_source_set_callback(deadline_source, loop_deadline_cb, NULL, NULL);
    g_source_attach(deadline_source, NULL);
}

/* Microseconds to keep polling after an event (qtest accelerator only). */
static int64_t loop_poll_us(void)
{
    static int64_t us = -1;

    if (us < 0) {
        const char *env = getenv("BENCHTOP_QTEST_POLL_US");
        uint64_t v;

        us = LOOP_QTEST_POLL_US;
        if (env && parse_u64(env, &v)) {
            us = (int64_t)MIN(v, (uint64_t)LOOP_QTEST_POLL_MAX_US);
        }
    }
    return us;
}

/*
 * Non-blocking iterations for up to @us microseconds; true as soon as one
 * dispatched something (or a shutdown was requested).
 */
static bool loop_poll_briefly(int64_t us)
{
    int64_t until = g_get_monotonic_time() + us;

    do {
        if (g_main_context_iteration(NULL, FALSE) || loop_exit_requested) {
            return true;
        }
        /*
         * Let whatever else is runnable on this CPU go first: on a busy
         * machine that is often the very client we are waiting for.
         */
        sched_yield();
    } while (g_get_monotonic_time() < until);
    return false;
}

int loop_run(void)
{
    bool busy = false; /* the last iteration handled an event */

    while (!loop_exit_requested) {
        if (!loop_qtest && loop_state == RUN_STATE_RUNNING) {
            clock_sync_host();
        }
        if (loop_exit_requested) {
            break;
        }
        loop_arm_deadline();
        if (busy && loop_qtest && loop_poll_us() > 0 &&
            loop_poll_briefly(loop_poll_us())) {
            continue;
        }
        busy = g_main_context_iteration(NULL, TRUE);
    }
    if (deadline_source) {
        g_source_destroy(deadline_source);
        g_source_unref(deadline_source);
        deadline_source = NULL;
    }
    loop_exit_requested = false; /* consumed */
    return loop_exit_status;
}

G_NORETURN void emu_exit_now(int status)
{
    static bool exiting;

    if (!exiting) {
        exiting = true;
        if (loop_hooks.before_exit) {
            loop_hooks.before_exit();
        }
    }
    fflush(stdout);
    fflush(stderr);
    exit(status);
}
