/* SPDX-License-Identifier: MIT */
/*
 * QMP server (spec/qmp-subset.md): input splitting, request checks,
 * dispatch, events and QEMU-style JSON output.
 *
 * Input path: bytes -> tokens -> messages -> json-glib -> dispatch.
 * Tokens are cut exactly where QEMU's json-lexer cuts them, so garbage is
 * diagnosed at the same bytes and the same resynchronisation rules apply
 * (after a lexical error, skip to a structural character, a control
 * character or 0xFE/0xFF).  A message is complete when the {/[ nesting
 * returns to zero (or goes negative, or a scalar arrives at depth zero);
 * its text, with single-quoted strings rewritten to double quotes, is then
 * parsed by json-glib.
 *
 * Deviation: after a message exceeds a limit (64 MiB of tokens, 2 Mi
 * tokens, nesting 1024), QEMU answers one error and then parses the rest of
 * the oversized message as new input, answering one more error for every
 * stray closing bracket.  We answer once and skip the rest of the message.
 * json-glib also keeps the last of duplicate keys where QEMU rejects them.
 */
#include "emu/monitor/qmp.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "emu/chardev/chardev.h"
#include "emu/object.h"

#include "benchtop-config.h"

#define QMP_MAX_TOKEN_SIZE  (64ull << 20)
#define QMP_MAX_TOKEN_COUNT (2ull << 20)
#define QMP_MAX_NESTING     1024
#define QMP_STRAY_MAX       64 /* bytes of a bad token quoted in the error */

/* Lexer states, named after QEMU's json-lexer. */
typedef enum LexState {
    LEX_START,
    LEX_RECOVERY,
    LEX_DQ_STRING,
    LEX_DQ_STRING_ESCAPE,
    LEX_SQ_STRING,
    LEX_SQ_STRING_ESCAPE,
    LEX_ZERO,
    LEX_DIGITS,
    LEX_SIGN,
    LEX_MANTISSA,
    LEX_MANTISSA_DIGITS,
    LEX_EXP_E,
    LEX_EXP_SIGN,
    LEX_EXP_DIGITS,
    LEX_KEYWORD,
} LexState;

typedef enum TokKind {
    TOK_LCURLY,
    TOK_RCURLY,
    TOK_LSQUARE,
    TOK_RSQUARE,
    TOK_PUNCT,  /* ':' or ',' */
    TOK_STRING, /* already rewritten to double quotes */
    TOK_BARE,   /* number or keyword */
} TokKind;

struct QmpMonitor {
    Chardev *chr; /* NULL for buffer monitors */
    GString *out; /* buffer monitors: where output goes */
    bool pretty;
    bool command_mode; /* false: capabilities negotiation mode */

    LexState state;
    GString *tok; /* the token being lexed (strings: rewritten) */
    GString *msg; /* the tokens of the current message */
    int braces, brackets;
    size_t ntokens;
    size_t token_size;
    bool last_bare;      /* msg ends in a number/keyword */
    bool discarding;     /* skipping the rest of an over-limit message */
    const char *msg_bad; /* parse error found while lexing strings */
};

typedef struct QmpCommand {
    const char *name;
    QmpCommandFn fn;
    const QmpArg *args;
} QmpCommand;

static GPtrArray *qmp_commands; /* QmpCommand *, registration order */
static GPtrArray *qmp_monitors; /* QmpMonitor *, every live monitor */
static QmpMonitor *qmp_cur_mon; /* the monitor whose command runs */

G_DEFINE_QUARK(qmp - error - quark, qmp_error)

/* ---- Output ---------------------------------------------------------- */

