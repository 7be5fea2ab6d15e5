/* SPDX-License-Identifier: MIT */
/*
 * goldfish-rtc over qtest: the "How to test it" list of
 * spec/devices/goldfish-rtc.md on virt (R = 0x101000) with
 * "-rtc base=2006-06-17T16:01:21,clock=vm", so the time is the base plus
 * virtual time to the nanosecond; the default host clock; the device alone
 * on -machine none.  Cases that only use addresses also run against QEMU;
 * cases that name QOM paths are skipped there.
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

#include "harness/c/libqtest.h"
#include "hw/rtc/goldfish-rtc.h"

#define R          0x101000ULL
#define RTC_PATH   "/machine/rtc"
#define PLIC_PATH  "/machine/plic"
#define RTC_SOURCE 11
#define BASE_S     1150560081ULL /* 2006-06-17T16:01:21Z */
#define BASE_NS    (BASE_S * 1000000000ULL)
#define RTC_ARGS   "-rtc base=2006-06-17T16:01:21,clock=vm"
#define T(fn)      cmocka_unit_test_setup_teardown(fn, setup_vm, teardown)
#define TX(fn)     cmocka_unit_test(fn)

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static QTestState *start_virt(const char *extra)
{
    return qtest_initf("-machine virt -nodefaults %s%s",
                       !qtest_is_benchtop(NULL) ? "-bios none " : "", extra);
}

static int setup_vm(void **state)
{
    *state = start_virt(RTC_ARGS);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    qtest_quit(*state);
    return 0;
}

static int64_t clock_now(QTestState *qts)
{
    return qtest_clock_step(qts, 0);
}

/* TIME_LOW then TIME_HIGH, the documented read order. */
static uint64_t read_time(QTestState *qts)
{
    uint64_t lo = qtest_readl(qts, R + GOLDFISH_RTC_TIME_LOW);

    return (uint64_t)qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH) << 32 | lo;
}

/* ALARM_HIGH then ALARM_LOW (which arms). */
static void set_alarm(QTestState *qts, uint64_t alarm)
{
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_HIGH, alarm >> 32);
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_LOW, (uint32_t)alarm);
}

/* 1, 4, 5. Reset state; TIME_HIGH reads 0 before any TIME_LOW read. */
static void test_reset_values(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_LOW), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_IRQ_ENABLED), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_CLEAR_ALARM), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_CLEAR_INTERRUPT), 0);
    assert_int_equal(qtest_readl(qts, R + 0x20), 0);
}

/* 2. The time is the base plus virtual time, exactly. */
static void test_time_follows_vm_clock(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(read_time(qts), BASE_NS + clock_now(qts));
    qtest_clock_step(qts, 123456789);
    assert_int_equal(read_time(qts), BASE_NS + clock_now(qts));
    qtest_clock_step(qts, 1);
    assert_int_equal(read_time(qts), BASE_NS + clock_now(qts));
}

/* 3. TIME_HIGH is the latch of the last TIME_LOW read. */
static void test_time_high_latch(void **state)
{
    QTestState *qts = *state;
    uint32_t lo1, lo2, hi1;

    lo1 = qtest_readl(qts, R + GOLDFISH_RTC_TIME_LOW);
    hi1 = qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH);
    assert_int_equal(hi1, (BASE_NS + clock_now(qts)) >> 32);
    qtest_clock_step(qts, 10000000000LL); /* 10 s: bits 63:32 move */
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH), hi1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH), hi1);
    lo2 = qtest_readl(qts, R + GOLDFISH_RTC_TIME_LOW);
    assert_int_not_equal(lo1, lo2);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH),
                     (BASE_NS + clock_now(qts)) >> 32);
    assert_int_not_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH), hi1);
}

