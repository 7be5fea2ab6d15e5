/* SPDX-License-Identifier: MIT */
/*
 * sifive-test over qtest: the numbered cases of
 * spec/devices/sifive-test.md that qtest can reach (virt, base 0x100000),
 * plus the device alone on -machine none.
 *
 * The virt cases also run against QEMU (QTEST_QEMU_BINARY=
 * qemu-system-riscv64); the -machine none case is Benchtop's and skips
 * there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <unistd.h>

#include "harness/c/libqtest.h"
#include "hw/char/ns16550a.h"
#include "hw/misc/sifive-test.h"

#define TEST_BASE 0x100000ULL /* sifive-test on virt */
#define FINISHER  (TEST_BASE + SIFIVE_TEST_FINISHER)
#define UART      0x10000000ULL
#define NONE_BASE 0x1000ULL
#define VIRT_ARGS "-machine virt -nodefaults"
#define NONE_ARGS "-machine none -device sifive-test,id=t0,addr=0x1000"
#define T(fn)     cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)
#define TX(fn)    cmocka_unit_test_setup_teardown(fn, NULL, teardown)

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
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

/* The emulator still answers and is alive. */
static void assert_running(QTestState *qts)
{
    g_autofree char *rsp = qtest_raw_cmd(qts, "endianness");

    assert_string_equal(rsp, "OK little");
    assert_true(qtest_probe_child(qts));
}

/*
 * Sends a finisher command that ends the process (no reply line comes)
 * and checks the exit status.
 */
static void finish_and_expect(void **state, const char *args, const char *cmd,
                              int status)
{
    QTestState *qts = qtest_init(args);

    assert_non_null(qts);
    *state = qts;
    qtest_set_expected_status(qts, status);
    qtest_raw_send(qts, cmd);
    qtest_wait_qemu(qts);
    assert_false(qtest_probe_child(qts));
}

/* 1. Every read returns 0, at any offset and width. */
static void test_reads_zero(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readl(qts, FINISHER), 0);
    assert_int_equal(qtest_readw(qts, FINISHER), 0);
    assert_int_equal(qtest_readl(qts, TEST_BASE + 0xffc), 0);
    assert_int_equal(qtest_readw(qts, TEST_BASE + 0x4), 0);
    assert_int_equal(qtest_readl(qts, TEST_BASE + 0x800), 0);
}

/* 2. Anything but the three commands is ignored. */
static void test_unknown_command_keeps_running(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, FINISHER, 0x1234);
    assert_running(qts);
    qtest_writel(qts, FINISHER, 0x55550000); /* status 0x0000 */
    qtest_writew(qts, FINISHER, 0x3334);
    assert_running(qts);
    assert_int_equal(qtest_readl(qts, FINISHER), 0);
}

/* Offsets 4..0xfff decode but ignore writes, commands included. */
static void test_other_offsets_ignore_writes(void **state)
{
    QTestState *qts = *state;

    qtest_writel(qts, TEST_BASE + 0x4, SIFIVE_TEST_PASS);
    qtest_writel(qts, TEST_BASE + 0xffc, SIFIVE_TEST_FAIL | (3u << 16));
    qtest_writew(qts, TEST_BASE + 0x2, SIFIVE_TEST_PASS);
    qtest_writew(qts, TEST_BASE + 0x2, SIFIVE_TEST_FAIL);
    assert_running(qts);
    assert_int_equal(qtest_readl(qts, TEST_BASE + 0x4), 0);
}

/* 1-byte accesses are rejected: reads 0, writes dropped. */
static void test_byte_rejected(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readb(qts, FINISHER), 0);
    qtest_writeb(qts, FINISHER, 0x55);
    qtest_writeb(qts, FINISHER + 1, 0x55);
    assert_running(qts);
}

/*
 * A CPU's 8-byte access faults, but a qtest access goes through the memory
 * core's byte path, which splits it into the 4-byte pieces the device
 * takes, low address first (as QEMU does): the high word lands on offset
 * 4 (ignored), the low word on FINISHER.
 */
