/* SPDX-License-Identifier: MIT */
/*
 * IRQ interception over the real binary (spec/qtest-protocol.md §5): two
 * UARTs on -machine none give two devices with an output line "irq".
 *
 * The same rules are checked a second time on the inputs of virt's harts
 * (/machine/soc0/harts[N], a path QEMU has too), driven through the ACLINT
 * at plain addresses, so that part also runs against QEMU
 * (QTEST_QEMU_BINARY=qemu-system-riscv64).  The UART cases need devices
 * on -machine none and named output lines, which are Benchtop's, and skip
 * there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "harness/c/libqtest.h"
#include "hw/char/ns16550a.h"

#define U0      0x1000ULL
#define U1      0x2000ULL
#define U0_PATH "/machine/peripheral/u0"
#define U1_PATH "/machine/peripheral/u1"
#define ARGS                                                                   \
    "-machine none -device ns16550a,id=u0,addr=0x1000 "                        \
    "-device ns16550a,id=u1,addr=0x2000"
#define T(fn)  cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TH(fn) cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)
#define NONE_UARTS                                                             \
    "two ns16550a on -machine none and their named output \"irq\" are "        \
    "Benchtop's"

/* virt with two harts; the ACLINT drives their MSIP (3) and MTIP (7). */
#define VIRT_ARGS "-machine virt -smp 2 -nodefaults"
#define HART0     "/machine/soc0/harts[0]"
#define HART1     "/machine/soc0/harts[1]"
#define MSIP0     0x2000000ULL /* ACLINT MSWI, hart 0 */
#define MSIP1     0x2000004ULL
#define MTIMECMP0 0x2004000ULL /* ACLINT MTIMER, 10 MHz: 100 ns a tick */
#define IRQ_MSIP  3
#define IRQ_MTIP  7

/* Devices with input lines, tried in order by the set_irq_in test. */
static const char *const in_candidates[][3] = {
    /* machine args, path, line name */
    {"-machine virt -nodefaults", "/machine/plic", "source"},
    {"-machine virt -nodefaults", "/machine/soc0/harts[0]", NULL},
};

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

/* QEMU cannot start ARGS: those cases skip with *state NULL. */
static int setup(void **state)
{
    if (!qtest_is_benchtop(NULL)) {
        *state = NULL;
        return 0;
    }
    *state = qtest_init(ARGS);
    return *state ? 0 : -1;
}

static int setup_virt(void **state)
{
    *state = qtest_init(VIRT_ARGS);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    qtest_quit(*state);
    return 0;
}

static void assert_reply(QTestState *qts, const char *cmd, const char *expect)
{
    g_autofree char *rsp = qtest_raw_cmd(qts, cmd);

    assert_string_equal(rsp, expect);
}

/* Intercepting the same device twice is fine. */
static void test_intercept_same_device_twice(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    assert_reply(qts, "irq_intercept_out " U0_PATH " irq", "OK");
    assert_reply(qts, "irq_intercept_out " U0_PATH " irq", "OK");
    /* Still reported once per change. */
    qtest_writeb(qts, U0 + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_true(qtest_get_irq(qts, 0));
}

/* Only one device per process. */
static void test_intercept_other_device_fails(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    qtest_irq_intercept_out_named(qts, U0_PATH, "irq");
    assert_reply(qts, "irq_intercept_out " U1_PATH " irq",
                 "FAIL IRQ intercept already enabled");
    /* u1 changes are not reported. */
    qtest_writeb(qts, U1 + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_false(qtest_get_irq(qts, 0));
}

static void test_intercept_unknown_path_fails(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    assert_reply(qts, "irq_intercept_out /machine/nonexistent irq",
                 "FAIL Unknown device");
    assert_reply(qts, "irq_intercept_in /machine/nonexistent",
                 "FAIL Unknown device");
    assert_reply(qts, "set_irq_in /machine/nonexistent unnamed-gpio-in 0 1",
                 "FAIL Unknown device");
    /* A UART has no input lines. */
    assert_reply(qts, "irq_intercept_in " U0_PATH,
                 "FAIL No intercepts installed");
    /* A non-device object is no device either. */
    assert_reply(qts, "irq_intercept_out /machine irq", "FAIL Unknown device");
    /* A failed attempt does not claim the interception slot. */
    qtest_irq_intercept_out_named(qts, U1_PATH, "irq");
}

/* IRQ lines arrive before the OK of the command that caused them. */
static void test_irq_lines_precede_reply(void **state)
{
    QTestState *qts = *state;
    const QTestIrqEvent *ev;
    size_t n;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    qtest_irq_intercept_out_named(qts, U0_PATH, "irq");
    qtest_irq_history_clear(qts);
    assert_reply(qts, "writeb 0x1001 0x2", "OK");
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].line, 0);
    assert_true(ev[0].level);

    /* Reading IIR 0x02 acknowledges: a lower line before the reply. */
    assert_reply(qts, "readb 0x1002", "OK 0x0000000000000002");
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
    assert_false(ev[1].level);

    /* No change, no line. */
    assert_reply(qts, "readb 0x1002", "OK 0x0000000000000001");
    qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
}

