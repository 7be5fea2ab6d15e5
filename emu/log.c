/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: "PROG: text" error lines and the -d/-D log channels.
 *
 * The -d item names and the "Log items (comma separated):" table follow
 * QEMU; "regs" is ours (the register access trace of emu/regmap.c).
 */
#include "emu/log.h"

#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct LogItem {
    unsigned mask;
    const char *name;
    const char *help;
} LogItem;

static const LogItem log_items[] = {
    {LOG_IN_ASM, "in_asm", "show target assembly code for each compiled TB"},
    {LOG_INT, "int", "show interrupts/exceptions in short format"},
    {LOG_EXEC, "exec", "show trace before each executed TB (lots of logs)"},
    {LOG_MMU, "mmu", "log MMU-related activities"},
    {LOG_UNIMP, "unimp", "log unimplemented functionality"},
    {LOG_GUEST_ERROR, "guest_errors",
     "log when the guest OS does something invalid (eg accessing a\n"
     "non-existent register)"},
    {LOG_REGS, "regs", "trace every device register access"},
};

static char *log_prog;
static unsigned log_current_mask;
static FILE *log_file; /* NULL: stderr */

void log_set_progname(const char *argv0)
{
    g_free(log_prog);
    log_prog = argv0 ? g_path_get_basename(argv0) : NULL;
}

const char *log_progname(void)
{
    return log_prog ? log_prog : "benchtop";
}

static void report(const char *kind, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);

static void report(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);

    fprintf(stderr, "%s: %s%s\n", log_progname(), kind, msg);
    fflush(stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("warning: ", fmt, ap);
    va_end(ap);
}

bool log_parse_items(const char *list, unsigned *mask)
{
    g_auto(GStrv) items = NULL;
    unsigned m = 0;

    if (!list) {
        return false;
    }
    items = g_strsplit(list, ",", -1);
    for (unsigned i = 0; items[i]; i++) {
        const char *it = items[i];
        bool found = false;

        if (g_str_equal(it, "all")) {
            for (unsigned j = 0; j < G_N_ELEMENTS(log_items); j++) {
                m |= log_items[j].mask;
            }
            continue;
        }
        if (g_str_has_prefix(it, "trace:")) {
            /* Trace events are accepted and ignored. */
            continue;
        }
        for (unsigned j = 0; j < G_N_ELEMENTS(log_items); j++) {
            if (g_str_equal(it, log_items[j].name)) {
                m |= log_items[j].mask;
                found = true;
                break;
            }
        }
        if (!found) {
            return false;
        }
    }
    *mask = m;
    return true;
}

void log_print_items(void)
{
    printf("Log items (comma separated):\n");
    for (unsigned i = 0; i < G_N_ELEMENTS(log_items); i++) {
        printf("%-15s %s\n", log_items[i].name, log_items[i].help);
    }
    fflush(stdout);
}

void log_set_mask(unsigned mask)
{
    log_current_mask = mask;
}

bool log_enabled(unsigned mask)
{
    return (log_current_mask & mask) != 0;
}

bool log_set_file(const char *path, GError **errp)
{
    g_autofree char *name = NULL;
    const char *pct;
    FILE *f;

    if (!path) {
        if (log_file) {
            fclose(log_file);
            log_file = NULL;
        }
        return true;
    }
    /* One "%d" stands for the process id; any other '%' is refused. */
    pct = strchr(path, '%');
    if (pct) {
        if (pct[1] != 'd' || strchr(pct + 2, '%')) {
            g_set_error(errp, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "Bad logfile format: %s", path);
            return false;
        }
        name = g_strdup_printf("%.*s%d%s", (int)(pct - path), path,
                               (int)getpid(), pct + 2);
    } else {
        name = g_strdup(path);
    }
    f = fopen(name, "w");
    if (!f) {
        int err = errno;

        g_set_error(errp, G_FILE_ERROR, g_file_error_from_errno(err),
                    "Error opening logfile %s: %s", name, g_strerror(err));
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    return true;
}

void log_mask(unsigned mask, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    FILE *out;
    va_list ap;
    size_t len;

    if (!log_enabled(mask)) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    out = log_file ? log_file : stderr;
    len = strlen(msg);
    fputs(msg, out);
    if (len == 0 || msg[len - 1] != '\n') {
        fputc('\n', out);
    }
    fflush(out);
}
