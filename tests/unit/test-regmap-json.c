/* SPDX-License-Identifier: MIT */
/*
 * Register maps and coverage as JSON: structure, number encoding, path
 * filters, counters by origin, counter reset, the exit dump line, and the
 * QMP (bt-query-regmaps, bt-query-regcov) and qtest (bt_regmap, bt_regcov,
 * bt_regcov_reset) commands, on a fake two-region device under a fake
 * /machine container.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "emu/device.h"
#include "emu/memory.h"
#include "emu/monitor/qmp.h"
#include "emu/object.h"
#include "emu/regcov.h"
#include "emu/regmap-json.h"
#include "emu/regmap.h"
#include "qtest/qtest.h"

#define TYPE_FAKE "regmap-json-fake"

/* Region "regs": 32-bit storage. */
#define FAKE_CTRL   0x0
#define FAKE_STATUS 0x4
#define FAKE_DATA   0x8 /* 2-byte, write-only */
/* Region "ctl": 64-bit storage, 4- and 8-byte accesses. */
#define FAKE_TIME  0x00
#define FAKE_CMP   0x08
#define FAKE_LIMIT 0x10

#define FAKE0_REGS 0x4000
#define FAKE0_CTL  0x5000

#define BIT53 (UINT64_C(1) << 53)

enum { R_CTRL, R_STATUS, R_DATA, R_NUM };
enum { C_TIME, C_CMP, C_LIMIT, C_NUM };

typedef struct FakeState {
    Device parent; /* must be first */
    uint32_t regs[R_NUM];
    uint64_t ctl[C_NUM];
    unsigned data_posts;
    uint64_t cmp_written;
} FakeState;

static uint64_t fake_status_read(Device *dev, const RegDesc *r)
{
    return ((FakeState *)dev)->regs[R_STATUS] | 0x8;
}

static void fake_data_post_write(Device *dev, const RegDesc *r, uint64_t old)
{
    ((FakeState *)dev)->data_posts++;
}

static uint64_t fake_time_read(Device *dev, const RegDesc *r)
{
    return 42;
}

static void fake_cmp_write(Device *dev, const RegDesc *r, uint64_t val)
{
    ((FakeState *)dev)->cmp_written = val;
}

static const RegField fake_ctrl_fields[] = {
    {"EN", 0, 1, "enable"},
    {"MODE", 4, 3, NULL},
    {.name = NULL},
};

static const RegDesc fake_regs[R_NUM] = {
    [R_CTRL] = REG(FAKE, CTRL, .reset = 0x1, .rw = 0x71, .unimp = 0x80000000,
                   .fields = fake_ctrl_fields, .desc = "control"),
    [R_STATUS] = REG(FAKE, STATUS, .reset = 0x13, .w1c = 0x3, .w1s = 0x100,
                     .rc = 0x10, .read = fake_status_read),
    [R_DATA] = REG(FAKE, DATA, .width = 2, .access = REG_W, .rw = 0xffffffff,
                   .post_write = fake_data_post_write),
};

static const RegDesc fake_ctl_regs[C_NUM] = {
    [C_TIME] = REG(FAKE, TIME, .access = REG_R, .reset = BIT53 - 1,
                   .read = fake_time_read),
    [C_CMP] = REG(FAKE, CMP, .reset = UINT64_MAX, .rw = UINT64_MAX,
                  .write = fake_cmp_write),
    [C_LIMIT] = REG(FAKE, LIMIT, .reset = BIT53, .rw = 0xff),
};

static const DeviceClass fake_class = {
    .obj =
        {
            .name = TYPE_FAKE,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(FakeState),
        },
    .regions =
        {
            REGION32("regs", 0x10, fake_regs, FakeState, regs),
            REGION64("ctl", 0x20, fake_ctl_regs, FakeState, ctl,
                     .min_access = 4, .max_access = 8),
        },
};

typedef struct Fixture {
    Device *fake0; /* /machine/fake0, mapped */
    Device *fake1; /* /machine/peripheral/fake1, not mapped */
} Fixture;

