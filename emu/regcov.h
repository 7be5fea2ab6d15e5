/* SPDX-License-Identifier: MIT */
/*
 * Register coverage dump: when the environment variable BENCHTOP_REGCOV
 * names a file, the process appends one line of compact JSON (the shape of
 * regmap_json_coverage(), tagged with BENCHTOP_REGCOV_TAG) to it when it
 * exits, so a test run's emulator processes add up to one coverage file.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/**
 * Appends the coverage of every device below /machine as one line to
 * @path (created 0644 if missing), with O_APPEND and a single write(), so
 * concurrent processes never interleave their lines.  @tag NULL: the
 * BENCHTOP_REGCOV_TAG variable.  Fails (errp set) when the file cannot be
 * opened or the line is not written whole.
 */
bool regcov_dump(const char *path, const char *tag, GError **errp);

/**
 * The exit hook: if BENCHTOP_REGCOV is set and non-empty and a machine
 * exists, dumps once (later calls do nothing); a failure is reported on
 * stderr as a warning.
 */
void regcov_dump_at_exit(void);
