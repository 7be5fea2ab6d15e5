/* SPDX-License-Identifier: MIT */
/*
 * aclint-mswi + aclint-mtimer over qtest: the "How to test it" list of
 * spec/devices/aclint.md on virt (MSWI at 0x2000000, MTIMER at 0x2004000),
 * timer deadlines to the nanosecond, and the devices alone on -machine
 * none.  Cases that only use addresses also run against QEMU
 * (QTEST_QEMU_BINARY=qemu-system-riscv64); cases that name QOM paths are
 * skipped there, because QEMU's paths are /machine/unattached/device[N].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/c/hart.h"
#include "harness/c/libqtest.h"
#include "hw/intc/aclint.h"

#define C           0x02000000ULL /* MSWI */
#define MT          (C + ACLINT_MSWI_SIZE)
#define MTIME       (MT + ACLINT_MTIME)
#define MTIMEH      (MT + ACLINT_MTIMEH)
#define MTIMECMP(h) (MT + ACLINT_MTIMECMP + 8 * (h))
#define MSIP(h)     (C + ACLINT_MSIP + 4 * (h))
#define SSWI        0x02f00000ULL /* -M virt,aclint=on only */
#define SETSSIP(h)  (SSWI + ACLINT_SETSSIP + 4 * (h))
#define MSWI_PATH   "/machine/mswi"
#define MTIMER_PATH "/machine/mtimer"
#define TICK        ACLINT_NS_PER_TICK
#define T(fn)       cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)
#define T2(fn)      cmocka_unit_test_setup_teardown(fn, setup_smp2, teardown)
#define TX(fn)      cmocka_unit_test(fn)
#define TA(fn)      cmocka_unit_test_setup_teardown(fn, setup_aclint_smp2, teardown)

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

static int setup_smp2(void **state)
{
    *state = start_virt("-smp 2");
    return *state ? 0 : -1;
}

static int setup_aclint_smp2(void **state)
{
    *state = start_virt("-smp 2 -machine aclint=on");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    qtest_quit(*state);
    return 0;
}

/* Current virtual time without moving it. */
static int64_t clock_now(QTestState *qts)
{
    return qtest_clock_step(qts, 0);
}

/* 1. Reset values. */
static void test_reset_values(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readq(qts, MTIME), 0);
    assert_int_equal(qtest_readl(qts, MTIME), 0);
    assert_int_equal(qtest_readl(qts, MTIMEH), 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0)), 0);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0) + 4), 0);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
}

/* 2. mtime counts one tick per 100 ns of virtual time, rounding down. */
static void test_mtime_advances(void **state)
{
    QTestState *qts = *state;
    uint64_t m0 = qtest_readq(qts, MTIME);

    qtest_clock_step(qts, 1000000);
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 10000);
    qtest_clock_step(qts, 100);
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 10001);
    qtest_clock_step(qts, 99);
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 10001);
    qtest_clock_step(qts, 1);
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 10002);
}

/* 3. 32-bit halves of mtime, read and written separately. */
static void test_mtime_halves(void **state)
{
    QTestState *qts = *state;

    qtest_writeq(qts, MTIME, 0x123456789ULL);
    assert_int_equal(qtest_readl(qts, MTIME), 0x23456789);
    assert_int_equal(qtest_readl(qts, MTIMEH), 0x1);
    assert_int_equal(qtest_readq(qts, MTIME), 0x123456789ULL);

    qtest_writel(qts, MTIME, 0xdeadbeef);
    assert_int_equal(qtest_readq(qts, MTIME), 0x1deadbeefULL);
    qtest_writel(qts, MTIMEH, 0x2);
    assert_int_equal(qtest_readq(qts, MTIME), 0x2deadbeefULL);

    /* Still counting from the written value. */
    qtest_clock_step(qts, 10 * TICK);
    assert_int_equal(qtest_readq(qts, MTIME), 0x2deadbeefULL + 10);
}