static Device *add_fake(Object *parent, const char *name, bool realize)
{
    g_autoptr(GError) err = NULL;
    Device *dev = device_new(TYPE_FAKE, &err);

    assert_non_null(dev);
    if (realize) {
        assert_true(device_realize(dev, &err));
    }
    assert_true(object_add_child(parent, name, &dev->obj, &err));
    object_unref(&dev->obj); /* the tree holds it */
    return dev;
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    g_autoptr(GError) err = NULL;
    Object *machine;

    memory_reset_for_test();
    object_reset_root();
    machine = object_get_container(object_get_root(), "machine");
    f->fake0 = add_fake(machine, "fake0", true);
    assert_true(device_map(f->fake0, "regs", FAKE0_REGS, 0, &err));
    assert_true(device_map(f->fake0, "ctl", FAKE0_CTL, 0, &err));
    f->fake1 =
        add_fake(object_get_container(machine, "peripheral"), "fake1", true);
    add_fake(object_get_container(machine, "unattached"), "cold", false);
    unsetenv("BENCHTOP_REGCOV_TAG");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    object_reset_root();
    memory_reset_for_test();
    g_free(*state);
    return 0;
}

/* ---- Navigating JSON: "devices/0/regions/1/name" ------------------- */

static JsonNode *jget(JsonNode *root, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    JsonNode *n = root;

    for (char **p = parts; *p; p++) {
        if (JSON_NODE_HOLDS_ARRAY(n)) {
            JsonArray *a = json_node_get_array(n);
            guint64 i = g_ascii_strtoull(*p, NULL, 10);

            assert_true(i < json_array_get_length(a));
            n = json_array_get_element(a, (guint)i);
        } else {
            JsonObject *o;

            assert_true(JSON_NODE_HOLDS_OBJECT(n));
            o = json_node_get_object(n);
            if (!json_object_has_member(o, *p)) {
                fail_msg("no member '%s' in '%s'", *p, path);
            }
            n = json_object_get_member(o, *p);
        }
    }
    return n;
}

static gint64 jint(JsonNode *root, const char *path)
{
    JsonNode *n = jget(root, path);

    assert_true(JSON_NODE_HOLDS_VALUE(n));
    assert_int_equal(json_node_get_value_type(n), G_TYPE_INT64);
    return json_node_get_int(n);
}

static const char *jstr(JsonNode *root, const char *path)
{
    JsonNode *n = jget(root, path);

    assert_true(JSON_NODE_HOLDS_VALUE(n));
    assert_int_equal(json_node_get_value_type(n), G_TYPE_STRING);
    return json_node_get_string(n);
}

static bool jbool(JsonNode *root, const char *path)
{
    JsonNode *n = jget(root, path);

    assert_true(JSON_NODE_HOLDS_VALUE(n));
    assert_int_equal(json_node_get_value_type(n), G_TYPE_BOOLEAN);
    return json_node_get_boolean(n);
}

static bool jnull(JsonNode *root, const char *path)
{
    return JSON_NODE_HOLDS_NULL(jget(root, path));
}

static guint jlen(JsonNode *root, const char *path)
{
    JsonNode *n = jget(root, path);

    assert_true(JSON_NODE_HOLDS_ARRAY(n));
    return json_array_get_length(json_node_get_array(n));
}

static JsonNode *parse(const char *text)
{
    g_autoptr(GError) err = NULL;
    JsonNode *n = json_from_string(text, &err);

    if (!n) {
        fail_msg("bad JSON (%s): %s", err->message, text);
    }
    return n;
}

/* ---- Register maps ------------------------------------------------- */

