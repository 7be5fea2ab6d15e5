/* SPDX-License-Identifier: MIT */
/*
 * QMP message helpers for the C test harness: a streaming splitter that
 * finds complete top-level JSON objects in a byte stream, parsing with
 * json-glib, and a few QDict-style accessors so tests read like QEMU's.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

/** A QMP message: a JSON object.  Release with qobject_unref(). */
typedef JsonObject QDict;

/**
 * Looks for one complete top-level JSON object at the start of @buf
 * (leading whitespace and stray bytes before the first '{' are skipped).
 * Braces inside strings (with escapes) are ignored.  Returns the number of
 * bytes consumed up to and including the closing brace and sets
 * *@start to the offset of the opening brace, or returns 0 when no
 * complete object is buffered yet.
 */
size_t qmp_json_split(const char *buf, size_t len, size_t *start);

/**
 * Parses @len bytes of JSON text that must be one object.  Returns a new
 * reference, or NULL with @errp set.
 */
QDict *qmp_json_parse(const char *text, size_t len, GError **errp);

/** Serialises @d as compact JSON (caller frees). */
char *qdict_to_json(QDict *d);

static inline void qobject_unref(QDict *d)
{
    if (d) {
        json_object_unref(d);
    }
}

static inline bool qdict_haskey(QDict *d, const char *key)
{
    return json_object_has_member(d, key);
}

/** The object member @key, or NULL (borrowed). */
QDict *qdict_get_qdict(QDict *d, const char *key);
/** The array member @key, or NULL (borrowed). */
JsonArray *qdict_get_qlist(QDict *d, const char *key);
/** The string member @key, or NULL (borrowed). */
const char *qdict_get_try_str(QDict *d, const char *key);
/** The string member @key; "" when missing or not a string. */
const char *qdict_get_str(QDict *d, const char *key);
/** The integer member @key; 0 when missing. */
int64_t qdict_get_int(QDict *d, const char *key);
/** The boolean member @key; false when missing. */
bool qdict_get_bool(QDict *d, const char *key);

/**
 * True when @rsp is an error response whose error.class is @cls; drops the
 * reference to @rsp either way.
 */
bool qmp_expect_error_and_unref(QDict *rsp, const char *cls);