static void test_quad_split(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readq(qts, FINISHER), 0);
    qtest_writeq(qts, FINISHER, (uint64_t)SIFIVE_TEST_PASS << 32);
    assert_running(qts);
    qtest_set_expected_status(qts, 9);
    qtest_raw_send(qts, "writeq 0x100000 0x93333");
    qtest_wait_qemu(qts);
    assert_false(qtest_probe_child(qts));
}

/* 3. PASS exits 0. */
static void test_pass_exits_0(void **state)
{
    finish_and_expect(state, VIRT_ARGS, "writel 0x100000 0x5555", 0);
}

/* 4. FAIL with code 7 exits 7. */
static void test_fail_code_7(void **state)
{
    finish_and_expect(state, VIRT_ARGS, "writel 0x100000 0x73333", 7);
}

/* 5. FAIL with code 0 exits 0, like PASS. */
static void test_fail_code_0(void **state)
{
    finish_and_expect(state, VIRT_ARGS, "writel 0x100000 0x3333", 0);
}

/* The OS keeps the low 8 bits of the 16-bit code. */
static void test_fail_code_truncated(void **state)
{
    finish_and_expect(state, VIRT_ARGS, "writel 0x100000 0x01053333", 5);
}

/* 6. The 16-bit PASS write OpenSBI uses. */
static void test_pass_16bit(void **state)
{
    finish_and_expect(state, VIRT_ARGS, "writew 0x100000 0x5555", 0);
}

/* 7. RESET: the process stays, the machine (UART) is back at reset. */
static void test_reset_keeps_running(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, UART + NS16550A_SCR, 0xa5);
    qtest_writeb(qts, UART + NS16550A_LCR, 0x03);
    qtest_writeb(qts, UART + NS16550A_IER, 0x0f);
    qtest_writel(qts, FINISHER, SIFIVE_TEST_RESET);
    qtest_qmp_eventwait(qts, "RESET");
    assert_running(qts);
    assert_int_equal(qtest_readb(qts, UART + NS16550A_SCR), 0x00);
    assert_int_equal(qtest_readb(qts, UART + NS16550A_LCR), 0x00);
    assert_int_equal(qtest_readb(qts, UART + NS16550A_IER), 0x00);
    assert_int_equal(qtest_readb(qts, UART + NS16550A_LSR), 0x60);
    assert_int_equal(qtest_readb(qts, UART + NS16550A_MCR), 0x08);
}

/* 7, -no-reboot: the reset request becomes a shutdown, exit 0. */
static void test_reset_no_reboot_exits_0(void **state)
{
    finish_and_expect(state, VIRT_ARGS " -no-reboot", "writel 0x100000 0x7777",
                      0);
}

/* The device alone on -machine none behaves the same. */
static void test_none_machine(void **state)
{
    QTestState *qts;

    SKIP_UNLESS_BENCHTOP(NULL, "-device sifive-test,addr= on -machine none "
                               "is Benchtop's");
    qts = qtest_init(NONE_ARGS);
    assert_non_null(qts);
    *state = qts;
    assert_int_equal(qtest_readl(qts, NONE_BASE), 0);
    qtest_writel(qts, NONE_BASE, 0x1234);
    assert_running(qts);
    qtest_set_expected_status(qts, 42);
    qtest_raw_send(qts, "writel 0x1000 0x2a3333");
    qtest_wait_qemu(qts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reads_zero),
        T(test_unknown_command_keeps_running),
        T(test_other_offsets_ignore_writes),
        T(test_byte_rejected),
        T(test_quad_split),
        TX(test_pass_exits_0),
        TX(test_fail_code_7),
        TX(test_fail_code_0),
        TX(test_fail_code_truncated),
        TX(test_pass_16bit),
        T(test_reset_keeps_running),
        TX(test_reset_no_reboot_exits_0),
        TX(test_none_machine),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("sifive-test", tests, NULL, NULL);
}
