/* SPDX-License-Identifier: MIT */
/*
 * The built-in QMP commands (spec/qmp-subset.md §6) and the few HMP
 * commands reachable through human-monitor-command.
 *
 * Objects are built in the member order QEMU 7.2 happens to print (the
 * order of its hash table), so transcripts diff cleanly; clients must not
 * rely on it.
 */
#include "emu/monitor/qmp.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "emu/device.h"
#include "emu/loop.h"
#include "emu/object.h"
#include "hw/core/machine.h"

#define QMP_TYPE_RISCV_HART "riscv-hart"
#define QMP_TARGET          "riscv64"

static char *qmp_name;

void qmp_set_name(const char *name)
{
    g_free(qmp_name);
    qmp_name = g_strdup(name);
}

/* ---- Small builders -------------------------------------------------- */

static JsonNode *node_obj(JsonObject *o)
{
    JsonNode *n = json_node_alloc();

    json_node_init_object(n, o);
    json_object_unref(o);
    return n;
}

static JsonNode *node_arr(JsonArray *a)
{
    JsonNode *n = json_node_alloc();

    json_node_init_array(n, a);
    json_array_unref(a);
    return n;
}

static JsonNode *node_str(const char *s)
{
    return json_node_init_string(json_node_alloc(), s);
}

static const char *arg_str(JsonObject *args, const char *name)
{
    return json_object_has_member(args, name)
               ? json_object_get_string_member(args, name)
               : NULL;
}

static Object *qmp_resolve(const char *path, GError **errp)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (!obj) {
        if (ambiguous) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Path '%s' is ambiguous", path);
        } else {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "Device '%s' not found", path);
        }
    }
    return obj;
}

/* ---- Session and run state ------------------------------------------- */

static JsonNode *qmp_quit(JsonObject *args, GError **errp)
{
    /*
     * QEMU sends SHUTDOWN before the reply; the loop exits once this
     * dispatch has returned, without sending the event a second time.
     */
    qmp_broadcast_event("SHUTDOWN",
                        "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
    loop_request_shutdown_quiet(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
    return NULL;
}

static JsonNode *qmp_query_status(JsonObject *args, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "status", run_state_name(runstate_get()));
    json_object_set_boolean_member(o, "singlestep", false);
    json_object_set_boolean_member(o, "running", runstate_is_running());
    return node_obj(o);
}

static JsonNode *qmp_query_version(JsonObject *args, GError **errp)
{
    return qmp_version_info();
}

static void query_commands_add(const char *name, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_query_commands(JsonObject *args, GError **errp)
{
    JsonArray *a = json_array_new();

    qmp_command_foreach(query_commands_add, a);
    return node_arr(a);
}

static JsonNode *qmp_query_name(JsonObject *args, GError **errp)
{
    JsonObject *o = json_object_new();

    if (qmp_name) {
        json_object_set_string_member(o, "name", qmp_name);
    }
    return node_obj(o);
}

static JsonNode *qmp_stop(JsonObject *args, GError **errp)
{
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED); /* STOP comes from the loop's hook */
    }
    return NULL;
}

static JsonNode *qmp_cont(JsonObject *args, GError **errp)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "Resetting the Virtual Machine is required");
        return NULL;
    }
    if (!runstate_is_running()) {
        vm_start(); /* RESUME comes from the loop's hook */
    }
    return NULL;
}

static JsonNode *qmp_system_reset(JsonObject *args, GError **errp)
{
    /* Handle it now, so that RESET precedes the reply. */
    loop_request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    loop_process_requests();
    return NULL;
}

static JsonNode *qmp_system_powerdown(JsonObject *args, GError **errp)
{
    /* No board has a power button yet: the event is all that happens. */
    qmp_broadcast_event("POWERDOWN", NULL);
    return NULL;
}

/* ---- QOM ------------------------------------------------------------- */

