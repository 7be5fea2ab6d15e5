/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock (ns, starts at 0, only moves forward) and timers ordered
 * by deadline.
 *
 * Who moves the clock depends on the accelerator: under qtest only
 * clock_advance_to() (clock_step/clock_set); otherwise the loop calls
 * clock_sync_host() so virtual time follows host time while running (until
 * harts drive it from retired instructions).  Timers fire only while the
 * clock is enabled (VM running); overdue timers fire on the next advance.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct EmuTimer EmuTimer;
typedef void (*EmuTimerCb)(void *opaque);

/** Current virtual time in ns. */
int64_t clock_get_ns(void);

/**
 * Current virtual time plus @delta_ns (>= 0), saturated at INT64_MAX, for
 * deadlines: the clock can be set as far as INT64_MAX by clock_set.
 */
int64_t clock_ns_after(int64_t delta_ns);

/** Creates an unarmed timer. */
EmuTimer *timer_new(EmuTimerCb cb, void *opaque);
/** Disarms and frees @t (NULL is fine). */
void timer_free(EmuTimer *t);
/** Arms @t at absolute virtual time @deadline_ns (re-arms if armed). */
void timer_mod(EmuTimer *t, int64_t deadline_ns);
/** Disarms @t. */
void timer_del(EmuTimer *t);
bool timer_pending(const EmuTimer *t);
int64_t timer_expire_time(const EmuTimer *t); /* -1 when not armed */

/** Earliest armed deadline, or -1 when none or the clock is disabled. */
int64_t clock_next_deadline(void);

/**
 * Advances to @target (never backwards): repeatedly jumps to
 * min(@target, next deadline) and runs the expired timers in deadline order
 * (callbacks may arm more).  When disabled, only the counter moves.
 */
void clock_advance_to(int64_t target);

/** Runs timers whose deadline <= now (when enabled). */
void clock_run_expired(void);

/** Enables or disables timer delivery (VM running / stopped). */
void clock_set_enabled(bool enabled);
bool clock_is_enabled(void);

/**
 * Host-coupled mode: call often from the loop; moves virtual time forward by
 * the host time elapsed since the previous call while enabled, then runs
 * expired timers.  Not used under the qtest accelerator.
 */
void clock_sync_host(void);

/** Resets the clock to 0 and forgets all timers (unit tests only). */
void clock_reset_for_test(void);
