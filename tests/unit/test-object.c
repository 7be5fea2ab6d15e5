/* SPDX-License-Identifier: MIT */
/*
 * Object model: type registry and inheritance, instances and property
 * defaults, property access with QEMU's error texts, the composition tree,
 * canonical paths, path resolution, qom-list order and finalization.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/device.h"
#include "emu/object.h"

#define TYPE_TEST_BASE     "test-base"
#define TYPE_TEST_LEAF     "test-leaf"
#define TYPE_TEST_ABSTRACT "test-abstract"
#define TYPE_TEST_CONCRETE "test-concrete"
#define TYPE_TEST_DEV      "test-dev"

/* Hooks append "<what>:<type>;" here so tests can check the order. */
static GString *hook_log;

typedef struct TestBase {
    Object obj;
    bool flag;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    uint64_t size;
    char *str;
    char *nostr;
    char *label; /* set by instance_init, freed by instance_finalize */
} TestBase;

typedef struct TestLeaf {
    TestBase base;
    uint32_t leaf;
} TestLeaf;

static void log_hook(const char *what, const Object *obj)
{
    g_string_append_printf(hook_log, "%s:%s;", what, object_type_name(obj));
}

static void test_base_init(Object *obj)
{
    TestBase *s = (TestBase *)obj;

    log_hook("init-base", obj);
    s->label = g_strdup("base");
}

static void test_base_finalize(Object *obj)
{
    TestBase *s = (TestBase *)obj;

    log_hook("fin-base", obj);
    g_free(s->label);
}

static void test_leaf_init(Object *obj)
{
    TestBase *s = (TestBase *)obj;

    log_hook("init-leaf", obj);
    s->u16 = 99; /* runs after the defaults, so it wins */
}

static void test_leaf_finalize(Object *obj)
{
    log_hook("fin-leaf", obj);
}

static const PropDesc test_base_props[] = {
    PROP_BOOL_("flag", TestBase, flag, true),
    {.name = "u8",
     .type = PROP_U8,
     .offset = offsetof(TestBase, u8),
     .def_u = 0xab,
     .desc = "an 8-bit value"},
    {.name = "u16",
     .type = PROP_U16,
     .offset = offsetof(TestBase, u16),
     .def_u = 2},
    PROP_U32_("u32", TestBase, u32, 0x1000),
    PROP_U64_("u64", TestBase, u64, 0x123456789ULL),
    {.name = "i32",
     .type = PROP_I32,
     .offset = offsetof(TestBase, i32),
     .def_i = -5},
    {.name = "i64",
     .type = PROP_I64,
     .offset = offsetof(TestBase, i64),
     .def_i = -6000000000LL},
    PROP_SIZE_("size", TestBase, size, 4096),
    PROP_STR_("str", TestBase, str, "hello"),
    PROP_STR_("nostr", TestBase, nostr, NULL),
    PROP_END,
};

static const PropDesc test_leaf_props[] = {
    PROP_U32_("leaf", TestLeaf, leaf, 7),
    PROP_END,
};

static const ObjectClass test_base_class = {
    .name = TYPE_TEST_BASE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(TestBase),
    .props = test_base_props,
    .instance_init = test_base_init,
    .instance_finalize = test_base_finalize,
};

static const ObjectClass test_leaf_class = {
    .name = TYPE_TEST_LEAF,
    .parent = TYPE_TEST_BASE,
    .instance_size = sizeof(TestLeaf),
    .props = test_leaf_props,
    .instance_init = test_leaf_init,
    .instance_finalize = test_leaf_finalize,
};

static const ObjectClass test_abstract_class = {
    .name = TYPE_TEST_ABSTRACT,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .abstract = true,
};

static const ObjectClass test_concrete_class = {
    .name = TYPE_TEST_CONCRETE,
    .parent = TYPE_TEST_ABSTRACT,
    .instance_size = sizeof(Object),
};

/* A device without regions or lines: realize needs no memory code. */
typedef struct TestDev {
    Device parent;
    uint32_t count;
    uint32_t live;
} TestDev;

static const PropDesc test_dev_props[] = {
    PROP_U32_("count", TestDev, count, 1),
    {.name = "live",
     .type = PROP_U32,
     .offset = offsetof(TestDev, live),
     .after_realize = true},
    PROP_END,
};

static const DeviceClass test_dev_class = {
    .obj =
        {
            .name = TYPE_TEST_DEV,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(TestDev),
            .props = test_dev_props,
        },
};