static void qmp_json_quote(GString *s, const char *str)
{
    const char *p = str;

    g_string_append_c(s, '"');
    while (*p) {
        gunichar cp = g_utf8_get_char_validated(p, -1);
        const char *next;

        if (cp == (gunichar)-1 || cp == (gunichar)-2) {
            cp = 0xFFFD; /* replacement character, like QEMU */
            next = p + 1;
        } else {
            next = g_utf8_next_char(p);
        }
        switch (cp) {
        case '"':
            g_string_append(s, "\\\"");
            break;
        case '\\':
            g_string_append(s, "\\\\");
            break;
        case '\b':
            g_string_append(s, "\\b");
            break;
        case '\f':
            g_string_append(s, "\\f");
            break;
        case '\n':
            g_string_append(s, "\\n");
            break;
        case '\r':
            g_string_append(s, "\\r");
            break;
        case '\t':
            g_string_append(s, "\\t");
            break;
        default:
            if (cp > 0xFFFF) {
                g_string_append_printf(s, "\\u%04X\\u%04X",
                                       0xD800 + ((cp - 0x10000) >> 10),
                                       0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else if (cp < 0x20 || cp >= 0x7F) {
                g_string_append_printf(s, "\\u%04X", cp);
            } else {
                g_string_append_c(s, (char)cp);
            }
            break;
        }
        p = next;
    }
    g_string_append_c(s, '"');
}

static void qmp_json_newline(GString *s, bool pretty, int depth)
{
    if (pretty) {
        g_string_append_printf(s, "\n%*s", 4 * depth, "");
    }
}

static void qmp_json_write(GString *s, JsonNode *node, bool pretty, int depth)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    bool first = true;

    if (!node) {
        g_string_append(s, "null");
        return;
    }
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_NULL:
        g_string_append(s, "null");
        break;
    case JSON_NODE_VALUE:
        switch (json_node_get_value_type(node)) {
        case G_TYPE_INT64:
            g_string_append_printf(s, "%" PRId64, json_node_get_int(node));
            break;
        case G_TYPE_DOUBLE:
            g_string_append(s, g_ascii_dtostr(buf, sizeof(buf),
                                              json_node_get_double(node)));
            break;
        case G_TYPE_BOOLEAN:
            g_string_append(s, json_node_get_boolean(node) ? "true" : "false");
            break;
        case G_TYPE_STRING:
            qmp_json_quote(s, json_node_get_string(node));
            break;
        default:
            g_assert_not_reached();
        }
        break;
    case JSON_NODE_OBJECT: {
        JsonObjectIter it;
        const char *key;
        JsonNode *member;

        g_string_append_c(s, '{');
        json_object_iter_init_ordered(&it, json_node_get_object(node));
        while (json_object_iter_next_ordered(&it, &key, &member)) {
            if (!first) {
                g_string_append_c(s, ',');
                if (!pretty) {
                    g_string_append_c(s, ' ');
                }
            }
            qmp_json_newline(s, pretty, depth + 1);
            qmp_json_quote(s, key);
            g_string_append(s, ": ");
            qmp_json_write(s, member, pretty, depth + 1);
            first = false;
        }
        if (!first) {
            qmp_json_newline(s, pretty, depth);
        }
        g_string_append_c(s, '}');
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *a = json_node_get_array(node);
        guint n = json_array_get_length(a);

        g_string_append_c(s, '[');
        for (guint i = 0; i < n; i++) {
            if (i) {
                g_string_append_c(s, ',');
                if (!pretty) {
                    g_string_append_c(s, ' ');
                }
            }
            qmp_json_newline(s, pretty, depth + 1);
            qmp_json_write(s, json_array_get_element(a, i), pretty, depth + 1);
        }
        if (n) {
            qmp_json_newline(s, pretty, depth);
        }
        g_string_append_c(s, ']');
        break;
    }
    }
}

char *qmp_to_json(JsonNode *node, bool pretty)
{
    GString *s = g_string_new(NULL);

    qmp_json_write(s, node, pretty, 0);
    return g_string_free(s, false);
}

/* Sends one message; every '\n' goes out as "\r\n", like QEMU's monitor. */
static void qmp_send(QmpMonitor *mon, JsonNode *msg)
{
    g_autofree char *text = qmp_to_json(msg, mon->pretty);
    GString *line = g_string_sized_new(strlen(text) + 2);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(line, '\r');
        }
        g_string_append_c(line, *p);
    }
    g_string_append(line, "\r\n");
    if (mon->out) {
        g_string_append_len(mon->out, line->str, (gssize)line->len);
    } else {
        chardev_write(mon->chr, line->str, line->len);
    }
    g_string_free(line, true);
}

