/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock and its timers.
 *
 * Armed timers sit in a GSequence ordered by (deadline, arming order), so
 * timers due at the same instant fire in the order they were armed.  The
 * clock pops the earliest timer before calling it, which lets a callback
 * re-arm itself or arm, re-arm and delete any other timer.
 */
#include "emu/clock.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct EmuTimer {
    EmuTimerCb cb;
    void *opaque;
    int64_t deadline;   /* -1 when not armed */
    uint64_t seq;       /* arming order, breaks deadline ties */
    GSequenceIter *pos; /* in clock_timers while armed */
};

static int64_t clock_now;
static bool clock_enabled = true;
static int64_t clock_host_last = -1; /* µs, -1: no reference yet */
static uint64_t clock_seq;
static GSequence *clock_timers;

static GSequence *timers(void)
{
    if (!clock_timers) {
        clock_timers = g_sequence_new(NULL);
    }
    return clock_timers;
}

static gint timer_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
    const EmuTimer *ta = a;
    const EmuTimer *tb = b;

    if (ta->deadline != tb->deadline) {
        return ta->deadline < tb->deadline ? -1 : 1;
    }
    if (ta->seq != tb->seq) {
        return ta->seq < tb->seq ? -1 : 1;
    }
    return 0;
}

int64_t clock_get_ns(void)
{
    return clock_now;
}

int64_t clock_ns_after(int64_t delta_ns)
{
    int64_t now = clock_get_ns();

    if (delta_ns <= 0) {
        return now;
    }
    return delta_ns > INT64_MAX - now ? INT64_MAX : now + delta_ns;
}

EmuTimer *timer_new(EmuTimerCb cb, void *opaque)
{
    EmuTimer *t = g_new0(EmuTimer, 1);

    t->cb = cb;
    t->opaque = opaque;
    t->deadline = -1;
    return t;
}

void timer_free(EmuTimer *t)
{
    if (!t) {
        return;
    }
    timer_del(t);
    g_free(t);
}

void timer_del(EmuTimer *t)
{
    if (t->pos) {
        g_sequence_remove(t->pos);
        t->pos = NULL;
    }
    t->deadline = -1;
}

void timer_mod(EmuTimer *t, int64_t deadline_ns)
{
    timer_del(t);
    t->deadline = deadline_ns < 0 ? 0 : deadline_ns;
    t->seq = ++clock_seq;
    t->pos = g_sequence_insert_sorted(timers(), t, timer_cmp, NULL);
}

bool timer_pending(const EmuTimer *t)
{
    return t->pos != NULL;
}

int64_t timer_expire_time(const EmuTimer *t)
{
    return t->pos ? t->deadline : -1;
}

static EmuTimer *timer_first(void)
{
    GSequenceIter *it = g_sequence_get_begin_iter(timers());

    return g_sequence_iter_is_end(it) ? NULL : g_sequence_get(it);
}

int64_t clock_next_deadline(void)
{
    EmuTimer *t;

    if (!clock_enabled) {
        return -1;
    }
    t = timer_first();
    return t ? t->deadline : -1;
}

/* Fires the earliest timer if it is due by @limit; false if none is. */
static bool clock_fire_one(int64_t limit)
{
    EmuTimer *t = timer_first();

    if (!clock_enabled || !t || t->deadline > limit) {
        return false;
    }
    if (t->deadline > clock_now) {
        clock_now = t->deadline;
    }
    timer_del(t);
    t->cb(t->opaque);
    return true;
}

void clock_advance_to(int64_t target)
{
    while (clock_fire_one(MAX(target, clock_now))) {
        /* each call fires one due timer */
    }
    if (target > clock_now) {
        clock_now = target;
    }
}

void clock_run_expired(void)
{
    clock_advance_to(clock_now);
}

void clock_set_enabled(bool enabled)
{
    clock_enabled = enabled;
    clock_host_last = -1;
}

bool clock_is_enabled(void)
{
    return clock_enabled;
}

void clock_sync_host(void)
{
    int64_t host;
    int64_t delta;

    if (!clock_enabled) {
        clock_host_last = -1;
        return;
    }
    host = g_get_monotonic_time();
    if (clock_host_last < 0 || host < clock_host_last) {
        clock_host_last = host;
        clock_run_expired();
        return;
    }
    delta = host - clock_host_last;
    clock_host_last = host;
    if (delta > (INT64_MAX - clock_now) / 1000) {
        clock_advance_to(INT64_MAX);
    } else {
        clock_advance_to(clock_now + delta * 1000);
    }
}

void clock_reset_for_test(void)
{
    EmuTimer *t;

    while ((t = timer_first())) {
        timer_del(t);
    }
    clock_now = 0;
    clock_enabled = true;
    clock_host_last = -1;
    clock_seq = 0;
}