/* get_irq follows the reported level; a pulse shows in the history. */
static void test_get_irq_and_history(void **state)
{
    QTestState *qts = *state;
    const QTestIrqEvent *ev;
    size_t n;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    qtest_irq_intercept_out_named(qts, U0_PATH, "irq");
    assert_false(qtest_get_irq(qts, 0));
    qtest_writeb(qts, U0 + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_true(qtest_get_irq(qts, 0));
    qtest_irq_history_clear(qts);
    /* A THR write lowers THRE-pending then sets it again at once. */
    qtest_writeb(qts, U0 + NS16550A_THR, 0x20);
    assert_true(qtest_get_irq(qts, 0));
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
    assert_false(ev[0].level);
    assert_true(ev[1].level);
    assert_true(ev[0].seq < ev[1].seq);
    qtest_writeb(qts, U0 + NS16550A_IER, 0);
    assert_false(qtest_get_irq(qts, 0));
    /* Lines above the first are never reported here. */
    assert_false(qtest_get_irq(qts, 1));
}

/* set_irq_in reports only level changes of an intercepted input. */
static void test_set_irq_in_dedupe(void **state)
{
    QTestState *qts = NULL;
    const char *path = NULL;
    const char *name = NULL;

    qtest_quit(*state);
    *state = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(in_candidates) && !path; i++) {
        g_autofree char *cmd = NULL;
        g_autofree char *rsp = NULL;

        qts = qtest_init(in_candidates[i][0]);
        assert_non_null(qts);
        cmd = g_strdup_printf("irq_intercept_in %s", in_candidates[i][1]);
        rsp = qtest_raw_cmd(qts, cmd);
        if (g_str_equal(rsp, "OK")) {
            path = in_candidates[i][1];
            name = in_candidates[i][2];
        } else {
            qtest_quit(qts);
            qts = NULL;
        }
    }
    if (!path) {
        skip(); /* no device with input lines on this build yet */
    }
    *state = qts;
    qtest_irq_history_clear(qts);
    qtest_set_irq_in(qts, path, name, 9, 1);
    assert_true(qtest_get_irq(qts, 9));
    qtest_set_irq_in(qts, path, name, 9, 1);
    qtest_set_irq_in(qts, path, name, 9, 0);
    assert_false(qtest_get_irq(qts, 9));
    {
        size_t n;
        const QTestIrqEvent *ev = qtest_irq_history(qts, &n);

        assert_int_equal(n, 2);
        assert_int_equal(ev[0].line, 9);
        assert_true(ev[0].level);
        assert_false(ev[1].level);
    }
}

/* set_irq_in on a path that is no device fails (QEMU 7.2 aborts). */
static void test_set_irq_in_non_device(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, "FAIL reply for a non-device path; QEMU 7.2 "
                              "aborts on it");
    assert_reply(qts, "set_irq_in /machine unnamed-gpio-in 0 1",
                 "FAIL Unknown device");
    assert_reply(qts, "irq_intercept_in /machine", "FAIL Unknown device");
    qtest_irq_intercept_in(qts, HART0);
}

/* wait_irq steps the clock until the character timeout fires. */
static void test_wait_irq_steps_clock(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, NONE_UARTS);
    qtest_irq_intercept_out_named(qts, U0_PATH, "irq");
    qtest_writeb(qts, U0 + NS16550A_FCR, 0xc1); /* trigger 14 */
    qtest_writeb(qts, U0 + NS16550A_IER, NS16550A_IER_ERBFI);
    qtest_writeb(qts, U0 + NS16550A_MCR, NS16550A_MCR_LOOP);
    qtest_writeb(qts, U0 + NS16550A_THR, 0x33);
    assert_false(qtest_wait_irq(qts, 0, true, 100000, 1000000));
    assert_true(qtest_wait_irq(qts, 0, true, 100000, 10000000));
    assert_int_equal(qtest_readb(qts, U0 + NS16550A_IIR), 0xcc);
}

/* ---- the same rules on the harts' inputs (QEMU too) --------------------- */

/* Intercepting the same device twice is fine; changes reported once. */
static void test_hart_intercept_twice(void **state)
{
    QTestState *qts = *state;
    size_t n;

    assert_reply(qts, "irq_intercept_in " HART0, "OK");
    assert_reply(qts, "irq_intercept_in " HART0, "OK");
    qtest_irq_history_clear(qts);
    qtest_writel(qts, MSIP0, 1);
    assert_true(qtest_get_irq(qts, IRQ_MSIP));
    qtest_irq_history(qts, &n);
    assert_int_equal(n, 1);
}

