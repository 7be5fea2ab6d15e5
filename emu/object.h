/* SPDX-License-Identifier: MIT */
/*
 * Object model: types with single inheritance, instances, typed properties
 * with defaults, and one composition tree with canonical paths.
 *
 * A type is a const ObjectClass (or a struct that embeds one as its first
 * member, such as DeviceClass).  Types are registered once at start-up by
 * type_register_all() and looked up by name.  Every instance lives at most
 * once in the composition tree rooted at object_get_root() ("/"); its
 * canonical path is the chain of child names ("/machine/uart0").
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Object Object;
typedef struct ObjectClass ObjectClass;

#define TYPE_OBJECT    "object"
#define TYPE_CONTAINER "container"

/** Scalar property types.  PROP_STR values are owned by the object. */
typedef enum PropType {
    PROP_BOOL,
    PROP_U8,
    PROP_U16,
    PROP_U32,
    PROP_U64,
    PROP_I32,
    PROP_I64,
    PROP_SIZE, /* u64, parsed with size suffixes */
    PROP_STR,
    PROP_CHILD, /* read-only, value is the child's canonical path */
    PROP_LINK,  /* read-only, value is the target's canonical path */
} PropType;

/** A property value passed in and out of the generic accessors. */
typedef struct PropValue {
    PropType type;
    union {
        bool b;
        uint64_t u; /* U8..U64, SIZE */
        int64_t i;  /* I32, I64 */
        char *s;    /* STR, CHILD, LINK: owned by whoever holds the value */
    };
} PropValue;

/**
 * A static property stored in the instance struct at @offset.  Arrays of
 * PropDesc end with an entry whose name is NULL.
 */
typedef struct PropDesc {
    const char *name;
    PropType type;
    size_t offset;
    uint64_t def_u;     /* default for unsigned/bool types */
    int64_t def_i;      /* default for signed types */
    const char *def_s;  /* default for PROP_STR (copied), may be NULL */
    const char *desc;   /* one-line description for help output */
    bool after_realize; /* may be set after the device is realized */
} PropDesc;

#define PROP_BOOL_(n, st, f, d)                                                \
    {                                                                          \
        .name = (n), .type = PROP_BOOL, .offset = offsetof(st, f),             \
        .def_u = (d)                                                           \
    }
#define PROP_U32_(n, st, f, d)                                                 \
    {                                                                          \
        .name = (n), .type = PROP_U32, .offset = offsetof(st, f), .def_u = (d) \
    }
#define PROP_U64_(n, st, f, d)                                                 \
    {                                                                          \
        .name = (n), .type = PROP_U64, .offset = offsetof(st, f), .def_u = (d) \
    }
#define PROP_SIZE_(n, st, f, d)                                                \
    {                                                                          \
        .name = (n), .type = PROP_SIZE, .offset = offsetof(st, f),             \
        .def_u = (d)                                                           \
    }
#define PROP_STR_(n, st, f, d)                                                 \
    {                                                                          \
        .name = (n), .type = PROP_STR, .offset = offsetof(st, f), .def_s = (d) \
    }
#define PROP_END                                                               \
    {                                                                          \
        .name = NULL                                                           \
    }

