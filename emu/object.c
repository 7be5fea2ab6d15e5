/* SPDX-License-Identifier: MIT */
/*
 * Object model: type registry, instances with static properties, the
 * composition tree and QOM-style path resolution.
 *
 * Global state is the type registry and the root container; nothing else.
 * Error texts follow QEMU's QOM/qdev wording so QMP and the command line
 * can pass them through unchanged.
 */
#include "emu/object.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "emu/device.h"
#include "emu/opts.h"

static GHashTable *type_table; /* name -> const ObjectClass * */
static Object *object_root;

static const ObjectClass object_class = {
    .name = TYPE_OBJECT,
    .parent = NULL,
    .instance_size = sizeof(Object),
    .desc = "base of every object",
};

static const ObjectClass container_class = {
    .name = TYPE_CONTAINER,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .desc = "groups other objects in the composition tree",
};

G_DEFINE_QUARK(emu - error - quark, emu_error)

/* Types */

void type_register(const ObjectClass *cls)
{
    g_assert(cls && cls->name);
    g_assert(cls->parent || strcmp(cls->name, TYPE_OBJECT) == 0);
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (g_hash_table_contains(type_table, cls->name)) {
        g_error("type '%s' registered twice", cls->name);
    }
    g_hash_table_insert(type_table, (gpointer)cls->name, (gpointer)cls);
}

void object_register_types(void)
{
    if (!type_lookup(TYPE_OBJECT)) {
        type_register(&object_class);
    }
    if (!type_lookup(TYPE_CONTAINER)) {
        type_register(&container_class);
    }
}

const ObjectClass *type_lookup(const char *name)
{
    if (!type_table || !name) {
        return NULL;
    }
    return g_hash_table_lookup(type_table, name);
}

const ObjectClass *type_parent(const ObjectClass *cls)
{
    return cls->parent ? type_lookup(cls->parent) : NULL;
}

bool type_is_a(const ObjectClass *cls, const char *type_name)
{
    for (; cls; cls = type_parent(cls)) {
        if (strcmp(cls->name, type_name) == 0) {
            return true;
        }
    }
    return false;
}

static gint type_compare_name(gconstpointer a, gconstpointer b)
{
    const ObjectClass *ca = *(const ObjectClass *const *)a;
    const ObjectClass *cb = *(const ObjectClass *const *)b;

    return strcmp(ca->name, cb->name);
}

void type_foreach(const char *implements, bool abstract,
                  void (*fn)(const ObjectClass *cls, void *opaque),
                  void *opaque)
{
    g_autoptr(GPtrArray) types = g_ptr_array_new();
    GHashTableIter iter;
    gpointer value;

    if (!type_table) {
        return;
    }
    g_hash_table_iter_init(&iter, type_table);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        const ObjectClass *cls = value;

        if (implements && !type_is_a(cls, implements)) {
            continue;
        }
        if (cls->abstract && !abstract) {
            continue;
        }
        g_ptr_array_add(types, value);
    }
    g_ptr_array_sort(types, type_compare_name);
    for (guint i = 0; i < types->len; i++) {
        fn(g_ptr_array_index(types, i), opaque);
    }
}

/* True when every ancestor of @cls is registered and sizes nest. */
static bool type_chain_valid(const ObjectClass *cls, const char **missing)
{
    for (; cls->parent; cls = type_parent(cls)) {
        const ObjectClass *parent = type_lookup(cls->parent);

        if (!parent) {
            *missing = cls->parent;
            return false;
        }
        g_assert(cls->instance_size >= parent->instance_size);
    }
    g_assert(strcmp(cls->name, TYPE_OBJECT) == 0);
    return true;
}

/* Instances */

static void *prop_field(Object *obj, const PropDesc *pd)
{
    return (char *)obj + pd->offset;
}

static void prop_set_default(Object *obj, const PropDesc *pd)
{
    void *p = prop_field(obj, pd);

    switch (pd->type) {
    case PROP_BOOL:
        *(bool *)p = pd->def_u != 0;
        break;
    case PROP_U8:
        *(uint8_t *)p = (uint8_t)pd->def_u;
        break;
    case PROP_U16:
        *(uint16_t *)p = (uint16_t)pd->def_u;
        break;
    case PROP_U32:
        *(uint32_t *)p = (uint32_t)pd->def_u;
        break;
    case PROP_U64:
    case PROP_SIZE:
        *(uint64_t *)p = pd->def_u;
        break;
    case PROP_I32:
        *(int32_t *)p = (int32_t)pd->def_i;
        break;
    case PROP_I64:
        *(int64_t *)p = pd->def_i;
        break;
    case PROP_STR:
        *(char **)p = g_strdup(pd->def_s);
        break;
    case PROP_CHILD:
    case PROP_LINK:
        g_error("static property '%s' has a dynamic type", pd->name);
    }
}