static int setup(void **state)
{
    static bool registered;

    if (!registered) {
        object_register_types();
        device_register_types();
        type_register(&test_base_class);
        type_register(&test_leaf_class);
        type_register(&test_abstract_class);
        type_register(&test_concrete_class);
        type_register(&test_dev_class.obj);
        registered = true;
    }
    hook_log = g_string_new(NULL);
    return 0;
}

static int teardown(void **state)
{
    object_reset_root();
    g_string_free(hook_log, TRUE);
    hook_log = NULL;
    return 0;
}

/* Asserts that @err is set with @msg, then frees it. */
static void assert_error(GError **err, const char *msg)
{
    assert_non_null(*err);
    assert_true((*err)->domain == EMU_ERROR);
    assert_string_equal((*err)->message, msg);
    g_clear_error(err);
}

static Object *new_obj(const char *type)
{
    GError *err = NULL;
    Object *obj = object_new(type, &err);

    assert_null(err);
    assert_non_null(obj);
    return obj;
}

/* Creates @type and adds it as @parent/@name; the tree holds the only ref. */
static Object *add_new(Object *parent, const char *name, const char *type)
{
    Object *obj = new_obj(type);
    GError *err = NULL;

    assert_true(object_add_child(parent, name, obj, &err));
    assert_null(err);
    object_unref(obj);
    return obj;
}

static void test_type_registry(void **state)
{
    const ObjectClass *obj = type_lookup(TYPE_OBJECT);
    const ObjectClass *leaf = type_lookup(TYPE_TEST_LEAF);

    object_register_types(); /* idempotent */
    device_register_types();
    assert_non_null(obj);
    assert_null(type_parent(obj));
    assert_ptr_equal(type_parent(type_lookup(TYPE_CONTAINER)), obj);
    assert_ptr_equal(leaf, &test_leaf_class);
    assert_ptr_equal(type_parent(leaf), &test_base_class);
    assert_true(type_is_a(leaf, TYPE_TEST_LEAF));
    assert_true(type_is_a(leaf, TYPE_TEST_BASE));
    assert_true(type_is_a(leaf, TYPE_OBJECT));
    assert_false(type_is_a(&test_base_class, TYPE_TEST_LEAF));
    assert_false(type_is_a(leaf, "nope"));
    assert_true(type_lookup(TYPE_DEVICE)->abstract);
    assert_null(type_lookup("nope"));
}

static void collect_name(const ObjectClass *cls, void *opaque)
{
    GString *s = opaque;

    g_string_append_printf(s, "%s,", cls->name);
}

static void test_type_foreach_filters(void **state)
{
    g_autoptr(GString) s = g_string_new(NULL);

    type_foreach(TYPE_TEST_ABSTRACT, false, collect_name, s);
    assert_string_equal(s->str, "test-concrete,");

    g_string_truncate(s, 0);
    type_foreach(TYPE_TEST_ABSTRACT, true, collect_name, s);
    assert_string_equal(s->str, "test-abstract,test-concrete,");

    g_string_truncate(s, 0);
    type_foreach(TYPE_DEVICE, false, collect_name, s);
    assert_string_equal(s->str, "test-dev,");

    g_string_truncate(s, 0);
    type_foreach(TYPE_DEVICE, true, collect_name, s);
    assert_string_equal(s->str, "device,test-dev,");

    g_string_truncate(s, 0);
    type_foreach(NULL, false, collect_name, s);
    assert_string_equal(s->str, "container,object,test-base,test-concrete,"
                                "test-dev,test-leaf,");

    g_string_truncate(s, 0);
    type_foreach("nope", true, collect_name, s);
    assert_string_equal(s->str, "");
}

static void test_object_new_defaults(void **state)
{
    Object *obj = new_obj(TYPE_TEST_LEAF);
    TestLeaf *s = (TestLeaf *)obj;

    assert_ptr_equal(obj->cls, &test_leaf_class);
    assert_int_equal(obj->refcount, 1);
    assert_null(obj->parent);
    assert_string_equal(hook_log->str,
                        "init-base:test-leaf;init-leaf:test-leaf;");
    assert_true(s->base.flag);
    assert_int_equal(s->base.u8, 0xab);
    assert_int_equal(s->base.u16, 99); /* instance_init overrode 2 */
    assert_int_equal(s->base.u32, 0x1000);
    assert_int_equal(s->base.u64, 0x123456789ULL);
    assert_int_equal(s->base.i32, -5);
    assert_true(s->base.i64 == -6000000000LL);
    assert_int_equal(s->base.size, 4096);
    assert_string_equal(s->base.str, "hello");
    assert_ptr_not_equal(s->base.str, test_base_props[8].def_s); /* a copy */
    assert_null(s->base.nostr);
    assert_string_equal(s->base.label, "base");
    assert_int_equal(s->leaf, 7);
    assert_ptr_equal(object_dynamic_cast(obj, TYPE_TEST_BASE), obj);
    assert_null(object_dynamic_cast(obj, TYPE_CONTAINER));
    assert_string_equal(object_type_name(obj), "test-leaf");
    object_unref(obj);
}