/* 6. Half writes of mtimecmp keep the other half. */
static void test_mtimecmp_halves(void **state)
{
    QTestState *qts = *state;

    qtest_writeq(qts, MTIMECMP(0), 0xffffffffffffffffULL);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0xffffffffffffffffULL);
    qtest_writel(qts, MTIMECMP(0), 0x10);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0xffffffff00000010ULL);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0) + 4), 0xffffffff);
    qtest_writel(qts, MTIMECMP(0) + 4, 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0x10);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0)), 0x10);
    qtest_writeq(qts, MTIMECMP(0), 0x0123456789abcdefULL);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0)), 0x89abcdef);
    assert_int_equal(qtest_readl(qts, MTIMECMP(0) + 4), 0x01234567);
}

/* MTIP is high from power-on: mtimecmp = 0 = mtime. */
static void test_mtip_at_power_on(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    /* Interception reports changes only: lower it to see the level. */
    qtest_writeq(qts, MTIMECMP(0), 1000);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIMECMP(0), 0);
    assert_true(qtest_get_irq(qts, 0));
}

/*
 * 4. The timer fires at the first ns where mtime reaches mtimecmp: with the
 * write 50 ns into a tick, the deadline is the next tick boundary after
 * 1000 ticks, not write time + 100000 ns.
 */
static void test_timer_exact_deadline(void **state)
{
    QTestState *qts = *state;
    int64_t t0, deadline;
    uint64_t m0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_clock_step(qts, 1000050);
    t0 = clock_now(qts);
    m0 = qtest_readq(qts, MTIME);
    assert_int_equal(m0, (uint64_t)t0 / TICK);
    qtest_writeq(qts, MTIMECMP(0), m0 + 1000);
    assert_false(qtest_get_irq(qts, 0));
    deadline = ((int64_t)m0 + 1000) * TICK;

    assert_int_equal(qtest_clock_step(qts, deadline - 1 - t0), deadline - 1);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 999);
    qtest_clock_step(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), m0 + 1000);

    /* MTIP is a level: it stays until mtimecmp moves past mtime. */
    qtest_clock_step(qts, 1000000);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIMECMP(0), 0xffffffffffffffffULL);
    assert_false(qtest_get_irq(qts, 0));
}

/* A bare clock_step jumps exactly to the armed deadline. */
static void test_timer_clock_step_next(void **state)
{
    QTestState *qts = *state;
    uint64_t m0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_clock_step(qts, 12345);
    m0 = qtest_readq(qts, MTIME);
    qtest_writeq(qts, MTIMECMP(0), m0 + 7);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_clock_step_next(qts), (int64_t)(m0 + 7) * TICK);
    assert_true(qtest_get_irq(qts, 0));
}

/* 5. mtimecmp <= mtime raises MTIP during the write itself. */
static void test_timer_immediate(void **state)
{
    QTestState *qts = *state;
    uint64_t m0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_clock_step(qts, 5000);
    m0 = qtest_readq(qts, MTIME);
    qtest_writeq(qts, MTIMECMP(0), m0 + 1);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIMECMP(0), m0);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIMECMP(0), m0 + 1);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writel(qts, MTIMECMP(0), (uint32_t)m0 - 1); /* low half */
    assert_true(qtest_get_irq(qts, 0));
}

/* 7. An mtime write re-evaluates the timer both ways. */
static void test_mtime_write_reevaluates(void **state)
{
    QTestState *qts = *state;
    const uint64_t cmp = 0x100000;
    int64_t t0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_writeq(qts, MTIMECMP(0), cmp);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIME, cmp + 1);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIME, cmp - 1);
    assert_false(qtest_get_irq(qts, 0));

    /* One tick to go: fires at the next tick boundary. */
    t0 = clock_now(qts);
    assert_int_equal(qtest_clock_step_next(qts), (t0 / TICK + 1) * TICK);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), cmp);

    /* Rewriting mtime backwards re-arms the timer. */
    qtest_writel(qts, MTIMEH, 0);
    qtest_writel(qts, MTIME, (uint32_t)(cmp - 3));
    assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, 2 * TICK);
    assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, TICK);
    assert_true(qtest_get_irq(qts, 0));
}