static const char *qmp_error_class(const GError *err)
{
    if (err->domain == EMU_ERROR && err->code == EMU_ERROR_NOT_FOUND) {
        return "DeviceNotFound";
    }
    if (err->domain == QMP_ERROR && err->code == QMP_ERROR_COMMAND_NOT_FOUND) {
        return "CommandNotFound";
    }
    return "GenericError";
}

/* {"id": ID, "error": {"class": C, "desc": D}} (QEMU's member order). */
static void qmp_send_error(QmpMonitor *mon, JsonNode *id, const char *cls,
                           const char *desc)
{
    JsonObject *rsp = json_object_new();
    JsonObject *e = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    json_object_set_string_member(e, "class", cls);
    json_object_set_string_member(e, "desc", desc);
    json_object_set_object_member(rsp, "error", e);
    json_node_take_object(node, rsp);
    qmp_send(mon, node);
    json_node_unref(node);
}

/* {"return": VALUE, "id": ID}; takes @ret (NULL means {}). */
static void qmp_send_return(QmpMonitor *mon, JsonNode *id, JsonNode *ret)
{
    JsonObject *rsp = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    if (!ret) {
        ret = json_node_new(JSON_NODE_OBJECT);
        json_node_take_object(ret, json_object_new());
    }
    json_object_set_member(rsp, "return", ret);
    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    json_node_take_object(node, rsp);
    qmp_send(mon, node);
    json_node_unref(node);
}

JsonNode *qmp_version_info(void)
{
    JsonObject *info = json_object_new();
    JsonObject *qemu = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    /* The protocol we mimic is QEMU 7.2's; our identity is "package". */
    json_object_set_int_member(qemu, "micro", 0);
    json_object_set_int_member(qemu, "minor", 2);
    json_object_set_int_member(qemu, "major", 7);
    json_object_set_object_member(info, "qemu", qemu);
    json_object_set_string_member(info, "package",
                                  "benchtop " BENCHTOP_VERSION);
    json_node_take_object(node, info);
    return node;
}

static void qmp_send_greeting(QmpMonitor *mon)
{
    JsonObject *q = json_object_new();
    JsonObject *greeting = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_object_set_member(q, "version", qmp_version_info());
    /* No "oob": we do not offer what we cannot honour. */
    json_object_set_array_member(q, "capabilities", json_array_new());
    json_object_set_object_member(greeting, "QMP", q);
    json_node_take_object(node, greeting);
    qmp_send(mon, node);
    json_node_unref(node);
}

void qmp_broadcast_event(const char *name, const char *data_json)
{
    gint64 now = g_get_real_time();
    JsonObject *ev = json_object_new();
    JsonObject *ts = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data_json) {
        g_autoptr(JsonParser) parser = json_parser_new();
        bool ok = json_parser_load_from_data(parser, data_json, -1, NULL);

        g_assert(ok && json_parser_get_root(parser)); /* our own JSON */
        json_object_set_member(ev, "data",
                               json_node_copy(json_parser_get_root(parser)));
    }
    json_node_take_object(node, ev);
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        QmpMonitor *mon = g_ptr_array_index(qmp_monitors, i);

        if (mon->command_mode) {
            qmp_send(mon, node);
        }
    }
    json_node_unref(node);
}

/* ---- Command registry ------------------------------------------------ */

static JsonNode *qmp_cmd_capabilities(JsonObject *args, GError **errp);

static const QmpArg qmp_capabilities_args[] = {
    {"enable", 'l', true},
    {NULL},
};

static GPtrArray *qmp_registry(void)
{
    if (!qmp_commands) {
        qmp_commands = g_ptr_array_new_with_free_func(g_free);
        qmp_register_command("qmp_capabilities", qmp_cmd_capabilities,
                             qmp_capabilities_args);
    }
    return qmp_commands;
}

static const QmpCommand *qmp_find_command(const char *name)
{
    GPtrArray *cmds = qmp_registry();

    for (guint i = 0; i < cmds->len; i++) {
        const QmpCommand *cmd = g_ptr_array_index(cmds, i);

        if (!strcmp(cmd->name, name)) {
            return cmd;
        }
    }
    return NULL;
}

void qmp_register_command(const char *name, QmpCommandFn fn, const QmpArg *args)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);

    qmp_registry();
    g_assert(!qmp_find_command(name));
    cmd->name = name;
    cmd->fn = fn;
    cmd->args = args;
    g_ptr_array_add(qmp_commands, cmd);
}