/* Sets static defaults, root type first. */
static void object_init_defaults(Object *obj, const ObjectClass *cls)
{
    const ObjectClass *parent = type_parent(cls);

    if (parent) {
        object_init_defaults(obj, parent);
    }
    for (const PropDesc *pd = cls->props; pd && pd->name; pd++) {
        prop_set_default(obj, pd);
    }
}

/* Runs instance_init hooks, root type first. */
static void object_init_hooks(Object *obj, const ObjectClass *cls)
{
    const ObjectClass *parent = type_parent(cls);

    if (parent) {
        object_init_hooks(obj, parent);
    }
    if (cls->instance_init) {
        cls->instance_init(obj);
    }
}

Object *object_new_with_class(const ObjectClass *cls)
{
    const char *missing = NULL;
    Object *obj;

    g_assert(!cls->abstract);
    if (!type_chain_valid(cls, &missing)) {
        g_error("type '%s' has an unregistered ancestor '%s'", cls->name,
                missing);
    }
    obj = g_malloc0(cls->instance_size);
    obj->cls = cls;
    obj->refcount = 1;
    obj->children = g_ptr_array_new();
    obj->links = g_ptr_array_new();
    object_init_defaults(obj, cls);
    object_init_hooks(obj, cls);
    return obj;
}

Object *object_new(const char *type_name, GError **errp)
{
    const ObjectClass *cls = type_lookup(type_name);
    const char *missing = NULL;

    if (!cls) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "invalid object type: %s", type_name);
        return NULL;
    }
    if (cls->abstract) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "object type '%s' is abstract", type_name);
        return NULL;
    }
    if (!type_chain_valid(cls, &missing)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "object type '%s' has unknown parent type '%s'", type_name,
                    missing);
        return NULL;
    }
    return object_new_with_class(cls);
}

void object_ref(Object *obj)
{
    g_assert(obj->refcount > 0);
    obj->refcount++;
}

static void object_free_strings(Object *obj, const ObjectClass *cls)
{
    for (; cls; cls = type_parent(cls)) {
        for (const PropDesc *pd = cls->props; pd && pd->name; pd++) {
            if (pd->type == PROP_STR) {
                char **p = prop_field(obj, pd);

                g_free(*p);
                *p = NULL;
            }
        }
    }
}

static void object_finalize(Object *obj)
{
    g_assert(!obj->parent);
    while (obj->children->len > 0) {
        object_unparent(
            g_ptr_array_index(obj->children, obj->children->len - 1));
    }
    while (obj->links->len > 0) {
        ObjectLink *l =
            g_ptr_array_steal_index(obj->links, obj->links->len - 1);

        if (l->target) {
            object_unref(l->target);
        }
        g_free(l->name);
        g_free(l);
    }
    for (const ObjectClass *cls = obj->cls; cls; cls = type_parent(cls)) {
        if (cls->instance_finalize) {
            cls->instance_finalize(obj);
        }
    }
    object_free_strings(obj, obj->cls);
    g_ptr_array_free(obj->children, TRUE);
    g_ptr_array_free(obj->links, TRUE);
    g_free(obj->name);
    g_free(obj);
}

void object_unref(Object *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->refcount > 0);
    if (--obj->refcount == 0) {
        if (obj == object_root) {
            object_root = NULL;
        }
        object_finalize(obj);
    }
}

Object *object_dynamic_cast(Object *obj, const char *type_name)
{
    if (obj && type_is_a(obj->cls, type_name)) {
        return obj;
    }
    return NULL;
}

const char *object_type_name(const Object *obj)
{
    return obj->cls->name;
}

/* Composition tree */

Object *object_get_root(void)
{
    if (!object_root) {
        object_register_types();
        object_root = object_new_with_class(&container_class);
    }
    return object_root;
}