/*
 * mtimecmp = ~0 and deadlines past the end of virtual time never fire and
 * never overflow; the last reachable tick still does.
 */
static void test_timer_saturation(void **state)
{
    QTestState *qts = *state;
    const uint64_t last_tick = (uint64_t)INT64_MAX / TICK;
    char *reply;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_writeq(qts, MTIMECMP(0), 0xffffffffffffffffULL);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writeq(qts, MTIMECMP(0), last_tick + 1);
    assert_false(qtest_get_irq(qts, 0));
    /* Nothing is armed: there is no deadline to step to. */
    reply = qtest_raw_cmd(qts, "clock_step");
    assert_true(g_str_has_prefix(reply, "FAIL"));
    g_free(reply);

    qtest_writeq(qts, MTIMECMP(0), last_tick);
    assert_int_equal(qtest_clock_step_next(qts), (int64_t)(last_tick * TICK));
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), last_tick);

    qtest_writeq(qts, MTIMECMP(0), last_tick + 1);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_clock_set(qts, INT64_MAX), INT64_MAX);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), last_tick);
}

/* QMP stop freezes timer delivery; cont delivers the overdue event. */
static void test_stop_cont(void **state)
{
    QTestState *qts = *state;
    uint64_t m0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    m0 = qtest_readq(qts, MTIME);
    qtest_writeq(qts, MTIMECMP(0), m0 + 10);
    assert_false(qtest_get_irq(qts, 0));
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_clock_step(qts, 20 * TICK);
    assert_false(qtest_get_irq(qts, 0));
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_clock_step(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* 8. MSWI: bit 0 drives MSIP, the other bits read 0. */
static void test_msip(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MSWI_PATH, "msip");
    qtest_writel(qts, MSIP(0), 1);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, MSIP(0)), 1);
    qtest_writel(qts, MSIP(0), 0xfffffffe);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
    qtest_writel(qts, MSIP(0), 3);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, MSIP(0)), 1);
    qtest_writel(qts, MSIP(0), 0);
    assert_false(qtest_get_irq(qts, 0));
}

/* msip read-back by address only (runs on QEMU too). */
static void test_msip_readback(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, MSIP(0), 0xffffffff);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 1);
    qtest_writel(qts, MSIP(0), 2);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
}

/*
 * 9. Widths: MSWI takes 4-byte accesses only, MTIMER 4 or 8; qtest reads
 * of rejected accesses give 0 and rejected writes change nothing; the
 * window ends at 0xc000.
 */
static void test_access_widths(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, MSIP(0), 1);
    assert_int_equal(qtest_readb(qts, MSIP(0)), 0);
    assert_int_equal(qtest_readw(qts, MSIP(0)), 0);
    qtest_writeb(qts, MSIP(0), 0);
    qtest_writew(qts, MSIP(0), 0);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 1);

    qtest_writeq(qts, MTIME, 0x1122334455667788ULL);
    assert_int_equal(qtest_readw(qts, MTIME), 0);
    assert_int_equal(qtest_readb(qts, MTIME), 0);
    qtest_writew(qts, MTIME, 0);
    qtest_writeb(qts, MTIME, 0);
    assert_int_equal(qtest_readl(qts, MTIMEH), 0x11223344);

    qtest_writeq(qts, MTIMECMP(0), 0x0102030405060708ULL);
    qtest_writew(qts, MTIMECMP(0), 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0x0102030405060708ULL);

    assert_int_equal(qtest_readl(qts, C + 0xc000), 0);
    assert_int_equal(qtest_readq(qts, C + 0xfff8), 0);
}

/*
 * An 8-byte qtest access to MSWI (4-byte only) is split in two 4-byte
 * accesses, as QEMU's memory core does (a CPU "ld" faults instead): msip0
 * lands in the low half, msip1 (no such hart here: reads 0) in the high.
 */