void qmp_command_foreach(void (*fn)(const char *name, void *opaque),
                         void *opaque)
{
    GPtrArray *cmds = qmp_registry();

    for (guint i = 0; i < cmds->len; i++) {
        const QmpCommand *cmd = g_ptr_array_index(cmds, i);

        fn(cmd->name, opaque);
    }
}

/*
 * qmp_capabilities: the argument checks of QEMU's generated visitor, then
 * the capability check, then the mode switch (spec §3).
 */
static JsonNode *qmp_cmd_capabilities(JsonObject *args, GError **errp)
{
    JsonArray *enable = json_object_has_member(args, "enable")
                            ? json_object_get_array_member(args, "enable")
                            : NULL;
    g_autoptr(GString) unavailable = NULL;
    guint n = enable ? json_array_get_length(enable) : 0;

    for (guint i = 0; i < n; i++) {
        JsonNode *cap = json_array_get_element(enable, i);

        if (!JSON_NODE_HOLDS_VALUE(cap) ||
            json_node_get_value_type(cap) != G_TYPE_STRING) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Invalid parameter type for 'enable[%u]', expected: "
                        "string",
                        i);
            return NULL;
        }
        if (strcmp(json_node_get_string(cap), "oob") != 0) {
            /* QEMU names list elements 'null' in this message. */
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Parameter 'null' does not accept value '%s'",
                        json_node_get_string(cap));
            return NULL;
        }
    }
    if (qmp_cur_mon && qmp_cur_mon->command_mode) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_COMMAND_NOT_FOUND,
                    "Capabilities negotiation is already complete, command "
                    "ignored");
        return NULL;
    }
    for (guint i = 0; i < n; i++) {
        /* Only "oob" got here, and it is never offered. */
        if (!unavailable) {
            unavailable = g_string_new("oob");
        } else {
            g_string_append(unavailable, ", oob");
        }
    }
    if (unavailable) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "Capability %s not available", unavailable->str);
        return NULL;
    }
    if (qmp_cur_mon) {
        qmp_cur_mon->command_mode = true;
    }
    return NULL;
}

/* ---- Dispatch -------------------------------------------------------- */

static const char *qmp_arg_type_word(char type)
{
    switch (type) {
    case 's':
        return "string";
    case 'b':
        return "boolean";
    case 'i':
        return "integer";
    case 'o':
        return "object";
    case 'l':
        return "array";
    default:
        return NULL;
    }
}

static bool qmp_arg_type_ok(char type, JsonNode *v)
{
    switch (type) {
    case 's':
        return JSON_NODE_HOLDS_VALUE(v) &&
               json_node_get_value_type(v) == G_TYPE_STRING;
    case 'b':
        return JSON_NODE_HOLDS_VALUE(v) &&
               json_node_get_value_type(v) == G_TYPE_BOOLEAN;
    case 'i':
        return JSON_NODE_HOLDS_VALUE(v) &&
               json_node_get_value_type(v) == G_TYPE_INT64;
    case 'o':
        return JSON_NODE_HOLDS_OBJECT(v);
    case 'l':
        return JSON_NODE_HOLDS_ARRAY(v);
    default:
        return true; /* 'a': any */
    }
}

/* The checks of QEMU's strict input visitor: schema order, then extras. */
static bool qmp_check_args(const QmpArg *schema, JsonObject *args,
                           GError **errp)
{
    JsonObjectIter it;
    const char *key;
    JsonNode *v;

    for (const QmpArg *a = schema; a && a->name; a++) {
        v = json_object_get_member(args, a->name);
        if (!v) {
            if (!a->optional) {
                g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                            "Parameter '%s' is missing", a->name);
                return false;
            }
            continue;
        }
        if (!qmp_arg_type_ok(a->type, v)) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Invalid parameter type for '%s', expected: %s",
                        a->name, qmp_arg_type_word(a->type));
            return false;
        }
    }
    json_object_iter_init_ordered(&it, args);
    while (json_object_iter_next_ordered(&it, &key, &v)) {
        const QmpArg *a = schema;

        while (a && a->name && strcmp(a->name, key) != 0) {
            a++;
        }
        if (!a || !a->name) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Parameter '%s' is unexpected", key);
            return false;
        }
    }
    return true;
}