void object_reset_root(void)
{
    Object *root = object_root;

    if (!root) {
        return;
    }
    while (root->children->len > 0) {
        object_unparent(
            g_ptr_array_index(root->children, root->children->len - 1));
    }
    object_root = NULL;
    object_unref(root);
}

static ObjectLink *object_find_link(Object *obj, const char *name)
{
    for (guint i = 0; i < obj->links->len; i++) {
        ObjectLink *l = g_ptr_array_index(obj->links, i);

        if (strcmp(l->name, name) == 0) {
            return l;
        }
    }
    return NULL;
}

Object *object_get_child(Object *parent, const char *name)
{
    for (guint i = 0; i < parent->children->len; i++) {
        Object *child = g_ptr_array_index(parent->children, i);

        if (strcmp(child->name, name) == 0) {
            return child;
        }
    }
    return NULL;
}

/* True when @name is already a property of @obj (all kinds share names). */
static bool object_has_property(Object *obj, const char *name)
{
    return strcmp(name, "type") == 0 || class_find_prop(obj->cls, name) ||
           object_get_child(obj, name) || object_find_link(obj, name);
}

bool object_add_child(Object *parent, const char *name, Object *child,
                      GError **errp)
{
    if (!*name || strchr(name, '/')) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Invalid child name '%s'", name);
        return false;
    }
    if (object_has_property(parent, name)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "attempt to add duplicate property '%s' to object "
                    "(type '%s')",
                    name, object_type_name(parent));
        return false;
    }
    if (child->parent || child == object_root) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Object of type '%s' already has a parent",
                    object_type_name(child));
        return false;
    }
    for (Object *o = parent; o; o = o->parent) {
        g_assert(o != child);
    }
    object_ref(child);
    child->parent = parent;
    child->name = g_strdup(name);
    g_ptr_array_add(parent->children, child);
    return true;
}

void object_unparent(Object *child)
{
    Object *parent = child->parent;

    if (!parent) {
        return;
    }
    g_ptr_array_remove(parent->children, child);
    child->parent = NULL;
    g_clear_pointer(&child->name, g_free);
    object_unref(child);
}

Object *object_get_container(Object *parent, const char *name)
{
    Object *c = object_get_child(parent, name);

    if (!c) {
        object_register_types();
        c = object_new_with_class(&container_class);
        if (!object_add_child(parent, name, c, NULL)) {
            g_error("cannot add container '%s' to a '%s'", name,
                    object_type_name(parent));
        }
        object_unref(c);
    }
    return c;
}

void object_add_link(Object *obj, const char *name, Object *target)
{
    ObjectLink *l;

    if (object_has_property(obj, name)) {
        g_error("attempt to add duplicate property '%s' to object "
                "(type '%s')",
                name, object_type_name(obj));
    }
    l = g_new0(ObjectLink, 1);
    l->name = g_strdup(name);
    l->target = target;
    if (target) {
        object_ref(target);
    }
    g_ptr_array_add(obj->links, l);
}

char *object_get_canonical_path(const Object *obj)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const Object *o = obj;
    GString *path;

    for (; o->parent; o = o->parent) {
        g_ptr_array_add(names, o->name);
    }
    if (o != object_root) {
        return NULL;
    }
    if (names->len == 0) {
        return g_strdup("/");
    }
    path = g_string_new(NULL);
    for (guint i = names->len; i > 0; i--) {
        g_string_append_c(path, '/');
        g_string_append(path, g_ptr_array_index(names, i - 1));
    }
    return g_string_free(path, FALSE);
}

/* Child or link target called @name of @obj, or NULL. */
static Object *object_step(Object *obj, const char *name)
{
    Object *child = object_get_child(obj, name);
    ObjectLink *l;

    if (child) {
        return child;
    }
    l = object_find_link(obj, name);
    return l ? l->target : NULL;
}

/* True when @obj's last path components are @parts[0..n-1]. */
static bool object_path_ends_with(Object *obj, char **parts, guint n)
{
    for (guint i = n; i > 0; i--) {
        if (!obj->parent || strcmp(obj->name, parts[i - 1]) != 0) {
            return false;
        }
        obj = obj->parent;
    }
    return true;
}