static void test_maps_structure(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) j = regmap_json_maps(NULL, &err);

    assert_non_null(j);
    /* Realized devices only, pre-order: the unrealized "cold" is absent. */
    assert_int_equal(jlen(j, "devices"), 2);
    assert_string_equal(jstr(j, "devices/0/path"), "/machine/fake0");
    assert_string_equal(jstr(j, "devices/0/type"), TYPE_FAKE);
    assert_string_equal(jstr(j, "devices/1/path"), "/machine/peripheral/fake1");
    assert_int_equal(jlen(j, "devices/0/regions"), 2);

    assert_string_equal(jstr(j, "devices/0/regions/0/name"), "regs");
    assert_int_equal(jint(j, "devices/0/regions/0/base"), FAKE0_REGS);
    assert_int_equal(jint(j, "devices/0/regions/0/size"), 0x10);
    assert_int_equal(jint(j, "devices/0/regions/0/min-access"), 1);
    assert_int_equal(jint(j, "devices/0/regions/0/max-access"), 8);
    assert_string_equal(jstr(j, "devices/0/regions/1/name"), "ctl");
    assert_int_equal(jint(j, "devices/0/regions/1/base"), FAKE0_CTL);
    assert_int_equal(jint(j, "devices/0/regions/1/min-access"), 4);
    assert_true(jnull(j, "devices/1/regions/0/base")); /* unmapped */

    assert_int_equal(jlen(j, "devices/0/regions/0/registers"), R_NUM);
    assert_string_equal(jstr(j, "devices/0/regions/0/registers/0/name"),
                        "CTRL");
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/offset"), 0);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/width"), 4);
    assert_string_equal(jstr(j, "devices/0/regions/0/registers/0/access"),
                        "rw");
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/reset"), 1);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/rw"), 0x71);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/unimp"),
                     0x80000000);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/w1c"), 0);
    assert_false(jbool(j, "devices/0/regions/0/registers/0/read-hook"));
    assert_false(jbool(j, "devices/0/regions/0/registers/0/write-hook"));
    assert_string_equal(jstr(j, "devices/0/regions/0/registers/0/desc"),
                        "control");
    assert_int_equal(jlen(j, "devices/0/regions/0/registers/0/fields"), 2);
    assert_string_equal(
        jstr(j, "devices/0/regions/0/registers/0/fields/1/name"), "MODE");
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/fields/1/shift"),
                     4);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/0/fields/1/width"),
                     3);
    assert_string_equal(
        jstr(j, "devices/0/regions/0/registers/0/fields/0/desc"), "enable");
    assert_true(jnull(j, "devices/0/regions/0/registers/0/fields/1/desc"));

    /* STATUS: every mask, a read hook, no description */
    assert_int_equal(jint(j, "devices/0/regions/0/registers/1/offset"),
                     FAKE_STATUS);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/1/w1c"), 0x3);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/1/w1s"), 0x100);
    assert_int_equal(jint(j, "devices/0/regions/0/registers/1/rc"), 0x10);
    assert_true(jbool(j, "devices/0/regions/0/registers/1/read-hook"));
    assert_false(jbool(j, "devices/0/regions/0/registers/1/write-hook"));
    assert_true(jnull(j, "devices/0/regions/0/registers/1/desc"));
    assert_int_equal(jlen(j, "devices/0/regions/0/registers/1/fields"), 0);

    /* DATA: 2 bytes wide, write-only, post_write counts as a write hook */
    assert_int_equal(jint(j, "devices/0/regions/0/registers/2/width"), 2);
    assert_string_equal(jstr(j, "devices/0/regions/0/registers/2/access"), "w");
    assert_true(jbool(j, "devices/0/regions/0/registers/2/write-hook"));

    /* ctl: TIME read-only with a read hook, CMP with a write hook */
    assert_string_equal(jstr(j, "devices/0/regions/1/registers/0/access"), "r");
    assert_int_equal(jint(j, "devices/0/regions/1/registers/0/width"), 8);
    assert_true(jbool(j, "devices/0/regions/1/registers/0/read-hook"));
    assert_true(jbool(j, "devices/0/regions/1/registers/1/write-hook"));
    assert_int_equal(jint(j, "devices/0/regions/1/registers/2/offset"),
                     FAKE_LIMIT);
}

