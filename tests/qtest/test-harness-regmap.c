/* SPDX-License-Identifier: MIT */
/*
 * harness/c/regmap.h against the live emulator: registers by name on virt
 * and on -machine none with one -device, and the failure messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "harness/c/libqtest.h"
#include "harness/c/regmap.h"

#define VIRT_ARGS "-machine virt -nodefaults"
#define NONE_ARGS "-machine none -device ns16550a,id=u1,addr=0x2000"
#define T(fn)     cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)

static jmp_buf fail_jmp;
static bool catching;
static char *fail_text;

/* Normally cmocka's fail_msg(); inside expect_failure() a longjmp back. */
static void fail_hook(const char *msg)
{
    if (catching) {
        g_free(fail_text);
        fail_text = g_strdup(msg);
        longjmp(fail_jmp, 1);
    }
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
    g_clear_pointer(&fail_text, g_free);
    return 0;
}

static void test_reads_and_writes_by_name(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_reg_addr(qts, "uart0.LCR"), 0x10000003);
    assert_int_equal(qtest_reg_read(qts, "uart0.LSR"), 0x60);
    qtest_reg_write(qts, "uart0.SCR", 0xa5);
    assert_int_equal(qtest_readb(qts, 0x10000007), 0xa5);
    assert_int_equal(qtest_reg_expect(qts, "uart0.SCR", 0xa5), 0xa5);
    qtest_reg_expect_mask(qts, "uart0.SCR", 0x05, 0x0f);
    /* longer names resolve to the same register */
    assert_int_equal(qtest_reg_addr(qts, "uart0.regs.SCR"), 0x10000007);
    assert_int_equal(qtest_reg_addr(qts, "/machine/uart0.SCR"), 0x10000007);
}

static void test_lookup_reports_what_exists(void **state)
{
    QTestState *qts = *state;
    g_autoptr(GError) err = NULL;
    QTestReg r;

    assert_true(qtest_reg_lookup(qts, "test.FINISHER", &r, &err));
    assert_string_equal(r.device_type, "sifive-test");
    assert_int_equal(r.width, 4);
    assert_int_equal(r.access_size, 4);
    assert_true(r.write_hook);
    assert_false(qtest_reg_lookup(qts, "uart0.NOPE", &r, &err));
    assert_non_null(strstr(err->message, "uart0.LCR"));
    g_clear_error(&err);
    assert_false(qtest_reg_lookup(qts, "nodev.LCR", &r, &err));
    assert_non_null(strstr(err->message, "no register 'nodev.LCR'"));
    g_clear_error(&err);
    assert_false(qtest_reg_lookup(qts, "LCR", &r, &err));
    assert_non_null(strstr(err->message, "not DEVICE.REG"));
}

static void test_mismatch_names_fields_and_values(void **state)
{
    QTestState *qts = *state;

    catching = true;
    if (setjmp(fail_jmp) == 0) {
        qtest_reg_expect(qts, "uart0.LCR", 0x83);
        catching = false;
        fail_msg("a wrong expectation did not fail");
    }
    catching = false;
    assert_non_null(fail_text);
    assert_string_equal(fail_text,
                        "uart0.LCR (ns16550a /machine/uart0, regs+0x3 at "
                        "0x10000003): expected 0x83, read 0x00; WLS (bits "
                        "1:0): expected 0x3, read 0x0; DLAB (bit 7): "
                        "expected 0x1, read 0x0");
}

static void test_unknown_name_fails_the_test(void **state)
{
    QTestState *qts = *state;

    catching = true;
    if (setjmp(fail_jmp) == 0) {
        qtest_reg_read(qts, "uart0.BOGUS");
        catching = false;
        fail_msg("an unknown register did not fail");
    }
    catching = false;
    assert_non_null(strstr(fail_text, "no register 'uart0.BOGUS'"));
}

static void test_map_follows_the_process(void **state)
{
    QTestState *qts = qtest_init(NONE_ARGS);

    assert_non_null(qts);
    assert_int_equal(qtest_reg_addr(qts, "u1.LCR"), 0x2003);
    assert_int_equal(qtest_reg_addr(qts, "peripheral/u1.LCR"), 0x2003);
    qtest_reg_write(qts, "u1.SCR", 0x3c);
    qtest_reg_expect(qts, "u1.SCR", 0x3c);
    qtest_quit(qts);
    *state = qtest_init(VIRT_ARGS);
    assert_int_equal(qtest_reg_addr(*state, "uart0.LCR"), 0x10000003);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reads_and_writes_by_name),
        T(test_lookup_reports_what_exists),
        T(test_mismatch_names_fields_and_values),
        T(test_unknown_name_fails_the_test),
        cmocka_unit_test_teardown(test_map_follows_the_process, teardown),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("harness-regmap", tests, NULL, NULL);
}