/* Counts (up to 2) objects below @obj whose path ends with @parts. */
static void object_match_partial(Object *obj, char **parts, guint n,
                                 Object **found, unsigned *count)
{
    for (guint i = 0; i < obj->children->len && *count < 2; i++) {
        Object *child = g_ptr_array_index(obj->children, i);

        if (object_path_ends_with(child, parts, n)) {
            *found = child;
            (*count)++;
        }
        object_match_partial(child, parts, n, found, count);
    }
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    g_auto(GStrv) split = g_strsplit(path, "/", -1);
    g_autoptr(GPtrArray) parts = g_ptr_array_new();
    Object *obj = object_get_root();
    Object *found = NULL;
    unsigned count = 0;

    if (ambiguous) {
        *ambiguous = false;
    }
    for (char **p = split; *p; p++) {
        if (**p) {
            g_ptr_array_add(parts, *p);
        }
    }
    if (path[0] == '/') {
        for (guint i = 0; i < parts->len && obj; i++) {
            obj = object_step(obj, g_ptr_array_index(parts, i));
        }
        return obj;
    }
    if (parts->len == 0) {
        return NULL;
    }
    object_match_partial(obj, (char **)parts->pdata, parts->len, &found,
                         &count);
    if (count > 1) {
        if (ambiguous) {
            *ambiguous = true;
        }
        return NULL;
    }
    return found;
}

/* Properties */

const char *prop_type_name(PropType t)
{
    switch (t) {
    case PROP_BOOL:
        return "bool";
    case PROP_U8:
        return "uint8";
    case PROP_U16:
        return "uint16";
    case PROP_U32:
        return "uint32";
    case PROP_U64:
        return "uint64";
    case PROP_I32:
        return "int32";
    case PROP_I64:
        return "int64";
    case PROP_SIZE:
        return "size";
    case PROP_STR:
        return "string";
    case PROP_CHILD:
        return "child";
    case PROP_LINK:
        return "link";
    }
    return "unknown";
}

const PropDesc *class_find_prop(const ObjectClass *cls, const char *name)
{
    for (; cls; cls = type_parent(cls)) {
        for (const PropDesc *pd = cls->props; pd && pd->name; pd++) {
            if (strcmp(pd->name, name) == 0) {
                return pd;
            }
        }
    }
    return NULL;
}

static void prop_info_clear(gpointer data)
{
    PropInfo *info = data;

    g_free(info->type);
}

static void object_list_static(GArray *props, const ObjectClass *cls)
{
    const ObjectClass *parent = type_parent(cls);

    if (parent) {
        object_list_static(props, parent);
    }
    for (const PropDesc *pd = cls->props; pd && pd->name; pd++) {
        PropInfo info = {
            .name = pd->name,
            .type = g_strdup(prop_type_name(pd->type)),
            .desc = pd->desc,
            .pd = pd,
        };

        g_array_append_val(props, info);
    }
}

GArray *object_list_properties(Object *obj)
{
    GArray *props = g_array_new(FALSE, TRUE, sizeof(PropInfo));
    PropInfo type = {.name = "type", .type = g_strdup("string")};

    g_array_set_clear_func(props, prop_info_clear);
    g_array_append_val(props, type);
    object_list_static(props, obj->cls);
    for (guint i = 0; i < obj->children->len; i++) {
        Object *child = g_ptr_array_index(obj->children, i);
        PropInfo info = {
            .name = child->name,
            .type = g_strdup_printf("child<%s>", object_type_name(child)),
        };

        g_array_append_val(props, info);
    }
    for (guint i = 0; i < obj->links->len; i++) {
        ObjectLink *l = g_ptr_array_index(obj->links, i);
        PropInfo info = {
            .name = l->name,
            .type = g_strdup_printf("link<%s>",
                                    l->target ? object_type_name(l->target)
                                              : TYPE_OBJECT),
        };

        g_array_append_val(props, info);
    }
    return props;
}

void object_prop_info_free(GArray *props)
{
    if (props) {
        g_array_free(props, TRUE);
    }
}

static void set_not_found(GError **errp, Object *obj, const char *name)
{
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "Property '%s.%s' not found", object_type_name(obj), name);
}

static char *path_or_empty(const Object *obj)
{
    char *path = obj ? object_get_canonical_path(obj) : NULL;

    return path ? path : g_strdup("");
}

