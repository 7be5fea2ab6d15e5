/* SPDX-License-Identifier: MIT */
/*
 * QMP server: greeting, negotiation, every request-level error of
 * spec/qmp-subset.md §4.3 byte for byte, id echo, streaming input
 * (pipelining, split objects, single quotes, garbage recovery, limits),
 * the serializer, events, and the built-in commands on a small QOM tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "emu/chardev/chardev.h"
#include "emu/device.h"
#include "emu/loop.h"
#include "emu/monitor/qmp.h"
#include "emu/object.h"
#include "emu/opts.h"
#include "hw/core/machine.h"

#include "benchtop-config.h"

#define TYPE_TEST_BASE  "test-qmp-base"
#define TYPE_TEST_THING "test-qmp-thing"
#define TYPE_TEST_DEV   "test-qmp-dev"

#define ERR(cls, desc)                                                         \
    "{\"error\": {\"class\": \"" cls "\", \"desc\": \"" desc "\"}}\r\n"
#define ERR_ID(id, cls, desc)                                                  \
    "{\"id\": " id ", \"error\": {\"class\": \"" cls "\", \"desc\": \"" desc   \
    "\"}}\r\n"
#define OK_EMPTY "{\"return\": {}}\r\n"

typedef struct TestThing {
    Object obj;
    bool on;
    uint32_t count;
    int64_t offset;
    uint64_t sz;
    char *label;
} TestThing;

static const PropDesc test_thing_props[] = {
    PROP_BOOL_("on", TestThing, on, false),
    {.name = "count",
     .type = PROP_U32,
     .offset = offsetof(TestThing, count),
     .def_u = 5,
     .desc = "how many"},
    {.name = "offset",
     .type = PROP_I64,
     .offset = offsetof(TestThing, offset),
     .def_i = -3},
    PROP_SIZE_("sz", TestThing, sz, 4096),
    PROP_STR_("label", TestThing, label, "x"),
    PROP_END,
};

static const ObjectClass test_base_class = {
    .name = TYPE_TEST_BASE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(TestThing),
    .abstract = true,
};

static const ObjectClass test_thing_class = {
    .name = TYPE_TEST_THING,
    .parent = TYPE_TEST_BASE,
    .instance_size = sizeof(TestThing),
    .props = test_thing_props,
};

typedef struct TestDev {
    Device parent;
    uint32_t freq;
    bool fast;
} TestDev;

static const PropDesc test_dev_props[] = {
    {.name = "freq",
     .type = PROP_U32,
     .offset = offsetof(TestDev, freq),
     .def_u = 1000,
     .desc = "clock in Hz"},
    PROP_BOOL_("fast", TestDev, fast, true),
    PROP_END,
};

static const DeviceClass test_dev_class = {
    .obj =
        {
            .name = TYPE_TEST_DEV,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(TestDev),
            .user_creatable = true,
            .props = test_dev_props,
        },
};

static const LoopHooks test_hooks = {
    .event = qmp_broadcast_event,
};

typedef struct Fixture {
    GString *out;
    QmpMonitor *mon;
} Fixture;

/* ---- Helpers --------------------------------------------------------- */

/* Returns and clears everything the monitor has written so far. */
static char *take(Fixture *f)
{
    char *s = g_strdup(f->out->str);

    g_string_truncate(f->out, 0);
    return s;
}

static void feed(Fixture *f, const char *text)
{
    qmp_monitor_feed(f->mon, text, strlen(text));
}

/* Feeds @text and checks the exact output bytes. */
static void expect(Fixture *f, const char *text, const char *want)
{
    g_autofree char *got = NULL;

    feed(f, text);
    got = take(f);
    assert_string_equal(got, want);
}

/* Replaces an event's timestamp with "TS" after checking its shape. */
static char *strip_timestamps(const char *s)
{
    static const char head[] = "{\"timestamp\": {\"seconds\": ";
    GString *r = g_string_new(NULL);

    while (*s) {
        if (!strncmp(s, head, strlen(head))) {
            const char *p = s + strlen(head);

            while (g_ascii_isdigit(*p)) {
                p++;
            }
            assert_true(p > s + strlen(head));
            assert_true(!strncmp(p, ", \"microseconds\": ", 18));
            p += 18;
            while (g_ascii_isdigit(*p)) {
                p++;
            }
            assert_true(*p == '}');
            g_string_append(r, "{\"timestamp\": TS");
            s = p + 1;
        } else {
            g_string_append_c(r, *s++);
        }
    }
    return g_string_free(r, false);
}

static void expect_events(Fixture *f, const char *text, const char *want)
{
    g_autofree char *got = NULL;
    g_autofree char *stripped = NULL;

    feed(f, text);
    got = take(f);
    stripped = strip_timestamps(got);
    assert_string_equal(stripped, want);
}

/* Parses the single response in the output and returns its "return". */
static JsonNode *take_return(Fixture *f)
{
    g_autofree char *got = take(f);
    g_autoptr(JsonParser) p = json_parser_new();
    JsonObject *rsp;

    assert_true(g_str_has_suffix(got, "\r\n"));
    assert_true(json_parser_load_from_data(p, got, -1, NULL));
    rsp = json_node_get_object(json_parser_get_root(p));
    assert_true(json_object_has_member(rsp, "return"));
    return json_node_copy(json_object_get_member(rsp, "return"));
}