static void test_object_new_errors(void **state)
{
    GError *err = NULL;

    assert_null(object_new("nope", &err));
    assert_int_equal(err->code, EMU_ERROR_NOT_FOUND);
    assert_error(&err, "invalid object type: nope");
    assert_null(object_new(TYPE_TEST_ABSTRACT, &err));
    assert_error(&err, "object type 'test-abstract' is abstract");
    assert_null(object_new(TYPE_DEVICE, &err));
    assert_error(&err, "object type 'device' is abstract");
}

static void test_property_get(void **state)
{
    g_autoptr(GError) err = NULL;
    Object *obj = new_obj(TYPE_TEST_LEAF);
    PropValue v;

    assert_true(object_property_get(obj, "type", &v, &err));
    assert_int_equal(v.type, PROP_STR);
    assert_string_equal(v.s, "test-leaf");
    g_free(v.s);
    assert_true(object_property_get(obj, "flag", &v, &err));
    assert_int_equal(v.type, PROP_BOOL);
    assert_true(v.b);
    assert_true(object_property_get(obj, "u8", &v, &err));
    assert_int_equal(v.type, PROP_U8);
    assert_int_equal(v.u, 0xab);
    assert_true(object_property_get(obj, "u16", &v, &err));
    assert_int_equal(v.u, 99);
    assert_true(object_property_get(obj, "u64", &v, &err));
    assert_int_equal(v.type, PROP_U64);
    assert_int_equal(v.u, 0x123456789ULL);
    assert_true(object_property_get(obj, "i32", &v, &err));
    assert_int_equal(v.type, PROP_I32);
    assert_true(v.i == -5);
    assert_true(object_property_get(obj, "i64", &v, &err));
    assert_true(v.i == -6000000000LL);
    assert_true(object_property_get(obj, "size", &v, &err));
    assert_int_equal(v.type, PROP_SIZE);
    assert_int_equal(v.u, 4096);
    assert_true(object_property_get(obj, "str", &v, &err));
    assert_string_equal(v.s, "hello");
    g_free(v.s);
    assert_true(object_property_get(obj, "nostr", &v, &err));
    assert_string_equal(v.s, ""); /* unset strings read as "" like qdev */
    g_free(v.s);
    assert_true(object_property_get(obj, "leaf", &v, &err));
    assert_int_equal(v.u, 7);
    assert_null(err);

    assert_false(object_property_get(obj, "nope", &v, &err));
    assert_error(&err, "Property 'test-leaf.nope' not found");
    object_unref(obj);
}

static void test_property_set(void **state)
{
    GError *err = NULL;
    Object *obj = new_obj(TYPE_TEST_LEAF);
    TestLeaf *s = (TestLeaf *)obj;
    PropValue v;

    v = (PropValue){.type = PROP_BOOL, .b = false};
    assert_true(object_property_set(obj, "flag", &v, &err));
    assert_false(s->base.flag);
    v = (PropValue){.type = PROP_U64, .u = 255};
    assert_true(object_property_set(obj, "u8", &v, &err));
    assert_int_equal(s->base.u8, 255);
    v = (PropValue){.type = PROP_I64, .i = 65535};
    assert_true(object_property_set(obj, "u16", &v, &err));
    assert_int_equal(s->base.u16, 65535);
    v = (PropValue){.type = PROP_U32, .u = 0xffffffff};
    assert_true(object_property_set(obj, "u32", &v, &err));
    assert_int_equal(s->base.u32, 0xffffffff);
    v = (PropValue){.type = PROP_I64, .i = -1}; /* wraps, as in QEMU */
    assert_true(object_property_set(obj, "u64", &v, &err));
    assert_true(s->base.u64 == UINT64_MAX);
    v = (PropValue){.type = PROP_I64, .i = INT32_MIN};
    assert_true(object_property_set(obj, "i32", &v, &err));
    assert_int_equal(s->base.i32, INT32_MIN);
    v = (PropValue){.type = PROP_U64, .u = INT64_MAX};
    assert_true(object_property_set(obj, "i64", &v, &err));
    assert_true(s->base.i64 == INT64_MAX);
    v = (PropValue){.type = PROP_U64, .u = 1ULL << 40};
    assert_true(object_property_set(obj, "size", &v, &err));
    assert_true(s->base.size == 1ULL << 40);
    v = (PropValue){.type = PROP_STR, .s = (char *)"world"};
    assert_true(object_property_set(obj, "str", &v, &err));
    assert_string_equal(s->base.str, "world");
    assert_true(object_property_set(obj, "nostr", &v, &err));
    assert_string_equal(s->base.nostr, "world");
    assert_ptr_not_equal(s->base.nostr, v.s);
    assert_null(err);
    object_unref(obj);
}

