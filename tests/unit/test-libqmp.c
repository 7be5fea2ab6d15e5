/* SPDX-License-Identifier: MIT */
/*
 * The harness's QMP stream splitter and accessors (harness/c/libqmp.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "harness/c/libqmp.h"

static void test_split_one_object(void **state)
{
    const char *in = "{\"return\": {}}\r\n";
    size_t start = 99;

    assert_int_equal(qmp_json_split(in, strlen(in), &start), 14);
    assert_int_equal(start, 0);
}

static void test_split_incomplete(void **state)
{
    const char *in = "{\"return\": {\"a\": [1, 2";
    size_t start;

    assert_int_equal(qmp_json_split(in, strlen(in), &start), 0);
    assert_int_equal(qmp_json_split("", 0, &start), 0);
    assert_int_equal(qmp_json_split("\r\n  ", 4, &start), 0);
}

/* Braces and quotes inside strings do not count. */
static void test_split_braces_in_strings(void **state)
{
    const char *in = "  {\"desc\": \"a } b { \\\" }\", 'x': '}'}{\"next\": 1}";
    size_t start;
    size_t end = qmp_json_split(in, strlen(in), &start);

    assert_int_equal(start, 2);
    assert_int_equal(end, strlen(in) - strlen("{\"next\": 1}"));
}

static void test_split_two_messages(void **state)
{
    const char *in = "{\"event\": \"STOP\"}\n{\"return\": {}}\n";
    size_t start;
    size_t end = qmp_json_split(in, strlen(in), &start);

    assert_int_equal(end, 17);
    end = qmp_json_split(in + end, strlen(in) - end, &start);
    assert_int_equal(start, 1);
    assert_int_equal(end, 15);
}

static void test_parse_and_accessors(void **state)
{
    const char *in = "{\"return\": {\"status\": \"running\", \"running\": true,"
                     " \"n\": 42, \"list\": [1, 2]}}";
    g_autoptr(GError) err = NULL;
    QDict *d = qmp_json_parse(in, strlen(in), &err);
    QDict *ret;
    g_autofree char *text = NULL;

    assert_non_null(d);
    assert_true(qdict_haskey(d, "return"));
    ret = qdict_get_qdict(d, "return");
    assert_non_null(ret);
    assert_string_equal(qdict_get_str(ret, "status"), "running");
    assert_true(qdict_get_bool(ret, "running"));
    assert_int_equal(qdict_get_int(ret, "n"), 42);
    assert_int_equal(json_array_get_length(qdict_get_qlist(ret, "list")), 2);
    assert_null(qdict_get_try_str(ret, "n"));
    assert_string_equal(qdict_get_str(ret, "missing"), "");
    assert_null(qdict_get_qdict(ret, "status"));
    text = qdict_to_json(ret);
    assert_non_null(strstr(text, "\"status\":\"running\""));
    qobject_unref(d);
}

static void test_parse_rejects_non_objects(void **state)
{
    g_autoptr(GError) err = NULL;

    assert_null(qmp_json_parse("[1]", 3, &err));
    assert_non_null(err);
    g_clear_error(&err);
    assert_null(qmp_json_parse("{\"a\":", 5, &err));
    assert_non_null(err);
}

static void test_expect_error(void **state)
{
    const char *in =
        "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"x\"}}";

    assert_true(qmp_expect_error_and_unref(qmp_json_parse(in, strlen(in), NULL),
                                           "CommandNotFound"));
    assert_false(qmp_expect_error_and_unref(
        qmp_json_parse(in, strlen(in), NULL), "GenericError"));
    assert_false(qmp_expect_error_and_unref(
        qmp_json_parse("{\"return\": {}}", 14, NULL), "GenericError"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_one_object),
        cmocka_unit_test(test_split_incomplete),
        cmocka_unit_test(test_split_braces_in_strings),
        cmocka_unit_test(test_split_two_messages),
        cmocka_unit_test(test_parse_and_accessors),
        cmocka_unit_test(test_parse_rejects_non_objects),
        cmocka_unit_test(test_expect_error),
    };

    return cmocka_run_group_tests_name("libqmp", tests, NULL, NULL);
}