static Object *add_thing(Object *parent, const char *name)
{
    Object *obj = object_new(TYPE_TEST_THING, NULL);

    assert_non_null(obj);
    assert_true(object_add_child(parent, name, obj, NULL));
    object_unref(obj);
    return obj;
}

/*
 * A small tree:  /machine (container)
 *                  /peripheral (container)
 *                    /dup (thing)
 *                  /thing0 (thing)
 *                  /unattached (container)
 *                    /dup (thing)
 */
static void build_tree(void)
{
    Object *machine = object_get_container(object_get_root(), "machine");

    add_thing(machine, "thing0");
    add_thing(object_get_container(machine, "unattached"), "dup");
    add_thing(object_get_container(machine, "peripheral"), "dup");
}

static int setup_raw(void **state)
{
    Fixture *f = g_new0(Fixture, 1);

    f->out = g_string_new(NULL);
    f->mon = qmp_monitor_new_buffer(f->out);
    *state = f;
    return 0;
}

/* A monitor in command mode with an empty output buffer. */
static int setup(void **state)
{
    Fixture *f;

    setup_raw(state);
    f = *state;
    g_string_truncate(f->out, 0);
    expect(f, "{\"execute\": \"qmp_capabilities\"}", OK_EMPTY);
    build_tree();
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    qmp_monitor_free(f->mon);
    g_string_free(f->out, true);
    g_free(f);
    object_reset_root();
    return 0;
}

/* ---- Greeting and negotiation ---------------------------------------- */

static void test_greeting(void **state)
{
    Fixture *f = *state;
    g_autofree char *got = take(f);

    assert_string_equal(got,
                        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, "
                        "\"minor\": 2, \"major\": 7}, \"package\": "
                        "\"benchtop " BENCHTOP_VERSION "\"}, "
                        "\"capabilities\": []}}\r\n");
}

