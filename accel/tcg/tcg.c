/* SPDX-License-Identifier: MIT */
/*
 * The "tcg" accelerator: runs every hart from the main loop.
 *
 * An idle source on glib's default main context runs one slice per
 * dispatch (100000 instructions per hart, never past the next timer
 * deadline).  Within a slice the harts take turns in chunks of 1000
 * instructions, and after each chunk the virtual clock advances by the
 * longest hart's executed instructions x ns-per-insn (harts run in
 * parallel in virtual time), so mtime moves while code runs and timers
 * fire within a chunk of their deadline.  When every hart waits in WFI the
 * clock jumps to the next deadline; with no deadline the source is removed and
 * the loop blocks until a kick (an interrupt line, a chardev event) makes a
 * hart runnable. Because the source has idle priority, chardev, qtest and QMP
 * input are serviced between rounds.  Nothing depends on host time, so the same
 * inputs give the same instruction trace.
 *
 * Host-coupled mode (-accel tcg,clock=host, for interactive use): virtual
 * time never runs ahead of the host time elapsed since the VM started
 * (a slice is cut at that limit; a hart that is ahead waits on a host timer)
 * and, when every hart waits in WFI, the clock follows host time to the next
 * deadline by sleeping until then instead of jumping.  Harts still advance
 * the clock by their instructions, so a slow guest lags host time and is
 * never sped past it.  Traces then depend on host timing.
 */
#include "accel/accel.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/loop.h"
#include "emu/memory.h"
#include "target/riscv/cpu.h"

#define TCG_DEFAULT_SLICE 100000
#define TCG_CHUNK         1000 /* instructions per hart turn: 10 mtime ticks */

static bool tcg_enabled;
static bool tcg_started;
static guint tcg_source;
static uint64_t tcg_ns_per_insn = 1;
static uint64_t tcg_slice = TCG_DEFAULT_SLICE;

/* host-coupled mode: virtual ns = host_ref_virt + host µs since host_ref */
static bool tcg_clock_host;
static int64_t tcg_host_ref_us;
static int64_t tcg_host_ref_virt;
static guint tcg_wake_source; /* host timer that resumes the harts */
static bool tcg_host_idle;    /* every hart waited with no deadline */

bool accel_tcg_enabled(void)
{
    return tcg_enabled;
}

void accel_tcg_set_ns_per_insn(uint64_t ns)
{
    tcg_ns_per_insn = ns ? ns : 1;
}

uint64_t accel_tcg_ns_per_insn(void)
{
    return tcg_ns_per_insn;
}

void accel_tcg_set_slice(uint64_t insns)
{
    tcg_slice = insns ? insns : 1;
}

void accel_tcg_set_clock_host(bool on)
{
    tcg_clock_host = on;
}

bool accel_tcg_clock_host(void)
{
    return tcg_clock_host;
}

/* Host-coupled mode: the virtual time the host clock allows now. */
static int64_t tcg_host_limit(void)
{
    return tcg_host_ref_virt +
           (g_get_monotonic_time() - tcg_host_ref_us) * 1000;
}

static gboolean tcg_round(gpointer opaque);

static gboolean tcg_host_wake(gpointer opaque)
{
    tcg_wake_source = 0;
    if (tcg_started && !tcg_source && runstate_is_running()) {
        tcg_source =
            g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, tcg_round, NULL, NULL);
    }
    return G_SOURCE_REMOVE;
}

/* Stops the round source and resumes it after @ns of host time. */
static gboolean tcg_host_sleep(int64_t ns)
{
    guint ms = ns >= 1000 * 1000000LL ? 1000 : (guint)((ns + 999999) / 1000000);

    if (tcg_wake_source) {
        g_source_remove(tcg_wake_source);
    }
    tcg_wake_source = g_timeout_add_full(G_PRIORITY_DEFAULT, ms ? ms : 1,
                                         tcg_host_wake, NULL, NULL);
    tcg_source = 0;
    return G_SOURCE_REMOVE;
}

/* Instructions the harts may run before the next timer is due. */
static uint64_t tcg_round_budget(int64_t now)
{
    int64_t deadline = clock_next_deadline();
    uint64_t budget = tcg_slice;

    if (deadline >= 0) {
        int64_t delta = deadline - now;
        uint64_t n = delta <= 0 ? 1
                                : ((uint64_t)delta + tcg_ns_per_insn - 1) /
                                      tcg_ns_per_insn;

        if (n < budget) {
            budget = n;
        }
    }
    return budget;
}

