/* SPDX-License-Identifier: MIT */
/*
 * Option-string syntaxes and value types: one test per rule of cli.md §2.
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
#include "emu/opts.h"

/* Captures what is written to stderr between begin and end. */
static FILE *cap_file;
static int cap_saved_fd = -1;

static void capture_begin(void)
{
    fflush(stderr);
    cap_file = tmpfile();
    assert_non_null(cap_file);
    cap_saved_fd = dup(STDERR_FILENO);
    assert_true(cap_saved_fd >= 0);
    assert_true(dup2(fileno(cap_file), STDERR_FILENO) >= 0);
}

static char *capture_end(void)
{
    GString *s = g_string_new(NULL);
    char buf[256];
    size_t n;

    fflush(stderr);
    assert_true(dup2(cap_saved_fd, STDERR_FILENO) >= 0);
    close(cap_saved_fd);
    rewind(cap_file);
    while ((n = fread(buf, 1, sizeof(buf), cap_file)) > 0) {
        g_string_append_len(s, buf, n);
    }
    fclose(cap_file);
    return g_string_free(s, false);
}

static int setup(void **state)
{
    log_set_progname("/usr/bin/benchtop");
    opts_set_location(NULL);
    return 0;
}

/* Parses @str, expecting failure with exactly @msg. */
static void expect_parse_error(const char *str, const char *implied,
                               bool keyval, const char *msg)
{
    g_autoptr(GError) err = NULL;
    Opts *o = keyval ? opts_parse_keyval(str, implied, &err)
                     : opts_parse(str, implied, &err);

    assert_null(o);
    assert_non_null(err);
    assert_string_equal(err->message, msg);
}

static const char *pair_key(const Opts *o, guint i)
{
    return g_array_index(o->pairs, OptsPair, i).key;
}

static const char *pair_value(const Opts *o, guint i)
{
    return g_array_index(o->pairs, OptsPair, i).value;
}

/* §2.1 item list, values run to the next single comma, in order */
static void test_qemuopts_items_in_order(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(Opts) o =
        opts_parse("path=/tmp/x,server=on,wait=off", NULL, &err);

    assert_non_null(o);
    assert_null(err);
    assert_int_equal(o->pairs->len, 3);
    assert_string_equal(pair_key(o, 0), "path");
    assert_string_equal(pair_value(o, 0), "/tmp/x");
    assert_string_equal(pair_key(o, 2), "wait");
    assert_string_equal(opts_get(o, "server"), "on");
    assert_null(opts_get(o, "nosuch"));
    assert_false(opts_has(o, "nosuch"));
    assert_null(o->id);
}

/* §2.1 ",," is a literal comma, also in the implied value */
static void test_qemuopts_double_comma_escape(void **state)
{
    g_autoptr(Opts) o = opts_parse("file,path=/x/a,,b", "backend", NULL);
    g_autoptr(Opts) o2 = opts_parse("a,,b,c=d,,,,e", "driver", NULL);

    assert_non_null(o);
    assert_string_equal(opts_get(o, "backend"), "file");
    assert_string_equal(opts_get(o, "path"), "/x/a,b");
    assert_non_null(o2);
    assert_string_equal(opts_get(o2, "driver"), "a,b");
    assert_string_equal(opts_get(o2, "c"), "d,,e");
}

/* §2.1 a trailing comma is ignored; ",=y" is an empty key */
static void test_qemuopts_trailing_comma_and_empty_key(void **state)
{
    g_autoptr(Opts) o = opts_parse("null,id=c0,", "backend", NULL);

    assert_non_null(o);
    assert_int_equal(o->pairs->len, 1);
    assert_string_equal(o->id, "c0");
    expect_parse_error("null,=y", "backend", false, "Invalid parameter ''");
    expect_parse_error("=y", NULL, false, "Invalid parameter ''");
}

/* §2.1 implied first key only for the first item */
static void test_qemuopts_implied_key(void **state)
{
    g_autoptr(Opts) o = opts_parse("virtio-rng-device,id=r0", "driver", NULL);
    g_autoptr(Opts) o2 = opts_parse("driver=x", "driver", NULL);
    g_autoptr(Opts) o3 = opts_parse("", "driver", NULL);

    assert_string_equal(opts_get(o, "driver"), "virtio-rng-device");
    assert_string_equal(o->id, "r0");
    assert_string_equal(opts_get(o2, "driver"), "x");
    assert_non_null(o3);
    assert_int_equal(o3->pairs->len, 0);
}