static void test_negotiation_mode(void **state)
{
    Fixture *f = *state;

    g_string_truncate(f->out, 0);
    /* Valid commands, known or not, are refused before negotiation. */
    expect(f, "{\"execute\": \"query-version\"}",
           ERR("CommandNotFound",
               "Expecting capabilities negotiation with 'qmp_capabilities'"));
    expect(f, "{\"execute\": \"no-such-cmd\", \"id\": 1}",
           ERR_ID("1", "CommandNotFound",
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'"));
    /* Malformed input is diagnosed as usual. */
    expect(f, "{\"id\": 5}",
           ERR_ID("5", "GenericError", "QMP input lacks member 'execute'"));
    /* Events are dropped for a session in negotiation mode. */
    qmp_broadcast_event("POWERDOWN", NULL);
    assert_int_equal(f->out->len, 0);

    expect(f, "{\"execute\": \"qmp_capabilities\", \"id\": \"c\"}",
           "{\"return\": {}, \"id\": \"c\"}\r\n");
    expect(f, "{\"execute\": \"qmp_capabilities\"}",
           ERR("CommandNotFound", "Capabilities negotiation is already "
                                  "complete, command ignored"));
    qmp_broadcast_event("POWERDOWN", NULL);
    assert_non_null(strstr(f->out->str, "\"event\": \"POWERDOWN\"}\r\n"));
}

static void test_capabilities_args(void **state)
{
    Fixture *f = *state;

    g_string_truncate(f->out, 0);
    expect(f,
           "{\"execute\": \"qmp_capabilities\", \"arguments\": "
           "{\"enable\": [\"cap-does-not-exist\"]}}",
           ERR("GenericError",
               "Parameter 'null' does not accept value 'cap-does-not-exist'"));
    expect(f,
           "{\"execute\": \"qmp_capabilities\", \"arguments\": "
           "{\"enable\": [\"oob\"]}}",
           ERR("GenericError", "Capability oob not available"));
    expect(f,
           "{\"execute\": \"qmp_capabilities\", \"arguments\": "
           "{\"enable\": \"oob\"}}",
           ERR("GenericError",
               "Invalid parameter type for 'enable', expected: array"));
    expect(f,
           "{\"execute\": \"qmp_capabilities\", \"arguments\": "
           "{\"enable\": [1]}}",
           ERR("GenericError",
               "Invalid parameter type for 'enable[0]', expected: string"));
    /* Still negotiating after all those failures. */
    expect(f,
           "{\"execute\": \"qmp_capabilities\", \"arguments\": "
           "{\"enable\": []}}",
           OK_EMPTY);
}

/* ---- Request-level errors (§4.3) -------------------------------------- */

static void test_request_errors(void **state)
{
    Fixture *f = *state;

    expect(f, "{]", ERR("GenericError", "JSON parse error, expecting value"));
    expect(f, "[1,2]", ERR("GenericError", "QMP input must be a JSON object"));
    expect(f, "null\n", ERR("GenericError", "QMP input must be a JSON object"));
    expect(f, "\"x\"", ERR("GenericError", "QMP input must be a JSON object"));
    expect(f, "{\"id\": 5}",
           ERR_ID("5", "GenericError", "QMP input lacks member 'execute'"));
    expect(f, "{}", ERR("GenericError", "QMP input lacks member 'execute'"));
    expect(f, "{\"execute\": true}",
           ERR("GenericError", "QMP input member 'execute' must be a string"));
    expect(f, "{\"execute\": true, \"id\": \"a\"}",
           ERR_ID("\"a\"", "GenericError",
                  "QMP input member 'execute' must be a string"));
    expect(
        f, "{\"execute\":\"x\",\"arguments\":[]}",
        ERR("GenericError", "QMP input member 'arguments' must be an object"));
    expect(
        f, "{\"execute\":\"x\",\"extra\":true,\"id\":3}",
        ERR_ID("3", "GenericError", "QMP input member 'extra' is unexpected"));
    expect(f, "{\"exec-oob\":\"query-name\",\"id\":4}",
           ERR_ID("4", "GenericError",
                  "QMP input member 'exec-oob' is unexpected"));
    /* OOB is never enabled, so "exec-oob" is just an unexpected member. */
    expect(f, "{\"execute\":\"query-name\",\"exec-oob\":\"query-name\"}",
           ERR("GenericError", "QMP input member 'exec-oob' is unexpected"));
    expect(f, "{\"execute\":\"no-such-cmd\",\"id\":6}",
           ERR_ID("6", "CommandNotFound",
                  "The command no-such-cmd has not been found"));
    expect(f,
           "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/\"},\"id\":7}",
           ERR_ID("7", "GenericError", "Parameter 'property' is missing"));
    expect(f, "{\"execute\":\"query-name\",\"arguments\":{\"foo\":1},\"id\":8}",
           ERR_ID("8", "GenericError", "Parameter 'foo' is unexpected"));
    expect(f, "{\"execute\":\"qom-list\",\"arguments\":{\"path\":1},\"id\":9}",
           ERR_ID("9", "GenericError",
                  "Invalid parameter type for 'path', expected: string"));
    /* qmp-test: human-monitor-command without arguments, id 2. */
    expect(f, "{ 'execute': 'human-monitor-command', 'id': 2 }",
           ERR_ID("2", "GenericError", "Parameter 'command-line' is missing"));
}

static void test_argument_type_words(void **state)
{
    Fixture *f = *state;

    expect(f, "{\"execute\":\"qom-list-types\",\"arguments\":{\"abstract\":1}}",
           ERR("GenericError",
               "Invalid parameter type for 'abstract', expected: boolean"));
    expect(f,
           "{\"execute\":\"human-monitor-command\",\"arguments\":"
           "{\"command-line\":\"\",\"cpu-index\":\"0\"}}",
           ERR("GenericError",
               "Invalid parameter type for 'cpu-index', expected: integer"));
    expect(f,
           "{\"execute\":\"human-monitor-command\",\"arguments\":"
           "{\"command-line\":\"\",\"cpu-index\":1.5}}",
           ERR("GenericError",
               "Invalid parameter type for 'cpu-index', expected: integer"));
    /* Missing beats unexpected (schema members are checked first). */
    expect(f, "{\"execute\":\"qom-list\",\"arguments\":{\"foo\":1}}",
           ERR("GenericError", "Parameter 'path' is missing"));
}

static void test_id_echo(void **state)
{
    Fixture *f = *state;

    expect(f, "{ 'execute': 'query-name', 'id': 'cookie#1' }",
           "{\"return\": {}, \"id\": \"cookie#1\"}\r\n");
    expect(f, "{\"execute\": \"query-name\", \"id\": -12}",
           "{\"return\": {}, \"id\": -12}\r\n");
    expect(f, "{\"execute\": \"query-name\", \"id\": {\"a\": [1, 2]}}",
           "{\"return\": {}, \"id\": {\"a\": [1, 2]}}\r\n");
    expect(f, "{\"id\": [true, null, 1.5], \"execute\": \"query-name\"}",
           "{\"return\": {}, \"id\": [true, null, 1.5]}\r\n");
}

/* ---- Streaming input ------------------------------------------------- */

static void test_pipelined(void **state)
{
    Fixture *f = *state;

    expect(f,
           "{\"execute\":\"query-name\",\"id\":1}{\"execute\":\"query-kvm\"}"
           "\n \t{\"execute\":\"query-target\",\"id\":3}",
           "{\"return\": {}, \"id\": 1}\r\n"
           "{\"return\": {\"enabled\": false, \"present\": false}}\r\n"
           "{\"return\": {\"arch\": \"riscv64\"}, \"id\": 3}\r\n");
}

static void test_split_bytes(void **state)
{
    Fixture *f = *state;
    const char *req = "{ \"execute\" : \"query-name\", \"id\": [\"a}\\\"{\", "
                      "-1.5e3, true] }";

    for (const char *p = req; *p; p++) {
        assert_int_equal(f->out->len, 0);
        qmp_monitor_feed(f->mon, p, 1);
    }
    {
        g_autofree char *got = take(f);

        assert_string_equal(
            got, "{\"return\": {}, \"id\": [\"a}\\\"{\", -1500, true]}\r\n");
    }
}

static void test_single_quotes(void **state)
{
    Fixture *f = *state;

    /* \' inside '...', bare " inside '...', \' inside "..." too. */
    expect(f, "{'execute': 'query-name', 'id': 'it\\'s \"q\"'}",
           "{\"return\": {}, \"id\": \"it's \\\"q\\\"\"}\r\n");
    expect(f, "{\"execute\": \"query-name\", \"id\": \"a\\'b\"}",
           "{\"return\": {}, \"id\": \"a'b\"}\r\n");
}

static void test_scalars_need_a_delimiter(void **state)
{
    Fixture *f = *state;

    /* Like QEMU, a bare keyword or number is complete only at its end. */
    feed(f, "null");
    assert_int_equal(f->out->len, 0);
    expect(f, " ", ERR("GenericError", "QMP input must be a JSON object"));
    expect(f, "12{\"execute\":\"query-name\"}",
           ERR("GenericError", "QMP input must be a JSON object") OK_EMPTY);
    expect(f, "nul\n",
           ERR("GenericError", "JSON parse error, expecting value"));
}

/* Each garbage input of spec §1 gives one error, then a command works. */
static void test_garbage_recovery(void **state)
{
    static const char *const garbage[] = {
        "{]\n",
        "{\xFF",
        "{\x01",
        "{'bad \xFF",
        "{'execute': 'nonexistent', 'id':'\n",
        "%p",
        "}",
    };
    Fixture *f = *state;

    for (size_t i = 0; i < G_N_ELEMENTS(garbage); i++) {
        g_autofree char *got = NULL;
        g_auto(GStrv) lines = NULL;

        feed(f, garbage[i]);
        feed(f, "{ 'execute': 'no-such-cmd' }");
        got = take(f);
        lines = g_strsplit(got, "\r\n", -1);
        assert_int_equal(g_strv_length(lines), 3);
        assert_true(g_str_has_prefix(
            lines[0], "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                      "\"JSON parse error, "));
        assert_string_equal(
            lines[1], "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                      "\"The command no-such-cmd has not been found\"}}");
        assert_string_equal(lines[2], "");
    }
}

static void test_lexical_error_texts(void **state)
{
    Fixture *f = *state;

    expect(f, "%p ", ERR("GenericError", "JSON parse error, stray '%'"));
    expect(f, "{\xFF",
           ERR("GenericError", "JSON parse error, stray '\\uFFFD'"));
    expect(f, "\n\"a\tb\"",
           ERR("GenericError", "JSON parse error, stray '\\\"a\\t'"));
    /* After the error, '}' is a sync point: a stray closer, error two. */
    expect(f, "{\"a\": True}",
           ERR("GenericError", "JSON parse error, stray 'T'")
               ERR("GenericError", "JSON parse error, expecting value"));
    /* Found while lexing, reported when the message is complete. */
    expect(f, "{\"execute\": \"query-name\", \"id\": \"\\x\"}",
           ERR("GenericError",
               "JSON parse error, invalid escape sequence in string"));
    expect(f, "{\"execute\": \"query-name\", \"id\": \"\\u0000\"}",
           ERR("GenericError", "JSON parse error, \\\\u0000 is not supported"));
    expect(f, "{\"execute\": \"query-name\", \"id\": \"\xC3\"}",
           ERR("GenericError",
               "JSON parse error, invalid UTF-8 sequence in string"));
    expect(f, "{\"execute\": \"query-name\", \"id\": 01}",
           ERR("GenericError", "JSON parse error, stray '01'")
               ERR("GenericError", "JSON parse error, expecting value"));
    /* Non-ASCII input comes back \u-escaped. */
    expect(f, "{\"execute\": \"query-name\", \"id\": \"\xC3\xA9\"}",
           "{\"return\": {}, \"id\": \"\\u00E9\"}\r\n");
}

static char *nested_request(int depth)
{
    /* One '{' plus depth - 1 '[' around the id value. */
    GString *s = g_string_new("{\"execute\": \"query-name\", \"id\": ");

    for (int i = 1; i < depth; i++) {
        g_string_append_c(s, '[');
    }
    g_string_append_c(s, '7');
    for (int i = 1; i < depth; i++) {
        g_string_append_c(s, ']');
    }
    g_string_append_c(s, '}');
    return g_string_free(s, false);
}

static void test_nesting_limit(void **state)
{
    Fixture *f = *state;
    g_autofree char *ok = nested_request(1024);
    g_autofree char *bad = nested_request(1025);
    g_autofree char *got = NULL;

    feed(f, ok);
    got = take(f);
    assert_true(g_str_has_prefix(got, "{\"return\": {}, \"id\": [[[["));
    assert_non_null(strstr(got, "[[7]]"));
    assert_true(g_str_has_suffix(got, "]]]]}\r\n"));
    assert_int_equal(strspn(strchr(got, '['), "["), 1023);

    /* Over the limit: one error, the rest of that message is skipped. */
    feed(f, bad);
    expect(f, "{\"execute\": \"query-name\"}",
           ERR("GenericError", "JSON nesting depth limit exceeded") OK_EMPTY);
}

static void test_size_limit(void **state)
{
    Fixture *f = *state;
    size_t chunk = 1 << 20;
    g_autofree char *blob = g_malloc(chunk);

    memset(blob, 'a', chunk);
    feed(f, "{\"execute\": \"query-name\", \"id\": \"");
    for (int i = 0; i < 65; i++) {
        qmp_monitor_feed(f->mon, blob, chunk);
    }
    expect(f, "\"}{\"execute\": \"query-name\"}",
           ERR("GenericError", "JSON token size limit exceeded") OK_EMPTY);
}

/* ---- Serializer ------------------------------------------------------ */

static JsonNode *parse(const char *json)
{
    g_autoptr(JsonParser) p = json_parser_new();

    assert_true(json_parser_load_from_data(p, json, -1, NULL));
    return json_node_copy(json_parser_get_root(p));
}

static void test_serializer(void **state)
{
    JsonNode *n = parse("{\"a\":1,\"b\":[1,2],\"c\":{},\"d\":[],\"t\":true,"
                        "\"n\":null,\"f\":1.5,\"neg\":-9223372036854775807,"
                        "\"s\":\"\\u00e9\\n\\\"\\\\/\\u0001\\u007f\\b\\f\\r\\t"
                        "\\ud83d\\ude00\"}");
    g_autofree char *flat = qmp_to_json(n, false);
    g_autofree char *pretty = NULL;
    JsonNode *bad = json_node_init_string(json_node_alloc(), "a\xFF"
                                                             "b");
    g_autofree char *bad_text = qmp_to_json(bad, false);

    assert_string_equal(flat, "{\"a\": 1, \"b\": [1, 2], \"c\": {}, \"d\": [], "
                              "\"t\": true, \"n\": null, \"f\": 1.5, "
                              "\"neg\": -9223372036854775807, \"s\": "
                              "\"\\u00E9\\n\\\"\\\\/\\u0001\\u007F\\b\\f\\r\\t"
                              "\\uD83D\\uDE00\"}");
    json_node_unref(n);

    n = parse("{\"a\":1,\"b\":[1,{\"x\":[]}],\"c\":{}}");
    pretty = qmp_to_json(n, true);
    assert_string_equal(pretty, "{\n"
                                "    \"a\": 1,\n"
                                "    \"b\": [\n"
                                "        1,\n"
                                "        {\n"
                                "            \"x\": []\n"
                                "        }\n"
                                "    ],\n"
                                "    \"c\": {}\n"
                                "}");
    json_node_unref(n);

    assert_string_equal(bad_text, "\"a\\uFFFDb\"");
    json_node_unref(bad);
}

/* A chardev monitor greets on OPENED; -qmp-pretty output keeps "\r\n". */
static void test_chardev_pretty(void **state)
{
    g_autoptr(Opts) opts = opts_parse("ringbuf,id=qmp0", "backend", NULL);
    Chardev *chr = chardev_new_from_opts(opts, NULL);
    QmpMonitor *mon;
    GString *got;

    assert_non_null(chr);
    mon = qmp_monitor_new(chr, true, NULL);
    assert_non_null(mon);
    got = chardev_ringbuf_read(chr, SIZE_MAX);
    assert_non_null(got);
    assert_true(g_str_has_prefix(got->str,
                                 "{\r\n"
                                 "    \"QMP\": {\r\n"
                                 "        \"version\": {\r\n"
                                 "            \"qemu\": {\r\n"
                                 "                \"micro\": 0,\r\n"));
    assert_true(g_str_has_suffix(got->str, "        \"capabilities\": []\r\n"
                                           "    }\r\n"
                                           "}\r\n"));
    g_string_free(got, true);

    qmp_monitor_feed(mon, "{'execute': 'qmp_capabilities', 'id': 1}", 40);
    got = chardev_ringbuf_read(chr, SIZE_MAX);
    assert_string_equal(got->str, "{\r\n"
                                  "    \"return\": {},\r\n"
                                  "    \"id\": 1\r\n"
                                  "}\r\n");
    g_string_free(got, true);
    qmp_monitor_free(mon);
    chardev_cleanup_all();
}

/* ---- Events and run state -------------------------------------------- */

static void test_events(void **state)
{
    Fixture *f = *state;
    GString *out2 = g_string_new(NULL);
    QmpMonitor *other = qmp_monitor_new_buffer(out2);

    g_string_truncate(out2, 0);
    qmp_broadcast_event(
        "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    {
        g_autofree char *got = take(f);
        g_autofree char *stripped = strip_timestamps(got);

        assert_string_equal(stripped,
                            "{\"timestamp\": TS, \"event\": \"RESET\", "
                            "\"data\": {\"guest\": false, \"reason\": "
                            "\"host-qmp-system-reset\"}}\r\n");
    }
    /* The second monitor has not negotiated: nothing for it. */
    assert_int_equal(out2->len, 0);
    qmp_monitor_free(other);
    g_string_free(out2, true);
}

static void test_quit_event_before_reply(void **state)
{
    Fixture *f = *state;

    expect_events(f, "{\"execute\": \"quit\"}",
                  "{\"timestamp\": TS, \"event\": \"SHUTDOWN\", \"data\": "
                  "{\"guest\": false, \"reason\": \"host-qmp-quit\"}}\r\n"
                  "{\"return\": {}}\r\n");
}

static void test_powerdown(void **state)
{
    Fixture *f = *state;

    expect_events(f, "{\"execute\": \"system_powerdown\"}",
                  "{\"timestamp\": TS, \"event\": \"POWERDOWN\"}\r\n"
                  "{\"return\": {}}\r\n");
}

static void test_stop_cont_status(void **state)
{
    Fixture *f = *state;

    loop_set_hooks(&test_hooks);
    vm_start();
    g_string_truncate(f->out, 0);
    expect(f, "{\"execute\": \"query-status\"}",
           "{\"return\": {\"status\": \"running\", \"singlestep\": false, "
           "\"running\": true}}\r\n");
    expect(f,
           "{\"execute\": \"human-monitor-command\", \"arguments\": "
           "{\"command-line\": \"info status\"}}",
           "{\"return\": \"VM status: running\\r\\n\"}\r\n");
    expect_events(f, "{\"execute\": \"stop\"}",
                  "{\"timestamp\": TS, \"event\": \"STOP\"}\r\n" OK_EMPTY);
    expect(f, "{\"execute\": \"stop\"}", OK_EMPTY); /* no second STOP */
    expect(f, "{\"execute\": \"query-status\"}",
           "{\"return\": {\"status\": \"paused\", \"singlestep\": false, "
           "\"running\": false}}\r\n");
    expect(f,
           "{\"execute\": \"human-monitor-command\", \"arguments\": "
           "{\"command-line\": \"info status\"}}",
           "{\"return\": \"VM status: paused\\r\\n\"}\r\n");
    expect_events(f, "{\"execute\": \"cont\"}",
                  "{\"timestamp\": TS, \"event\": \"RESUME\"}\r\n" OK_EMPTY);
    expect(f, "{\"execute\": \"cont\"}", OK_EMPTY); /* no second RESUME */
    expect_events(f, "{\"execute\": \"system_reset\"}",
                  "{\"timestamp\": TS, \"event\": \"RESET\", \"data\": "
                  "{\"guest\": false, \"reason\": "
                  "\"host-qmp-system-reset\"}}\r\n" OK_EMPTY);
}

/* ---- QOM ------------------------------------------------------------- */

static void test_qom_list(void **state)
{
    Fixture *f = *state;

    expect(f,
           "{\"execute\": \"qom-list\", \"arguments\": "
           "{\"path\": \"/machine/thing0\"}}",
           "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
           "{\"name\": \"on\", \"type\": \"bool\"}, "
           "{\"name\": \"count\", \"description\": \"how many\", "
           "\"type\": \"uint32\"}, "
           "{\"name\": \"offset\", \"type\": \"int64\"}, "
           "{\"name\": \"sz\", \"type\": \"size\"}, "
           "{\"name\": \"label\", \"type\": \"string\"}]}\r\n");
    expect(f, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/\"}}",
           "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
           "{\"name\": \"machine\", \"type\": \"child<container>\"}]}\r\n");
    expect(f,
           "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"nope\"}}",
           ERR("DeviceNotFound", "Device 'nope' not found"));
    expect(f, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"dup\"}}",
           ERR("GenericError", "Path 'dup' is ambiguous"));
}

static void test_qom_get(void **state)
{
    Fixture *f = *state;

#define GET(path, prop)                                                        \
    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"" path             \
    "\", \"property\": \"" prop "\"}}"
    expect(f, GET("/machine/thing0", "count"), "{\"return\": 5}\r\n");
    expect(f, GET("thing0", "offset"), "{\"return\": -3}\r\n");
    expect(f, GET("peripheral/dup", "on"), "{\"return\": false}\r\n");
    expect(f, GET("thing0", "sz"), "{\"return\": 4096}\r\n");
    expect(f, GET("thing0", "label"), "{\"return\": \"x\"}\r\n");
    expect(f, GET("thing0", "type"), "{\"return\": \"test-qmp-thing\"}\r\n");
    expect(f, GET("/machine", "thing0"),
           "{\"return\": \"/machine/thing0\"}\r\n");
    expect(f, GET("thing0", "nope"),
           ERR("GenericError", "Property 'test-qmp-thing.nope' not found"));
    expect(f, GET("/machine/nope", "x"),
           ERR("DeviceNotFound", "Device '/machine/nope' not found"));
#undef GET
}

static void test_qom_set(void **state)
{
    Fixture *f = *state;

#define SET(prop, value)                                                       \
    "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"thing0\", "        \
    "\"property\": \"" prop "\", \"value\": " value "}}"
#define GET(prop)                                                              \
    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"thing0\", "        \
    "\"property\": \"" prop "\"}}"
    expect(f, SET("count", "7"), OK_EMPTY);
    expect(f, GET("count"), "{\"return\": 7}\r\n");
    /* A string for a number is parsed like a command-line value. */
    expect(f, SET("count", "\"0x10\""), OK_EMPTY);
    expect(f, GET("count"), "{\"return\": 16}\r\n");
    expect(f, SET("sz", "\"4k\""), OK_EMPTY);
    expect(f, GET("sz"), "{\"return\": 4096}\r\n");
    expect(f, SET("offset", "-100"), OK_EMPTY);
    expect(f, GET("offset"), "{\"return\": -100}\r\n");
    expect(f, SET("on", "true"), OK_EMPTY);
    expect(f, GET("on"), "{\"return\": true}\r\n");
    expect(f, SET("label", "\"hello\""), OK_EMPTY);
    expect(f, GET("label"), "{\"return\": \"hello\"}\r\n");

    expect(f, SET("count", "true"),
           ERR("GenericError",
               "Invalid parameter type for 'count', expected: integer"));
    expect(f, SET("count", "1.5"),
           ERR("GenericError",
               "Invalid parameter type for 'count', expected: integer"));
    expect(f, SET("on", "\"yes\""),
           ERR("GenericError",
               "Invalid parameter type for 'on', expected: boolean"));
    expect(f, SET("label", "5"),
           ERR("GenericError",
               "Invalid parameter type for 'label', expected: string"));
    expect(f, SET("nope", "5"),
           ERR("GenericError", "Property 'test-qmp-thing.nope' not found"));
    expect(f, GET("count"), "{\"return\": 16}\r\n"); /* unchanged */
    /* qmp-test /qmp/missing-any-arg */
    expect(f,
           "{'execute': 'qom-set', 'arguments': { 'path': '/machine', "
           "'property': 'rtc-time' } }",
           ERR("GenericError", "Parameter 'value' is missing"));
#undef SET
#undef GET
}

static void test_qom_list_types(void **state)
{
    Fixture *f = *state;

    expect(f,
           "{\"execute\": \"qom-list-types\", \"arguments\": "
           "{\"implements\": \"test-qmp-base\"}}",
           "{\"return\": [{\"name\": \"test-qmp-thing\", \"parent\": "
           "\"test-qmp-base\"}]}\r\n");
    expect(f,
           "{\"execute\": \"qom-list-types\", \"arguments\": "
           "{\"implements\": \"test-qmp-base\", \"abstract\": true}}",
           "{\"return\": [{\"abstract\": true, \"name\": \"test-qmp-base\", "
           "\"parent\": \"object\"}, {\"name\": \"test-qmp-thing\", "
           "\"parent\": \"test-qmp-base\"}]}\r\n");
    expect(f,
           "{\"execute\": \"qom-list-types\", \"arguments\": "
           "{\"implements\": \"no-such-type\"}}",
           "{\"return\": []}\r\n");
}

static void test_device_list_properties(void **state)
{
    Fixture *f = *state;

#define DLP(t)                                                                 \
    "{\"execute\": \"device-list-properties\", \"arguments\": "                \
    "{\"typename\": \"" t "\"}}"
    expect(f, DLP("test-qmp-dev"),
           "{\"return\": [{\"default-value\": 1000, \"name\": \"freq\", "
           "\"description\": \"clock in Hz\", \"type\": \"uint32\"}, "
           "{\"default-value\": true, \"name\": \"fast\", "
           "\"type\": \"bool\"}]}\r\n");
    expect(f, DLP("nope"), ERR("DeviceNotFound", "Device 'nope' not found"));
    expect(f, DLP("test-qmp-thing"),
           ERR("GenericError",
               "Parameter 'typename' expects a non-abstract device type"));
    expect(f, DLP("device"),
           ERR("GenericError",
               "Parameter 'typename' expects a non-abstract device type"));
#undef DLP
}

static void test_hmp(void **state)
{
    Fixture *f = *state;

#define HMP(line)                                                              \
    "{\"execute\": \"human-monitor-command\", \"arguments\": "                 \
    "{\"command-line\": \"" line "\"}}"
    expect(f, HMP("nosuchcmd"),
           "{\"return\": \"unknown command: 'nosuchcmd'\\r\\n\"}\r\n");
    expect(f, HMP("info nosuch"),
           "{\"return\": \"unknown command: 'info nosuch'\\r\\n\"}\r\n");
    expect(f, HMP(""), "{\"return\": \"\"}\r\n");
    expect(f, HMP("info qom-tree"),
           "{\"return\": \"/machine (container)\\r\\n"
           "  /peripheral (container)\\r\\n"
           "    /dup (test-qmp-thing)\\r\\n"
           "  /thing0 (test-qmp-thing)\\r\\n"
           "  /unattached (container)\\r\\n"
           "    /dup (test-qmp-thing)\\r\\n\"}\r\n");
    expect(f, HMP("info qom-tree /machine/peripheral"),
           "{\"return\": \"/peripheral (container)\\r\\n"
           "  /dup (test-qmp-thing)\\r\\n\"}\r\n");
    expect(f, HMP("info version"),
           "{\"return\": \"7.2.0 (benchtop " BENCHTOP_VERSION ")\\r\\n\"}\r\n");
    expect(f,
           "{\"execute\": \"human-monitor-command\", \"arguments\": "
           "{\"command-line\": \"info status\", \"cpu-index\": 3}}",
           ERR("GenericError", "Parameter 'cpu-index' expects a CPU number"));
    feed(f, HMP("help"));
    {
        g_autofree char *got = take(f);

        assert_non_null(strstr(got, "info [subcommand]"));
    }
#undef HMP
}

/* ---- Queries --------------------------------------------------------- */

static void test_query_commands(void **state)
{
    static const char *const names[] = {
        "qmp_capabilities",
        "quit",
        "query-status",
        "query-version",
        "query-commands",
        "query-name",
        "stop",
        "cont",
        "system_reset",
        "system_powerdown",
        "qom-list",
        "qom-get",
        "qom-set",
        "qom-list-types",
        "query-machines",
        "query-target",
        "query-kvm",
        "query-cpus-fast",
        "query-block",
        "device-list-properties",
        "human-monitor-command",
    };
    Fixture *f = *state;
    JsonNode *ret;
    JsonArray *a;

    feed(f, "{\"execute\": \"query-commands\"}");
    ret = take_return(f);
    a = json_node_get_array(ret);
    assert_int_equal(json_array_get_length(a), G_N_ELEMENTS(names));
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        bool found = false;

        for (guint j = 0; j < json_array_get_length(a); j++) {
            JsonObject *o = json_array_get_object_element(a, j);

            assert_int_equal(json_object_get_size(o), 1);
            found |=
                !strcmp(json_object_get_string_member(o, "name"), names[i]);
        }
        assert_true(found);
        /* and each one is really dispatched (never CommandNotFound) */
    }
    json_node_unref(ret);
}

static void test_small_queries(void **state)
{
    Fixture *f = *state;

    expect(f, "{\"execute\": \"query-version\"}",
           "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": "
           "7}, \"package\": \"benchtop " BENCHTOP_VERSION "\"}}\r\n");
    expect(f, "{\"execute\": \"query-target\"}",
           "{\"return\": {\"arch\": \"riscv64\"}}\r\n");
    expect(f, "{\"execute\": \"query-kvm\"}",
           "{\"return\": {\"enabled\": false, \"present\": false}}\r\n");
    expect(f, "{\"execute\": \"query-block\"}", "{\"return\": []}\r\n");
    expect(f, "{\"execute\": \"query-cpus-fast\"}", "{\"return\": []}\r\n");
    expect(f, "{\"execute\": \"query-name\"}", OK_EMPTY);
    qmp_set_name("guest1");
    expect(f, "{\"execute\": \"query-name\"}",
           "{\"return\": {\"name\": \"guest1\"}}\r\n");
    qmp_set_name(NULL);
}

static void test_query_machines(void **state)
{
    Fixture *f = *state;
    JsonNode *ret;
    JsonArray *a;
    bool none = false;

    feed(f, "{\"execute\": \"query-machines\"}");
    ret = take_return(f);
    a = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        const char *name = json_object_get_string_member(o, "name");

        assert_false(json_object_get_boolean_member(o, "acpi"));
        assert_false(json_object_get_boolean_member(o, "deprecated"));
        assert_false(json_object_get_boolean_member(o, "hotpluggable-cpus"));
        assert_true(json_object_has_member(o, "cpu-max"));
        if (!strcmp(name, "none")) {
            none = true;
            assert_false(json_object_has_member(o, "default-cpu-type"));
        }
    }
    assert_true(none);
    json_node_unref(ret);
}

