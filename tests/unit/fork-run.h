/* SPDX-License-Identifier: MIT */
/*
 * Runs cmocka cases each in a child process of its own, for tests that build
 * a machine (a process holds one machine at most: machine_new asserts).
 * Include after <cmocka.h>.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs case @t in a child; 0 when it passed. */
static inline int run_forked(const struct CMUnitTest *t)
{
    int status = 0;
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        exit(_cmocka_run_group_tests(t->name, t, 1, NULL, NULL) ? 1 : 0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        return 1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Runs each of the @n cases in @t forked; the number that failed. */
static inline int run_each_forked(const struct CMUnitTest *t, size_t n)
{
    int failed = 0;

    for (size_t i = 0; i < n; i++) {
        failed += run_forked(&t[i]);
    }
    return failed;
}