/* Request-level checks of QEMU's qmp_dispatch_check_obj() (no OOB). */
static bool qmp_check_request(JsonObject *req, GError **errp)
{
    JsonObjectIter it;
    const char *key;
    JsonNode *v;
    bool has_execute = false;

    json_object_iter_init_ordered(&it, req);
    while (json_object_iter_next_ordered(&it, &key, &v)) {
        if (!strcmp(key, "execute")) {
            if (!JSON_NODE_HOLDS_VALUE(v) ||
                json_node_get_value_type(v) != G_TYPE_STRING) {
                g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                            "QMP input member 'execute' must be a string");
                return false;
            }
            has_execute = true;
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(v)) {
                g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                            "QMP input member 'arguments' must be an object");
                return false;
            }
        } else if (strcmp(key, "id") != 0) {
            /* "exec-oob" lands here too: OOB is never enabled. */
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "QMP input member '%s' is unexpected", key);
            return false;
        }
    }
    if (!has_execute) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "QMP input lacks member 'execute'");
        return false;
    }
    return true;
}

static void qmp_dispatch(QmpMonitor *mon, JsonNode *req)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonObject) empty = NULL;
    JsonObject *dict, *args;
    JsonNode *id, *ret;
    const QmpCommand *cmd;
    const char *name;
    QmpMonitor *saved;

    if (!JSON_NODE_HOLDS_OBJECT(req)) {
        qmp_send_error(mon, NULL, "GenericError",
                       "QMP input must be a JSON object");
        return;
    }
    dict = json_node_get_object(req);
    id = json_object_get_member(dict, "id");
    if (!qmp_check_request(dict, &err)) {
        qmp_send_error(mon, id, qmp_error_class(err), err->message);
        return;
    }
    name = json_object_get_string_member(dict, "execute");
    cmd = qmp_find_command(name);
    if (!mon->command_mode && cmd &&
        strcmp(cmd->name, "qmp_capabilities") != 0) {
        cmd = NULL;
    }
    if (!cmd) {
        g_autofree char *desc =
            mon->command_mode
                ? g_strdup_printf("The command %s has not been found", name)
                : g_strdup("Expecting capabilities negotiation with "
                           "'qmp_capabilities'");

        qmp_send_error(mon, id, "CommandNotFound", desc);
        return;
    }
    if (json_object_has_member(dict, "arguments")) {
        args = json_object_get_object_member(dict, "arguments");
    } else {
        empty = json_object_new();
        args = empty;
    }
    if (!qmp_check_args(cmd->args, args, &err)) {
        qmp_send_error(mon, id, qmp_error_class(err), err->message);
        return;
    }
    saved = qmp_cur_mon;
    qmp_cur_mon = mon;
    ret = cmd->fn(args, &err);
    qmp_cur_mon = saved;
    if (err) {
        if (ret) {
            json_node_unref(ret);
        }
        qmp_send_error(mon, id, qmp_error_class(err), err->message);
        return;
    }
    qmp_send_return(mon, id, ret);
}

/* ---- Input: tokens and messages -------------------------------------- */

/* Empties *@buf, giving back the memory of a huge message. */
static void qmp_buf_clear(GString **buf)
{
    if ((*buf)->allocated_len > 65536) {
        g_string_free(*buf, true);
        *buf = g_string_new(NULL);
    } else {
        g_string_truncate(*buf, 0);
    }
}

static void qmp_message_reset(QmpMonitor *mon)
{
    qmp_buf_clear(&mon->msg);
    mon->braces = 0;
    mon->brackets = 0;
    mon->ntokens = 0;
    mon->token_size = 0;
    mon->last_bare = false;
    mon->discarding = false;
    mon->msg_bad = NULL;
}

static void qmp_session_reset(QmpMonitor *mon)
{
    qmp_message_reset(mon);
    qmp_buf_clear(&mon->tok);
    mon->state = LEX_START;
    mon->command_mode = false;
}