/* §2.1 bare words elsewhere are deprecated boolean flags */
static void test_qemuopts_bare_flags_warn(void **state)
{
    g_autofree char *out = NULL;
    g_autoptr(Opts) o = NULL;

    opts_set_location("-chardev socket,id=s,path=/p,server,nowait");
    capture_begin();
    o = opts_parse("socket,id=s,path=/p,server,nowait", "backend", NULL);
    out = capture_end();
    opts_set_location(NULL);
    assert_non_null(o);
    assert_string_equal(opts_get(o, "server"), "on");
    assert_string_equal(opts_get(o, "wait"), "off");
    assert_string_equal(
        out, "benchtop: -chardev socket,id=s,path=/p,server,nowait: warning: "
             "short-form boolean option 'server' deprecated\n"
             "Please use server=on instead\n"
             "benchtop: -chardev socket,id=s,path=/p,server,nowait: warning: "
             "short-form boolean option 'wait' deprecated\n"
             "Please use wait=off instead\n");
}

/* §2.1 without an implied key, even the first bare word is a flag */
static void test_qemuopts_no_implied_key_flag(void **state)
{
    g_autofree char *out = NULL;
    g_autoptr(Opts) o = NULL;

    capture_begin();
    o = opts_parse("utc", NULL, NULL);
    out = capture_end();
    assert_non_null(o);
    assert_string_equal(opts_get(o, "utc"), "on");
    assert_string_equal(out, "benchtop: warning: short-form boolean option "
                             "'utc' deprecated\nPlease use utc=on instead\n");
}

/* §2.1 "help" / "?" as a bare word is a help request, without warning */
static void test_qemuopts_help_word(void **state)
{
    g_autofree char *out = NULL;
    g_autoptr(Opts) o = NULL;
    g_autoptr(Opts) o2 = NULL;
    g_autoptr(Opts) o3 = NULL;

    capture_begin();
    o = opts_parse("null,id=x,help", "backend", NULL);
    o2 = opts_parse("null,?", "backend", NULL);
    o3 = opts_parse("help", "driver", NULL);
    out = capture_end();
    assert_string_equal(out, "");
    assert_true(opts_has(o, "help"));
    assert_true(opts_has(o2, "help"));
    /* a bare first word goes to the implied key; the caller decides */
    assert_string_equal(opts_get(o3, "driver"), "help");
    assert_false(opts_has(o3, "help"));
}

/* §2.1 id anywhere, first wins, not a pair; must be an identifier */
static void test_qemuopts_id_rules(void **state)
{
    g_autoptr(Opts) o = opts_parse("path=x,id=a1,id=b2", NULL, NULL);
    g_autoptr(Opts) o2 = opts_parse("id=A-b.c_d,null", "backend", NULL);
    const char *hint = "Parameter 'id' expects an identifier\n"
                       "Identifiers consist of letters, digits, '-', '.', "
                       "'_', starting with a letter.";

    assert_string_equal(o->id, "a1");
    assert_int_equal(o->pairs->len, 1);
    assert_string_equal(opts_get(o, "id"), "a1");
    assert_string_equal(o2->id, "A-b.c_d");
    /* "id=..." first is a key=value item, so "null" is then a flag */
    assert_null(opts_get(o2, "backend"));
    expect_parse_error("null,id=1x", "backend", false, hint);
    expect_parse_error("null,id=", "backend", false, hint);
    expect_parse_error("null,id=a b", "backend", false, hint);
    assert_true(opts_id_wellformed("x"));
    assert_true(opts_id_wellformed("char0"));
    assert_false(opts_id_wellformed("_x"));
    assert_false(opts_id_wellformed("x/y"));
}

/* §2.1 duplicate keys: last wins */
static void test_qemuopts_last_wins(void **state)
{
    g_autoptr(Opts) o = opts_parse("path=x1,path=x2", NULL, NULL);
    g_autoptr(Opts) o2 = opts_parse("1,size=2", "size", NULL);

    assert_string_equal(opts_get(o, "path"), "x2");
    assert_string_equal(opts_get(o2, "size"), "2");
}

/* §2.1 unknown key in a fixed list */
static void test_qemuopts_check_keys(void **state)
{
    static const char *const allowed[] = {"base", "clock", NULL};
    g_autoptr(GError) err = NULL;
    g_autoptr(Opts) ok = opts_parse("base=utc,clock=host", NULL, NULL);
    g_autoptr(Opts) bad = opts_parse("base=utc,foo=1", NULL, NULL);

    assert_true(opts_check_keys(ok, allowed, NULL));
    assert_false(opts_check_keys(bad, allowed, &err));
    assert_string_equal(err->message, "Invalid parameter 'foo'");
}

/* §2.2 keyval: implied key on the first item, dotted keys, escapes */
static void test_keyval_basic(void **state)
{
    g_autoptr(Opts) o = opts_parse_keyval(
        "virt,aclint=on,memory.size=64M,dumpdtb=/a,,b", "type", NULL);

    assert_non_null(o);
    assert_string_equal(opts_get(o, "type"), "virt");
    assert_string_equal(opts_get(o, "aclint"), "on");
    assert_string_equal(opts_get(o, "memory.size"), "64M");
    assert_string_equal(opts_get(o, "dumpdtb"), "/a,b");
}