int main(void)
{
#define T(fn)     cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_RAW(fn) cmocka_unit_test_setup_teardown(fn, setup_raw, teardown)
    const struct CMUnitTest tests[] = {
        T_RAW(test_greeting),
        T_RAW(test_negotiation_mode),
        T_RAW(test_capabilities_args),
        T(test_request_errors),
        T(test_argument_type_words),
        T(test_id_echo),
        T(test_pipelined),
        T(test_split_bytes),
        T(test_single_quotes),
        T(test_scalars_need_a_delimiter),
        T(test_garbage_recovery),
        T(test_lexical_error_texts),
        T(test_nesting_limit),
        T(test_size_limit),
        T(test_serializer),
        T(test_chardev_pretty),
        T(test_events),
        T(test_powerdown),
        T(test_stop_cont_status),
        T(test_qom_list),
        T(test_qom_get),
        T(test_qom_set),
        T(test_qom_list_types),
        T(test_device_list_properties),
        T(test_hmp),
        T(test_query_commands),
        T(test_small_queries),
        T(test_query_machines),
        T(test_quit_event_before_reply), /* last: leaves a shutdown pending */
    };

    object_register_types();
    device_register_types();
    chardev_register_types();
    machine_register_types();
    type_register(&test_base_class);
    type_register(&test_thing_class);
    type_register(&test_dev_class.obj);
    qmp_register_builtin_commands();
    return cmocka_run_group_tests_name("qmp", tests, NULL, NULL);
}