/* 6. IRQ_ENABLED keeps bit 0; ALARM_* store all bits. */
static void test_register_masks(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 3);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_IRQ_ENABLED), 1);
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 0xfffffffe);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_IRQ_ENABLED), 0);
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_HIGH, 0xffffffff);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0xffffffff);
    /* A near alarm (QEMU 7.2 fires ones past 2^63 ns at once). */
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_HIGH, (BASE_NS >> 32) + 1);
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_LOW, 0x89abcdef);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_LOW), 0x89abcdef);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    /* Read-only and write-only registers. */
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_STATUS, 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_ALARM, 1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_CLEAR_ALARM), 0);
    qtest_writel(qts, R + 0x20, 1);
    assert_int_equal(qtest_readl(qts, R + 0x20), 0);
}

/* 7. Setting the time by halves; it keeps counting from there. */
static void test_set_time(void **state)
{
    QTestState *qts = *state;
    int64_t t0;

    qtest_writel(qts, R + GOLDFISH_RTC_TIME_HIGH, 1);
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_LOW, 0);
    t0 = clock_now(qts);
    assert_int_equal(read_time(qts), 0x100000000ULL);
    qtest_clock_step(qts, 5000);
    assert_int_equal(read_time(qts), 0x100000000ULL + 5000);
    /* Writing the low half keeps the current high half. */
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_LOW, 0x10);
    assert_int_equal(read_time(qts), 0x100000010ULL);
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_HIGH, 0x7);
    assert_int_equal(read_time(qts), 0x700000010ULL);
    assert_int_equal(clock_now(qts), t0 + 5000);
}

/* 8 by address: the alarm status drops when the time passes. */
static void test_alarm_status(void **state)
{
    QTestState *qts = *state;
    uint64_t alarm = BASE_NS + clock_now(qts) + 200000000;

    set_alarm(qts, alarm);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    qtest_clock_step(qts, 200000000 - 1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    qtest_clock_step(qts, 1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_HIGH),
                     alarm >> 32);
}

/* 8. A future alarm raises the IRQ at its exact time; PLIC source 11. */
static void test_alarm_irq(void **state)
{
    QTestState *qts = *state;
    uint64_t alarm = BASE_NS + clock_now(qts) + 200000000;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_in(qts, PLIC_PATH);
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, alarm);
    assert_false(qtest_get_irq(qts, RTC_SOURCE));
    assert_int_equal(qtest_clock_step_next(qts), alarm - BASE_NS);
    assert_true(qtest_get_irq(qts, RTC_SOURCE));
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    /* Pending is sticky until CLEAR_INTERRUPT. */
    qtest_clock_step(qts, 1000000);
    assert_true(qtest_get_irq(qts, RTC_SOURCE));
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
    assert_false(qtest_get_irq(qts, RTC_SOURCE));
}

/* One ns before the alarm nothing fires (device's own line). */
static void test_alarm_exact(void **state)
{
    QTestState *qts = *state;
    int64_t t0 = clock_now(qts);

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, BASE_NS + t0 + 777);
    qtest_clock_step(qts, 776);
    assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* 9. An alarm at or before the current time fires during the write. */
static void test_alarm_past(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, BASE_NS + clock_now(qts));
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_INTERRUPT, 0);
    assert_false(qtest_get_irq(qts, 0));
    set_alarm(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* 10. IRQ_ENABLED gates a pending interrupt both ways. */
static void test_enable_gating(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    set_alarm(qts, 1);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 0);
    assert_false(qtest_get_irq(qts, 0));
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* 11. CLEAR_ALARM cancels: no IRQ ever; it does not clear pending. */
static void test_clear_alarm(void **state)
{
    QTestState *qts = *state;
    char *reply;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, BASE_NS + clock_now(qts) + 1000);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_ALARM, 1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    reply = qtest_raw_cmd(qts, "clock_step");
    assert_true(g_str_has_prefix(reply, "FAIL")); /* nothing armed */
    g_free(reply);
    qtest_clock_step(qts, 1000000);
    assert_false(qtest_get_irq(qts, 0));

    set_alarm(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_ALARM, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* Moving the time past an armed alarm fires it (Deviation in the model). */
static void test_time_write_fires_alarm(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, BASE_NS + clock_now(qts) + 1000000000);
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_HIGH, 0xffffffff);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
}