static void test_msip_8byte_split(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, MSIP(0), 1);
    assert_int_equal(qtest_readq(qts, MSIP(0)), 1);
    qtest_writeq(qts, MSIP(0), 0);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
    qtest_writeq(qts, MSIP(0), 0x0000000100000001ULL);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 1);
}

/* Slots of harts that do not exist read 0 and ignore writes. */
static void test_missing_harts(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, MSIP(1), 1);
    assert_int_equal(qtest_readl(qts, MSIP(1)), 0);
    qtest_writeq(qts, MTIMECMP(1), 1234);
    assert_int_equal(qtest_readq(qts, MTIMECMP(1)), 0);
    assert_int_equal(qtest_readl(qts, MSIP(4094)), 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(4094)), 0);
}

/* -smp 2: a second msip and mtimecmp; slot 2 is empty. */
static void test_two_harts(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, MSIP(1), 1);
    assert_int_equal(qtest_readl(qts, MSIP(1)), 1);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
    qtest_writel(qts, MSIP(2), 1);
    assert_int_equal(qtest_readl(qts, MSIP(2)), 0);

    qtest_writeq(qts, MTIMECMP(1), 0xaabbccdd11223344ULL);
    assert_int_equal(qtest_readq(qts, MTIMECMP(1)), 0xaabbccdd11223344ULL);
    assert_int_equal(qtest_readl(qts, MTIMECMP(1)), 0x11223344);
    assert_int_equal(qtest_readl(qts, MTIMECMP(1) + 4), 0xaabbccdd);
    qtest_writel(qts, MTIMECMP(1) + 4, 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(1)), 0x11223344);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0);
    qtest_writeq(qts, MTIMECMP(2), 1);
    assert_int_equal(qtest_readq(qts, MTIMECMP(2)), 0);
}

/* -smp 2: each hart has its own lines. */
static void test_two_harts_lines(void **state)
{
    QTestState *qts = *state;
    uint64_t m0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    m0 = qtest_readq(qts, MTIME);
    qtest_writeq(qts, MTIMECMP(0), m0 + 100);
    qtest_writeq(qts, MTIMECMP(1), m0 + 50);
    assert_false(qtest_get_irq(qts, 0));
    assert_false(qtest_get_irq(qts, 1));
    qtest_clock_step_next(qts);
    assert_false(qtest_get_irq(qts, 0));
    assert_true(qtest_get_irq(qts, 1));
    qtest_clock_step_next(qts);
    assert_true(qtest_get_irq(qts, 0));
}

static void test_two_harts_msip_lines(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MSWI_PATH, "msip");
    qtest_writel(qts, MSIP(1), 1);
    assert_true(qtest_get_irq(qts, 1));
    assert_false(qtest_get_irq(qts, 0));
    qtest_writel(qts, MSIP(1), 0);
    assert_false(qtest_get_irq(qts, 1));
}

/* -smp 2 board wiring: hart 1 gets mtip[1] on irq 7, msip[1] on 3. */
static void test_hart_wiring(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_in(qts, "/machine/soc0/harts[1]");
    qtest_writeq(qts, MTIMECMP(1), 0xffffffffffffffffULL);
    qtest_writeq(qts, MTIMECMP(1), 0);
    assert_true(qtest_get_irq(qts, 7));
    qtest_writeq(qts, MTIMECMP(0), 0xffffffffffffffffULL); /* hart 0's */
    assert_true(qtest_get_irq(qts, 7));
    qtest_writel(qts, MSIP(1), 1);
    assert_true(qtest_get_irq(qts, 3));
    qtest_writel(qts, MSIP(1), 0);
    assert_false(qtest_get_irq(qts, 3));
    qtest_writeq(qts, MTIMECMP(1), 0xffffffffffffffffULL);
    assert_false(qtest_get_irq(qts, 7));
}