struct ObjectClass {
    const char *name;
    const char *parent; /* parent type name; NULL only for TYPE_OBJECT */
    size_t instance_size;
    bool abstract;
    bool user_creatable; /* may be named by -device */
    const char *desc;
    const PropDesc *props; /* this type's own static props, or NULL */
    void (*instance_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
};

struct Object {
    const ObjectClass *cls;
    Object *parent;      /* in the composition tree, or NULL */
    char *name;          /* child name under parent, or NULL */
    GPtrArray *children; /* Object *, in insertion order */
    GPtrArray *links;    /* ObjectLink *, see object_add_link() */
    unsigned refcount;
};

/** A read-only link<TYPE> property; holds a reference on @target (or NULL). */
typedef struct ObjectLink {
    char *name;
    Object *target;
} ObjectLink;

/** Registers @cls; aborts on duplicates (a programming error). */
void type_register(const ObjectClass *cls);

/** Registers every built-in type (core, devices, machines).  Idempotent. */
void type_register_all(void);

/** Registers TYPE_OBJECT and TYPE_CONTAINER (idempotent). */
void object_register_types(void);

/** Returns the registered class called @name, or NULL. */
const ObjectClass *type_lookup(const char *name);

/** True when @cls is @type_name or derives from it. */
bool type_is_a(const ObjectClass *cls, const char *type_name);

/** Parent class of @cls, or NULL for TYPE_OBJECT. */
const ObjectClass *type_parent(const ObjectClass *cls);

/**
 * Calls @fn for every registered type, sorted by name, that derives from
 * @implements (NULL: all) and, unless @abstract, is not abstract.
 */
void type_foreach(const char *implements, bool abstract,
                  void (*fn)(const ObjectClass *cls, void *opaque),
                  void *opaque);

/**
 * Creates an instance of @type_name with every static property at its
 * default.  Returns NULL and sets @errp if the type is unknown or abstract.
 * The caller holds one reference.
 */
Object *object_new(const char *type_name, GError **errp);

/** Same with a class pointer; @cls must not be abstract. */
Object *object_new_with_class(const ObjectClass *cls);

void object_ref(Object *obj);
/** Drops a reference; the last one finalizes children first, then @obj. */
void object_unref(Object *obj);

/** Dynamic cast: @obj if it is a @type_name, else NULL. */
Object *object_dynamic_cast(Object *obj, const char *type_name);

const char *object_type_name(const Object *obj);

/** The root container "/", created on first use with children "machine",
 * "chardevs" and "objects" (containers) added by whoever creates them. */
Object *object_get_root(void);

/** Destroys the whole tree below the root (for tests). */
void object_reset_root(void);

/**
 * Makes @child a child of @parent called @name (takes a reference).
 * Fails if @name is taken or @child already has a parent.
 */
bool object_add_child(Object *parent, const char *name, Object *child,
                      GError **errp);

/** Removes @child from its parent and drops the parent's reference. */
void object_unparent(Object *child);

/** Child of @parent named @name, or NULL. */
Object *object_get_child(Object *parent, const char *name);

/** Returns @parent's child container @name, creating it if needed. */
Object *object_get_container(Object *parent, const char *name);

/** Adds a read-only link<TYPE> property @name pointing at @target. */
void object_add_link(Object *obj, const char *name, Object *target);

/**
 * Newly allocated canonical path ("/machine/uart0"); "/" for the root;
 * NULL when @obj is not in the tree below the root (as in QEMU).
 */
char *object_get_canonical_path(const Object *obj);

/**
 * Resolves @path.  An absolute path ("/machine/uart0") is walked from the
 * root through children (and links).  A partial path ("uart0", "soc0/harts[1]")
 * matches any object whose canonical path ends with "/" + @path; it must be
 * unique.  Returns NULL when nothing matches; when several match it returns
 * NULL and sets *@ambiguous (if non-NULL).
 */
Object *object_resolve_path(const char *path, bool *ambiguous);

/** Describes one property for qom-list: name and QOM type string. */
typedef struct PropInfo {
    const char *name;
    char *type; /* "bool", "uint32", "string", "child<ns16550a>", ... */
    const char *desc;
    const PropDesc *pd; /* static property, or NULL for dynamic ones */
} PropInfo;

/**
 * Lists every property of @obj in a stable order: "type" first, then the
 * static props from the root type down, then children, then links.
 * Returns a GArray of PropInfo; free with object_prop_info_free().
 */
GArray *object_list_properties(Object *obj);
void object_prop_info_free(GArray *props);

/**
 * Reads property @name into @out (caller frees out->s for string types with
 * g_free).  Unknown property: error "Property 'TYPE.NAME' not found".
 */
bool object_property_get(Object *obj, const char *name, PropValue *out,
                         GError **errp);

/**
 * Writes property @name from @v, which must have the property's type
 * (PROP_U* values are range-checked).  Fails on read-only properties and
 * on static props of realized devices (unless after_realize).
 */
bool object_property_set(Object *obj, const char *name, const PropValue *v,
                         GError **errp);

/**
 * Parses @str as the property's type (bool on/off/yes/no/true/false,
 * numbers in C base syntax, sizes with suffixes) and sets it.  Messages
 * follow QEMU: "Parameter 'NAME' expects 'on' or 'off'", "Property
 * 'TYPE.NAME' not found", "Parameter 'NAME' expects uint32_t", ...
 */
bool object_property_parse(Object *obj, const char *name, const char *str,
                           GError **errp);

/** Finds the static PropDesc @name on @cls or its ancestors, or NULL. */
const PropDesc *class_find_prop(const ObjectClass *cls, const char *name);

/** Returns the QOM type string of a static property ("uint32", ...). */
const char *prop_type_name(PropType t);

/** The error domain used for all object-model errors. */
#define EMU_ERROR emu_error_quark()
GQuark emu_error_quark(void);

/** Error codes; QMP maps them to error classes. */
typedef enum EmuErrorCode {
    EMU_ERROR_GENERIC,
    EMU_ERROR_NOT_FOUND, /* QMP class DeviceNotFound */
} EmuErrorCode;