/* An alarm beyond the end of virtual time stays armed, never fires. */
static void test_alarm_unreachable(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_HIGH, 0);
    qtest_writel(qts, R + GOLDFISH_RTC_TIME_LOW, 0);
    set_alarm(qts, 0xffffffffffffffffULL);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    assert_int_equal(qtest_clock_set(qts, INT64_MAX), INT64_MAX);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
}

/* The alarm waits while the VM is stopped and fires after cont. */
static void test_stop_cont(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qtest_irq_intercept_out_named(qts, RTC_PATH, "irq");
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, BASE_NS + clock_now(qts) + 1000);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_clock_step(qts, 5000);
    assert_false(qtest_get_irq(qts, 0));
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_clock_step(qts, 1);
    assert_true(qtest_get_irq(qts, 0));
}

/* 12. 4-byte accesses only; the window is 0x24 bytes. */
static void test_access_widths(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_HIGH, 0x11223344);
    assert_int_equal(qtest_readb(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0);
    assert_int_equal(qtest_readw(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0);
    qtest_writeb(qts, R + GOLDFISH_RTC_ALARM_HIGH, 0);
    qtest_writew(qts, R + GOLDFISH_RTC_ALARM_HIGH, 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0x11223344);
    assert_int_equal(qtest_readb(qts, R + GOLDFISH_RTC_TIME_LOW), 0);
    assert_int_equal(qtest_readl(qts, R + 0x24), 0);
    assert_int_equal(qtest_readl(qts, R + 0xffc), 0);
}

/*
 * An 8-byte qtest access is split into two 4-byte accesses, as QEMU's
 * memory core does (a CPU "ld" faults instead): reading TIME_LOW latches
 * TIME_HIGH, which the second half then returns.
 */
static void test_access_8byte(void **state)
{
    QTestState *qts = *state;
    uint64_t t = qtest_readq(qts, R + GOLDFISH_RTC_TIME_LOW);

    assert_int_equal(t >> 32, qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH));
    qtest_writel(qts, R + GOLDFISH_RTC_ALARM_HIGH, 0x11);
    assert_int_equal(qtest_readq(qts, R + GOLDFISH_RTC_ALARM_HIGH - 4) >> 32,
                     0x11);
}

/* System reset: alarm and IRQ state go, the time and latch stay. */
static void test_system_reset(void **state)
{
    QTestState *qts = *state;
    uint32_t hi;

    qtest_writel(qts, R + GOLDFISH_RTC_TIME_HIGH, 0x5);
    qtest_writel(qts, R + GOLDFISH_RTC_IRQ_ENABLED, 1);
    set_alarm(qts, 0x600000000ULL);
    hi = qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH);
    qtest_readl(qts, R + GOLDFISH_RTC_TIME_LOW);
    hi = qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH);
    assert_int_equal(hi, 0x5);
    qtest_system_reset(qts);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_TIME_HIGH), 0x5);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_LOW), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_HIGH), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_IRQ_ENABLED), 0);
    assert_int_equal(read_time(qts) >> 32, 0x5);
}

/* Without -rtc the time is the host's wall clock (whole seconds). */
static void test_host_clock(void **state)
{
    QTestState *qts = start_virt("");
    int64_t before = g_get_real_time() / G_USEC_PER_SEC - 2;
    uint64_t t;

    assert_non_null(qts);
    t = read_time(qts);
    assert_true(t / 1000000000ULL >= (uint64_t)before);
    assert_true(t / 1000000000ULL <=
                (uint64_t)(g_get_real_time() / G_USEC_PER_SEC + 1));
    /* The host clock keeps running without clock_step. */
    g_usleep(20000);
    assert_true(read_time(qts) > t);
    qtest_quit(qts);
}