static void test_property_set_errors(void **state)
{
    GError *err = NULL;
    Object *obj = new_obj(TYPE_TEST_LEAF);
    TestLeaf *s = (TestLeaf *)obj;
    Object *child = new_obj(TYPE_CONTAINER);
    PropValue v = {.type = PROP_STR, .s = (char *)"x"};

    assert_true(object_add_child(obj, "kid", child, &err));
    object_add_link(obj, "buddy", child);

    assert_false(object_property_set(obj, "nope", &v, &err));
    assert_error(&err, "Property 'test-leaf.nope' not found");
    assert_false(object_property_set(obj, "type", &v, &err));
    assert_error(&err, "Property 'test-leaf.type' is not writable");
    assert_false(object_property_set(obj, "kid", &v, &err));
    assert_error(&err, "Property 'test-leaf.kid' is not writable");
    assert_false(object_property_set(obj, "buddy", &v, &err));
    assert_error(&err, "Property 'test-leaf.buddy' is not writable");

    assert_false(object_property_set(obj, "u32", &v, &err));
    assert_error(&err, "Invalid parameter type for 'u32', expected: integer");
    assert_false(object_property_set(obj, "flag", &v, &err));
    assert_error(&err, "Invalid parameter type for 'flag', expected: boolean");
    v = (PropValue){.type = PROP_BOOL, .b = true};
    assert_false(object_property_set(obj, "str", &v, &err));
    assert_error(&err, "Invalid parameter type for 'str', expected: string");
    assert_false(object_property_set(obj, "size", &v, &err));
    assert_error(&err, "Invalid parameter type for 'size', expected: integer");

    v = (PropValue){.type = PROP_U64, .u = 256};
    assert_false(object_property_set(obj, "u8", &v, &err));
    assert_error(&err, "Parameter 'u8' expects uint8_t");
    v.u = 65536;
    assert_false(object_property_set(obj, "u16", &v, &err));
    assert_error(&err, "Parameter 'u16' expects uint16_t");
    v.u = 0x100000000ULL;
    assert_false(object_property_set(obj, "u32", &v, &err));
    assert_error(&err, "Parameter 'u32' expects uint32_t");
    v.u = 0x80000000ULL;
    assert_false(object_property_set(obj, "i32", &v, &err));
    assert_error(&err, "Parameter 'i32' expects int32_t");
    v.u = 0x8000000000000000ULL;
    assert_false(object_property_set(obj, "i64", &v, &err));
    assert_error(&err, "Parameter 'i64' expects integer");
    v = (PropValue){.type = PROP_I64, .i = -1};
    assert_false(object_property_set(obj, "u32", &v, &err));
    assert_error(&err, "Parameter 'u32' expects uint32_t");
    assert_false(object_property_set(obj, "size", &v, &err));
    assert_error(&err, "Parameter 'size' expects size");
    v.i = (int64_t)INT32_MIN - 1;
    assert_false(object_property_set(obj, "i32", &v, &err));
    assert_error(&err, "Parameter 'i32' expects int32_t");

    /* failed sets leave the old values */
    assert_int_equal(s->base.u8, 0xab);
    assert_int_equal(s->base.u32, 0x1000);
    assert_int_equal(s->base.i32, -5);
    assert_int_equal(s->base.size, 4096);
    assert_string_equal(s->base.str, "hello");
    object_unref(child);
    object_unref(obj);
}