static JsonNode *qmp_qom_list(JsonObject *args, GError **errp)
{
    Object *obj = qmp_resolve(arg_str(args, "path"), errp);
    JsonArray *a;
    GArray *props;

    if (!obj) {
        return NULL;
    }
    a = json_array_new();
    props = object_list_properties(obj);
    for (guint i = 0; i < props->len; i++) {
        const PropInfo *pi = &g_array_index(props, PropInfo, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", pi->name);
        if (pi->desc) {
            json_object_set_string_member(o, "description", pi->desc);
        }
        json_object_set_string_member(o, "type", pi->type);
        json_array_add_object_element(a, o);
    }
    object_prop_info_free(props);
    return node_arr(a);
}

/*
 * Deviation: json-glib integers are signed, so an unsigned value above
 * INT64_MAX comes out as its two's complement.
 */
static JsonNode *prop_value_to_json(const PropValue *v)
{
    JsonNode *n = json_node_alloc();

    switch (v->type) {
    case PROP_BOOL:
        return json_node_init_boolean(n, v->b);
    case PROP_U8:
    case PROP_U16:
    case PROP_U32:
    case PROP_U64:
    case PROP_SIZE:
        return json_node_init_int(n, (gint64)v->u);
    case PROP_I32:
    case PROP_I64:
        return json_node_init_int(n, v->i);
    case PROP_STR:
    case PROP_CHILD:
    case PROP_LINK:
        return json_node_init_string(n, v->s ? v->s : "");
    }
    g_assert_not_reached();
}

static JsonNode *qmp_qom_get(JsonObject *args, GError **errp)
{
    Object *obj = qmp_resolve(arg_str(args, "path"), errp);
    PropValue v = {0};
    JsonNode *ret;

    if (!obj ||
        !object_property_get(obj, arg_str(args, "property"), &v, errp)) {
        return NULL;
    }
    ret = prop_value_to_json(&v);
    if (v.type == PROP_STR || v.type == PROP_CHILD || v.type == PROP_LINK) {
        g_free(v.s);
    }
    return ret;
}

static bool node_is(JsonNode *n, GType t)
{
    return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == t;
}

static JsonNode *qmp_qom_set(JsonObject *args, GError **errp)
{
    const char *name = arg_str(args, "property");
    JsonNode *value = json_object_get_member(args, "value");
    Object *obj = qmp_resolve(arg_str(args, "path"), errp);
    PropValue v = {0};
    const char *want = NULL;

    /* Reading the current value tells the type (and finds no-such-prop). */
    if (!obj || !object_property_get(obj, name, &v, errp)) {
        return NULL;
    }
    if (v.type == PROP_STR || v.type == PROP_CHILD || v.type == PROP_LINK) {
        g_free(v.s);
        v.s = NULL;
    }
    switch (v.type) {
    case PROP_BOOL:
        if (!node_is(value, G_TYPE_BOOLEAN)) {
            want = "boolean";
            break;
        }
        v.b = json_node_get_boolean(value);
        break;
    case PROP_U8:
    case PROP_U16:
    case PROP_U32:
    case PROP_U64:
    case PROP_SIZE:
    case PROP_I32:
    case PROP_I64:
        if (node_is(value, G_TYPE_STRING)) {
            /* "0x1000", "4k": parsed like a command-line value */
            if (!object_property_parse(obj, name, json_node_get_string(value),
                                       errp)) {
                return NULL;
            }
            return NULL;
        }
        if (!node_is(value, G_TYPE_INT64)) {
            want = "integer";
            break;
        }
        if (v.type == PROP_I32 || v.type == PROP_I64) {
            v.i = json_node_get_int(value);
        } else {
            v.u = (uint64_t)json_node_get_int(value);
        }
        break;
    case PROP_STR:
    case PROP_CHILD:
    case PROP_LINK:
        if (!node_is(value, G_TYPE_STRING)) {
            want = "string";
            break;
        }
        v.s = (char *)json_node_get_string(value); /* set() copies */
        break;
    }
    if (want) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "Invalid parameter type for '%s', expected: %s", name,
                    want);
        return NULL;
    }
    object_property_set(obj, name, &v, errp);
    return NULL;
}

