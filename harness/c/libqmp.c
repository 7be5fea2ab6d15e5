/* SPDX-License-Identifier: MIT */
/*
 * QMP message helpers: stream splitting, json-glib parsing, accessors.
 */
#include "harness/c/libqmp.h"

#include <string.h>

size_t qmp_json_split(const char *buf, size_t len, size_t *start)
{
    size_t i = 0;
    int depth = 0;
    bool in_str = false;
    bool esc = false;
    char quote = 0;

    while (i < len && buf[i] != '{') {
        i++;
    }
    if (i == len) {
        return 0;
    }
    *start = i;
    for (; i < len; i++) {
        char c = buf[i];

        if (in_str) {
            if (esc) {
                esc = false;
            } else if (c == '\\') {
                esc = true;
            } else if (c == quote) {
                in_str = false;
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            in_str = true;
            quote = c;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            if (depth == 0) {
                return i + 1;
            }
        }
    }
    return 0;
}

QDict *qmp_json_parse(const char *text, size_t len, GError **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root;

    if (!json_parser_load_from_data(parser, text, (gssize)len, errp)) {
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(errp, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                    "QMP message is not a JSON object");
        return NULL;
    }
    return json_object_ref(json_node_get_object(root));
}

char *qdict_to_json(QDict *d)
{
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

    json_node_set_object(node, d);
    return json_to_string(node, false);
}

static JsonNode *qdict_member(QDict *d, const char *key)
{
    if (!d || !json_object_has_member(d, key)) {
        return NULL;
    }
    return json_object_get_member(d, key);
}

QDict *qdict_get_qdict(QDict *d, const char *key)
{
    JsonNode *n = qdict_member(d, key);

    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonArray *qdict_get_qlist(QDict *d, const char *key)
{
    JsonNode *n = qdict_member(d, key);

    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

const char *qdict_get_try_str(QDict *d, const char *key)
{
    JsonNode *n = qdict_member(d, key);

    if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        return NULL;
    }
    return json_node_get_string(n);
}

const char *qdict_get_str(QDict *d, const char *key)
{
    const char *s = qdict_get_try_str(d, key);

    return s ? s : "";
}

int64_t qdict_get_int(QDict *d, const char *key)
{
    JsonNode *n = qdict_member(d, key);

    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : 0;
}

bool qdict_get_bool(QDict *d, const char *key)
{
    JsonNode *n = qdict_member(d, key);

    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_boolean(n) : false;
}

bool qmp_expect_error_and_unref(QDict *rsp, const char *cls)
{
    QDict *err = qdict_get_qdict(rsp, "error");
    bool ok = err && g_strcmp0(qdict_get_try_str(err, "class"), cls) == 0;

    qobject_unref(rsp);
    return ok;
}