static void test_property_parse(void **state)
{
    GError *err = NULL;
    Object *obj = new_obj(TYPE_TEST_LEAF);
    TestLeaf *s = (TestLeaf *)obj;
    static const char *const on[] = {"on", "yes", "true", "y"};
    static const char *const off[] = {"off", "no", "false", "n"};

    for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
        assert_true(object_property_parse(obj, "flag", off[i], &err));
        assert_false(s->base.flag);
        assert_true(object_property_parse(obj, "flag", on[i], &err));
        assert_true(s->base.flag);
    }
    assert_false(object_property_parse(obj, "flag", "maybe", &err));
    assert_error(&err, "Parameter 'flag' expects 'on' or 'off'");
    assert_false(object_property_parse(obj, "flag", "ON", &err));
    assert_error(&err, "Parameter 'flag' expects 'on' or 'off'");

    assert_true(object_property_parse(obj, "u32", "0x100", &err));
    assert_int_equal(s->base.u32, 256);
    assert_true(object_property_parse(obj, "u32", "0100", &err));
    assert_int_equal(s->base.u32, 64); /* C octal, as QEMU */
    assert_true(object_property_parse(obj, "u32", "4294967295", &err));
    assert_int_equal(s->base.u32, 0xffffffff);
    assert_true(object_property_parse(obj, "u8", "255", &err));
    assert_int_equal(s->base.u8, 255);
    assert_true(object_property_parse(obj, "u16", "0xffff", &err));
    assert_int_equal(s->base.u16, 0xffff);
    assert_true(object_property_parse(obj, "u64", "0xffffffffffffffff", &err));
    assert_true(s->base.u64 == UINT64_MAX);
    assert_true(object_property_parse(obj, "u64", "-2", &err));
    assert_true(s->base.u64 == UINT64_MAX - 1); /* sign wraps */
    assert_true(object_property_parse(obj, "i32", "-2147483648", &err));
    assert_int_equal(s->base.i32, INT32_MIN);
    assert_true(object_property_parse(obj, "i64", "-0x10", &err));
    assert_true(s->base.i64 == -16);
    assert_true(object_property_parse(obj, "leaf", "12", &err));
    assert_int_equal(s->leaf, 12);
    assert_null(err);

    assert_false(object_property_parse(obj, "u32", "-1", &err));
    assert_error(&err, "Parameter 'u32' expects uint32_t");
    assert_false(object_property_parse(obj, "u32", "0x100000000", &err));
    assert_error(&err, "Parameter 'u32' expects uint32_t");
    assert_false(object_property_parse(obj, "u8", "256", &err));
    assert_error(&err, "Parameter 'u8' expects uint8_t");
    assert_false(object_property_parse(obj, "u16", "65536", &err));
    assert_error(&err, "Parameter 'u16' expects uint16_t");
    assert_false(object_property_parse(obj, "i32", "2147483648", &err));
    assert_error(&err, "Parameter 'i32' expects int32_t");
    assert_false(object_property_parse(obj, "u32", "08", &err));
    assert_error(&err, "Parameter 'u32' expects integer");
    assert_false(object_property_parse(obj, "u32", "12abc", &err));
    assert_error(&err, "Parameter 'u32' expects integer");
    assert_false(object_property_parse(obj, "u32", "", &err));
    assert_error(&err, "Parameter 'u32' expects integer");
    assert_false(
        object_property_parse(obj, "u64", "18446744073709551616", &err));
    assert_error(&err, "Parameter 'u64' expects integer");
    assert_false(
        object_property_parse(obj, "i64", "9223372036854775808", &err));
    assert_error(&err, "Parameter 'i64' expects integer");
    assert_false(object_property_parse(obj, "nope", "1", &err));
    assert_error(&err, "Property 'test-leaf.nope' not found");
    assert_false(object_property_parse(obj, "type", "x", &err));
    assert_error(&err, "Property 'test-leaf.type' is not writable");

    assert_true(object_property_parse(obj, "str", "a,b", &err));
    assert_string_equal(s->base.str, "a,b");
    assert_true(object_property_parse(obj, "size", "4K", &err));
    assert_int_equal(s->base.size, 4096);
    assert_true(object_property_parse(obj, "size", "1.5M", &err));
    assert_int_equal(s->base.size, 1536 * 1024);
    assert_true(object_property_parse(obj, "size", "123", &err));
    assert_int_equal(s->base.size, 123);
    assert_false(object_property_parse(obj, "size", "1x", &err));
    assert_error(&err,
                 "Parameter 'size' expects a non-negative number below 2^64");
    assert_false(object_property_parse(obj, "size", "-1", &err));
    assert_error(&err,
                 "Parameter 'size' expects a non-negative number below 2^64");
    assert_false(object_property_parse(obj, "size", "16E", &err));
    assert_error(&err, "Value '16E' is out of range for parameter 'size'");
    assert_int_equal(s->base.size, 123);
    object_unref(obj);
}