/*
 * Runs every hart for up to @n instructions; returns the most any hart
 * executed (retired or trapped).
 */
static uint64_t tcg_run_harts(uint64_t n)
{
    uint64_t longest = 0;

    for (unsigned i = 0; i < riscv_hart_count(); i++) {
        RiscvHart *cpu = riscv_hart_nth(i);
        uint64_t before = cpu->exec_count;

        riscv_hart_run_slice(cpu, n);
        if (cpu->exec_count - before > longest) {
            longest = cpu->exec_count - before;
        }
    }
    return longest;
}

static gboolean tcg_round(gpointer opaque)
{
    int64_t now = clock_get_ns();
    uint64_t budget;
    uint64_t done = 0;
    bool ran = false;
    MemOrigin origin;

    if (!tcg_started || !runstate_is_running()) {
        tcg_source = 0;
        return G_SOURCE_REMOVE;
    }
    if (tcg_clock_host) {
        int64_t limit = tcg_host_limit();

        if (tcg_host_idle) {
            /* the harts slept until a kick: time went on meanwhile */
            tcg_host_idle = false;
            clock_advance_to(limit);
            now = clock_get_ns();
        }
        if (now >= limit) {
            return tcg_host_sleep(now - limit + 1);
        }
    }
    clock_run_expired();
    budget = tcg_round_budget(now);
    if (tcg_clock_host) {
        uint64_t room = (uint64_t)(tcg_host_limit() - now) / tcg_ns_per_insn;

        budget = MIN(budget, MAX(room, 1));
    }
    origin = memory_get_origin();
    memory_set_origin(MEM_ORIGIN_HART);
    /*
     * Harts take turns in chunks, and the clock advances after each chunk,
     * so time (mtime, the time CSR) moves while a slice runs.
     */
    while (done < budget) {
        uint64_t chunk = MIN(TCG_CHUNK, budget - done);
        uint64_t longest = tcg_run_harts(chunk);

        if (!longest) {
            break;
        }
        ran = true;
        clock_advance_to(clock_ns_after((int64_t)(longest * tcg_ns_per_insn)));
        done += chunk;
    }
    memory_set_origin(origin);
    if (ran) {
        return G_SOURCE_CONTINUE;
    }
    /* every hart waits for an interrupt */
    if (tcg_clock_host) {
        int64_t limit = tcg_host_limit();
        int64_t deadline = clock_next_deadline();

        if (deadline >= 0 && deadline <= limit) {
            clock_advance_to(deadline > now ? deadline : now);
            return G_SOURCE_CONTINUE;
        }
        clock_advance_to(limit);
        if (deadline >= 0) {
            return tcg_host_sleep(deadline - limit);
        }
        tcg_host_idle = true;
        tcg_source = 0;
        return G_SOURCE_REMOVE;
    }
    if (clock_next_deadline() >= 0) {
        int64_t deadline = clock_next_deadline();

        clock_advance_to(deadline > now ? deadline : now);
        return G_SOURCE_CONTINUE;
    }
    tcg_source = 0;
    return G_SOURCE_REMOVE;
}

static void tcg_kick(void)
{
    if (tcg_started && !tcg_source && runstate_is_running()) {
        if (tcg_wake_source) {
            g_source_remove(tcg_wake_source);
            tcg_wake_source = 0;
        }
        tcg_source =
            g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, tcg_round, NULL, NULL);
    }
}

static void tcg_kick_hart(RiscvHart *cpu)
{
    tcg_kick();
}

static bool tcg_init(Machine *m, GError **errp)
{
    tcg_enabled = true;
    riscv_hart_kick_hook = tcg_kick_hart;
    /* virtual time comes from retired instructions, not the host clock */
    loop_set_qtest_clock(true);
    return true;
}

static void tcg_start(void)
{
    /* host time spent stopped does not count */
    tcg_host_ref_us = g_get_monotonic_time();
    tcg_host_ref_virt = clock_get_ns();
    tcg_host_idle = false;
    tcg_started = true;
    memory_advise_huge_pages();
    tcg_kick();
}

static void tcg_stop(void)
{
    tcg_started = false;
    if (tcg_wake_source) {
        g_source_remove(tcg_wake_source);
        tcg_wake_source = 0;
    }
    if (tcg_source) {
        g_source_remove(tcg_source);
        tcg_source = 0;
    }
}

const AccelOps accel_tcg_ops = {
    .name = "tcg",
    .init = tcg_init,
    .start = tcg_start,
    .stop = tcg_stop,
    .kick = tcg_kick,
};
