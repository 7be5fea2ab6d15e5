/* SPDX-License-Identifier: MIT */
/*
 * libqtest-shaped harness: process launch, qtest line protocol, QMP.
 * The launch sequence follows QEMU 7.2's libqtest (spec/harness-api.md
 * §2): sockets are listened on before the fork, the emulator runs through
 * "/bin/sh -c exec ...", dies with the test (PR_SET_PDEATHSIG) and gets
 * SIGTERM at the end.
 */
#include "harness/c/libqtest.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SOCKET_TIMEOUT_S 50 /* accept and reply timeout, as libqtest */
#define QUIT_TIMEOUT_MS  30000
#define IRQ_LINES        256

struct QTestState {
    int fd;     /* qtest socket */
    int qmp_fd; /* QMP socket, -1 if none */
    pid_t pid;  /* -1 once reaped */
    int wstatus;
    bool reaped;
    bool failed; /* a harness failure killed the emulator */
    int expected_status;
    bool big_endian;
    bool log;
    bool irq_level[IRQ_LINES];
    GArray *irq_history; /* QTestIrqEvent */
    int64_t clock_ns;    /* last virtual time from a clock reply, or -1 */
    GString *rx;         /* qtest bytes not yet split into lines */
    GString *qmp_rx;     /* QMP bytes not yet parsed */
    GQueue events;       /* stashed QMP events (QDict *) */
    char *cmd;           /* last qtest command, for messages */
    bool peer_known;     /* "bt_version" was asked (qtest_is_benchtop) */
    bool peer_benchtop;  /* its answer: true when the server is Benchtop */
};

static void (*failure_hook)(const char *msg);
static unsigned socket_counter;

void qtest_set_failure_hook(void (*hook)(const char *msg))
{
    failure_hook = hook;
}

/* ---- process helpers ---------------------------------------------------- */

