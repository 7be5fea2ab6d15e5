/* SPDX-License-Identifier: MIT */
/*
 * QMP server (spec/qmp-subset.md): streaming JSON input (single quotes
 * allowed), greeting, capabilities negotiation, id echo, QEMU's error
 * classes, events; output one object per line ending in "\r\n" with QEMU's
 * spacing.  JSON values are json-glib JsonNodes.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Chardev Chardev;
typedef struct QmpMonitor QmpMonitor;

/** Creates a QMP monitor on @chr (sends the greeting when a peer connects). */
QmpMonitor *qmp_monitor_new(Chardev *chr, bool pretty, GError **errp);

/** Creates a monitor whose output is appended to @out (unit tests). */
QmpMonitor *qmp_monitor_new_buffer(GString *out);
/** Feeds raw bytes as if received from the client. */
void qmp_monitor_feed(QmpMonitor *mon, const char *buf, size_t len);
void qmp_monitor_free(QmpMonitor *mon);

/**
 * Sends event @name to every monitor in command mode.  @data_json is the
 * "data" member as JSON text, or NULL for none.
 */
void qmp_broadcast_event(const char *name, const char *data_json);

/** Argument schema entry: type 's' str, 'b' bool, 'i' int, 'a' any,
 *  'o' object, 'l' list; terminated by a NULL name. */
typedef struct QmpArg {
    const char *name;
    char type;
    bool optional;
} QmpArg;

/**
 * A command handler: @args is validated against the schema (never NULL).
 * Return the result node (NULL means {}), or set @errp.  Errors in the
 * EMU_ERROR domain with EMU_ERROR_NOT_FOUND map to class DeviceNotFound,
 * QMP_ERROR_COMMAND_NOT_FOUND to CommandNotFound, others to GenericError.
 */
typedef JsonNode *(*QmpCommandFn)(JsonObject *args, GError **errp);

/** Registers a command (at start-up, before any monitor exists). */
void qmp_register_command(const char *name, QmpCommandFn fn,
                          const QmpArg *args);

/** Calls @fn with the name of every registered command, in order. */
void qmp_command_foreach(void (*fn)(const char *name, void *opaque),
                         void *opaque);

/** A new VersionInfo node (greeting and query-version); caller unrefs. */
JsonNode *qmp_version_info(void);

/** Serialises @node QEMU-style ("{"a": 1, "b": [1, 2]}"), ASCII-only. */
char *qmp_to_json(JsonNode *node, bool pretty);

#define QMP_ERROR qmp_error_quark()
GQuark qmp_error_quark(void);
enum { QMP_ERROR_GENERIC, QMP_ERROR_COMMAND_NOT_FOUND };

/** Registers the built-in commands (qmp-commands.c). */
void qmp_register_builtin_commands(void);

/** Value reported by query-name (from -name), NULL for none. */
void qmp_set_name(const char *name);
