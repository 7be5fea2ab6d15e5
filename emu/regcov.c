/* SPDX-License-Identifier: MIT */
/*
 * Register coverage dump at exit: one JSON line per process, appended to
 * the file named by BENCHTOP_REGCOV.  Test runners aggregate the lines to
 * find registers no test touched.
 */
#include "emu/regcov.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/log.h"
#include "emu/object.h"
#include "emu/regmap-json.h"

bool regcov_dump(const char *path, const char *tag, GError **errp)
{
    g_autoptr(JsonNode) node = regmap_json_coverage(NULL, tag, errp);
    g_autofree char *json = NULL;
    g_autofree char *line = NULL;
    size_t len;
    ssize_t n;
    int fd;

    if (!node) {
        return false;
    }
    json = regmap_json_compact(node);
    line = g_strconcat(json, "\n", NULL);
    len = strlen(line);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        g_set_error(errp, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot open register coverage file '%s': %s", path,
                    g_strerror(errno));
        return false;
    }
    /* One write: O_APPEND keeps concurrent processes' lines whole. */
    n = write(fd, line, len);
    if (n < 0 || (size_t)n != len) {
        int e = n < 0 ? errno : ENOSPC;

        close(fd);
        g_set_error(errp, G_FILE_ERROR, g_file_error_from_errno(e),
                    "cannot write register coverage file '%s': %s", path,
                    g_strerror(e));
        return false;
    }
    if (close(fd) != 0) {
        g_set_error(errp, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot write register coverage file '%s': %s", path,
                    g_strerror(errno));
        return false;
    }
    return true;
}

void regcov_dump_at_exit(void)
{
    static bool done;
    const char *path = getenv("BENCHTOP_REGCOV");
    g_autoptr(GError) err = NULL;

    if (done || !path || !*path) {
        return;
    }
    done = true;
    if (!object_get_child(object_get_root(), "machine")) {
        return; /* exited before a machine existed: nothing to count */
    }
    if (!regcov_dump(path, NULL, &err)) {
        warn_report("%s", err->message);
    }
}