bool object_property_get(Object *obj, const char *name, PropValue *out,
                         GError **errp)
{
    const PropDesc *pd;
    Object *child;
    ObjectLink *l;
    void *p;

    if (strcmp(name, "type") == 0) {
        out->type = PROP_STR;
        out->s = g_strdup(object_type_name(obj));
        return true;
    }
    pd = class_find_prop(obj->cls, name);
    if (!pd) {
        child = object_get_child(obj, name);
        if (child) {
            out->type = PROP_CHILD;
            out->s = path_or_empty(child);
            return true;
        }
        l = object_find_link(obj, name);
        if (l) {
            out->type = PROP_LINK;
            out->s = path_or_empty(l->target);
            return true;
        }
        set_not_found(errp, obj, name);
        return false;
    }
    p = prop_field(obj, pd);
    out->type = pd->type;
    switch (pd->type) {
    case PROP_BOOL:
        out->b = *(bool *)p;
        break;
    case PROP_U8:
        out->u = *(uint8_t *)p;
        break;
    case PROP_U16:
        out->u = *(uint16_t *)p;
        break;
    case PROP_U32:
        out->u = *(uint32_t *)p;
        break;
    case PROP_U64:
    case PROP_SIZE:
        out->u = *(uint64_t *)p;
        break;
    case PROP_I32:
        out->i = *(int32_t *)p;
        break;
    case PROP_I64:
        out->i = *(int64_t *)p;
        break;
    case PROP_STR:
        out->s = g_strdup(*(char **)p ? *(char **)p : "");
        break;
    case PROP_CHILD:
    case PROP_LINK:
        g_error("static property '%s' has a dynamic type", pd->name);
    }
    return true;
}

/*
 * Finds the writable static property @name, or fails the way QEMU does for
 * unknown, read-only and after-realize properties.
 */
static const PropDesc *object_writable_prop(Object *obj, const char *name,
                                            GError **errp)
{
    const PropDesc *pd = class_find_prop(obj->cls, name);

    if (!pd) {
        if (strcmp(name, "type") == 0 || object_get_child(obj, name) ||
            object_find_link(obj, name)) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Property '%s.%s' is not writable",
                        object_type_name(obj), name);
        } else {
            set_not_found(errp, obj, name);
        }
        return NULL;
    }
    if (!pd->after_realize && type_is_a(obj->cls, TYPE_DEVICE) &&
        DEVICE(obj)->realized) {
        const Device *dev = DEVICE(obj);

        if (dev->id) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Attempt to set property '%s' on device '%s' "
                        "(type '%s') after it was realized",
                        name, dev->id, object_type_name(obj));
        } else {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Attempt to set property '%s' on anonymous device "
                        "(type '%s') after it was realized",
                        name, object_type_name(obj));
        }
        return NULL;
    }
    return pd;
}

static bool expects(GError **errp, const char *name, const char *what)
{
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC, "Parameter '%s' expects %s",
                name, what);
    return false;
}

/* Range-checks and stores an unsigned value into an unsigned property. */
static bool prop_store_unsigned(Object *obj, const PropDesc *pd, uint64_t v,
                                GError **errp)
{
    void *p = prop_field(obj, pd);

    switch (pd->type) {
    case PROP_U8:
        if (v > UINT8_MAX) {
            return expects(errp, pd->name, "uint8_t");
        }
        *(uint8_t *)p = (uint8_t)v;
        return true;
    case PROP_U16:
        if (v > UINT16_MAX) {
            return expects(errp, pd->name, "uint16_t");
        }
        *(uint16_t *)p = (uint16_t)v;
        return true;
    case PROP_U32:
        if (v > UINT32_MAX) {
            return expects(errp, pd->name, "uint32_t");
        }
        *(uint32_t *)p = (uint32_t)v;
        return true;
    default:
        *(uint64_t *)p = v;
        return true;
    }
}

/* Range-checks and stores a signed value into a signed property. */
static bool prop_store_signed(Object *obj, const PropDesc *pd, int64_t v,
                              GError **errp)
{
    void *p = prop_field(obj, pd);

    if (pd->type == PROP_I32) {
        if (v < INT32_MIN || v > INT32_MAX) {
            return expects(errp, pd->name, "int32_t");
        }
        *(int32_t *)p = (int32_t)v;
        return true;
    }
    *(int64_t *)p = v;
    return true;
}

static bool prop_is_signed(PropType t)
{
    return t == PROP_I32 || t == PROP_I64;
}

static bool prop_is_integer(PropType t)
{
    return t != PROP_BOOL && t != PROP_STR && t != PROP_CHILD && t != PROP_LINK;
}