/* §2.2 the implied value cannot contain "," or "=" */
static void test_keyval_implied_value_no_comma(void **state)
{
    expect_parse_error("virt,,x", "type", true, "Invalid parameter ''");
    expect_parse_error("a,b=1,c", "type", true,
                       "Expected '=' after parameter 'c'");
}

/* §2.2 no bare flags */
static void test_keyval_no_bare_flags(void **state)
{
    expect_parse_error("virt,aclint", "type", true,
                       "Expected '=' after parameter 'aclint'");
    expect_parse_error("aclint", NULL, true,
                       "Expected '=' after parameter 'aclint'");
    expect_parse_error("a..b=1", NULL, true, "Invalid parameter 'a..b'");
    expect_parse_error("1a=1", NULL, true, "Invalid parameter '1a'");
}

/* §2.2 a "help" / "?" item anywhere is a help request */
static void test_keyval_help(void **state)
{
    g_autoptr(Opts) o = opts_parse_keyval("help", "type", NULL);
    g_autoptr(Opts) o2 = opts_parse_keyval("virt,help", "type", NULL);
    g_autoptr(Opts) o3 = opts_parse_keyval("?", "type", NULL);

    assert_true(opts_has(o, "help"));
    assert_null(opts_get(o, "type"));
    assert_true(opts_has(o2, "help"));
    assert_string_equal(opts_get(o2, "type"), "virt");
    assert_true(opts_has(o3, "help"));
}

/* §2.2 repeated options merge key-wise, last wins */
static void test_keyval_merge(void **state)
{
    g_autoptr(Opts) a = opts_parse_keyval("2", "cpus", NULL);
    g_autoptr(Opts) b = opts_parse_keyval("cores=3", "cpus", NULL);
    g_autoptr(Opts) c = opts_parse_keyval("virt", "type", NULL);
    g_autoptr(Opts) d = opts_parse_keyval("spike", "type", NULL);

    opts_merge(a, b);
    assert_string_equal(opts_get(a, "cpus"), "2");
    assert_string_equal(opts_get(a, "cores"), "3");
    opts_merge(c, d);
    assert_string_equal(opts_get(c, "type"), "spike");
    assert_int_equal(c->pairs->len, 1);
    opts_set(c, "type", "none");
    assert_string_equal(opts_get(c, "type"), "none");
}

/* §2.3 bool words */
static void test_bool_words(void **state)
{
    static const char *const on[] = {"on", "yes", "true", "y"};
    static const char *const off[] = {"off", "no", "false", "n"};
    g_autoptr(GError) err = NULL;
    g_autoptr(Opts) o = opts_parse("a=on,b=bogus", NULL, NULL);
    bool v = false;

    for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
        v = false;
        assert_true(parse_bool(on[i], &v));
        assert_true(v);
        assert_true(parse_bool(off[i], &v));
        assert_false(v);
    }
    assert_false(parse_bool("ON", &v));
    assert_false(parse_bool("1", &v));
    assert_true(opts_get_bool(o, "a", false, &v, NULL));
    assert_true(v);
    assert_true(opts_get_bool(o, "missing", true, &v, NULL));
    assert_true(v);
    assert_false(opts_get_bool(o, "b", false, &v, &err));
    assert_string_equal(err->message, "Parameter 'b' expects 'on' or 'off'");
}

/* §2.3 numbers: C base detection, whole word, sign wraps, overflow */
static void test_numbers(void **state)
{
    uint64_t u = 0;
    int64_t i = 0;
    int32_t i32 = 0;

    assert_true(parse_u64("010", &u));
    assert_int_equal(u, 8);
    assert_true(parse_u64("0100", &u));
    assert_int_equal(u, 64);
    assert_true(parse_u64("0x100", &u));
    assert_int_equal(u, 256);
    assert_true(parse_u64("42", &u));
    assert_int_equal(u, 42);
    assert_true(parse_u64("-1", &u));
    assert_true(u == UINT64_MAX);
    assert_true(parse_u64("18446744073709551615", &u));
    assert_false(parse_u64("18446744073709551616", &u));
    assert_false(parse_u64("", &u));
    assert_false(parse_u64("12a", &u));
    assert_false(parse_u64("08", &u));
    assert_false(parse_u64("0x", &u));
    assert_true(parse_i64("-0x10", &i));
    assert_int_equal(i, -16);
    assert_false(parse_i64("9223372036854775808", &i));
    assert_true(parse_i32("2147483647", &i32));
    assert_int_equal(i32, INT32_MAX);
    assert_false(parse_i32("2147483648", &i32));
    assert_true(parse_i32("-2147483648", &i32));
    assert_int_equal(i32, INT32_MIN);
}