static void list_types_add(const ObjectClass *cls, void *opaque)
{
    JsonObject *o = json_object_new();

    if (cls->abstract) {
        json_object_set_boolean_member(o, "abstract", true);
    }
    json_object_set_string_member(o, "name", cls->name);
    if (cls->parent) {
        json_object_set_string_member(o, "parent", cls->parent);
    }
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_qom_list_types(JsonObject *args, GError **errp)
{
    JsonArray *a = json_array_new();
    bool abstract = json_object_has_member(args, "abstract") &&
                    json_object_get_boolean_member(args, "abstract");

    type_foreach(arg_str(args, "implements"), abstract, list_types_add, a);
    return node_arr(a);
}

/* The default of a static property, or NULL when it has none. */
static JsonNode *prop_default(const PropDesc *pd)
{
    switch (pd->type) {
    case PROP_BOOL:
        return json_node_init_boolean(json_node_alloc(), pd->def_u != 0);
    case PROP_U8:
    case PROP_U16:
    case PROP_U32:
    case PROP_U64:
    case PROP_SIZE:
        return json_node_init_int(json_node_alloc(), (gint64)pd->def_u);
    case PROP_I32:
    case PROP_I64:
        return json_node_init_int(json_node_alloc(), pd->def_i);
    case PROP_STR:
        return pd->def_s ? node_str(pd->def_s) : NULL;
    case PROP_CHILD:
    case PROP_LINK:
        return NULL;
    }
    return NULL;
}

static JsonNode *qmp_device_list_properties(JsonObject *args, GError **errp)
{
    const char *typename = arg_str(args, "typename");
    const ObjectClass *cls = type_lookup(typename);
    g_autoptr(GPtrArray) chain = NULL;
    JsonArray *a;

    if (!cls) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "Device '%s' not found", typename);
        return NULL;
    }
    if (!type_is_a(cls, TYPE_DEVICE) || cls->abstract) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "Parameter 'typename' expects a non-abstract device "
                    "type");
        return NULL;
    }
    /* Static properties only, root type first; nothing is instantiated. */
    chain = g_ptr_array_new();
    for (const ObjectClass *c = cls; c; c = type_parent(c)) {
        g_ptr_array_insert(chain, 0, (gpointer)c);
    }
    a = json_array_new();
    for (guint i = 0; i < chain->len; i++) {
        const ObjectClass *c = g_ptr_array_index(chain, i);

        for (const PropDesc *pd = c->props; pd && pd->name; pd++) {
            JsonObject *o = json_object_new();
            JsonNode *def = prop_default(pd);

            if (def) {
                json_object_set_member(o, "default-value", def);
            }
            json_object_set_string_member(o, "name", pd->name);
            if (pd->desc) {
                json_object_set_string_member(o, "description", pd->desc);
            }
            json_object_set_string_member(o, "type", prop_type_name(pd->type));
            json_array_add_object_element(a, o);
        }
    }
    return node_arr(a);
}

/* ---- Machine, target, CPUs ------------------------------------------- */

static void query_machines_add(const MachineClass *mc, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "hotpluggable-cpus", false);
    json_object_set_string_member(o, "name", mc->machine_name);
    json_object_set_boolean_member(o, "numa-mem-supported",
                                   mc->numa_mem_supported);
    if (mc->default_cpu_type) {
        json_object_set_string_member(o, "default-cpu-type",
                                      mc->default_cpu_type);
    }
    json_object_set_boolean_member(o, "acpi", false);
    if (mc->is_default) {
        json_object_set_boolean_member(o, "is-default", true);
    }
    json_object_set_int_member(o, "cpu-max", mc->max_cpus);
    json_object_set_boolean_member(o, "deprecated", false);
    if (mc->default_ram_id) {
        json_object_set_string_member(o, "default-ram-id", mc->default_ram_id);
    }
    if (mc->alias) {
        json_object_set_string_member(o, "alias", mc->alias);
    }
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_query_machines(JsonObject *args, GError **errp)
{
    JsonArray *a = json_array_new();

    machine_class_foreach(query_machines_add, a);
    return node_arr(a);
}

static JsonNode *qmp_query_target(JsonObject *args, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "arch", QMP_TARGET);
    return node_obj(o);
}

static JsonNode *qmp_query_kvm(JsonObject *args, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "enabled", false);
    json_object_set_boolean_member(o, "present", false);
    return node_obj(o);
}

/* Every hart below @obj, depth first in creation order. */
static void collect_harts(Object *obj, GPtrArray *harts)
{
    if (object_dynamic_cast(obj, QMP_TYPE_RISCV_HART)) {
        g_ptr_array_add(harts, obj);
    }
    for (guint i = 0; obj->children && i < obj->children->len; i++) {
        collect_harts(g_ptr_array_index(obj->children, i), harts);
    }
}

static GPtrArray *qmp_harts(void)
{
    GPtrArray *harts = g_ptr_array_new();
    Object *machine = object_get_child(object_get_root(), "machine");

    if (machine && type_lookup(QMP_TYPE_RISCV_HART)) {
        collect_harts(machine, harts);
    }
    return harts;
}

