/* SPDX-License-Identifier: MIT */
/*
 * The event loop (glib's default main context) and run-state control.
 *
 * One thread owns the machine.  Requests (shutdown, reset) are recorded and
 * handled by the loop, never from inside a device callback.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/** QEMU's RunState names used by query-status. */
typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_SHUTDOWN,
} RunState;

/** QEMU's ShutdownCause. */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
} ShutdownCause;

const char *shutdown_cause_name(ShutdownCause cause);
const char *run_state_name(RunState s);

RunState runstate_get(void);
bool runstate_is_running(void);

/** Moves to running (emits RESUME unless @silent) / paused (emits STOP). */
void vm_start(void);
void vm_stop(RunState to);

/** Asks the loop to shut down with @cause and exit with @status. */
void loop_request_shutdown(ShutdownCause cause, int status);
/**
 * Same, but the loop does not emit the SHUTDOWN event: the caller (QMP
 * quit) has already sent it, so that it precedes the command's reply.
 */
void loop_request_shutdown_quiet(ShutdownCause cause, int status);
/** Asks the loop to reset the machine (or shut down with -no-reboot). */
void loop_request_reset(ShutdownCause cause);
/** Handles pending requests now (used by QMP quit/system_reset). */
void loop_process_requests(void);

/** Runs until a shutdown; returns the exit status. */
int loop_run(void);

/** Hooks the main program installs. */
typedef struct LoopHooks {
    void (*reset)(ShutdownCause cause); /* reset the machine */
    void (*event)(const char *name, const char *data_json); /* QMP event */
    void (*before_exit)(void); /* flush logs, unlink sockets */
} LoopHooks;
void loop_set_hooks(const LoopHooks *hooks);

/** -no-reboot / -no-shutdown settings. */
void loop_set_no_reboot(bool on);
void loop_set_no_shutdown(bool on);

/** True when virtual time is driven by qtest (no host coupling). */
void loop_set_qtest_clock(bool on);
bool loop_qtest_clock(void);

/**
 * Exits the process at once with @status (guest finisher device): runs the
 * before_exit hook, then _exit-like termination without SHUTDOWN event.
 */
G_NORETURN void emu_exit_now(int status);

/** Emits a QMP event through the installed hook (data may be NULL). */
void loop_emit_event(const char *name, const char *data_json);
