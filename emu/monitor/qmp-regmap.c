/* SPDX-License-Identifier: MIT */
/*
 * QMP commands for register maps and coverage (Benchtop extensions, named
 * with a "bt-" prefix so they never collide with QEMU's):
 *
 *   bt-query-regmaps {*path: str}  the register maps (emu/regmap-json.h)
 *   bt-query-regcov  {*path: str}  the per-register access counters
 *
 * An unknown path is a DeviceNotFound error, an ambiguous partial path a
 * GenericError.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "emu/monitor/qmp.h"
#include "emu/regmap-json.h"

static const char *qmp_regmap_path(JsonObject *args)
{
    return json_object_has_member(args, "path")
               ? json_object_get_string_member(args, "path")
               : NULL;
}

static JsonNode *qmp_bt_query_regmaps(JsonObject *args, GError **errp)
{
    return regmap_json_maps(qmp_regmap_path(args), errp);
}

static JsonNode *qmp_bt_query_regcov(JsonObject *args, GError **errp)
{
    return regmap_json_coverage(qmp_regmap_path(args), NULL, errp);
}

static const QmpArg qmp_regmap_args[] = {
    {"path", 's', true},
    {.name = NULL},
};

void qmp_register_regmap_commands(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    qmp_register_command("bt-query-regmaps", qmp_bt_query_regmaps,
                         qmp_regmap_args);
    qmp_register_command("bt-query-regcov", qmp_bt_query_regcov,
                         qmp_regmap_args);
}