static JsonNode *qmp_query_cpus_fast(JsonObject *args, GError **errp)
{
    g_autoptr(GPtrArray) harts = qmp_harts();
    JsonArray *a = json_array_new();

    for (guint i = 0; i < harts->len; i++) {
        g_autofree char *path =
            object_get_canonical_path(g_ptr_array_index(harts, i));
        JsonObject *o = json_object_new();
        JsonObject *props = json_object_new();

        /* One loop thread runs every hart. */
        json_object_set_int_member(o, "thread-id", getpid());
        json_object_set_int_member(props, "core-id", i);
        json_object_set_object_member(o, "props", props);
        json_object_set_string_member(o, "qom-path", path);
        json_object_set_int_member(o, "cpu-index", i);
        json_object_set_string_member(o, "target", QMP_TARGET);
        json_array_add_object_element(a, o);
    }
    return node_arr(a);
}

static JsonNode *qmp_query_block(JsonObject *args, GError **errp)
{
    return node_arr(json_array_new()); /* no block backends yet */
}

/* ---- human-monitor-command ------------------------------------------- */

typedef struct HmpInfo {
    const char *name;
    const char *params;
    const char *help;
    void (*fn)(GString *out, const char *arg);
} HmpInfo;

static void hmp_info_status(GString *out, const char *arg)
{
    RunState st = runstate_get();

    g_string_append_printf(out, "VM status: %s",
                           runstate_is_running() ? "running" : "paused");
    if (st != RUN_STATE_RUNNING && st != RUN_STATE_PAUSED) {
        g_string_append_printf(out, " (%s)", run_state_name(st));
    }
    g_string_append_c(out, '\n');
}

static gint hmp_child_cmp(gconstpointer a, gconstpointer b)
{
    const Object *x = *(Object *const *)a;
    const Object *y = *(Object *const *)b;

    return g_strcmp0(x->name, y->name);
}

static void hmp_print_qom(GString *out, Object *obj, int indent)
{
    g_autoptr(GPtrArray) kids = g_ptr_array_new();

    g_string_append_printf(out, "%*s/%s (%s)\n", indent, "",
                           obj == object_get_root() ? "" : obj->name,
                           object_type_name(obj));
    for (guint i = 0; obj->children && i < obj->children->len; i++) {
        g_ptr_array_add(kids, g_ptr_array_index(obj->children, i));
    }
    g_ptr_array_sort(kids, hmp_child_cmp);
    for (guint i = 0; i < kids->len; i++) {
        hmp_print_qom(out, g_ptr_array_index(kids, i), indent + 2);
    }
}

static void hmp_info_qom_tree(GString *out, const char *arg)
{
    Object *obj;
    bool ambiguous = false;

    if (*arg) {
        obj = object_resolve_path(arg, &ambiguous);
        if (ambiguous) {
            g_string_append_printf(out, "Warning: Path '%s' is ambiguous\n",
                                   arg);
            return;
        }
        if (!obj) {
            g_string_append_printf(out, "Path '%s' could not be resolved.\n",
                                   arg);
            return;
        }
    } else {
        obj = object_get_child(object_get_root(), "machine");
        if (!obj) {
            return;
        }
    }
    hmp_print_qom(out, obj, 0);
}

static void hmp_info_version(GString *out, const char *arg)
{
    JsonNode *v = qmp_version_info();
    JsonObject *info = json_node_get_object(v);
    JsonObject *q = json_object_get_object_member(info, "qemu");

    g_string_append_printf(out, "%" PRId64 ".%" PRId64 ".%" PRId64 " (%s)\n",
                           json_object_get_int_member(q, "major"),
                           json_object_get_int_member(q, "minor"),
                           json_object_get_int_member(q, "micro"),
                           json_object_get_string_member(info, "package"));
    json_node_unref(v);
}

static const HmpInfo hmp_infos[] = {
    {"qom-tree", "[path]", "show QOM composition tree", hmp_info_qom_tree},
    {"status", "", "show the current VM status (running|paused)",
     hmp_info_status},
    {"version", "", "show the version of QEMU", hmp_info_version},
};

static void hmp_help_info(GString *out)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hmp_infos); i++) {
        g_string_append_printf(out, "info %s %s -- %s\n", hmp_infos[i].name,
                               hmp_infos[i].params, hmp_infos[i].help);
    }
}

static void hmp_help(GString *out, const char *arg)
{
    if (!strcmp(arg, "info")) {
        hmp_help_info(out);
        return;
    }
    g_string_append(out, "help|? [cmd] -- show the help\n"
                         "info [subcommand] -- show various information "
                         "about the system state\n");
}

/* Splits the next word off *@p (QEMU's get_command_name); NULL if none. */
static char *hmp_word(const char **p)
{
    const char *s = *p;
    const char *e;

    while (g_ascii_isspace(*s)) {
        s++;
    }
    if (!*s) {
        return NULL;
    }
    for (e = s; *e && !g_ascii_isspace(*e); e++) {
    }
    *p = e;
    return g_strndup(s, (gsize)(e - s));
}