/* Parses one complete message and dispatches it. */
static void qmp_handle_message(QmpMonitor *mon, const char *text, size_t len,
                               const char *bad)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autofree char *desc = NULL;
    JsonNode *root;

    if (bad) {
        desc = g_strdup_printf("JSON parse error, %s", bad);
    } else if (!g_utf8_validate_len(text, len, NULL)) {
        desc = g_strdup("JSON parse error, invalid UTF-8 sequence in string");
    } else {
        parser = json_parser_new_immutable();
        if (!json_parser_load_from_data(parser, text, (gssize)len, NULL) ||
            !(root = json_parser_get_root(parser))) {
            desc = g_strdup("JSON parse error, expecting value");
        } else {
            qmp_dispatch(mon, root);
            return;
        }
    }
    qmp_send_error(mon, NULL, "GenericError", desc);
}

/* A limit was hit: answer once and skip the rest of this message. */
static void qmp_limit_error(QmpMonitor *mon, const char *what)
{
    g_autofree char *desc = g_strdup_printf("JSON %s limit exceeded", what);

    qmp_buf_clear(&mon->msg);
    mon->discarding = true;
    qmp_send_error(mon, NULL, "GenericError", desc);
}

/* QEMU's parser rejects these; json-glib would accept them. */
static const char *qmp_check_string(const char *s, size_t len)
{
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] != '\\') {
            continue;
        }
        i++;
        if (!strchr("\"\\/bfnrtu", s[i])) {
            return "invalid escape sequence in string";
        }
        if (s[i] == 'u' && i + 4 < len && !strncmp(s + i + 1, "0000", 4)) {
            return "\\u0000 is not supported";
        }
    }
    return NULL;
}

/* A complete token is in mon->tok: the streamer part of QEMU's parser. */
static void qmp_lex_token(QmpMonitor *mon, TokKind kind)
{
    size_t len = mon->tok->len;

    switch (kind) {
    case TOK_LCURLY:
        mon->braces++;
        break;
    case TOK_RCURLY:
        mon->braces--;
        break;
    case TOK_LSQUARE:
        mon->brackets++;
        break;
    case TOK_RSQUARE:
        mon->brackets--;
        break;
    default:
        break;
    }
    if (!mon->discarding) {
        if (mon->token_size + len + 1 > QMP_MAX_TOKEN_SIZE) {
            qmp_limit_error(mon, "token size");
        } else if (mon->ntokens + 1 > QMP_MAX_TOKEN_COUNT) {
            qmp_limit_error(mon, "token count");
        } else if (mon->braces + mon->brackets > QMP_MAX_NESTING) {
            qmp_limit_error(mon, "nesting depth");
        } else {
            if (kind == TOK_BARE && mon->last_bare) {
                g_string_append_c(mon->msg, ' ');
            }
            g_string_append_len(mon->msg, mon->tok->str, (gssize)len);
            mon->last_bare = kind == TOK_BARE;
            mon->token_size += len;
            mon->ntokens++;
            if (kind == TOK_STRING && !mon->msg_bad) {
                mon->msg_bad = qmp_check_string(mon->tok->str, len);
            }
        }
    }
    qmp_buf_clear(&mon->tok);
    if ((mon->braces > 0 || mon->brackets > 0) && mon->braces >= 0 &&
        mon->brackets >= 0) {
        return; /* inside an object or array */
    }
    if (mon->discarding) {
        qmp_message_reset(mon);
        return;
    }
    {
        GString *text = mon->msg;
        const char *bad = mon->msg_bad;

        /* Swap in a fresh buffer: dispatch may feed events to this monitor. */
        mon->msg = g_string_new(NULL);
        qmp_message_reset(mon);
        qmp_handle_message(mon, text->str, text->len, bad);
        g_string_free(text, true);
    }
}

/* A lexical error at byte @c: one error, then skip to a sync point. */
static void qmp_lex_error(QmpMonitor *mon, uint8_t c)
{
    g_autofree char *desc = NULL;
    const char *stray;

    g_string_append_c(mon->tok, (char)c);
    stray = mon->tok->str;
    if (mon->tok->len > QMP_STRAY_MAX) {
        stray += mon->tok->len - QMP_STRAY_MAX;
    }
    desc = g_strdup_printf("JSON parse error, stray '%s'", stray);
    qmp_buf_clear(&mon->tok);
    qmp_message_reset(mon);
    mon->state = LEX_RECOVERY;
    qmp_send_error(mon, NULL, "GenericError", desc);
}

