/* SPDX-License-Identifier: MIT */
/*
 * Hart control wrappers over the hart_* qtest commands.
 */
#include "harness/c/hart.h"

#include <glib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Sends @cmd and returns the words after "OK", or fails the test. */
static char **hart_cmd(QTestState *s, const char *cmd)
{
    g_autofree char *rsp = qtest_raw_cmd(s, cmd);
    char **words = g_strsplit(rsp, " ", -1);

    if (!words[0] || strcmp(words[0], "OK") != 0) {
        g_strfreev(words);
        qtest_fail_test("'%s' answered '%s'", cmd, rsp);
    }
    return words;
}

static uint64_t hart_word(char **words, unsigned i, int base, const char *cmd)
{
    char *end = NULL;
    uint64_t v;

    if (g_strv_length(words) <= i) {
        qtest_fail_test("'%s': reply has no word %u", cmd, i);
    }
    v = g_ascii_strtoull(words[i], &end, base);
    if (end == words[i] || *end) {
        qtest_fail_test("'%s': bad number '%s' in the reply", cmd, words[i]);
    }
    return v;
}

uint64_t qtest_hart_get(QTestState *s, unsigned hart, const char *reg)
{
    g_autofree char *cmd = g_strdup_printf("hart_get %u %s", hart, reg);
    g_auto(GStrv) words = hart_cmd(s, cmd);

    return hart_word(words, 1, 0, cmd);
}

void qtest_hart_set(QTestState *s, unsigned hart, const char *reg, uint64_t val)
{
    g_autofree char *cmd =
        g_strdup_printf("hart_set %u %s 0x%" PRIx64, hart, reg, val);
    g_auto(GStrv) words = hart_cmd(s, cmd);
}

uint64_t qtest_hart_step(QTestState *s, unsigned hart, unsigned n, uint64_t *pc)
{
    g_autofree char *cmd = g_strdup_printf("hart_step %u %u", hart, n);
    g_auto(GStrv) words = hart_cmd(s, cmd);

    if (pc) {
        *pc = hart_word(words, 2, 0, cmd);
    }
    return hart_word(words, 1, 10, cmd);
}

char qtest_hart_priv(QTestState *s, unsigned hart)
{
    g_autofree char *cmd = g_strdup_printf("hart_priv %u", hart);
    g_auto(GStrv) words = hart_cmd(s, cmd);

    if (g_strv_length(words) < 2 || strlen(words[1]) != 1) {
        qtest_fail_test("'%s': unexpected reply", cmd);
    }
    return words[1][0];
}

uint64_t qtest_csr_call(QTestState *s, const char *name, uint64_t cpu, int csr,
                        uint64_t *val)
{
    g_autofree char *cmd = g_strdup_printf("csr %s 0x%" PRIx64 " %d 0x%" PRIx64,
                                           name, cpu, csr, *val);
    g_auto(GStrv) words = hart_cmd(s, cmd);

    *val = hart_word(words, 2, 16, cmd);
    return hart_word(words, 1, 16, cmd);
}