/* One device per process: the other hart is neither hooked nor seen. */
static void test_hart_intercept_other_fails(void **state)
{
    QTestState *qts = *state;

    qtest_irq_intercept_in(qts, HART0);
    assert_reply(qts, "irq_intercept_in " HART1,
                 "FAIL IRQ intercept already enabled");
    qtest_writel(qts, MSIP1, 1);
    assert_false(qtest_get_irq(qts, IRQ_MSIP));
    qtest_writel(qts, MSIP0, 1);
    assert_true(qtest_get_irq(qts, IRQ_MSIP));
}

static void test_hart_unknown_path_fails(void **state)
{
    QTestState *qts = *state;

    assert_reply(qts, "irq_intercept_in /machine/nonexistent",
                 "FAIL Unknown device");
    assert_reply(qts, "irq_intercept_out /machine/nonexistent irq",
                 "FAIL Unknown device");
    assert_reply(qts, "set_irq_in /machine/nonexistent unnamed-gpio-in 0 1",
                 "FAIL Unknown device");
    /* A failed attempt does not claim the interception slot. */
    qtest_irq_intercept_in(qts, HART1);
    qtest_writel(qts, MSIP1, 1);
    assert_true(qtest_get_irq(qts, IRQ_MSIP));
}

/* IRQ lines arrive before the OK of the command that caused them. */
static void test_hart_irq_lines_precede_reply(void **state)
{
    QTestState *qts = *state;
    const QTestIrqEvent *ev;
    size_t n;

    qtest_irq_intercept_in(qts, HART0);
    qtest_irq_history_clear(qts);
    assert_reply(qts, "writel 0x2000000 0x1", "OK");
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].line, IRQ_MSIP);
    assert_true(ev[0].level);

    assert_reply(qts, "writel 0x2000000 0x0", "OK");
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ev[1].line, IRQ_MSIP);
    assert_false(ev[1].level);

    /* No change, no line. */
    assert_reply(qts, "writel 0x2000000 0x0", "OK");
    qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
}

/* get_irq follows each line; the history keeps their order. */
static void test_hart_get_irq_and_history(void **state)
{
    QTestState *qts = *state;
    const QTestIrqEvent *ev;
    size_t n;

    qtest_irq_intercept_in(qts, HART0);
    /* mtimecmp in the future: MTIP low (was high, but never reported). */
    qtest_writeq(qts, MTIMECMP0, 100);
    assert_false(qtest_get_irq(qts, IRQ_MTIP));
    qtest_irq_history_clear(qts);
    qtest_writel(qts, MSIP0, 1);
    assert_int_equal(qtest_clock_step(qts, 10000), 10000);
    assert_true(qtest_get_irq(qts, IRQ_MSIP));
    assert_true(qtest_get_irq(qts, IRQ_MTIP));
    ev = qtest_irq_history(qts, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].line, IRQ_MSIP);
    assert_int_equal(ev[1].line, IRQ_MTIP);
    assert_true(ev[0].seq < ev[1].seq);
    qtest_writel(qts, MSIP0, 0);
    assert_false(qtest_get_irq(qts, IRQ_MSIP));
    assert_true(qtest_get_irq(qts, IRQ_MTIP));
    /* Lines that never changed are never reported. */
    assert_false(qtest_get_irq(qts, 1));
}

/* wait_irq steps the clock until the timer fires. */
static void test_hart_wait_irq_steps_clock(void **state)
{
    QTestState *qts = *state;

    qtest_irq_intercept_in(qts, HART0);
    qtest_writeq(qts, MTIMECMP0, 150); /* 15000 ns */
    assert_false(qtest_wait_irq(qts, IRQ_MTIP, true, 1000, 10000));
    assert_true(qtest_wait_irq(qts, IRQ_MTIP, true, 1000, 10000));
    assert_int_equal(qtest_clock_step(qts, 1), 15001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_intercept_same_device_twice),
        T(test_intercept_other_device_fails),
        T(test_intercept_unknown_path_fails),
        T(test_irq_lines_precede_reply),
        T(test_get_irq_and_history),
        T(test_set_irq_in_dedupe),
        T(test_wait_irq_steps_clock),
        TH(test_set_irq_in_non_device),
        TH(test_hart_intercept_twice),
        TH(test_hart_intercept_other_fails),
        TH(test_hart_unknown_path_fails),
        TH(test_hart_irq_lines_precede_reply),
        TH(test_hart_get_irq_and_history),
        TH(test_hart_wait_irq_steps_clock),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("qtest-irq", tests, NULL, NULL);
}
