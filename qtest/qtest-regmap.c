/* SPDX-License-Identifier: MIT */
/*
 * qtest extension commands for register maps and coverage:
 *
 *   bt_regmap [PATH]   OK <one-line JSON of the register maps>
 *   bt_regcov [PATH]   OK <one-line JSON of the access counters>
 *   bt_regcov_reset    OK (zeroes every counter)
 *
 * PATH is an absolute or partial QOM path; an unknown or ambiguous one is
 * "FAIL <reason>".  The JSON shapes are those of emu/regmap-json.h.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "emu/regmap-json.h"
#include "qtest/qtest.h"

/* The optional PATH word; false after a FAIL reply for extra words. */
static bool qtest_regmap_path(QTestServer *s, char **words, int nwords,
                              const char **path)
{
    if (nwords > 2) {
        qtest_send_reply(s, "FAIL %s takes at most one path", words[0]);
        return false;
    }
    *path = nwords == 2 && *words[1] ? words[1] : NULL;
    return true;
}

static void qtest_regmap_reply(QTestServer *s, JsonNode *node, GError *err)
{
    g_autofree char *json = NULL;

    if (!node) {
        qtest_send_reply(s, "FAIL %s", err->message);
        g_error_free(err);
        return;
    }
    json = regmap_json_compact(node);
    json_node_unref(node);
    qtest_send_reply(s, "OK %s", json);
}

static void qtest_cmd_bt_regmap(QTestServer *s, char **words, int nwords)
{
    const char *path;
    GError *err = NULL;
    JsonNode *node;

    if (!qtest_regmap_path(s, words, nwords, &path)) {
        return;
    }
    node = regmap_json_maps(path, &err);
    qtest_regmap_reply(s, node, err);
}

static void qtest_cmd_bt_regcov(QTestServer *s, char **words, int nwords)
{
    const char *path;
    GError *err = NULL;
    JsonNode *node;

    if (!qtest_regmap_path(s, words, nwords, &path)) {
        return;
    }
    node = regmap_json_coverage(path, NULL, &err);
    qtest_regmap_reply(s, node, err);
}

static void qtest_cmd_bt_regcov_reset(QTestServer *s, char **words, int nwords)
{
    if (nwords > 1) {
        qtest_send_reply(s, "FAIL bt_regcov_reset takes no arguments");
        return;
    }
    regmap_coverage_reset();
    qtest_send_reply(s, "OK");
}

void qtest_register_regmap_commands(void)
{
    qtest_register_command("bt_regmap", qtest_cmd_bt_regmap);
    qtest_register_command("bt_regcov", qtest_cmd_bt_regcov);
    qtest_register_command("bt_regcov_reset", qtest_cmd_bt_regcov_reset);
}