static const char *hmp_skip_space(const char *p)
{
    while (g_ascii_isspace(*p)) {
        p++;
    }
    return p;
}

static void hmp_run(GString *out, const char *line)
{
    const char *p = line;
    g_autofree char *cmd = hmp_word(&p);
    g_autofree char *sub = NULL;
    g_autofree char *rest = NULL;

    if (!cmd) {
        return;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        hmp_help(out, hmp_skip_space(p));
        return;
    }
    if (strcmp(cmd, "info") != 0) {
        g_string_append_printf(out, "unknown command: '%.*s'\n",
                               (int)(p - line), line);
        return;
    }
    sub = hmp_word(&p);
    if (!sub) {
        hmp_help_info(out);
        return;
    }
    rest = g_strstrip(g_strdup(p));
    for (size_t i = 0; i < G_N_ELEMENTS(hmp_infos); i++) {
        if (!strcmp(sub, hmp_infos[i].name)) {
            hmp_infos[i].fn(out, rest);
            return;
        }
    }
    g_string_append_printf(out, "unknown command: '%.*s'\n", (int)(p - line),
                           line);
}

static JsonNode *qmp_human_monitor_command(JsonObject *args, GError **errp)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) crlf = g_string_new(NULL);

    if (json_object_has_member(args, "cpu-index")) {
        g_autoptr(GPtrArray) harts = qmp_harts();
        gint64 idx = json_object_get_int_member(args, "cpu-index");

        if (idx < 0 || idx >= (gint64)harts->len) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Parameter 'cpu-index' expects a CPU number");
            return NULL;
        }
    }
    hmp_run(out, arg_str(args, "command-line"));
    /* The monitor turns every line end into "\r\n". */
    for (gsize i = 0; i < out->len; i++) {
        if (out->str[i] == '\n') {
            g_string_append_c(crlf, '\r');
        }
        g_string_append_c(crlf, out->str[i]);
    }
    return node_str(crlf->str);
}

/* ---- Registration ---------------------------------------------------- */

static const QmpArg no_args[] = {
    {NULL},
};

static const QmpArg qom_path_args[] = {
    {"path", 's', false},
    {NULL},
};

static const QmpArg qom_get_args[] = {
    {"path", 's', false},
    {"property", 's', false},
    {NULL},
};

static const QmpArg qom_set_args[] = {
    {"path", 's', false},
    {"property", 's', false},
    {"value", 'a', false},
    {NULL},
};

static const QmpArg qom_list_types_args[] = {
    {"implements", 's', true},
    {"abstract", 'b', true},
    {NULL},
};

static const QmpArg device_list_properties_args[] = {
    {"typename", 's', false},
    {NULL},
};

static const QmpArg hmp_args[] = {
    {"command-line", 's', false},
    {"cpu-index", 'i', true},
    {NULL},
};

static const struct {
    const char *name;
    QmpCommandFn fn;
    const QmpArg *args;
} qmp_builtins[] = {
    {"quit", qmp_quit, no_args},
    {"query-status", qmp_query_status, no_args},
    {"query-version", qmp_query_version, no_args},
    {"query-commands", qmp_query_commands, no_args},
    {"query-name", qmp_query_name, no_args},
    {"stop", qmp_stop, no_args},
    {"cont", qmp_cont, no_args},
    {"system_reset", qmp_system_reset, no_args},
    {"system_powerdown", qmp_system_powerdown, no_args},
    {"qom-list", qmp_qom_list, qom_path_args},
    {"qom-get", qmp_qom_get, qom_get_args},
    {"qom-set", qmp_qom_set, qom_set_args},
    {"qom-list-types", qmp_qom_list_types, qom_list_types_args},
    {"query-machines", qmp_query_machines, no_args},
    {"query-target", qmp_query_target, no_args},
    {"query-kvm", qmp_query_kvm, no_args},
    {"query-cpus-fast", qmp_query_cpus_fast, no_args},
    {"query-block", qmp_query_block, no_args},
    {"device-list-properties", qmp_device_list_properties,
     device_list_properties_args},
    {"human-monitor-command", qmp_human_monitor_command, hmp_args},
};

void qmp_register_builtin_commands(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_builtins); i++) {
        qmp_register_command(qmp_builtins[i].name, qmp_builtins[i].fn,
                             qmp_builtins[i].args);
    }
}