static void test_maps_number_encoding(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) j = regmap_json_maps(NULL, &err);

    assert_non_null(j);
    /* Below 2^53: a JSON integer. */
    assert_int_equal(jint(j, "devices/0/regions/1/registers/0/reset"),
                     BIT53 - 1);
    /* From 2^53 up: "0x" and 16 hex digits. */
    assert_string_equal(jstr(j, "devices/0/regions/1/registers/2/reset"),
                        "0x0020000000000000");
    assert_string_equal(jstr(j, "devices/0/regions/1/registers/1/reset"),
                        "0xffffffffffffffff");
    assert_string_equal(jstr(j, "devices/0/regions/1/registers/1/rw"),
                        "0xffffffffffffffff");
    /* Masks are limited to the register's width (DATA is 2 bytes). */
    assert_int_equal(jint(j, "devices/0/regions/0/registers/2/rw"), 0xffff);
}

static void test_maps_compact(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) j = regmap_json_maps("fake1", &err);
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) back = NULL;

    assert_non_null(j);
    text = regmap_json_compact(j);
    assert_true(g_str_has_prefix(
        text, "{\"devices\":[{\"path\":\"/machine/peripheral/fake1\","
              "\"type\":\"" TYPE_FAKE "\",\"regions\":[{\"name\":\"regs\","
              "\"base\":null,\"size\":16,\"min-access\":1,"
              "\"max-access\":8,\"registers\":[{\"name\":\"CTRL\","));
    assert_null(strchr(text, '\n'));
    assert_null(strchr(text, ' '));
    back = parse(text);
    assert_true(json_node_equal(j, back));
}

static void test_maps_path_filter(void **state)
{
    static const struct {
        const char *path;
        const char *expect;
    } cases[] = {
        {"fake1", "/machine/peripheral/fake1"},
        {"peripheral/fake1", "/machine/peripheral/fake1"},
        {"/machine/fake0", "/machine/fake0"},
        {"fake0", "/machine/fake0"},
        {"/machine/peripheral", "/machine/peripheral/fake1"}, /* container */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(JsonNode) j = regmap_json_maps(cases[i].path, &err);

        assert_non_null(j);
        assert_int_equal(jlen(j, "devices"), 1);
        assert_string_equal(jstr(j, "devices/0/path"), cases[i].expect);
    }
}

static void test_maps_path_errors(void **state)
{
    Object *machine = object_get_container(object_get_root(), "machine");
    static const char *const missing[] = {"nope", "/machine/nope", "cold",
                                          "/machine/unattached/cold"};

    for (size_t i = 0; i < G_N_ELEMENTS(missing); i++) {
        g_autoptr(GError) err = NULL;
        g_autofree char *msg =
            g_strdup_printf("Device '%s' not found", missing[i]);

        assert_null(regmap_json_maps(missing[i], &err));
        assert_true(g_error_matches(err, EMU_ERROR, EMU_ERROR_NOT_FOUND));
        assert_string_equal(err->message, msg);
        g_clear_error(&err);
        assert_null(regmap_json_coverage(missing[i], NULL, &err));
        assert_true(g_error_matches(err, EMU_ERROR, EMU_ERROR_NOT_FOUND));
    }

    /* Two devices called "dup": a partial path must be unique. */
    add_fake(object_get_container(machine, "peripheral"), "dup", true);
    add_fake(object_get_container(machine, "unattached"), "dup", true);
    {
        g_autoptr(GError) err = NULL;

        assert_null(regmap_json_maps("dup", &err));
        assert_true(g_error_matches(err, EMU_ERROR, EMU_ERROR_GENERIC));
        assert_string_equal(err->message, "Path 'dup' is ambiguous");
    }
}

static void test_maps_no_machine(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) maps = NULL;
    g_autoptr(JsonNode) cov = NULL;

    object_reset_root();
    maps = regmap_json_maps(NULL, &err);
    assert_non_null(maps);
    assert_int_equal(jlen(maps, "devices"), 0);
    cov = regmap_json_coverage(NULL, "t", &err);
    assert_non_null(cov);
    assert_true(jnull(cov, "machine"));
    assert_int_equal(jlen(cov, "devices"), 0);
    regmap_coverage_reset(); /* nothing to reset: must not crash */
}

