/* SPDX-License-Identifier: MIT */
/*
 * -machine none: no CPU, no RAM (unless -m), still serves qtest and QMP
 * (spec/qtest-protocol.md §1, §4, §8).
 *
 * Also run against QEMU (QTEST_QEMU_BINARY=qemu-system-riscv64).  QEMU 7.2
 * serves memory commands through the first CPU and segfaults without one,
 * so the memory checks run twice: with "-cpu rv64" (both emulators) and
 * without a CPU (Benchtop only).  Benchtop's FAIL replies where QEMU
 * aborts, and the 10.0-style clock replies where 7.2 differs, skip there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "harness/c/libqtest.h"

#define T(fn)   cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TM(fn)  cmocka_unit_test_setup_teardown(fn, setup_ram, teardown)
#define TC(fn)  cmocka_unit_test_setup_teardown(fn, setup_cpu, teardown)
#define TCM(fn) cmocka_unit_test_setup_teardown(fn, setup_cpu_ram, teardown)
#define NO_CPU  "QEMU 7.2 segfaults on memory commands without a CPU"

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static int setup(void **state)
{
    *state = qtest_init("-machine none");
    return *state ? 0 : -1;
}

static int setup_ram(void **state)
{
    *state = qtest_init("-machine none -m 2");
    return *state ? 0 : -1;
}

static int setup_cpu(void **state)
{
    *state = qtest_init("-machine none -cpu rv64");
    return *state ? 0 : -1;
}

static int setup_cpu_ram(void **state)
{
    *state = qtest_init("-machine none -cpu rv64 -m 2");
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

/* Nothing is mapped: reads give 0 and writes vanish. */
static void check_unmapped_memory(QTestState *qts)
{
    uint8_t buf[4] = {1, 2, 3, 4};

    assert_int_equal(qtest_readl(qts, 0x0), 0);
    assert_int_equal(qtest_readq(qts, 0x80000000), 0);
    assert_int_equal(qtest_readq(qts, 0xffffffffffffff00ULL), 0);
    qtest_writel(qts, 0x1000, 0x12345678);
    assert_int_equal(qtest_readl(qts, 0x1000), 0);
    qtest_memread(qts, 0x5000000000ULL, buf, sizeof(buf));
    assert_memory_equal(buf, "\0\0\0\0", 4);
    assert_reply(qts, "readb 0x1000", "OK 0x0000000000000000");
    assert_reply(qts, "read 0x5000000000 4", "OK 0x00000000");
}

static void test_unmapped_memory(void **state)
{
    SKIP_UNLESS_BENCHTOP(*state, NO_CPU);
    check_unmapped_memory(*state);
}

static void test_unmapped_memory_cpu(void **state)
{
    check_unmapped_memory(*state);
}

/* Port I/O reads all-ones on a board without ports. */
static void test_port_io(void **state)
{
    QTestState *qts = *state;

    assert_reply(qts, "inb 0x0", "OK 0x00ff");
    assert_reply(qts, "inw 0x10", "OK 0xffff");
    assert_reply(qts, "inl 0x60", "OK 0xffffffff");
    qtest_outb(qts, 0x80, 0x12);
    assert_int_equal(qtest_inb(qts, 0x80), 0xff);
}

static void test_endianness(void **state)
{
    QTestState *qts = *state;

    assert_false(qtest_big_endian(qts));
    assert_reply(qts, "endianness", "OK little");
    assert_reply(qts, "endianness extra words", "OK little");
    assert_string_equal(qtest_get_arch(), "riscv64");
}

/* -m 2 puts 2 MiB of RAM at 0, little-endian. */
static void check_ram_at_zero(QTestState *qts)
{
    static const uint8_t pattern[] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02};
    uint8_t buf[sizeof(pattern)] = {0};
    uint8_t big[300];
    uint8_t back[sizeof(big)];

    qtest_writel(qts, 0x0, 0x12345678);
    assert_int_equal(qtest_readl(qts, 0x0), 0x12345678);
    assert_int_equal(qtest_readb(qts, 0x0), 0x78);
    assert_int_equal(qtest_readw(qts, 0x2), 0x1234);
    assert_reply(qts, "read 0x0 4", "OK 0x78563412");

    qtest_writeq(qts, 0x1ffff8, 0x0123456789abcdefULL);
    assert_int_equal(qtest_readq(qts, 0x1ffff8), 0x0123456789abcdefULL);
    /* Past the end of RAM nothing is mapped. */
    qtest_writel(qts, 0x200000, 0xffffffff);
    assert_int_equal(qtest_readl(qts, 0x200000), 0);

    qtest_memwrite(qts, 0x100, pattern, sizeof(pattern));
    qtest_memread(qts, 0x100, buf, sizeof(buf));
    assert_memory_equal(buf, pattern, sizeof(pattern));

    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 7);
    }
    qtest_bufwrite(qts, 0x1000, big, sizeof(big));
    qtest_bufread(qts, 0x1000, back, sizeof(back));
    assert_memory_equal(back, big, sizeof(big));

    qtest_memset(qts, 0x1000, 0x5a, 16);
    assert_int_equal(qtest_readq(qts, 0x1008), 0x5a5a5a5a5a5a5a5aULL);
    assert_int_equal(qtest_readb(qts, 0x1010), (uint8_t)(16 * 7));
}

