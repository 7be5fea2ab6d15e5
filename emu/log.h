/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: user-facing errors ("PROG: text") and the -d log channels.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#define LOG_GUEST_ERROR (1u << 0)
#define LOG_UNIMP       (1u << 1)
#define LOG_INT         (1u << 2)
#define LOG_IN_ASM      (1u << 3)
#define LOG_EXEC        (1u << 4)
#define LOG_MMU         (1u << 5)
#define LOG_REGS        (1u << 6) /* register access trace */

/** Program name used as prefix of error messages (basename of argv[0]). */
void log_set_progname(const char *argv0);
const char *log_progname(void);

/** Prints "PROG: " + message + "\n" to stderr. */
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/** Prints "PROG: warning: " + message + "\n" to stderr. */
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/**
 * Parses a -d list ("guest_errors,unimp").  Returns false for an unknown
 * item (the caller prints the item table and exits 1).
 */
bool log_parse_items(const char *list, unsigned *mask);
/** Prints the -d item table to stdout. */
void log_print_items(void);

void log_set_mask(unsigned mask);
bool log_enabled(unsigned mask);
/** Sends log output to @path (NULL: stderr); false + errp on failure. */
bool log_set_file(const char *path, GError **errp);

/** Writes one line to the log if @mask is enabled. */
void log_mask(unsigned mask, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
