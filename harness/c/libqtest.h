/* SPDX-License-Identifier: MIT */
/*
 * C test harness with the shape of QEMU's libqtest: starts the emulator
 * named by $QTEST_QEMU_BINARY under -accel qtest, talks the qtest line
 * protocol and QMP over two unix sockets the test listens on.
 *
 * Contract (as libqtest): a FAIL/ERR reply, a broken socket or a reply
 * timeout in a normal API call is a test failure: the harness prints a
 * message naming the command and the reply, kills the emulator and calls
 * the failure hook (default abort(); see qtest_set_failure_hook()).
 * Negative tests use qtest_raw_cmd(), which returns the reply instead.
 *
 * Environment: QTEST_QEMU_BINARY (required), QTEST_LOG (protocol log and
 * QMP traffic on stderr), QTEST_TRACE (-trace X), QTEST_STOP (SIGSTOP the
 * emulator once connected).
 */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/c/libqmp.h"

typedef struct QTestState QTestState;

/* ---- lifecycle ---------------------------------------------------------- */

/**
 * Starts the emulator with @extra_args (shell words, like libqtest) and
 * does the full handshake: accept the qtest then the QMP socket, query
 * endianness, read the QMP greeting, negotiate capabilities.  Returns NULL
 * after printing a reason when the emulator does not come up.
 */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
QTestState *qtest_vinitf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

/** Like qtest_init() but leaves the QMP greeting unread. */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);

/**
 * Like qtest_init() with "-chardev socket,id=s0,path=P -serial chardev:s0"
 * prepended: the emulator connects to a socket the test listens on; the
 * accepted connection is returned in *@sock_fd (caller closes it).
 */
QTestState *qtest_init_with_serial(const char *extra_args, int *sock_fd);

/**
 * Like qtest_init() with only "-chardev socket,id=@chardev_id,path=P"
 * prepended (for -device ...,chardev=ID); *@sock_fd as above.
 */
QTestState *qtest_init_with_chardev(const char *chardev_id,
                                    const char *extra_args, int *sock_fd);

/**
 * SIGTERM, wait up to 30 s (then SIGKILL), check the exit status against
 * the expected one (default 0), close everything and free @s.  NULL is
 * fine.
 */
void qtest_quit(QTestState *s);
/** Terminates the emulator as qtest_quit() does, without freeing @s. */
void qtest_kill_qemu(QTestState *s);
/** Waits (up to 30 s) for the emulator to exit by itself; checks status. */
void qtest_wait_qemu(QTestState *s);
/** True while the emulator process is still alive (non-blocking). */
bool qtest_probe_child(QTestState *s);
/** The exit status qtest_quit()/qtest_wait_qemu() expect (default 0). */
void qtest_set_expected_status(QTestState *s, int status);
pid_t qtest_pid(QTestState *s);

/** Target name: what follows the last '-' of the binary's basename. */
const char *qtest_get_arch(void);
/** Result of the "endianness" query. */
bool qtest_big_endian(QTestState *s);

/**
 * Replaces what happens after a harness failure message (default: abort).
 * A cmocka test installs a hook calling fail_msg() so only the current test
 * fails.  The hook must not return; if it does, abort() follows.
 */
void qtest_set_failure_hook(void (*hook)(const char *msg));

/**
 * Fails the current test with a message (printed to stderr first), through
 * the failure hook like a harness failure, but leaves the emulator running
 * (the test's teardown quits it).  For helpers built on this library, such
 * as harness/c/regmap.h.  Does not return.
 */
G_NORETURN void qtest_fail_test(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* ---- QMP ---------------------------------------------------------------- */

/**
 * Sends the JSON text made from @fmt (printf-style; single quotes are
 * fine) and returns the next non-event message; events are kept for
 * qtest_qmp_eventwait().  Caller unrefs the result.
 */
QDict *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
QDict *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
/** Sends only. */
void qtest_qmp_send(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/** Sends the text verbatim (may be invalid JSON); printf-style too. */
void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/** Next non-event message (events are stashed). */
QDict *qtest_qmp_receive(QTestState *s);
/** Next message of any kind, straight from the socket. */
QDict *qtest_qmp_receive_dict(QTestState *s);
/** Waits for event @event (stashed ones first); discards other events. */
void qtest_qmp_eventwait(QTestState *s, const char *event);
QDict *qtest_qmp_eventwait_ref(QTestState *s, const char *event);
/** Sends, and fails the test unless the reply has "return". */
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/** Same, returning the reply (caller unrefs). */
QDict *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/** QMP system_reset, then waits for the RESET event. */
void qtest_system_reset(QTestState *s);

/* ---- guest access ------------------------------------------------------- */

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);
uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);

/** "read ADDR SIZE": raw bytes (nothing is sent when @size is 0). */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
/** "write ADDR SIZE 0xHEX" (nothing is sent when @size is 0). */
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
/** "b64read"; a length mismatch is only warned about, as libqtest. */
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
/** "b64write", sent in three writes like libqtest. */
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t patt, size_t size);