/* ---- Coverage ------------------------------------------------------ */

static uint64_t rd(RegRegion *rr, hwaddr off, unsigned size)
{
    uint64_t v = 0;

    assert_int_equal(regmap_ops.read(rr, off, size, &v), MEMTX_OK);
    return v;
}

static void wr(RegRegion *rr, hwaddr off, unsigned size, uint64_t v)
{
    assert_int_equal(regmap_ops.write(rr, off, size, v), MEMTX_OK);
}

/* Registers: regs CTRL STATUS DATA, then ctl TIME CMP LIMIT. */
#define COV(dev, reg, key) "devices/" #dev "/registers/" #reg "/" key

static void assert_all_zero(JsonNode *j)
{
    static const char *const keys[] = {"qtest-reads", "qtest-writes",
                                       "hart-reads",  "hart-writes",
                                       "other-reads", "other-writes"};

    for (guint d = 0; d < jlen(j, "devices"); d++) {
        g_autofree char *regs = g_strdup_printf("devices/%u/registers", d);

        for (guint r = 0; r < jlen(j, regs); r++) {
            for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
                g_autofree char *p =
                    g_strdup_printf("%s/%u/%s", regs, r, keys[k]);

                assert_int_equal(jint(j, p), 0);
            }
        }
    }
}

static void test_coverage_counts_by_origin(void **state)
{
    Fixture *f = *state;
    RegRegion *regs = device_regmap(f->fake0, "regs");
    RegRegion *ctl = device_regmap(f->fake0, "ctl");
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) j = NULL;
    MemOrigin saved = memory_get_origin();

    memory_set_origin(MEM_ORIGIN_QTEST);
    wr(regs, FAKE_CTRL, 4, 0x11);
    assert_int_equal(rd(regs, FAKE_STATUS, 4), 0x1b);
    assert_int_equal(rd(regs, FAKE_STATUS, 1), 0xb); /* rc cleared 0x10 */
    memory_set_origin(MEM_ORIGIN_HART);
    assert_int_equal(rd(regs, FAKE_CTRL, 4), 0x11);
    wr(regs, FAKE_DATA, 2, 0x1234);
    wr(ctl, FAKE_CMP, 8, 7);
    memory_set_origin(MEM_ORIGIN_OTHER);
    assert_int_equal(rd(regs, FAKE_CTRL, 1), 0x11);
    assert_int_equal(rd(ctl, FAKE_TIME, 8), 42);
    memory_set_origin(saved);

    j = regmap_json_coverage(NULL, "unit", &err);
    assert_non_null(j);
    assert_string_equal(jstr(j, "tag"), "unit");
    assert_int_equal(jint(j, "pid"), getpid());
    assert_string_equal(jstr(j, "machine"), "container"); /* fake /machine */
    assert_int_equal(jlen(j, "devices"), 2);
    assert_string_equal(jstr(j, "devices/0/path"), "/machine/fake0");
    assert_string_equal(jstr(j, "devices/0/type"), TYPE_FAKE);
    /* Every register of every region, zeros included. */
    assert_int_equal(jlen(j, "devices/0/registers"), R_NUM + C_NUM);
    assert_int_equal(jlen(j, "devices/1/registers"), R_NUM + C_NUM);
    assert_string_equal(jstr(j, COV(0, 0, "region")), "regs");
    assert_string_equal(jstr(j, COV(0, 0, "name")), "CTRL");
    assert_string_equal(jstr(j, COV(0, 3, "region")), "ctl");
    assert_string_equal(jstr(j, COV(0, 5, "name")), "LIMIT");

    assert_int_equal(jint(j, COV(0, 0, "qtest-writes")), 1);
    assert_int_equal(jint(j, COV(0, 0, "qtest-reads")), 0);
    assert_int_equal(jint(j, COV(0, 0, "hart-reads")), 1);
    assert_int_equal(jint(j, COV(0, 0, "hart-writes")), 0);
    assert_int_equal(jint(j, COV(0, 0, "other-reads")), 1);
    assert_int_equal(jint(j, COV(0, 0, "other-writes")), 0);
    assert_int_equal(jint(j, COV(0, 1, "qtest-reads")), 2);
    assert_int_equal(jint(j, COV(0, 2, "hart-writes")), 1);
    assert_int_equal(jint(j, COV(0, 4, "hart-writes")), 1);
    assert_int_equal(jint(j, COV(0, 3, "other-reads")), 1);
    assert_int_equal(jint(j, COV(0, 5, "other-reads")), 0);
    assert_int_equal(jint(j, COV(1, 0, "qtest-writes")), 0);

    /* The filter works for coverage too. */
    {
        g_autoptr(JsonNode) one = regmap_json_coverage("fake1", "", &err);

        assert_non_null(one);
        assert_int_equal(jlen(one, "devices"), 1);
        assert_all_zero(one);
    }
}

