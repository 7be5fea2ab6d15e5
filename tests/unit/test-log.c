/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: -d item parsing, the item table, -D log files and the
 * "PROG: text" error lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/log.h"

/* Runs @fn with file descriptor @fd redirected to a file; returns output. */
static char *capture_fd(int fd, void (*fn)(void))
{
    g_autofree char *path = NULL;
    char *text = NULL;
    int tmp = g_file_open_tmp("test-log-XXXXXX", &path, NULL);
    int saved = dup(fd);

    assert_true(tmp >= 0 && saved >= 0);
    fflush(NULL);
    dup2(tmp, fd);
    fn();
    fflush(NULL);
    dup2(saved, fd);
    close(saved);
    close(tmp);
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    unlink(path);
    return text;
}

static void test_parse_items(void **state)
{
    unsigned mask = 0;

    assert_true(log_parse_items("guest_errors,unimp", &mask));
    assert_int_equal(mask, LOG_GUEST_ERROR | LOG_UNIMP);
    assert_true(log_parse_items("int,in_asm,exec,mmu,regs", &mask));
    assert_int_equal(mask,
                     LOG_INT | LOG_IN_ASM | LOG_EXEC | LOG_MMU | LOG_REGS);
    assert_true(log_parse_items("all", &mask));
    assert_true(mask & LOG_GUEST_ERROR);
    assert_true(mask & LOG_REGS);
    assert_true(log_parse_items("trace:memory_region_ops_*,unimp", &mask));
    assert_int_equal(mask, LOG_UNIMP);

    mask = 1234;
    assert_false(log_parse_items("guest_errors,bogus", &mask));
    assert_int_equal(mask, 1234);
    assert_false(log_parse_items("help", &mask));
    assert_false(log_parse_items("unimp,,int", &mask));
    /* An empty list enables nothing, as in QEMU. */
    assert_true(log_parse_items("", &mask));
    assert_int_equal(mask, 0);
}

static void print_items(void)
{
    log_print_items();
}

static void test_print_items(void **state)
{
    g_autofree char *out = capture_fd(STDOUT_FILENO, print_items);

    assert_true(g_str_has_prefix(out, "Log items (comma separated):\n"));
    assert_non_null(strstr(out, "\nunimp           log unimplemented "
                                "functionality\n"));
    assert_non_null(strstr(out, "\nguest_errors    "));
    assert_non_null(strstr(out, "\nregs            "));
}

static void reports(void)
{
    log_set_progname("/usr/local/bin/benchtop-system-riscv64");
    error_report("bad %s", "thing");
    warn_report("careful: %d", 3);
}

static void test_error_and_warn_report(void **state)
{
    g_autofree char *err = capture_fd(STDERR_FILENO, reports);

    assert_string_equal(log_progname(), "benchtop-system-riscv64");
    assert_string_equal(err, "benchtop-system-riscv64: bad thing\n"
                             "benchtop-system-riscv64: warning: careful: 3\n");
}

static void test_log_file_and_mask(void **state)
{
    g_autofree char *dir = g_dir_make_tmp("test-log-XXXXXX", NULL);
    g_autofree char *pattern = g_build_filename(dir, "log-%d.txt", NULL);
    g_autofree char *name = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;

    assert_non_null(dir);
    assert_true(log_set_file(pattern, &err));
    log_set_mask(LOG_UNIMP);
    assert_true(log_enabled(LOG_UNIMP));
    assert_false(log_enabled(LOG_GUEST_ERROR));
    log_mask(LOG_UNIMP, "one %d", 1);
    log_mask(LOG_GUEST_ERROR, "hidden");
    log_mask(LOG_UNIMP | LOG_GUEST_ERROR, "two\n");
    assert_true(log_set_file(NULL, &err));

    name = g_strdup_printf("%s/log-%d.txt", dir, (int)getpid());
    assert_true(g_file_get_contents(name, &text, NULL, NULL));
    assert_string_equal(text, "one 1\ntwo\n");
    unlink(name);
    rmdir(dir);
    log_set_mask(0);
}

static void test_log_file_errors(void **state)
{
    g_autoptr(GError) err = NULL;

    assert_false(log_set_file("/nonexistent-dir/x/log", &err));
    assert_non_null(err);
    assert_string_equal(err->message, "Error opening logfile "
                                      "/nonexistent-dir/x/log: No such "
                                      "file or directory");
    g_clear_error(&err);
    assert_false(log_set_file("/tmp/log-%s", &err));
    assert_string_equal(err->message, "Bad logfile format: /tmp/log-%s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_items),
        cmocka_unit_test(test_print_items),
        cmocka_unit_test(test_error_and_warn_report),
        cmocka_unit_test(test_log_file_and_mask),
        cmocka_unit_test(test_log_file_errors),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