/* The harts' time CSR reads mtime, offset by mtime writes included. */
static void test_hart_time_csr(void **state)
{
    QTestState *qts = *state;
    char *reply;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_writeq(qts, MTIME, 0x1234);
    qtest_clock_step(qts, 10 * TICK);
    reply = qtest_raw_cmd(qts, "hart_get 1 time");
    assert_string_equal(reply, "OK 0x000000000000123e");
    g_free(reply);
}

/* 10. System reset: mtime back to 0, mtimecmp and MTIP re-evaluated. */
static void test_system_reset(void **state)
{
    QTestState *qts = *state;

    qtest_writeq(qts, MTIME, 0x123456789abcULL);
    qtest_writeq(qts, MTIMECMP(0), 0x5000);
    qtest_writel(qts, MSIP(0), 1);
    qtest_system_reset(qts);
    assert_int_equal(qtest_readq(qts, MTIME), 0);
    assert_int_equal(qtest_readq(qts, MTIMECMP(0)), 0x5000);
    assert_int_equal(qtest_readl(qts, MSIP(0)), 0);
}

static void test_system_reset_lines(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, MTIMER_PATH, "mtip");
    qtest_writeq(qts, MTIMECMP(0), 0xffffffffffffffffULL);
    qtest_writeq(qts, MTIME, 0x10000);
    qtest_writeq(qts, MTIMECMP(0), 0x5000);
    assert_true(qtest_get_irq(qts, 0));
    qtest_system_reset(qts);
    assert_int_equal(qtest_readq(qts, MTIME), 0); /* also a round trip */
    assert_false(qtest_get_irq(qts, 0));          /* 0 < 0x5000 */
    assert_int_equal(qtest_clock_step_next(qts) % TICK, 0);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readq(qts, MTIME), 0x5000);
}

/* Both devices alone on -machine none, with three harts. */
static void test_none_machine(void **state)
{
    QTestState *qts;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qts = qtest_init("-machine none "
                     "-device aclint-mswi,id=sw,addr=0x1000,num-harts=3 "
                     "-device aclint-mtimer,id=tm,addr=0x8000,num-harts=3");
    assert_non_null(qts);
    qtest_irq_intercept_out_named(qts, "/machine/peripheral/tm", "mtip");
    assert_int_equal(qtest_readq(qts, 0x8000 + 16), 0);
    qtest_writeq(qts, 0x8000 + 0, 10);
    qtest_writeq(qts, 0x8000 + 8, 10);
    qtest_writeq(qts, 0x8000 + 16, 5);
    assert_int_equal(qtest_clock_step_next(qts), 5 * TICK);
    assert_false(qtest_get_irq(qts, 0));
    assert_true(qtest_get_irq(qts, 2));
    assert_int_equal(qtest_readq(qts, 0x8000 + 24), 0); /* no 4th hart */
    qtest_writel(qts, 0x1000 + 8, 1);
    assert_int_equal(qtest_readl(qts, 0x1000 + 8), 1);
    assert_int_equal(qtest_readl(qts, 0x1000 + 12), 0);
    qtest_quit(qts);
}

/* Exit status of the emulator started with @args (it must exit). */
static int run_status(const char *args)
{
    g_autofree char *cmd = g_strdup_printf("%s -display none -accel qtest %s",
                                           getenv("QTEST_QEMU_BINARY"), args);
    g_auto(GStrv) argv = NULL;
    int wstatus = -1;

    assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    assert_true(
        g_spawn_sync(NULL, argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &wstatus, NULL));
    return wstatus;
}

/* ---- SSWI (-M virt,aclint=on) ---- */

/* setssip reads 0 whatever was written; MSWI and MTIMER stay in place. */
static void test_sswi_reads_zero(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readl(qts, SETSSIP(0)), 0);
    qtest_writel(qts, SETSSIP(0), 1);
    assert_int_equal(qtest_readl(qts, SETSSIP(0)), 0);
    qtest_writel(qts, SETSSIP(1), 0xffffffff);
    assert_int_equal(qtest_readl(qts, SETSSIP(1)), 0);
    assert_int_equal(qtest_readl(qts, SETSSIP(2)), 0); /* no hart 2 */
    qtest_writel(qts, MSIP(1), 1);
    assert_int_equal(qtest_readl(qts, MSIP(1)), 1);
    qtest_writeq(qts, MTIMECMP(1), 0x1234);
    assert_int_equal(qtest_readq(qts, MTIMECMP(1)), 0x1234);
}