static void test_coverage_tag_from_env(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) a = regmap_json_coverage(NULL, NULL, &err);
    g_autoptr(JsonNode) b = NULL;

    assert_string_equal(jstr(a, "tag"), "");
    setenv("BENCHTOP_REGCOV_TAG", "tests/qtest/test-x", 1);
    b = regmap_json_coverage(NULL, NULL, &err);
    assert_string_equal(jstr(b, "tag"), "tests/qtest/test-x");
    unsetenv("BENCHTOP_REGCOV_TAG");
}

static void test_coverage_reset(void **state)
{
    Fixture *f = *state;
    RegRegion *regs = device_regmap(f->fake1, "regs");
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) before = NULL;
    g_autoptr(JsonNode) after = NULL;
    MemOrigin saved = memory_get_origin();

    memory_set_origin(MEM_ORIGIN_QTEST);
    wr(regs, FAKE_CTRL, 4, 1);
    rd(regs, FAKE_CTRL, 4);
    memory_set_origin(saved);
    before = regmap_json_coverage("fake1", "", &err);
    assert_int_equal(jint(before, COV(0, 0, "qtest-writes")), 1);

    regmap_coverage_reset();
    after = regmap_json_coverage(NULL, "", &err);
    assert_all_zero(after);
    /* Registers keep their values: only the counters are cleared. */
    assert_int_equal(((FakeState *)f->fake1)->regs[R_CTRL], 1);
}

/* ---- The dump line ------------------------------------------------- */

static char *read_file(const char *path)
{
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, &err));
    return text;
}

static void test_dump_appends_one_line(void **state)
{
    Fixture *f = *state;
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(JsonNode) j = NULL;
    MemOrigin saved = memory_get_origin();
    int fd = g_file_open_tmp("regcov-XXXXXX.jsonl", &path, &err);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\"earlier\":1}\n", 14), 14);
    close(fd);

    memory_set_origin(MEM_ORIGIN_QTEST);
    wr(device_regmap(f->fake0, "regs"), FAKE_CTRL, 4, 0x10);
    memory_set_origin(saved);

    assert_true(regcov_dump(path, "suite-a", &err));
    text = read_file(path);
    assert_true(g_str_has_suffix(text, "\n"));
    lines = g_strsplit(text, "\n", -1);
    assert_int_equal(g_strv_length(lines), 3); /* 2 lines + "" after \n */
    assert_string_equal(lines[0], "{\"earlier\":1}");
    assert_string_equal(lines[2], "");
    j = parse(lines[1]);
    assert_string_equal(jstr(j, "tag"), "suite-a");
    assert_int_equal(jint(j, "pid"), getpid());
    assert_int_equal(jint(j, COV(0, 0, "qtest-writes")), 1);
    assert_int_equal(jlen(j, "devices/1/registers"), R_NUM + C_NUM);
    assert_true(g_str_has_prefix(lines[1], "{\"tag\":\"suite-a\",\"pid\":"));

    g_unlink(path);
}

