/* SPDX-License-Identifier: MIT */
/*
 * Stepping a RISC-V hart from C over the qtest socket (hart_* extension,
 * docs/qtest-extensions.md): under -accel qtest, where the test owns time,
 * and under -accel tcg -S, where the harts stay stopped until "cont".
 * Benchtop-only: QEMU has no hart_* commands (its csr command is 10.0+).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>

#include "harness/c/hart.h"
#include "harness/c/libqtest.h"

#define RAM    0x80000000ULL
#define MTVEC  (RAM + 0x100)
#define T(fn)  cmocka_unit_test_setup_teardown(fn, setup_qtest, teardown)
#define TT(fn) cmocka_unit_test_setup_teardown(fn, setup_tcg, teardown)

#define CSR_MISA   0x301
#define CSR_MCAUSE 0x342
#define CSR_MEPC   0x341

/* addi a0,zero,5; addi a0,a0,7; slli a1,a0,2; ecall */
static const uint32_t prog[] = {0x00500513, 0x00750513, 0x00251593, 0x00000073};

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static QTestState *start(const char *args)
{
    QTestState *qts = qtest_init(args);

    if (qts && !qtest_is_benchtop(qts)) {
        qtest_quit(qts);
        return NULL;
    }
    return qts;
}

static int setup_qtest(void **state)
{
    *state = start("-machine virt -bios none -nodefaults");
    return 0;
}

static int setup_tcg(void **state)
{
    *state = start("-machine virt -bios none -nodefaults -S -accel tcg");
    return 0;
}

static int teardown(void **state)
{
    if (*state) {
        qtest_quit(*state);
    }
    return 0;
}

static QTestState *load_prog(void **state)
{
    QTestState *qts = *state;

    if (!qts) {
        print_message("skipped on QEMU: hart_* are Benchtop commands\n");
        skip();
    }
    for (size_t i = 0; i < G_N_ELEMENTS(prog); i++) {
        qtest_writel(qts, RAM + 4 * i, prog[i]);
    }
    qtest_hart_set(qts, 0, "pc", RAM);
    qtest_hart_set(qts, 0, "mtvec", MTVEC);
    return qts;
}

static void check_steps(QTestState *qts)
{
    uint64_t pc;

    assert_int_equal(qtest_hart_step(qts, 0, 1, &pc), 1);
    assert_int_equal(pc, RAM + 4);
    assert_int_equal(qtest_hart_get(qts, 0, "a0"), 5);

    assert_int_equal(qtest_hart_step(qts, 0, 2, &pc), 2);
    assert_int_equal(pc, RAM + 12);
    assert_int_equal(qtest_hart_get(qts, 0, "a0"), 12);
    assert_int_equal(qtest_hart_get(qts, 0, "x11"), 48);

    /* ecall from M: a trap retires nothing and lands on mtvec */
    assert_int_equal(qtest_hart_step(qts, 0, 1, &pc), 0);
    assert_int_equal(pc, MTVEC);
    assert_int_equal(qtest_hart_get(qts, 0, "mcause"), 11);
    assert_int_equal(qtest_hart_get(qts, 0, "mepc"), RAM + 12);
    assert_int_equal(qtest_hart_priv(qts, 0), 'M');
}

/* Under -accel qtest each step also advances the virtual clock. */
static void test_step_under_qtest(void **state)
{
    QTestState *qts = load_prog(state);
    int64_t before = qtest_clock_step(qts, 0);

    check_steps(qts);
    assert_true(qtest_clock_step(qts, 0) >= before + 3);
}

/* Under -accel tcg -S the harts are stopped; stepping still works. */
static void test_step_under_tcg_stopped(void **state)
{
    QTestState *qts = load_prog(state);

    check_steps(qts);
}

/* Registers by name and number, writes, and x0 staying zero. */
static void test_register_access(void **state)
{
    QTestState *qts = load_prog(state);

    qtest_hart_set(qts, 0, "t0", 0x1234);
    assert_int_equal(qtest_hart_get(qts, 0, "x5"), 0x1234);
    qtest_hart_set(qts, 0, "zero", 7);
    assert_int_equal(qtest_hart_get(qts, 0, "x0"), 0);
    qtest_hart_set(qts, 0, "0x340", 0xabcd); /* mscratch by number */
    assert_int_equal(qtest_hart_get(qts, 0, "mscratch"), 0xabcd);
    qtest_hart_set(qts, 0, "mepc", RAM + 3); /* WARL: bit 0 is dropped */
    assert_int_equal(qtest_hart_get(qts, 0, "mepc"), RAM + 2);
}

/* QEMU's csr command (the shape of libqtest's qtest_csr_call). */
static void test_csr_command(void **state)
{
    QTestState *qts = load_prog(state);
    uint64_t val = 0;

    assert_int_equal(qtest_csr_call(qts, "get_csr", 0, CSR_MISA, &val), 0);
    assert_int_equal(val, 0x800000000014112dULL);
    val = 0x80001234;
    assert_int_equal(qtest_csr_call(qts, "set_csr", 0, CSR_MEPC, &val), 0);
    assert_int_equal(val, 0x80001234);
    assert_int_equal(qtest_hart_get(qts, 0, "mepc"), 0x80001234);
}

/* Bad requests answer FAIL and the server keeps serving. */
static void test_bad_requests(void **state)
{
    QTestState *qts = load_prog(state);
    g_autofree char *r1 = qtest_raw_cmd(qts, "hart_get 9 a0");
    g_autofree char *r2 = qtest_raw_cmd(qts, "hart_get 0 nosuchreg");
    g_autofree char *r3 = qtest_raw_cmd(qts, "csr get_csr 0x0 4095 0x0");
    g_autofree char *r4 = qtest_raw_cmd(qts, "hart_step 0 zz");

    assert_true(g_str_has_prefix(r1, "FAIL "));
    assert_true(g_str_has_prefix(r2, "FAIL "));
    assert_string_equal(r3, "FAIL illegal CSR access");
    assert_true(g_str_has_prefix(r4, "FAIL "));
    assert_int_equal(qtest_hart_get(qts, 0, "pc"), RAM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_step_under_qtest), TT(test_step_under_tcg_stopped),
        T(test_register_access),  T(test_csr_command),
        T(test_bad_requests),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("hart", tests, NULL, NULL);
}