static void qmp_lex_append(QmpMonitor *mon, const char *s, size_t n)
{
    if (mon->discarding) {
        return;
    }
    g_string_append_len(mon->tok, s, (gssize)n);
    if (mon->tok->len > QMP_MAX_TOKEN_SIZE) {
        qmp_buf_clear(&mon->tok);
        qmp_limit_error(mon, "token size");
    }
}

/*
 * QEMU's number grammar: the next state, LEX_START when the number ended
 * before @c (lookahead), or LEX_RECOVERY for a lexical error at @c.
 */
static LexState qmp_lex_number(LexState st, uint8_t c)
{
    bool digit = c >= '0' && c <= '9';

    switch (st) {
    case LEX_ZERO:
        return digit ? LEX_RECOVERY : c == '.' ? LEX_MANTISSA : LEX_START;
    case LEX_DIGITS:
        if (digit) {
            return LEX_DIGITS;
        }
        return (c == 'e' || c == 'E') ? LEX_EXP_E
               : c == '.'             ? LEX_MANTISSA
                                      : LEX_START;
    case LEX_SIGN:
        return c == '0' ? LEX_ZERO : digit ? LEX_DIGITS : LEX_RECOVERY;
    case LEX_MANTISSA:
        return digit ? LEX_MANTISSA_DIGITS : LEX_RECOVERY;
    case LEX_MANTISSA_DIGITS:
        if (digit) {
            return LEX_MANTISSA_DIGITS;
        }
        return (c == 'e' || c == 'E') ? LEX_EXP_E : LEX_START;
    case LEX_EXP_E:
        if (c == '+' || c == '-') {
            return LEX_EXP_SIGN;
        }
        return digit ? LEX_EXP_DIGITS : LEX_RECOVERY;
    case LEX_EXP_SIGN:
        return digit ? LEX_EXP_DIGITS : LEX_RECOVERY;
    case LEX_EXP_DIGITS:
        return digit ? LEX_EXP_DIGITS : LEX_START;
    default:
        g_assert_not_reached();
    }
}

static void qmp_lex_start(QmpMonitor *mon, uint8_t c)
{
    char ch = (char)c;

    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        return;
    case '{':
    case '}':
    case '[':
    case ']':
    case ':':
    case ',':
        g_string_append_c(mon->tok, ch);
        qmp_lex_token(mon, c == '{'   ? TOK_LCURLY
                           : c == '}' ? TOK_RCURLY
                           : c == '[' ? TOK_LSQUARE
                           : c == ']' ? TOK_RSQUARE
                                      : TOK_PUNCT);
        return;
    case '"':
    case '\'':
        qmp_lex_append(mon, "\"", 1);
        mon->state = c == '"' ? LEX_DQ_STRING : LEX_SQ_STRING;
        return;
    case '-':
        qmp_lex_append(mon, &ch, 1);
        mon->state = LEX_SIGN;
        return;
    case '0':
        qmp_lex_append(mon, &ch, 1);
        mon->state = LEX_ZERO;
        return;
    default:
        break;
    }
    if (c >= '1' && c <= '9') {
        qmp_lex_append(mon, &ch, 1);
        mon->state = LEX_DIGITS;
    } else if (c >= 'a' && c <= 'z') {
        qmp_lex_append(mon, &ch, 1);
        mon->state = LEX_KEYWORD;
    } else {
        qmp_lex_error(mon, c);
    }
}