static void test_dump_at_exit_uses_env_once(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("regcov-XXXXXX", &err);
    g_autofree char *path = g_build_filename(dir, "cov.jsonl", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(JsonNode) j = NULL;

    assert_non_null(dir);
    setenv("BENCHTOP_REGCOV", path, 1);
    setenv("BENCHTOP_REGCOV_TAG", "from-env", 1);
    regcov_dump_at_exit();
    regcov_dump_at_exit(); /* once per process */
    unsetenv("BENCHTOP_REGCOV");
    unsetenv("BENCHTOP_REGCOV_TAG");

    text = read_file(path);
    lines = g_strsplit(text, "\n", -1);
    assert_int_equal(g_strv_length(lines), 2);
    j = parse(lines[0]);
    assert_string_equal(jstr(j, "tag"), "from-env");
    assert_int_equal(jlen(j, "devices"), 2);

    g_unlink(path);
    g_rmdir(dir);
}

static void test_dump_errors(void **state)
{
    g_autoptr(GError) err = NULL;

    assert_false(regcov_dump("/nonexistent-dir/x/cov.jsonl", "", &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "/nonexistent-dir/x/cov.jsonl"));
}

/* ---- QMP ------------------------------------------------------------- */

/* Sends @cmd and returns the last reply line, parsed. */
static JsonNode *qmp(QmpMonitor *mon, GString *out, const char *cmd)
{
    g_auto(GStrv) lines = NULL;
    guint n;

    g_string_truncate(out, 0);
    qmp_monitor_feed(mon, cmd, strlen(cmd));
    assert_true(g_str_has_suffix(out->str, "\r\n"));
    lines = g_strsplit(out->str, "\r\n", -1);
    n = g_strv_length(lines);
    assert_true(n >= 2);
    return parse(lines[n - 2]);
}

static void test_qmp_commands(void **state)
{
    g_autoptr(GString) out = g_string_new(NULL);
    QmpMonitor *mon = qmp_monitor_new_buffer(out);
    g_autoptr(JsonNode) caps = NULL;
    g_autoptr(JsonNode) all = NULL;
    g_autoptr(JsonNode) one = NULL;
    g_autoptr(JsonNode) missing = NULL;
    g_autoptr(JsonNode) cov = NULL;
    g_autoptr(JsonNode) big = NULL;

    caps = qmp(mon, out, "{'execute': 'qmp_capabilities'}");
    assert_true(JSON_NODE_HOLDS_OBJECT(jget(caps, "return")));

    all = qmp(mon, out, "{'execute': 'bt-query-regmaps', 'id': 1}");
    assert_int_equal(jint(all, "id"), 1);
    assert_int_equal(jlen(all, "return/devices"), 2);

    one =
        qmp(mon, out,
            "{'execute': 'bt-query-regmaps', 'arguments': {'path': 'fake1'}}");
    assert_int_equal(jlen(one, "return/devices"), 1);
    assert_string_equal(jstr(one, "return/devices/0/regions/1/name"), "ctl");
    assert_string_equal(jstr(one, "return/devices/0/regions/1/registers/1/rw"),
                        "0xffffffffffffffff");

    missing = qmp(mon, out,
                  "{'execute': 'bt-query-regmaps', 'arguments': "
                  "{'path': 'nope'}}");
    assert_string_equal(jstr(missing, "error/class"), "DeviceNotFound");
    assert_string_equal(jstr(missing, "error/desc"), "Device 'nope' not found");

    cov = qmp(mon, out, "{'execute': 'bt-query-regcov'}");
    assert_int_equal(jint(cov, "return/pid"), getpid());
    assert_int_equal(jlen(cov, "return/devices/0/registers"), R_NUM + C_NUM);

    big = qmp(mon, out,
              "{'execute': 'bt-query-regcov', 'arguments': {'path': 7}}");
    assert_string_equal(jstr(big, "error/class"), "GenericError");

    qmp_monitor_free(mon);
}

/* ---- qtest ----------------------------------------------------------- */

/* Sends one request line; returns the reply without its newline. */
static char *qt(QTestServer *srv, GString *out, const char *req)
{
    g_autofree char *line = g_strconcat(req, "\n", NULL);

    g_string_truncate(out, 0);
    qtest_server_feed(srv, line, strlen(line));
    assert_true(g_str_has_suffix(out->str, "\n"));
    /* exactly one reply line */
    assert_ptr_equal(strchr(out->str, '\n'), out->str + out->len - 1);
    return g_strndup(out->str, out->len - 1);
}

static void test_qtest_commands(void **state)
{
    g_autoptr(GString) out = g_string_new(NULL);
    QTestServer *srv = qtest_server_new_buffer(out, false);
    g_autofree char *maps = NULL;
    g_autofree char *wrote = NULL;
    g_autofree char *cov = NULL;
    g_autofree char *reset = NULL;
    g_autofree char *after = NULL;
    g_autoptr(JsonNode) jm = NULL;
    g_autoptr(JsonNode) jc = NULL;
    g_autoptr(JsonNode) ja = NULL;

    assert_non_null(srv);
    maps = qt(srv, out, "bt_regmap fake1");
    assert_true(g_str_has_prefix(maps, "OK {\"devices\":[{"));
    jm = parse(maps + 3);
    assert_int_equal(jlen(jm, "devices"), 1);
    assert_string_equal(jstr(jm, "devices/0/path"),
                        "/machine/peripheral/fake1");

    /* A qtest access through the address space counts as qtest. */
    wrote = qt(srv, out, "writel 0x4000 0x11");
    assert_string_equal(wrote, "OK");
    cov = qt(srv, out, "bt_regcov /machine/fake0");
    assert_true(g_str_has_prefix(cov, "OK {\"tag\":"));
    jc = parse(cov + 3);
    assert_int_equal(jint(jc, COV(0, 0, "qtest-writes")), 1);
    assert_int_equal(jint(jc, COV(0, 0, "hart-writes")), 0);

    reset = qt(srv, out, "bt_regcov_reset");
    assert_string_equal(reset, "OK");
    after = qt(srv, out, "bt_regcov");
    ja = parse(after + 3);
    assert_int_equal(jlen(ja, "devices"), 2);
    assert_all_zero(ja);

    {
        g_autofree char *r1 = qt(srv, out, "bt_regmap nope");
        g_autofree char *r2 = qt(srv, out, "bt_regmap a b");
        g_autofree char *r3 = qt(srv, out, "bt_regcov_reset now");
        g_autofree char *r4 = qt(srv, out, "bt_regcov cold");
        g_autofree char *r5 = qt(srv, out, "bt_regmap");

        assert_string_equal(r1, "FAIL Device 'nope' not found");
        assert_string_equal(r2, "FAIL bt_regmap takes at most one path");
        assert_string_equal(r3, "FAIL bt_regcov_reset takes no arguments");
        assert_string_equal(r4, "FAIL Device 'cold' not found");
        assert_true(g_str_has_prefix(r5, "OK {\"devices\":"));
    }
    qtest_server_free(srv);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_maps_structure),
        T(test_maps_number_encoding),
        T(test_maps_compact),
        T(test_maps_path_filter),
        T(test_maps_path_errors),
        T(test_maps_no_machine),
        T(test_coverage_counts_by_origin),
        T(test_coverage_tag_from_env),
        T(test_coverage_reset),
        T(test_dump_appends_one_line),
        T(test_dump_at_exit_uses_env_once),
        T(test_dump_errors),
        T(test_qmp_commands),
        T(test_qtest_commands),
    };

    object_register_types();
    device_register_types();
    type_register(&fake_class.obj);
    qmp_register_regmap_commands();
    qmp_register_regmap_commands(); /* idempotent */
    qtest_register_regmap_commands();
    return cmocka_run_group_tests_name("regmap-json", tests, NULL, NULL);
}
