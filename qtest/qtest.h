/* SPDX-License-Identifier: MIT */
/*
 * The qtest line-protocol server (spec/qtest-protocol.md).
 *
 * One server per process, on a chardev (or a buffer for unit tests).  Every
 * complete request line gets exactly one reply; IRQ lines of intercepted
 * devices are pushed as "IRQ raise N" / "IRQ lower N".  No input line may
 * crash or hang the process: bad input gets "FAIL <reason>".
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Chardev Chardev;
typedef struct QTestServer QTestServer;

#define TYPE_QTEST "qtest"

/** Registers TYPE_QTEST (idempotent). */
void qtest_register_types(void);

/**
 * Creates the server on @chr.  @log_path: NULL logs to stderr, "none"
 * disables logging, else the file is truncated and written.  @qtest_accel
 * enables clock_step/clock_set.  The server appears as /machine/qtest when a
 * machine exists.
 */
QTestServer *qtest_server_new(Chardev *chr, const char *log_path,
                              bool qtest_accel, GError **errp);

/** Creates a server whose replies are appended to @out (unit tests). */
QTestServer *qtest_server_new_buffer(GString *out, bool qtest_accel);

/** Feeds raw bytes as if received from the client (splits lines). */
void qtest_server_feed(QTestServer *s, const char *buf, size_t len);

/** Flushes and closes the log (at exit). */
void qtest_server_close(QTestServer *s);

void qtest_server_free(QTestServer *s);

/** The process's server, or NULL. */
QTestServer *qtest_server_get(void);

/**
 * Extension commands (CPU control, regmap introspection, csr).  @words is
 * the split request (words[0] is the command).  The handler must send
 * exactly one reply with qtest_send_reply().
 */
typedef void (*QTestCommandFn)(QTestServer *s, char **words, int nwords);
void qtest_register_command(const char *name, QTestCommandFn fn);

/** Sends one reply line (no trailing newline in @fmt) and logs it. */
void qtest_send_reply(QTestServer *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