/* One input byte through QEMU's lexer automaton. */
static void qmp_lex_char(QmpMonitor *mon, uint8_t c)
{
    char ch = (char)c;
    LexState next;

    switch (mon->state) {
    case LEX_RECOVERY:
        if (c == '\t' || (c >= 0x20 && c < 0xFE && !strchr("[]{}:,", ch))) {
            return;
        }
        mon->state = LEX_START;
        qmp_lex_start(mon, c);
        return;
    case LEX_START:
        qmp_lex_start(mon, c);
        return;
    case LEX_DQ_STRING:
    case LEX_SQ_STRING: {
        bool sq = mon->state == LEX_SQ_STRING;

        if (c < 0x20 || c >= 0xFE) {
            qmp_lex_error(mon, c);
        } else if (c == '\\') {
            mon->state = sq ? LEX_SQ_STRING_ESCAPE : LEX_DQ_STRING_ESCAPE;
        } else if (c == (sq ? '\'' : '"')) {
            qmp_lex_append(mon, "\"", 1);
            mon->state = LEX_START;
            qmp_lex_token(mon, TOK_STRING);
        } else if (c == '"') {
            qmp_lex_append(mon, "\\\"", 2); /* '"' inside '...' */
        } else {
            qmp_lex_append(mon, &ch, 1);
        }
        return;
    }
    case LEX_DQ_STRING_ESCAPE:
    case LEX_SQ_STRING_ESCAPE:
        if (c < 0x20 || c >= 0xFE) {
            qmp_lex_error(mon, c);
            return;
        }
        if (c == '\'') {
            qmp_lex_append(mon, "'", 1); /* QEMU's extra escape \' */
        } else {
            qmp_lex_append(mon, "\\", 1);
            qmp_lex_append(mon, &ch, 1);
        }
        mon->state =
            mon->state == LEX_SQ_STRING_ESCAPE ? LEX_SQ_STRING : LEX_DQ_STRING;
        return;
    case LEX_KEYWORD:
        if (c >= 'a' && c <= 'z') {
            qmp_lex_append(mon, &ch, 1);
            return;
        }
        mon->state = LEX_START;
        qmp_lex_token(mon, TOK_BARE);
        qmp_lex_start(mon, c);
        return;
    default:
        next = qmp_lex_number(mon->state, c);
        if (next == LEX_RECOVERY) {
            qmp_lex_error(mon, c);
        } else if (next == LEX_START) {
            mon->state = LEX_START;
            qmp_lex_token(mon, TOK_BARE);
            qmp_lex_start(mon, c);
        } else {
            qmp_lex_append(mon, &ch, 1);
            mon->state = next;
        }
        return;
    }
}

void qmp_monitor_feed(QmpMonitor *mon, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        qmp_lex_char(mon, (uint8_t)buf[i]);
    }
}

/* ---- Monitors -------------------------------------------------------- */

static QmpMonitor *qmp_monitor_alloc(bool pretty)
{
    QmpMonitor *mon = g_new0(QmpMonitor, 1);

    mon->pretty = pretty;
    mon->tok = g_string_new(NULL);
    mon->msg = g_string_new(NULL);
    qmp_session_reset(mon);
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(qmp_monitors, mon);
    return mon;
}

static void qmp_chr_read(void *opaque, const uint8_t *buf, size_t len)
{
    qmp_monitor_feed(opaque, (const char *)buf, len);
}

static void qmp_chr_event(void *opaque, ChardevEvent ev)
{
    QmpMonitor *mon = opaque;

    qmp_session_reset(mon); /* a new peer starts afresh; a gone one's input
                               is dropped */
    if (ev == CHR_EVENT_OPENED) {
        qmp_send_greeting(mon);
    }
}

static const ChardevHandlers qmp_chr_handlers = {
    .read = qmp_chr_read,
    .event = qmp_chr_event,
};

QmpMonitor *qmp_monitor_new(Chardev *chr, bool pretty, GError **errp)
{
    QmpMonitor *mon;

    if (!chr) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "QMP monitor needs a character device");
        return NULL;
    }
    mon = qmp_monitor_alloc(pretty);
    mon->chr = chr;
    chardev_set_handlers(chr, &qmp_chr_handlers, mon); /* replays OPENED */
    return mon;
}

QmpMonitor *qmp_monitor_new_buffer(GString *out)
{
    QmpMonitor *mon = qmp_monitor_alloc(false);

    mon->out = out;
    qmp_send_greeting(mon);
    return mon;
}

void qmp_monitor_free(QmpMonitor *mon)
{
    static const ChardevHandlers none;

    if (!mon) {
        return;
    }
    if (mon->chr) {
        chardev_set_handlers(mon->chr, &none, NULL);
    }
    g_ptr_array_remove(qmp_monitors, mon);
    if (qmp_cur_mon == mon) {
        qmp_cur_mon = NULL;
    }
    g_string_free(mon->tok, true);
    g_string_free(mon->msg, true);
    g_free(mon);
}