static void test_tree_and_canonical_paths(void **state)
{
    GError *err = NULL;
    Object *root = object_get_root();
    Object *machine = object_get_container(root, "machine");
    Object *uart, *other, *detached;
    char *path;

    assert_ptr_equal(object_get_root(), root);
    assert_string_equal(object_type_name(root), TYPE_CONTAINER);
    assert_ptr_equal(object_get_container(root, "machine"), machine);
    assert_ptr_equal(machine->parent, root);
    assert_string_equal(machine->name, "machine");
    assert_int_equal(machine->refcount, 1); /* the tree's reference */

    uart = add_new(machine, "uart0", TYPE_TEST_BASE);
    assert_ptr_equal(object_get_child(machine, "uart0"), uart);
    assert_null(object_get_child(machine, "uart1"));

    path = object_get_canonical_path(root);
    assert_string_equal(path, "/");
    g_free(path);
    path = object_get_canonical_path(machine);
    assert_string_equal(path, "/machine");
    g_free(path);
    path = object_get_canonical_path(uart);
    assert_string_equal(path, "/machine/uart0");
    g_free(path);

    other = new_obj(TYPE_TEST_BASE);
    assert_false(object_add_child(machine, "uart0", other, &err));
    assert_error(&err, "attempt to add duplicate property 'uart0' to object "
                       "(type 'container')");
    assert_false(object_add_child(uart, "u32", other, &err));
    assert_error(&err, "attempt to add duplicate property 'u32' to object "
                       "(type 'test-base')");
    assert_false(object_add_child(uart, "type", other, &err));
    assert_error(&err, "attempt to add duplicate property 'type' to object "
                       "(type 'test-base')");
    assert_false(object_add_child(machine, "a/b", other, &err));
    assert_error(&err, "Invalid child name 'a/b'");
    assert_false(object_add_child(root, "again", uart, &err));
    assert_error(&err, "Object of type 'test-base' already has a parent");
    assert_int_equal(other->refcount, 1);

    /* not in the tree: no canonical path */
    assert_null(object_get_canonical_path(other));
    detached = add_new(other, "inner", TYPE_CONTAINER);
    assert_null(object_get_canonical_path(detached));
    object_unref(other);

    object_ref(uart);
    object_unparent(uart);
    assert_null(uart->parent);
    assert_null(uart->name);
    assert_null(object_get_child(machine, "uart0"));
    assert_int_equal(uart->refcount, 1);
    object_unparent(uart); /* no parent: nothing happens */
    object_unref(uart);
}

/*
 * /machine/soc0/harts[0..1], /machine/uart0, /peripheral/uart0,
 * /machine/link-to-soc -> /machine/soc0
 */
static Object *build_tree(void)
{
    Object *machine = object_get_container(object_get_root(), "machine");
    Object *soc = add_new(machine, "soc0", TYPE_CONTAINER);

    add_new(soc, "harts[0]", TYPE_TEST_BASE);
    add_new(soc, "harts[1]", TYPE_TEST_LEAF);
    add_new(machine, "uart0", TYPE_TEST_BASE);
    add_new(object_get_container(object_get_root(), "peripheral"), "uart0",
            TYPE_TEST_BASE);
    object_add_link(machine, "link-to-soc", soc);
    return machine;
}

static void test_resolve_absolute(void **state)
{
    Object *machine = build_tree();
    Object *soc = object_get_child(machine, "soc0");
    Object *hart1 = object_get_child(soc, "harts[1]");
    bool amb = true;

    assert_ptr_equal(object_resolve_path("/", &amb), object_get_root());
    assert_false(amb);
    assert_ptr_equal(object_resolve_path("/machine", NULL), machine);
    assert_ptr_equal(object_resolve_path("/machine/soc0/harts[1]", NULL),
                     hart1);
    assert_ptr_equal(object_resolve_path("//machine//soc0/harts[1]/", NULL),
                     hart1);
    assert_ptr_equal(object_resolve_path("/machine/link-to-soc/harts[1]", NULL),
                     hart1);
    assert_ptr_equal(object_resolve_path("/machine/link-to-soc", NULL), soc);
    assert_null(object_resolve_path("/machine/soc0/harts[2]", &amb));
    assert_false(amb);
    assert_null(object_resolve_path("/nope", NULL));
    assert_null(object_resolve_path("/machine/uart0/x", NULL));
}