/* A host-clock alarm fires in host time; CLEAR_ALARM cancels one. */
static void test_host_alarm(void **state)
{
    QTestState *qts = start_virt("");
    int tries = 0;

    assert_non_null(qts);
    set_alarm(qts, read_time(qts) + 30000000); /* 30 ms */
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 1);
    while (qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS) && tries++ < 300) {
        g_usleep(10000);
    }
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);

    set_alarm(qts, read_time(qts) + 20000000);
    qtest_writel(qts, R + GOLDFISH_RTC_CLEAR_ALARM, 1);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    g_usleep(40000);
    assert_int_equal(qtest_readl(qts, R + GOLDFISH_RTC_ALARM_STATUS), 0);
    qtest_quit(qts);
}

/* -rtc base=localtime: the host's local time read as UTC. */
static void test_localtime(void **state)
{
    QTestState *qts = start_virt("-rtc base=localtime");
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    int64_t expect = g_date_time_to_unix(now) +
                     g_date_time_get_utc_offset(now) / G_TIME_SPAN_SECOND;
    int64_t got;

    assert_non_null(qts);
    got = (int64_t)(read_time(qts) / 1000000000ULL);
    assert_true(got >= expect - 2 && got <= expect + 2);
    qtest_quit(qts);
}

/* clock=rt follows the host's monotonic clock from base-ns. */
static void test_rt_clock(void **state)
{
    QTestState *qts;
    uint64_t t0;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qts = qtest_init("-machine none -device "
                     "goldfish-rtc,id=r0,addr=0x1000,clock=rt,base-ns=0");
    assert_non_null(qts);
    t0 = qtest_readl(qts, 0x1000);
    assert_true(t0 < 2000000000u);
    g_usleep(10000);
    assert_true(qtest_readl(qts, 0x1000) >= t0 + 10000000);
    qtest_quit(qts);
}

/* The device alone on -machine none with its properties set directly. */
static void test_none_machine(void **state)
{
    QTestState *qts;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    qts = qtest_init("-machine none -device "
                     "goldfish-rtc,id=r0,addr=0x1000,clock=vm,base-ns=5000");
    assert_non_null(qts);
    qtest_irq_intercept_out_named(qts, "/machine/peripheral/r0", "irq");
    assert_int_equal(qtest_readl(qts, 0x1000), 5000 + clock_now(qts));
    qtest_writel(qts, 0x1000 + GOLDFISH_RTC_IRQ_ENABLED, 1);
    qtest_writel(qts, 0x1000 + GOLDFISH_RTC_ALARM_LOW, 6000);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_clock_step_next(qts), 1000);
    assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/* Exit status of the emulator started with @args (it must exit). */
static int run_status(const char *args)
{
    g_autofree char *cmd = g_strdup_printf("%s -display none -accel qtest %s",
                                           getenv("QTEST_QEMU_BINARY"), args);
    g_auto(GStrv) argv = NULL;
    int st = -1;

    assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    assert_true(
        g_spawn_sync(NULL, argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &st, NULL));
    return st;
}

/* A bad clock= or an impossible -rtc date fails with exit status 1. */
static void test_bad_options(void **state)
{
    int st;

    SKIP_UNLESS_BENCHTOP(NULL, "uses Benchtop QOM paths");
    st = run_status("-machine none "
                    "-device goldfish-rtc,addr=0x1000,clock=bogus");
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    st = run_status("-machine virt -rtc base=2006-13-45");
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values),      T(test_time_follows_vm_clock),
        T(test_time_high_latch),   T(test_register_masks),
        T(test_set_time),          T(test_alarm_status),
        T(test_alarm_irq),         T(test_alarm_exact),
        T(test_alarm_past),        T(test_enable_gating),
        T(test_clear_alarm),       T(test_time_write_fires_alarm),
        T(test_alarm_unreachable), T(test_stop_cont),
        T(test_access_widths),     T(test_access_8byte),
        T(test_system_reset),      TX(test_host_clock),
        TX(test_none_machine),     TX(test_host_alarm),
        TX(test_localtime),        TX(test_rt_clock),
        TX(test_bad_options),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("goldfish-rtc", tests, NULL, NULL);
}