static void prop_store_str(Object *obj, const PropDesc *pd, const char *s)
{
    char **p = prop_field(obj, pd);

    g_free(*p);
    *p = g_strdup(s);
}

bool object_property_set(Object *obj, const char *name, const PropValue *v,
                         GError **errp)
{
    const PropDesc *pd = object_writable_prop(obj, name, errp);
    const char *expected;

    if (!pd) {
        return false;
    }
    if (pd->type == PROP_BOOL && v->type == PROP_BOOL) {
        *(bool *)prop_field(obj, pd) = v->b;
        return true;
    }
    if (pd->type == PROP_STR && v->type == PROP_STR) {
        prop_store_str(obj, pd, v->s);
        return true;
    }
    if (prop_is_integer(pd->type) && prop_is_integer(v->type)) {
        if (prop_is_signed(pd->type)) {
            if (!prop_is_signed(v->type) && v->u > INT64_MAX) {
                return expects(errp, name, "integer");
            }
            return prop_store_signed(
                obj, pd, prop_is_signed(v->type) ? v->i : (int64_t)v->u, errp);
        }
        if (pd->type == PROP_SIZE && prop_is_signed(v->type) && v->i < 0) {
            return expects(errp, name, "size");
        }
        /* Negative values wrap for unsigned properties, as in QEMU. */
        return prop_store_unsigned(
            obj, pd, prop_is_signed(v->type) ? (uint64_t)v->i : v->u, errp);
    }
    if (pd->type == PROP_BOOL) {
        expected = "boolean";
    } else if (pd->type == PROP_STR) {
        expected = "string";
    } else {
        expected = "integer";
    }
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "Invalid parameter type for '%s', expected: %s", name,
                expected);
    return false;
}

/* Strict base-0 parse of the whole of @str (qemu_strtou64: sign wraps). */
static bool parse_whole_u64(const char *str, uint64_t *out)
{
    char *end;

    if (!*str) {
        return false;
    }
    errno = 0;
    *out = strtoull(str, &end, 0);
    return errno == 0 && *end == '\0';
}

static bool parse_whole_i64(const char *str, int64_t *out)
{
    char *end;

    if (!*str) {
        return false;
    }
    errno = 0;
    *out = strtoll(str, &end, 0);
    return errno == 0 && *end == '\0';
}

static bool parse_bool_word(const char *str, bool *out)
{
    static const char *const on[] = {"on", "yes", "true", "y"};
    static const char *const off[] = {"off", "no", "false", "n"};

    for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
        if (strcmp(str, on[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(str, off[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool prop_parse_size(const PropDesc *pd, const char *str, uint64_t *out,
                            GError **errp)
{
    g_autoptr(GError) local = NULL;

    if (parse_size(str, 'B', out, &local)) {
        return true;
    }
    if (strstr(local->message, "out of range")) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Value '%s' is out of range for parameter '%s'", str,
                    pd->name);
        return false;
    }
    return expects(errp, pd->name, "a non-negative number below 2^64");
}

bool object_property_parse(Object *obj, const char *name, const char *str,
                           GError **errp)
{
    const PropDesc *pd = object_writable_prop(obj, name, errp);
    uint64_t u;
    int64_t i;
    bool b;

    if (!pd) {
        return false;
    }
    switch (pd->type) {
    case PROP_BOOL:
        if (!parse_bool_word(str, &b)) {
            return expects(errp, name, "'on' or 'off'");
        }
        *(bool *)prop_field(obj, pd) = b;
        return true;
    case PROP_U8:
    case PROP_U16:
    case PROP_U32:
    case PROP_U64:
        if (!parse_whole_u64(str, &u)) {
            return expects(errp, name, "integer");
        }
        return prop_store_unsigned(obj, pd, u, errp);
    case PROP_SIZE:
        if (!prop_parse_size(pd, str, &u, errp)) {
            return false;
        }
        return prop_store_unsigned(obj, pd, u, errp);
    case PROP_I32:
    case PROP_I64:
        if (!parse_whole_i64(str, &i)) {
            return expects(errp, name, "integer");
        }
        return prop_store_signed(obj, pd, i, errp);
    case PROP_STR:
        prop_store_str(obj, pd, str);
        return true;
    case PROP_CHILD:
    case PROP_LINK:
        break;
    }
    g_error("static property '%s' has a dynamic type", pd->name);
}