static void test_resolve_partial(void **state)
{
    Object *machine = build_tree();
    Object *soc = object_get_child(machine, "soc0");
    Object *hart1 = object_get_child(soc, "harts[1]");
    Object *uart = object_get_child(machine, "uart0");
    bool amb = true;

    assert_ptr_equal(object_resolve_path("harts[1]", &amb), hart1);
    assert_false(amb);
    assert_ptr_equal(object_resolve_path("soc0/harts[1]", &amb), hart1);
    assert_ptr_equal(object_resolve_path("machine/soc0/harts[1]", &amb), hart1);
    /* reachable as a child and through a link: still one object */
    assert_ptr_equal(object_resolve_path("soc0", &amb), soc);
    assert_false(amb);
    assert_ptr_equal(object_resolve_path("machine/uart0", &amb), uart);
    assert_ptr_equal(object_resolve_path("machine", &amb), machine);

    assert_null(object_resolve_path("uart0", &amb));
    assert_true(amb);
    assert_null(object_resolve_path("uart0", NULL));
    assert_null(object_resolve_path("art0", &amb)); /* component-aligned */
    assert_false(amb);
    assert_null(object_resolve_path("harts", &amb));
    assert_false(amb);
    assert_null(object_resolve_path("link-to-soc/harts[1]", &amb));
    assert_false(amb);
    assert_null(object_resolve_path("nope/soc0", &amb));
    assert_null(object_resolve_path("", &amb));
    assert_false(amb);
}

static void test_list_properties(void **state)
{
    Object *machine = build_tree();
    Object *hart1 = object_resolve_path("/machine/soc0/harts[1]", NULL);
    static const char *const expect[][2] = {
        {"type", "string"},
        {"flag", "bool"},
        {"u8", "uint8"},
        {"u16", "uint16"},
        {"u32", "uint32"},
        {"u64", "uint64"},
        {"i32", "int32"},
        {"i64", "int64"},
        {"size", "size"},
        {"str", "string"},
        {"nostr", "string"},
        {"leaf", "uint32"},
        {"extra", "child<container>"},
    };
    GArray *props;

    add_new(hart1, "extra", TYPE_CONTAINER);
    props = object_list_properties(hart1);
    assert_int_equal(props->len, G_N_ELEMENTS(expect));
    for (guint i = 0; i < props->len; i++) {
        PropInfo *p = &g_array_index(props, PropInfo, i);

        assert_string_equal(p->name, expect[i][0]);
        assert_string_equal(p->type, expect[i][1]);
        assert_true(i == 0 ? p->pd == NULL : (p->pd != NULL) == (i < 12));
    }
    assert_string_equal(g_array_index(props, PropInfo, 2).desc,
                        "an 8-bit value");
    object_prop_info_free(props);

    props = object_list_properties(machine);
    assert_int_equal(props->len, 4);
    assert_string_equal(g_array_index(props, PropInfo, 0).name, "type");
    assert_string_equal(g_array_index(props, PropInfo, 1).name, "soc0");
    assert_string_equal(g_array_index(props, PropInfo, 1).type,
                        "child<container>");
    assert_string_equal(g_array_index(props, PropInfo, 2).name, "uart0");
    assert_string_equal(g_array_index(props, PropInfo, 2).type,
                        "child<test-base>");
    assert_string_equal(g_array_index(props, PropInfo, 3).name, "link-to-soc");
    assert_string_equal(g_array_index(props, PropInfo, 3).type,
                        "link<container>");
    object_prop_info_free(props);
}

static void test_child_and_link_values(void **state)
{
    g_autoptr(GError) err = NULL;
    Object *machine = build_tree();
    PropValue v;

    assert_true(object_property_get(machine, "soc0", &v, &err));
    assert_int_equal(v.type, PROP_CHILD);
    assert_string_equal(v.s, "/machine/soc0");
    g_free(v.s);
    assert_true(object_property_get(machine, "link-to-soc", &v, &err));
    assert_int_equal(v.type, PROP_LINK);
    assert_string_equal(v.s, "/machine/soc0");
    g_free(v.s);
    assert_null(err);
}