static void describe_status(GString *out, int wstatus)
{
    if (WIFEXITED(wstatus)) {
        g_string_append_printf(out, "exit status %d", WEXITSTATUS(wstatus));
    } else if (WIFSIGNALED(wstatus)) {
        g_string_append_printf(out, "death from signal %d (%s)",
                               WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
    } else {
        g_string_append_printf(out, "wait status 0x%x", wstatus);
    }
}

/* Non-blocking reap; true when the child is gone (status in s->wstatus). */
static bool try_reap(QTestState *s)
{
    pid_t r;

    if (s->reaped || s->pid <= 0) {
        return true;
    }
    do {
        r = waitpid(s->pid, &s->wstatus, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == s->pid || (r < 0 && errno == ECHILD)) {
        s->reaped = true;
        s->pid = -1;
        return true;
    }
    return false;
}

/* Waits up to @timeout_ms for the child to exit. */
static bool reap_within(QTestState *s, int timeout_ms)
{
    for (int waited = 0;; waited += 10) {
        if (try_reap(s)) {
            return true;
        }
        if (waited >= timeout_ms) {
            return false;
        }
        g_usleep(10000);
    }
}

static void kill_and_reap(QTestState *s)
{
    if (!try_reap(s)) {
        kill(s->pid, SIGKILL);
        reap_within(s, QUIT_TIMEOUT_MS);
    }
}

/*
 * The serial socket and its qtest-serial-XXXXXX directory while
 * qtest_init_with_serial() starts the emulator: removed by the failure
 * paths too, since a hook that longjmps (cmocka) skips the normal cleanup.
 */
static char *pending_serial_path;
static char *pending_serial_dir;

static void remove_pending_serial(void)
{
    if (pending_serial_path) {
        unlink(pending_serial_path);
        g_clear_pointer(&pending_serial_path, g_free);
    }
    if (pending_serial_dir) {
        rmdir(pending_serial_dir);
        g_clear_pointer(&pending_serial_dir, g_free);
    }
}

/*
 * A harness failure: report, kill the emulator so nothing lingers, then
 * hand over to the hook (cmocka) or abort.
 */
static G_NORETURN void qtest_fail(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static G_NORETURN void qtest_fail(QTestState *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "libqtest: %s\n", msg);
    fflush(stderr);
    if (s) {
        s->failed = true;
        kill_and_reap(s);
    }
    remove_pending_serial();
    if (failure_hook) {
        failure_hook(msg);
    }
    abort();
}

void qtest_fail_test(const char *fmt, ...)
{
    /* kept reachable: a hook that longjmps (cmocka) skips any cleanup */
    static char *msg;
    va_list ap;

    g_free(msg);
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "libqtest: %s\n", msg);
    fflush(stderr);
    remove_pending_serial();
    if (failure_hook) {
        failure_hook(msg);
    }
    abort();
}

/* ---- socket helpers ----------------------------------------------------- */

static int listen_unix(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        fprintf(stderr, "libqtest: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "libqtest: socket: %s\n", strerror(errno));
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        fprintf(stderr, "libqtest: bind/listen %s: %s\n", path,
                strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Accepts one connection on @lfd within SOCKET_TIMEOUT_S, giving up early
 * when the child (if any) exits.  Closes @lfd.  The accepted socket gets a
 * receive timeout too.
 */
static int accept_within(int lfd, QTestState *child, const char *what)
{
    struct timeval tv = {.tv_sec = SOCKET_TIMEOUT_S};
    int waited_ms = 0;
    int fd = -1;

    while (waited_ms < SOCKET_TIMEOUT_S * 1000) {
        struct pollfd pfd = {.fd = lfd, .events = POLLIN};
        int r = poll(&pfd, 1, 100);

        if (r > 0) {
            do {
                fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            } while (fd < 0 && errno == EINTR);
            break;
        }
        if (r < 0 && errno != EINTR) {
            break;
        }
        waited_ms += 100;
        if (child && try_reap(child)) {
            g_autoptr(GString) st = g_string_new(NULL);

            describe_status(st, child->wstatus);
            fprintf(stderr,
                    "libqtest: emulator exited (%s) before connecting "
                    "to the %s socket\n",
                    st->str, what);
            close(lfd);
            return -1;
        }
    }
    close(lfd);
    if (fd < 0) {
        fprintf(stderr, "libqtest: no connection on the %s socket: %s\n", what,
                waited_ms >= SOCKET_TIMEOUT_S * 1000 ? "timeout"
                                                     : strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static void send_all(QTestState *s, int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            qtest_fail(s, "send failed (%s) while sending '%.*s'",
                       n < 0 ? strerror(errno) : "closed", (int)MIN(len, 80),
                       buf);
        }
        buf += n;
        len -= (size_t)n;
    }
}

/*
 * Reads more bytes from @fd into @buf; fails the test on EOF, error or
 * timeout, naming @what.
 */
static void recv_more(QTestState *s, int fd, GString *buf, const char *what)
{
    char tmp[4096];
    ssize_t n;

    do {
        n = recv(fd, tmp, sizeof(tmp), 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        g_string_append_len(buf, tmp, n);
        return;
    }
    if (n == 0) {
        g_autoptr(GString) st = g_string_new(NULL);

        if (reap_within(s, 1000)) {
            describe_status(st, s->wstatus);
        } else {
            g_string_append(st, "still running");
        }
        qtest_fail(s, "Broken pipe: emulator closed the %s socket (%s)", what,
                   st->str);
    }
    qtest_fail(s, "reading the %s socket: %s", what,
               errno == EAGAIN || errno == EWOULDBLOCK ? "timeout"
                                                       : strerror(errno));
}

/* ---- qtest lines -------------------------------------------------------- */

static void qtest_send_str(QTestState *s, const char *str)
{
    send_all(s, s->fd, str, strlen(str));
}

static void qtest_send_cmd(QTestState *s, const char *line)
{
    g_autofree char *full = g_strconcat(line, "\n", NULL);

    g_free(s->cmd);
    s->cmd = g_strdup(line);
    qtest_send_str(s, full);
}

static void qtest_sendf(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void qtest_sendf(QTestState *s, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_cmd(s, line);
}

/* Next line from the qtest socket, without "\n" (caller frees). */
static char *qtest_read_line(QTestState *s)
{
    for (;;) {
        char *nl = memchr(s->rx->str, '\n', s->rx->len);

        if (nl) {
            size_t n = (size_t)(nl - s->rx->str);
            char *line = g_strndup(s->rx->str, n);

            g_string_erase(s->rx, 0, (gssize)n + 1);
            return line;
        }
        recv_more(s, s->fd, s->rx, "qtest");
    }
}

/* Records "IRQ raise N" / "IRQ lower N"; false if @line is not one. */
static bool qtest_handle_irq_line(QTestState *s, const char *line)
{
    g_auto(GStrv) words = NULL;
    QTestIrqEvent ev;
    guint64 n;

    if (!g_str_has_prefix(line, "IRQ ")) {
        return false;
    }
    words = g_strsplit(line, " ", -1);
    if (g_strv_length(words) < 3 ||
        !g_ascii_string_to_unsigned(words[2], 10, 0, IRQ_LINES - 1, &n, NULL)) {
        qtest_fail(s, "malformed IRQ line '%s'", line);
    }
    ev.seq = s->irq_history->len;
    ev.line = (int)n;
    ev.level = g_str_equal(words[1], "raise");
    ev.time_ns = s->clock_ns;
    s->irq_level[n] = ev.level;
    g_array_append_val(s->irq_history, ev);
    return true;
}

/* The reply to the last command, IRQ lines consumed (caller frees). */
static char *qtest_read_reply(QTestState *s)
{
    for (;;) {
        char *line = qtest_read_line(s);

        if (!qtest_handle_irq_line(s, line)) {
            return line;
        }
        g_free(line);
    }
}

/*
 * Reads the reply, fails the test unless it is "OK" with at least @min
 * words in all; returns the words (caller frees).
 */
static char **qtest_rsp(QTestState *s, unsigned min)
{
    g_autofree char *line = qtest_read_reply(s);
    char **words = g_strsplit(line, " ", -1);

    if (!words[0] || !g_str_equal(words[0], "OK") ||
        g_strv_length(words) < min) {
        g_strfreev(words);
        qtest_fail(s, "command '%s' got reply '%s'", s->cmd ? s->cmd : "",
                   line);
    }
    return words;
}

static void qtest_rsp_ok(QTestState *s)
{
    g_strfreev(qtest_rsp(s, 1));
}

static uint64_t qtest_parse_u64(QTestState *s, const char *word)
{
    guint64 v;
    bool hex = g_str_has_prefix(word, "0x") || g_str_has_prefix(word, "0X");

    if (!g_ascii_string_to_unsigned(hex ? word + 2 : word, hex ? 16 : 10, 0,
                                    G_MAXUINT64, &v, NULL)) {
        qtest_fail(s, "command '%s': bad number '%s' in reply", s->cmd, word);
    }
    return v;
}

static int64_t qtest_parse_i64(QTestState *s, const char *word)
{
    gint64 v;

    if (!g_ascii_string_to_signed(word, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
        qtest_fail(s, "command '%s': bad number '%s' in reply", s->cmd, word);
    }
    return v;
}

char *qtest_raw_cmd(QTestState *s, const char *line)
{
    qtest_send_cmd(s, line);
    return qtest_read_reply(s);
}

void qtest_raw_send(QTestState *s, const char *line)
{
    qtest_send_cmd(s, line);
}

/* ---- QMP ---------------------------------------------------------------- */

static void qmp_log(QTestState *s, const char *dir, const char *text,
                    size_t len)
{
    if (s->log) {
        fprintf(stderr, "QMP %s %.*s\n", dir, (int)len, text);
    }
}

QDict *qtest_qmp_receive_dict(QTestState *s)
{
    if (s->qmp_fd < 0) {
        qtest_fail(s, "no QMP connection");
    }
    for (;;) {
        size_t start = 0;
        size_t end = qmp_json_split(s->qmp_rx->str, s->qmp_rx->len, &start);

        if (end) {
            g_autoptr(GError) err = NULL;
            QDict *d =
                qmp_json_parse(s->qmp_rx->str + start, end - start, &err);

            qmp_log(s, "<", s->qmp_rx->str + start, end - start);
            if (!d) {
                qtest_fail(s, "bad QMP message '%.*s': %s", (int)(end - start),
                           s->qmp_rx->str + start, err->message);
            }
            g_string_erase(s->qmp_rx, 0, (gssize)end);
            return d;
        }
        recv_more(s, s->qmp_fd, s->qmp_rx, "QMP");
    }
}

QDict *qtest_qmp_receive(QTestState *s)
{
    for (;;) {
        QDict *d = qtest_qmp_receive_dict(s);

        if (!qdict_haskey(d, "event")) {
            return d;
        }
        g_queue_push_tail(&s->events, d);
    }
}

static void qtest_qmp_vsend_raw(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);

static void qtest_qmp_vsend_raw(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);

    if (s->qmp_fd < 0) {
        qtest_fail(s, "no QMP connection");
    }
    qmp_log(s, ">", text, strlen(text));
    /* Like libqtest: no trailing newline. */
    send_all(s, s->qmp_fd, text, strlen(text));
}

void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_qmp_vsend_raw(s, fmt, ap);
    va_end(ap);
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_qmp_vsend_raw(s, fmt, ap);
    va_end(ap);
}

QDict *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    qtest_qmp_vsend_raw(s, fmt, ap);
    return qtest_qmp_receive(s);
}

QDict *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    QDict *rsp;
    va_list ap;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return rsp;
}

static QDict *qmp_check_success(QTestState *s, QDict *rsp)
{
    if (!qdict_haskey(rsp, "return")) {
        g_autofree char *text = qdict_to_json(rsp);

        qobject_unref(rsp);
        qtest_fail(s, "QMP command failed: %s", text);
    }
    return rsp;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    QDict *rsp;
    va_list ap;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    qobject_unref(qmp_check_success(s, rsp));
}

QDict *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    QDict *rsp;
    va_list ap;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return qmp_check_success(s, rsp);
}

QDict *qtest_qmp_eventwait_ref(QTestState *s, const char *event)
{
    for (GList *l = s->events.head; l; l = l->next) {
        QDict *d = l->data;

        if (g_str_equal(qdict_get_str(d, "event"), event)) {
            g_queue_delete_link(&s->events, l);
            return d;
        }
    }
    for (;;) {
        QDict *d = qtest_qmp_receive_dict(s);

        if (g_str_equal(qdict_get_str(d, "event"), event)) {
            return d;
        }
        qobject_unref(d);
    }
}

void qtest_qmp_eventwait(QTestState *s, const char *event)
{
    qobject_unref(qtest_qmp_eventwait_ref(s, event));
}

void qtest_system_reset(QTestState *s)
{
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "RESET");
}

/* ---- launch ------------------------------------------------------------- */

static const char *qtest_binary(void)
{
    const char *bin = getenv("QTEST_QEMU_BINARY");

    if (!bin) {
        fprintf(stderr, "Environment variable QTEST_QEMU_BINARY required\n");
        exit(1);
    }
    return bin;
}

const char *qtest_get_arch(void)
{
    const char *bin = qtest_binary();
    const char *base = strrchr(bin, '/');
    const char *dash;

    base = base ? base + 1 : bin;
    if (!strstr(base, "-system-")) {
        fprintf(stderr, "QTEST_QEMU_BINARY must end with *-system-<arch> "
                        "where 'arch' is the target\narchitecture (x86_64, "
                        "aarch64, etc).\n");
        exit(1);
    }
    dash = strrchr(base, '-');
    return dash + 1;
}

static void qtest_free(QTestState *s)
{
    QDict *d;

    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    while ((d = g_queue_pop_head(&s->events))) {
        qobject_unref(d);
    }
    g_array_free(s->irq_history, true);
    g_string_free(s->rx, true);
    g_string_free(s->qmp_rx, true);
    g_free(s->cmd);
    g_free(s);
}

/* ---- register coverage (BENCHTOP_REGCOV_DIR) ----------------------------- */

/*
 * When $BENCHTOP_REGCOV_DIR is set, each emulator appends its register
 * access counts at exit to <dir>/c-<prog>-<pid>.jsonl, tagged with the
 * test program's name and the launch number (BENCHTOP_REGCOV_TAG), unless
 * the environment already names a file or a tag.  Computed before fork();
 * the child only calls setenv().
 */
typedef struct RegcovEnv {
    char *file; /* NULL: leave BENCHTOP_REGCOV alone */
    char *tag;  /* NULL: leave BENCHTOP_REGCOV_TAG alone */
} RegcovEnv;

static void regcov_env_prepare(RegcovEnv *e, unsigned counter)
{
    const char *dir = getenv("BENCHTOP_REGCOV_DIR");
    const char *file = getenv("BENCHTOP_REGCOV");
    const char *tag = getenv("BENCHTOP_REGCOV_TAG");
    const char *prog = program_invocation_short_name; /* <errno.h>, GNU */

    e->file = NULL;
    e->tag = NULL;
    if (!dir || !*dir) {
        return;
    }
    g_mkdir_with_parents(dir, 0755);
    if (!file || !*file) {
        e->file = g_strdup_printf("%s/c-%s-%d.jsonl", dir, prog, (int)getpid());
    }
    if (!tag || !*tag) {
        e->tag = g_strdup_printf("%s#%u", prog, counter);
    }
}

static void regcov_env_apply(const RegcovEnv *e)
{
    if (e->file) {
        setenv("BENCHTOP_REGCOV", e->file, true);
    }
    if (e->tag) {
        setenv("BENCHTOP_REGCOV_TAG", e->tag, true);
    }
}

static void regcov_env_clear(RegcovEnv *e)
{
    g_free(e->file);
    g_free(e->tag);
}

static QTestState *qtest_spawn(const char *extra_args, bool qmp_handshake)
{
    const char *bin = qtest_binary();
    const char *trace = getenv("QTEST_TRACE");
    unsigned counter = socket_counter++;
    g_autofree char *sock_path = g_strdup_printf(
        "%s/qtest-%d-%u.sock", g_get_tmp_dir(), (int)getpid(), counter);
    g_autofree char *qmp_path = g_strdup_printf(
        "%s/qtest-%d-%u.qmp", g_get_tmp_dir(), (int)getpid(), counter);
    g_autofree char *command = NULL;
    g_autofree char *trace_arg =
        trace ? g_strdup_printf("-trace %s ", trace) : g_strdup("");
    QTestState *s = g_new0(QTestState, 1);
    int sock_lfd;
    int qmp_lfd;
    g_auto(GStrv) words = NULL;
    RegcovEnv regcov;

    s->fd = -1;
    s->qmp_fd = -1;
    s->pid = -1;
    s->clock_ns = -1;
    s->log = getenv("QTEST_LOG") != NULL;
    s->irq_history = g_array_new(false, true, sizeof(QTestIrqEvent));
    s->rx = g_string_new(NULL);
    s->qmp_rx = g_string_new(NULL);
    g_queue_init(&s->events);

    sock_lfd = listen_unix(sock_path);
    qmp_lfd = listen_unix(qmp_path);
    if (sock_lfd < 0 || qmp_lfd < 0) {
        if (sock_lfd >= 0) {
            close(sock_lfd);
            unlink(sock_path);
        }
        if (qmp_lfd >= 0) {
            close(qmp_lfd);
            unlink(qmp_path);
        }
        qtest_free(s);
        return NULL;
    }

    command = g_strdup_printf("exec %s %s-qtest unix:%s -qtest-log %s "
                              "-chardev socket,path=%s,id=char0 "
                              "-mon chardev=char0,mode=control "
                              "-display none %s -accel qtest",
                              bin, trace_arg, sock_path,
                              s->log ? "/dev/fd/2" : "/dev/null", qmp_path,
                              extra_args ? extra_args : "");
    if (s->log) {
        fprintf(stderr, "# starting QEMU: %s\n", command);
    }
    fflush(stdout);
    fflush(stderr);

    regcov_env_prepare(&regcov, counter);
    s->pid = fork();
    if (s->pid < 0) {
        fprintf(stderr, "libqtest: fork: %s\n", strerror(errno));
        regcov_env_clear(&regcov);
        close(sock_lfd);
        close(qmp_lfd);
        qtest_free(s);
        return NULL;
    }
    if (s->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setenv("QEMU_AUDIO_DRV", "none", true);
        regcov_env_apply(&regcov);
        execlp("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    regcov_env_clear(&regcov);

    s->fd = accept_within(sock_lfd, s, "qtest");
    if (s->fd >= 0) {
        s->qmp_fd = accept_within(qmp_lfd, s, "QMP");
    } else {
        close(qmp_lfd);
    }
    unlink(sock_path);
    unlink(qmp_path);
    if (s->fd < 0 || s->qmp_fd < 0) {
        kill_and_reap(s);
        qtest_free(s);
        return NULL;
    }
    if (getenv("QTEST_STOP")) {
        kill(s->pid, SIGSTOP);
    }

    qtest_send_cmd(s, "endianness");
    words = qtest_rsp(s, 2);
    if (!g_str_equal(words[1], "big") && !g_str_equal(words[1], "little")) {
        qtest_fail(s, "endianness reply 'OK %s'", words[1]);
    }
    s->big_endian = g_str_equal(words[1], "big");

    if (qmp_handshake) {
        qobject_unref(qtest_qmp_receive(s)); /* greeting */
        qtest_qmp_assert_success(s, "{ 'execute': 'qmp_capabilities' }");
    }
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    return qtest_spawn(extra_args, true);
}

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    return qtest_spawn(extra_args, false);
}

QTestState *qtest_vinitf(const char *fmt, va_list ap)
{
    g_autofree char *args = g_strdup_vprintf(fmt, ap);

    return qtest_init(args);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    QTestState *s;
    va_list ap;

    va_start(ap, fmt);
    s = qtest_vinitf(fmt, ap);
    va_end(ap);
    return s;
}

static QTestState *qtest_init_chardev_prefix(const char *chardev_id,
                                             const char *serial,
                                             const char *extra_args,
                                             int *sock_fd)
{
    g_autofree char *dir = g_dir_make_tmp("qtest-serial-XXXXXX", NULL);
    g_autofree char *path = NULL;
    QTestState *s;
    int lfd;

    *sock_fd = -1;
    if (!dir) {
        fprintf(stderr, "libqtest: cannot make a temporary directory\n");
        return NULL;
    }
    path = g_strdup_printf("%s/sock", dir);
    remove_pending_serial(); /* left by a failure that was caught */
    pending_serial_dir = g_strdup(dir);
    lfd = listen_unix(path);
    if (lfd < 0) {
        remove_pending_serial();
        return NULL;
    }
    pending_serial_path = g_strdup(path);
    s = qtest_initf("-chardev socket,id=%s,path=%s %s%s", chardev_id, path,
                    serial, extra_args ? extra_args : "");
    if (s) {
        *sock_fd = accept_within(lfd, s, "serial"); /* closes lfd */
    } else {
        close(lfd);
    }
    remove_pending_serial();
    if (s && *sock_fd < 0) {
        qtest_fail(s, "the emulator did not connect to chardev '%s'",
                   chardev_id);
    }
    return s;
}

QTestState *qtest_init_with_serial(const char *extra_args, int *sock_fd)
{
    return qtest_init_chardev_prefix("s0", "-serial chardev:s0 ", extra_args,
                                     sock_fd);
}

QTestState *qtest_init_with_chardev(const char *chardev_id,
                                    const char *extra_args, int *sock_fd)
{
    return qtest_init_chardev_prefix(chardev_id, "", extra_args, sock_fd);
}

/* ---- teardown ----------------------------------------------------------- */

static void qtest_check_status(QTestState *s, const char *who)
{
    g_autoptr(GString) st = NULL;

    if (s->failed) {
        return;
    }
    if (WIFEXITED(s->wstatus) &&
        WEXITSTATUS(s->wstatus) == s->expected_status) {
        return;
    }
    st = g_string_new(NULL);
    describe_status(st, s->wstatus);
    s->failed = true;
    qtest_fail(s, "%s() detected QEMU %s (expected exit status %d)", who,
               st->str, s->expected_status);
}

void qtest_kill_qemu(QTestState *s)
{
    if (!s) {
        return;
    }
    if (!s->reaped && s->pid > 0) {
        kill(s->pid, SIGTERM);
        if (!reap_within(s, QUIT_TIMEOUT_MS)) {
            kill(s->pid, SIGKILL);
            reap_within(s, QUIT_TIMEOUT_MS);
        }
        qtest_check_status(s, "kill_qemu");
    }
}

void qtest_wait_qemu(QTestState *s)
{
    if (!s || s->reaped) {
        return;
    }
    if (!reap_within(s, QUIT_TIMEOUT_MS)) {
        qtest_fail(s, "wait_qemu(): the emulator did not exit within %d s",
                   QUIT_TIMEOUT_MS / 1000);
    }
    qtest_check_status(s, "wait_qemu");
}

bool qtest_probe_child(QTestState *s)
{
    return !try_reap(s);
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

bool qtest_big_endian(QTestState *s)
{
    return s->big_endian;
}

void qtest_quit(QTestState *s)
{
    if (!s) {
        return;
    }
    qtest_kill_qemu(s);
    qtest_free(s);
}

/* ---- guest access ------------------------------------------------------- */

static void qtest_out(QTestState *s, const char *cmd, uint16_t addr,
                      uint32_t value)
{
    qtest_sendf(s, "%s 0x%x 0x%x", cmd, addr, value);
    qtest_rsp_ok(s);
}

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value)
{
    qtest_out(s, "outb", addr, value);
}

void qtest_outw(QTestState *s, uint16_t addr, uint16_t value)
{
    qtest_out(s, "outw", addr, value);
}

void qtest_outl(QTestState *s, uint16_t addr, uint32_t value)
{
    qtest_out(s, "outl", addr, value);
}

static uint32_t qtest_in(QTestState *s, const char *cmd, uint16_t addr)
{
    g_auto(GStrv) words = NULL;
    uint64_t v;

    qtest_sendf(s, "%s 0x%x", cmd, addr);
    words = qtest_rsp(s, 2);
    v = qtest_parse_u64(s, words[1]);
    if (v > UINT32_MAX) {
        qtest_fail(s, "command '%s': value '%s' too large", s->cmd, words[1]);
    }
    return (uint32_t)v;
}

uint8_t qtest_inb(QTestState *s, uint16_t addr)
{
    return (uint8_t)qtest_in(s, "inb", addr);
}

uint16_t qtest_inw(QTestState *s, uint16_t addr)
{
    return (uint16_t)qtest_in(s, "inw", addr);
}

uint32_t qtest_inl(QTestState *s, uint16_t addr)
{
    return qtest_in(s, "inl", addr);
}

static void qtest_write(QTestState *s, const char *cmd, uint64_t addr,
                        uint64_t value)
{
    qtest_sendf(s, "%s 0x%" PRIx64 " 0x%" PRIx64, cmd, addr, value);
    qtest_rsp_ok(s);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    qtest_write(s, "writeb", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    qtest_write(s, "writew", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    qtest_write(s, "writel", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    qtest_write(s, "writeq", addr, value);
}

static uint64_t qtest_read(QTestState *s, const char *cmd, uint64_t addr)
{
    g_auto(GStrv) words = NULL;

    qtest_sendf(s, "%s 0x%" PRIx64, cmd, addr);
    words = qtest_rsp(s, 2);
    return qtest_parse_u64(s, words[1]);
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return (uint8_t)qtest_read(s, "readb", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return (uint16_t)qtest_read(s, "readw", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return (uint32_t)qtest_read(s, "readl", addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return qtest_read(s, "readq", addr);
}

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_auto(GStrv) words = NULL;
    uint8_t *out = data;
    const char *hex;

    if (size == 0) {
        return;
    }
    qtest_sendf(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    words = qtest_rsp(s, 2);
    hex = words[1];
    if (!g_str_has_prefix(hex, "0x") || strlen(hex + 2) != size * 2) {
        qtest_fail(s, "command '%s': reply data '%.40s' is not %zu bytes",
                   s->cmd, hex, size);
    }
    hex += 2;
    for (size_t i = 0; i < size; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = g_ascii_xdigit_value(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            qtest_fail(s, "command '%s': bad hex in reply", s->cmd);
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    const uint8_t *in = data;
    g_autoptr(GString) hex = NULL;

    if (size == 0) {
        return;
    }
    hex = g_string_sized_new(size * 2 + 1);
    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", in[i]);
    }
    qtest_sendf(s, "write 0x%" PRIx64 " 0x%zx 0x%s", addr, size, hex->str);
    qtest_rsp_ok(s);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_auto(GStrv) words = NULL;
    g_autofree guchar *bytes = NULL;
    gsize len = 0;

    qtest_sendf(s, "b64read 0x%" PRIx64 " 0x%zx", addr, size);
    words = qtest_rsp(s, 2);
    bytes = g_base64_decode(words[1], &len);
    if (len != size) {
        fprintf(stderr, "libqtest: bufread: length mismatch (%zu != %zu)\n",
                (size_t)len, size);
    }
    memcpy(data, bytes, MIN(len, size));
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    g_autofree char *b64 = g_base64_encode(data, size);
    g_autofree char *prefix =
        g_strdup_printf("b64write 0x%" PRIx64 " 0x%zx ", addr, size);

    g_free(s->cmd);
    s->cmd = g_strdup_printf("%s%.40s...", prefix, b64);
    qtest_send_str(s, prefix);
    qtest_send_str(s, b64);
    qtest_send_str(s, "\n");
    qtest_rsp_ok(s);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t patt, size_t size)
{
    qtest_sendf(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x", addr, size, patt);
    qtest_rsp_ok(s);
}

/* ---- clock -------------------------------------------------------------- */

static int64_t qtest_clock_rsp(QTestState *s)
{
    g_auto(GStrv) words = qtest_rsp(s, 2);

    s->clock_ns = qtest_parse_i64(s, words[1]);
    return s->clock_ns;
}

int64_t qtest_clock_step_next(QTestState *s)
{
    qtest_send_cmd(s, "clock_step");
    return qtest_clock_rsp(s);
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    qtest_sendf(s, "clock_step %" PRIi64, step);
    return qtest_clock_rsp(s);
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    qtest_sendf(s, "clock_set %" PRIi64, val);
    return qtest_clock_rsp(s);
}

/* ---- interrupts --------------------------------------------------------- */

void qtest_irq_intercept_in(QTestState *s, const char *qom_path)
{
    qtest_sendf(s, "irq_intercept_in %s", qom_path);
    qtest_rsp_ok(s);
}

void qtest_irq_intercept_out(QTestState *s, const char *qom_path)
{
    qtest_sendf(s, "irq_intercept_out %s", qom_path);
    qtest_rsp_ok(s);
}

void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path,
                                   const char *name)
{
    qtest_sendf(s, "irq_intercept_out %s %s", qom_path, name);
    qtest_rsp_ok(s);
}

void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level)
{
    qtest_sendf(s, "set_irq_in %s %s %d %d", qom_path,
                name ? name : "unnamed-gpio-in", num, level);
    qtest_rsp_ok(s);
}

bool qtest_get_irq(QTestState *s, int num)
{
    if (num < 0 || num >= IRQ_LINES) {
        qtest_fail(s, "get_irq: line %d out of range", num);
    }
    /* A dummy round trip drains pending IRQ lines, as libqtest does. */
    qtest_inb(s, 0);
    return s->irq_level[num];
}

void qtest_module_load(QTestState *s, const char *prefix, const char *libname)
{
    qtest_sendf(s, "module_load %s %s", prefix, libname);
    qtest_rsp_ok(s);
}

/* ---- extensions --------------------------------------------------------- */

const QTestIrqEvent *qtest_irq_history(QTestState *s, size_t *n)
{
    *n = s->irq_history->len;
    return (const QTestIrqEvent *)(void *)s->irq_history->data;
}

void qtest_irq_history_clear(QTestState *s)
{
    g_array_set_size(s->irq_history, 0);
}

static bool qtest_irq_seen_since(QTestState *s, guint from, int num, bool level)
{
    for (guint i = from; i < s->irq_history->len; i++) {
        const QTestIrqEvent *ev =
            &g_array_index(s->irq_history, QTestIrqEvent, i);

        if (ev->line == num && ev->level == level) {
            return true;
        }
    }
    return false;
}

bool qtest_wait_irq(QTestState *s, int num, bool level, int64_t step_ns,
                    int64_t max_ns)
{
    guint from = s->irq_history->len;
    int64_t stepped = 0;

    if (qtest_get_irq(s, num) == level) {
        return true;
    }
    if (step_ns <= 0) {
        step_ns = 1;
    }
    while (stepped < max_ns) {
        int64_t step = MIN(step_ns, max_ns - stepped);

        qtest_clock_step(s, step);
        stepped += step;
        if (qtest_irq_seen_since(s, from, num, level)) {
            return true;
        }
    }
    return false;
}

/* ---- which emulator ----------------------------------------------------- */

static int peer_benchtop = -1; /* process-wide answer: -1 not known yet */

/* Asks @s "bt_version"; QEMU answers "FAIL Unknown command 'bt_version'". */
static bool qtest_ask_benchtop(QTestState *s)
{
    if (!s->peer_known) {
        g_autofree char *rsp = qtest_raw_cmd(s, "bt_version");

        s->peer_benchtop = g_str_has_prefix(rsp, "OK benchtop");
        s->peer_known = true;
    }
    return s->peer_benchtop;
}

bool qtest_is_benchtop(QTestState *s)
{
    if (s) {
        peer_benchtop = qtest_ask_benchtop(s);
        return s->peer_benchtop;
    }
    if (peer_benchtop < 0) {
        QTestState *probe = qtest_init_without_qmp_handshake("-machine none");

        if (probe) {
            peer_benchtop = qtest_ask_benchtop(probe);
            qtest_quit(probe);
        } else {
            const char *bin = qtest_binary();
            const char *base = strrchr(bin, '/');

            base = base ? base + 1 : bin;
            peer_benchtop = !g_str_has_prefix(base, "qemu");
        }
    }
    return peer_benchtop;
}

bool qtest_note_qemu_quirk(QTestState *s, const char *test, const char *what)
{
    if (qtest_is_benchtop(s)) {
        return false;
    }
    printf("known QEMU deviation in %s (checked as QEMU behaves): %s\n", test,
           what);
    fflush(stdout);
    return true;
}