/* Writing bit 0 = 1 sets that hart's mip.SSIP (only), 0 does nothing. */
static void test_sswi_sets_ssip(void **state)
{
    QTestState *qts = *state;
    const uint64_t ssip = 1u << 1;

    SKIP_UNLESS_BENCHTOP(NULL, "reads mip with Benchtop's hart_get");
    assert_int_equal(qtest_hart_get(qts, 1, "mip") & ssip, 0);
    qtest_writel(qts, SETSSIP(1), 0);
    assert_int_equal(qtest_hart_get(qts, 1, "mip") & ssip, 0);
    qtest_writel(qts, SETSSIP(1), 1);
    assert_int_equal(qtest_hart_get(qts, 1, "mip") & ssip, ssip);
    assert_int_equal(qtest_hart_get(qts, 0, "mip") & ssip, 0);
    /* software clears it; the next write sets it again */
    qtest_hart_set(qts, 1, "mip", 0);
    assert_int_equal(qtest_hart_get(qts, 1, "mip") & ssip, 0);
    qtest_writel(qts, SETSSIP(1), 1);
    assert_int_equal(qtest_hart_get(qts, 1, "mip") & ssip, ssip);
    qtest_writel(qts, SETSSIP(0), 3);
    assert_int_equal(qtest_hart_get(qts, 0, "mip") & ssip, ssip);
}

/* Each write of 1 is an edge on that hart's line. */
static void test_sswi_lines(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, "/machine/sswi", "ssip");
    qtest_writel(qts, SETSSIP(1), 1);
    assert_true(qtest_get_irq(qts, 1));
    assert_false(qtest_get_irq(qts, 0));
    qtest_writel(qts, SETSSIP(1), 0); /* no change */
    assert_true(qtest_get_irq(qts, 1));
}

/* Without aclint=on nothing answers at 0x2f00000. */
static void test_sswi_absent_by_default(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, SETSSIP(0), 1);
    assert_int_equal(qtest_readl(qts, SETSSIP(0)), 0);
}

/* num-harts outside 1..4095 fails realize: exit status 1. */
static void test_bad_num_harts(void **state)
{
    int st;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    st = run_status("-machine none -device "
                    "aclint-mtimer,addr=0x8000,num-harts=0");
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    st = run_status("-machine none -device "
                    "aclint-mswi,addr=0x8000,num-harts=4096");
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    st = run_status("-machine none -device "
                    "aclint-sswi,addr=0x8000,num-harts=0");
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values),
        T(test_mtime_advances),
        T(test_mtime_halves),
        T(test_mtimecmp_halves),
        T(test_mtip_at_power_on),
        T(test_timer_exact_deadline),
        T(test_timer_clock_step_next),
        T(test_timer_immediate),
        T(test_mtime_write_reevaluates),
        T(test_timer_saturation),
        T(test_stop_cont),
        T(test_msip),
        T(test_msip_readback),
        T(test_access_widths),
        T(test_msip_8byte_split),
        T(test_missing_harts),
        T2(test_two_harts),
        T2(test_two_harts_lines),
        T2(test_two_harts_msip_lines),
        T2(test_hart_wiring),
        T2(test_hart_time_csr),
        T(test_system_reset),
        T(test_system_reset_lines),
        TA(test_sswi_reads_zero),
        TA(test_sswi_sets_ssip),
        TA(test_sswi_lines),
        T(test_sswi_absent_by_default),
        TX(test_none_machine),
        TX(test_bad_num_harts),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("aclint", tests, NULL, NULL);
}