static void test_link_holds_reference(void **state)
{
    Object *machine = object_get_container(object_get_root(), "machine");
    Object *target = add_new(machine, "target", TYPE_TEST_BASE);
    Object *holder = add_new(machine, "holder", TYPE_CONTAINER);
    g_autoptr(GError) err = NULL;
    PropValue v;

    object_add_link(holder, "peer", target);
    assert_int_equal(target->refcount, 2);
    object_unparent(target);
    assert_string_equal(hook_log->str, "init-base:test-base;");
    /* out of the tree: the link reads as "" but still leads to it */
    assert_true(object_property_get(holder, "peer", &v, &err));
    assert_string_equal(v.s, "");
    g_free(v.s);
    assert_ptr_equal(object_resolve_path("/machine/holder/peer", NULL), target);
    assert_null(object_resolve_path("target", NULL));
    object_unparent(holder);
    assert_string_equal(hook_log->str,
                        "init-base:test-base;fin-base:test-base;");
}

static void test_finalize_order(void **state)
{
    Object *top = new_obj(TYPE_TEST_LEAF);
    Object *a = new_obj(TYPE_TEST_BASE);
    Object *b = new_obj(TYPE_TEST_LEAF);
    Object *a1 = new_obj(TYPE_TEST_BASE);
    Object *kept;
    GError *err = NULL;

    assert_true(object_add_child(top, "a", a, &err));
    assert_true(object_add_child(top, "b", b, &err));
    assert_true(object_add_child(a, "a1", a1, &err));
    kept = new_obj(TYPE_CONTAINER);
    assert_true(object_add_child(b, "kept", kept, &err));
    object_unref(a);
    object_unref(b);
    object_unref(a1);
    object_property_parse(top, "str", "freed by finalize", &err);
    assert_null(err);
    g_string_truncate(hook_log, 0);

    object_ref(top);
    object_unref(top);
    assert_string_equal(hook_log->str, ""); /* still referenced */
    object_unref(top);
    /* children first (last added first), then the object, leaf type up */
    assert_string_equal(hook_log->str,
                        "fin-leaf:test-leaf;fin-base:test-leaf;"
                        "fin-base:test-base;fin-base:test-base;"
                        "fin-leaf:test-leaf;fin-base:test-leaf;");
    /* a child somebody else still holds survives, detached */
    assert_int_equal(kept->refcount, 1);
    assert_null(kept->parent);
    object_unref(kept);
    object_unref(NULL);
}

static void test_reset_root(void **state)
{
    Object *root = object_get_root();

    add_new(object_get_container(root, "machine"), "x", TYPE_TEST_BASE);
    object_reset_root();
    assert_string_equal(hook_log->str,
                        "init-base:test-base;fin-base:test-base;");
    root = object_get_root();
    assert_int_equal(root->children->len, 0);
    assert_null(object_resolve_path("/machine", NULL));
}

static void test_after_realize_refused(void **state)
{
    GError *err = NULL;
    Device *dev = device_new(TYPE_TEST_DEV, &err);
    TestDev *s = (TestDev *)dev;
    PropValue v = {.type = PROP_U32, .u = 5};

    assert_non_null(dev);
    assert_int_equal(s->count, 1);
    assert_true(object_property_set(&dev->obj, "count", &v, &err));
    assert_int_equal(s->count, 5);
    assert_true(device_realize(dev, &err));
    assert_null(err);
    assert_true(dev->realized);

    assert_false(object_property_set(&dev->obj, "count", &v, &err));
    assert_error(&err, "Attempt to set property 'count' on anonymous device "
                       "(type 'test-dev') after it was realized");
    assert_false(object_property_parse(&dev->obj, "count", "zz", &err));
    assert_error(&err, "Attempt to set property 'count' on anonymous device "
                       "(type 'test-dev') after it was realized");
    dev->id = g_strdup("d0");
    assert_false(object_property_parse(&dev->obj, "count", "3", &err));
    assert_error(&err, "Attempt to set property 'count' on device 'd0' "
                       "(type 'test-dev') after it was realized");
    assert_int_equal(s->count, 5);

    assert_true(object_property_parse(&dev->obj, "live", "9", &err));
    assert_int_equal(s->live, 9);
    object_unref(&dev->obj);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_type_registry),
        T(test_type_foreach_filters),
        T(test_object_new_defaults),
        T(test_object_new_errors),
        T(test_property_get),
        T(test_property_set),
        T(test_property_set_errors),
        T(test_property_parse),
        T(test_tree_and_canonical_paths),
        T(test_resolve_absolute),
        T(test_resolve_partial),
        T(test_list_properties),
        T(test_child_and_link_values),
        T(test_link_holds_reference),
        T(test_finalize_order),
        T(test_reset_root),
        T(test_after_realize_refused),
    };
#undef T
    return cmocka_run_group_tests_name("object", tests, NULL, NULL);
}