/* ---- clock -------------------------------------------------------------- */

/** "clock_step": to the next deadline; returns the new virtual time. */
int64_t qtest_clock_step_next(QTestState *s);
/** "clock_step NS"; returns the new virtual time. */
int64_t qtest_clock_step(QTestState *s, int64_t step);
/** "clock_set NS"; returns the new virtual time. */
int64_t qtest_clock_set(QTestState *s, int64_t val);

/* ---- interrupts --------------------------------------------------------- */

void qtest_irq_intercept_in(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path,
                                   const char *name);
/** "set_irq_in PATH NAME NUM LEVEL"; NULL @name = "unnamed-gpio-in". */
void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level);
/** Last reported level of intercepted line @num (after a round trip). */
bool qtest_get_irq(QTestState *s, int num);

void qtest_module_load(QTestState *s, const char *prefix, const char *libname);

/* ---- extensions (harness-api.md §9) ------------------------------------- */

/**
 * Sends @line (without "\n") and returns the reply line without its
 * newline (caller frees), whatever its first word; IRQ lines before it are
 * consumed and recorded.  Fails the test only on I/O errors.
 */
char *qtest_raw_cmd(QTestState *s, const char *line);

/** Sends @line + "\n" and reads nothing (for commands that end the VM). */
void qtest_raw_send(QTestState *s, const char *line);

/** One reported IRQ transition. */
typedef struct QTestIrqEvent {
    unsigned seq;    /* order of arrival, from 0 */
    int line;        /* N of "IRQ raise N" */
    bool level;      /* raise = true */
    int64_t time_ns; /* last virtual time the client knew (a lower bound;
                        -1 before any clock reply) */
} QTestIrqEvent;

/** Every IRQ transition reported so far, oldest first (owned by @s). */
const QTestIrqEvent *qtest_irq_history(QTestState *s, size_t *n);
/** Forgets the history (levels are kept). */
void qtest_irq_history_clear(QTestState *s);

/**
 * Waits until line @num has been reported at @level: true at once if it is
 * already there, else steps the clock by @step_ns up to @max_ns in total
 * and returns true as soon as a matching transition arrives (a pulse that
 * went and came back within one step still counts).  False on timeout.
 */
bool qtest_wait_irq(QTestState *s, int num, bool level, int64_t step_ns,
                    int64_t max_ns);

/* ---- which emulator (running the same tests on QEMU) -------------------- */

/**
 * True when the emulator behind @s is Benchtop, false for QEMU: asks
 * "bt_version" once (QEMU answers "FAIL Unknown command", never aborts)
 * and caches the answer in @s.  With @s NULL it answers for
 * $QTEST_QEMU_BINARY as a whole: the first such call starts it once with
 * "-machine none" to ask (or, if that fails to come up, goes by the
 * binary's name: "qemu*" is QEMU); later calls reuse the answer.  Use NULL
 * before starting an emulator whose command line only Benchtop accepts.
 */
bool qtest_is_benchtop(QTestState *s);

/**
 * For QEMU_QUIRK(): false on Benchtop; on QEMU prints "known QEMU
 * deviation in @test ...: @what" and returns true.
 */
bool qtest_note_qemu_quirk(QTestState *s, const char *test, const char *what);

/*
 * cmocka helpers (the test file includes <cmocka.h>).
 *
 * SKIP_UNLESS_BENCHTOP(qts, "reason"): at the start of a test of
 * Benchtop-only behaviour (canonical /machine/<name> paths, devices on
 * -machine none, FAIL replies where QEMU aborts, 10.0-style clock replies,
 * bt_* extensions): on QEMU prints the reason and skips the test.  @qts
 * may be NULL (see qtest_is_benchtop()).
 *
 * QEMU_QUIRK(qts, "spec says X, QEMU 7.2 does Y"): where QEMU 7.2 departs
 * from the spec, the test keeps the check and branches on this: true (and
 * the note printed) on QEMU, where the test then asserts what QEMU does,
 * so a change in QEMU is noticed; false on Benchtop, which must meet the
 * spec.
 *
 *     if (QEMU_QUIRK(qts, "spec says X, QEMU 7.2 does Y")) {
 *         assert_int_equal(v, QEMU_VALUE);
 *     } else {
 *         assert_int_equal(v, SPEC_VALUE);
 *     }
 */
#define SKIP_UNLESS_BENCHTOP(qts, reason)                                      \
    do {                                                                       \
        if (!qtest_is_benchtop(qts)) {                                         \
            print_message("skipped on QEMU: %s: %s\n", __func__, (reason));    \
            skip();                                                            \
        }                                                                      \
    } while (0)

#define QEMU_QUIRK(qts, what) qtest_note_qemu_quirk((qts), __func__, (what))