static uint64_t size_ok(const char *s, char def)
{
    g_autoptr(GError) err = NULL;
    uint64_t v = 0;

    assert_true(parse_size(s, def, &v, &err));
    assert_null(err);
    return v;
}

/* §2.3 sizes: decimal (no octal), 1024-based suffixes either case */
static void test_size_suffixes(void **state)
{
    assert_int_equal(size_ok("08", 'B'), 8);
    assert_int_equal(size_ok("4096", 'B'), 4096);
    assert_int_equal(size_ok("1k", 'B'), 1024);
    assert_int_equal(size_ok("1K", 'B'), 1024);
    assert_int_equal(size_ok("2m", 'B'), 2 << 20);
    assert_int_equal(size_ok("3G", 'B'), 3ull << 30);
    assert_true(size_ok("1T", 'B') == 1ull << 40);
    assert_true(size_ok("1P", 'B') == 1ull << 50);
    assert_true(size_ok("1E", 'B') == 1ull << 60);
    assert_int_equal(size_ok("7b", 'B'), 7);
    assert_int_equal(size_ok("128", 'M'), 128u << 20);
    assert_int_equal(size_ok("010", 'M'), 10u << 20);
    assert_int_equal(size_ok("128k", 'M'), 131072);
    assert_int_equal(size_ok("0x1000", 'B'), 4096);
}

/* §2.3 sizes: fractions need a scale */
static void test_size_fractions(void **state)
{
    g_autoptr(GError) err = NULL;
    uint64_t v;

    assert_true(size_ok("1.5G", 'B') == 3ull << 29);
    assert_int_equal(size_ok("0.5k", 'B'), 512);
    assert_int_equal(size_ok("1.k", 'B'), 1024);
    assert_int_equal(size_ok("1.5", 'M'), 3u << 19);
    assert_false(parse_size("1.5", 'B', &v, &err));
}

/* §2.3 hex with a suffix warns */
static void test_size_hex_suffix_warns(void **state)
{
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    uint64_t v = 0;

    opts_set_location("-m 0x10M");
    capture_begin();
    assert_true(parse_size("0x10M", 'B', &v, NULL));
    out = capture_end();
    opts_set_location(NULL);
    assert_int_equal(v, 16u << 20);
    assert_string_equal(out, "benchtop: -m 0x10M: warning: Using a "
                             "multiplier suffix on hex numbers is "
                             "deprecated: 0x10M\n");
    capture_begin();
    assert_true(parse_size("0x10", 'B', &v, NULL));
    out2 = capture_end();
    assert_string_equal(out2, "");
    assert_int_equal(v, 16);
}

/* §2.3 sizes: invalid text and overflow messages */
static void test_size_errors(void **state)
{
    static const char *const bad[] = {"1e3",   "-1",     "1x",  "",    "k",
                                      "0x1.5", "1.5e3k", "1 k", "help"};
    const char *invalid =
        "Parameter 'size' expects a non-negative number below 2^64\n"
        "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, "
        "tera-, peta-\nand exabytes, respectively.";

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        uint64_t v;

        assert_false(parse_size(bad[i], 'B', &v, &err));
        assert_string_equal(err->message, invalid);
    }
    {
        g_autoptr(GError) err = NULL;
        uint64_t v;

        assert_false(parse_size("16E", 'B', &v, &err));
        assert_string_equal(err->message,
                            "Value '16E' is out of range for parameter "
                            "'size'");
    }
    {
        g_autoptr(GError) err = NULL;
        uint64_t v;

        assert_false(parse_size("99999999999999999999", 'B', &v, &err));
        assert_string_equal(err->message,
                            "Value '99999999999999999999' is out of range "
                            "for parameter 'size'");
    }
    {
        uint64_t v = 0;

        assert_true(parse_size("18446744073709551615", 'B', &v, NULL));
        assert_true(v == UINT64_MAX);
    }
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_qemuopts_items_in_order),
        T(test_qemuopts_double_comma_escape),
        T(test_qemuopts_trailing_comma_and_empty_key),
        T(test_qemuopts_implied_key),
        T(test_qemuopts_bare_flags_warn),
        T(test_qemuopts_no_implied_key_flag),
        T(test_qemuopts_help_word),
        T(test_qemuopts_id_rules),
        T(test_qemuopts_last_wins),
        T(test_qemuopts_check_keys),
        T(test_keyval_basic),
        T(test_keyval_implied_value_no_comma),
        T(test_keyval_no_bare_flags),
        T(test_keyval_help),
        T(test_keyval_merge),
        T(test_bool_words),
        T(test_numbers),
        T(test_size_suffixes),
        T(test_size_fractions),
        T(test_size_hex_suffix_warns),
        T(test_size_errors),
    };
    return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