static void test_ram_at_zero(void **state)
{
    SKIP_UNLESS_BENCHTOP(*state, NO_CPU);
    check_ram_at_zero(*state);
}

static void test_ram_at_zero_cpu(void **state)
{
    check_ram_at_zero(*state);
}

static void test_qmp_query_status(void **state)
{
    QTestState *qts = *state;
    QDict *rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    QDict *ret = qdict_get_qdict(rsp, "return");

    assert_non_null(ret);
    assert_string_equal(qdict_get_str(ret, "status"), "running");
    assert_true(qdict_get_bool(ret, "running"));
    qobject_unref(rsp);

    rsp = qtest_qmp(qts, "{'execute': 'no-such-command'}");
    assert_true(qmp_expect_error_and_unref(rsp, "CommandNotFound"));
}

/* qom-list /machine shows "type"; the qtest server sits there too. */
static void test_qmp_qom_list(void **state)
{
    QTestState *qts = *state;
    QDict *rsp = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}");
    JsonArray *list = qdict_get_qlist(rsp, "return");
    bool has_type = false;
    bool has_qtest = false;

    assert_non_null(list);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        QDict *prop = json_array_get_object_element(list, i);
        const char *name = qdict_get_str(prop, "name");

        has_type |= g_str_equal(name, "type");
        has_qtest |= g_str_equal(name, "qtest");
    }
    assert_true(has_type);
    assert_true(has_qtest);
    qobject_unref(rsp);
}

/* The clock moves only on request, forwards only. */
static void test_clock(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_clock_step(qts, 1000), 1000);
    assert_int_equal(qtest_clock_step(qts, 500), 1500);
    assert_int_equal(qtest_clock_set(qts, 5000), 5000);
    assert_int_equal(qtest_clock_set(qts, 5001), 5001);
    assert_reply(qts, "clock_step 10", "OK 5011");
    assert_reply(qts, "clock_set 0x2000", "OK 8192");
}

/* 10.0 replies: nothing pending, or a clock_set into the past, is FAIL. */
static void test_clock_fail_replies(void **state)
{
    QTestState *qts = *state;

    SKIP_UNLESS_BENCHTOP(qts, "10.0-style clock replies; QEMU 7.2 answers "
                              "OK <now> here");
    assert_reply(qts, "clock_step",
                 "FAIL cannot advance clock to the next deadline because "
                 "there is no pending deadline");
    assert_int_equal(qtest_clock_set(qts, 5000), 5000);
    assert_reply(qts, "clock_set 100", "FAIL 5000");
    assert_int_equal(qtest_clock_step(qts, 1), 5001);
}

/* Protocol errors that QEMU answers too. */
static void test_protocol_errors(void **state)
{
    QTestState *qts = *state;

    assert_reply(qts, "foo", "FAIL Unknown command 'foo'");
    assert_reply(qts, "READL 0x0", "FAIL Unknown command 'READL'");
    assert_reply(qts, "write 0x0 4 0x", "ERR invalid argument size");
    assert_reply(qts, "b64read 0x0 0", "OK ");
    assert_reply(qts, "module_load foo bar", "FAIL");
    assert_reply(qts, "endianness", "OK little");
}

/* Input QEMU aborts on is answered as a value, not a crash. */
static void test_protocol_errors_as_values(void **state)
{
    QTestState *qts = *state;
    g_autofree char *bad = NULL;

    SKIP_UNLESS_BENCHTOP(qts, "FAIL replies for bad numbers; QEMU 7.2 "
                              "aborts on them");
    bad = qtest_raw_cmd(qts, "readl 0xzz");
    assert_true(g_str_has_prefix(bad, "FAIL"));
    /* Still answering afterwards. */
    assert_reply(qts, "endianness", "OK little");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_unmapped_memory),
        TC(test_unmapped_memory_cpu),
        T(test_port_io),
        T(test_endianness),
        TM(test_ram_at_zero),
        TCM(test_ram_at_zero_cpu),
        T(test_qmp_query_status),
        T(test_qmp_qom_list),
        T(test_clock),
        T(test_clock_fail_replies),
        TC(test_protocol_errors),
        T(test_protocol_errors_as_values),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("machine-none", tests, NULL, NULL);
}
