/* SPDX-License-Identifier: MIT */
/*
 * qtest-client: a minimal libqtest-shaped client for bench/bench.py.
 *
 * It starts an emulator exactly as libqtest does (listening unix sockets
 * for qtest and QMP, "-qtest unix:... -qtest-log /dev/null -chardev
 * socket,... -mon ... -display none ARGS -accel qtest"), asks "endianness",
 * completes the QMP handshake and ends the process with SIGTERM, so the
 * figures are the emulator's and the client's own overhead is the same small
 * constant for Benchtop and QEMU.  Every wait is bounded.
 *
 *   qtest-client start [-n RUNS] -- BINARY ARGS...
 *       spawn -> first qtest reply, one sample per run (seconds)
 *   qtest-client rtt [-o OPS] [-b BATCH] [-a ADDR] -- BINARY ARGS...
 *       readl ADDR round trips per second, one request per reply, then
 *       BATCH requests per write
 *   qtest-client tiny [-n RUNS] [-a ADDR] -- BINARY ARGS...
 *       whole process: start, 25 x (writeb ADDR i; readb ADDR), SIGTERM,
 *       wait; seconds, peak RSS (VmHWM and ru_maxrss, KiB) and CPU
 *       seconds per run
 *   qtest-client idle [-s SECONDS] -- BINARY ARGS...
 *       CPU seconds the emulator burns while the client sits idle
 *
 * Output: one JSON object on stdout.  Exit status 1 with a message on
 * stderr when the emulator fails (its stderr tail is included).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#define CLIENT_TIMEOUT_MS 30000

typedef struct Client {
    char *dir;         /* temporary folder with the sockets */
    char *stderr_path; /* the emulator's stderr */
    pid_t pid;         /* the emulator, or 0 */
    int qtest_fd;      /* connected qtest socket, or -1 */
    int qmp_fd;        /* connected QMP socket, or -1 */
    GString *rbuf;     /* bytes read from qtest_fd, not yet consumed */
    GString *qmp_buf;  /* same for qmp_fd */
    long hwm_kib;      /* VmHWM just before SIGTERM, or -1 */
    struct rusage ru;  /* the emulator's, after reap */
    int status;        /* wait status, after reap */
} Client;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_s(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

static void client_stderr_tail(const Client *c)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (c->stderr_path &&
        g_file_get_contents(c->stderr_path, &text, &len, NULL)) {
        const char *p = len > 2000 ? text + len - 2000 : text;

        fprintf(stderr, "emulator stderr:\n%s\n", p);
    }
}

/* Deletes the temporary folder with the files the client put in it. */
static void client_remove_dir(const char *dir)
{
    static const char *const names[] = {"stderr", "qtest.sock", "qmp.sock"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(dir, names[i], NULL);

        g_unlink(path);
    }
    g_rmdir(dir);
}

static G_NORETURN void G_GNUC_PRINTF(2, 3)
    client_die(const Client *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "qtest-client: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    if (c) {
        client_stderr_tail(c);
        if (c->pid > 0) {
            kill(c->pid, SIGKILL);
            waitpid(c->pid, NULL, 0);
        }
        if (c->dir) {
            client_remove_dir(c->dir);
        }
    }
    exit(1);
}

static int client_listen(Client *c, const char *name, char **path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    *path = g_build_filename(c->dir, name, NULL);
    if (fd < 0 || strlen(*path) >= sizeof(sa.sun_path)) {
        client_die(c, "cannot create socket %s", *path);
    }
    memcpy(sa.sun_path, *path, strlen(*path) + 1);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        client_die(c, "cannot listen on %s: %s", *path, g_strerror(errno));
    }
    return fd;
}

/* Blocking reads that give up after CLIENT_TIMEOUT_MS. */
static void client_set_timeout(int fd)
{
    struct timeval tv = {.tv_sec = CLIENT_TIMEOUT_MS / 1000};

    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Waits for a connection on @lfd, watching the child meanwhile. */
static int client_accept(Client *c, int lfd)
{
    double deadline = now_s() + CLIENT_TIMEOUT_MS / 1000.0;

    for (;;) {
        struct pollfd pfd = {.fd = lfd, .events = POLLIN};
        int status;

        if (poll(&pfd, 1, 50) > 0) {
            int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

            if (fd >= 0) {
                client_set_timeout(fd);
                return fd;
            }
        }
        if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
            c->pid = 0;
            client_die(c, "emulator exited (status 0x%x) before connecting",
                       status);
        }
        if (now_s() > deadline) {
            client_die(c, "emulator did not connect");
        }
    }
}

/* Spawns the emulator with libqtest's command line and accepts both. */
static void client_launch(Client *c, char **emu_argv)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *qtest_path = NULL;
    g_autofree char *qmp_path = NULL;
    posix_spawn_file_actions_t fa;
    int qtest_lfd, qmp_lfd;
    int rc;

    memset(c, 0, sizeof(*c));
    c->qtest_fd = c->qmp_fd = -1;
    c->dir = g_dir_make_tmp("bench-XXXXXX", NULL);
    if (!c->dir) {
        client_die(NULL, "cannot make a temporary folder");
    }
    c->stderr_path = g_build_filename(c->dir, "stderr", NULL);
    qtest_lfd = client_listen(c, "qtest.sock", &qtest_path);
    qmp_lfd = client_listen(c, "qmp.sock", &qmp_path);

    g_ptr_array_add(argv, g_strdup(emu_argv[0]));
    g_ptr_array_add(argv, g_strdup("-qtest"));
    g_ptr_array_add(argv, g_strconcat("unix:", qtest_path, NULL));
    g_ptr_array_add(argv, g_strdup("-qtest-log"));
    g_ptr_array_add(argv, g_strdup("/dev/null"));
    g_ptr_array_add(argv, g_strdup("-chardev"));
    g_ptr_array_add(argv, g_strdup_printf("socket,path=%s,id=char0", qmp_path));
    g_ptr_array_add(argv, g_strdup("-mon"));
    g_ptr_array_add(argv, g_strdup("chardev=char0,mode=control"));
    g_ptr_array_add(argv, g_strdup("-display"));
    g_ptr_array_add(argv, g_strdup("none"));
    for (char **a = emu_argv + 1; *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    g_ptr_array_add(argv, g_strdup("-accel"));
    g_ptr_array_add(argv, g_strdup("qtest"));
    g_ptr_array_add(argv, NULL);

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, c->stderr_path,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    rc = posix_spawnp(&c->pid, emu_argv[0], &fa, NULL,
                      (char *const *)argv->pdata, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        c->pid = 0;
        client_die(c, "cannot run %s: %s", emu_argv[0], g_strerror(rc));
    }
    c->qtest_fd = client_accept(c, qtest_lfd);
    c->qmp_fd = client_accept(c, qmp_lfd);
    close(qtest_lfd);
    close(qmp_lfd);
    c->rbuf = g_string_sized_new(65536);
    c->qmp_buf = g_string_sized_new(4096);
}

static void client_send(Client *c, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(c->qtest_fd, buf, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            client_die(c, "write: %s", g_strerror(errno));
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* Reads more bytes from @fd into @buf (blocking, bounded). */
static void client_fill(Client *c, int fd, GString *buf)
{
    char tmp[65536];
    ssize_t n;

    for (;;) {
        n = read(fd, tmp, sizeof(tmp));
        if (n > 0) {
            g_string_append_len(buf, tmp, n);
            return;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* SO_RCVTIMEO expired */
            client_die(c, "no reply within %d ms", CLIENT_TIMEOUT_MS);
        }
        client_die(c, "connection lost: %s",
                   n == 0 ? "EOF" : g_strerror(errno));
    }
}

/*
 * Reads one reply line into @line (without '\n'), skipping IRQ lines as
 * libqtest does.  Returns the line's length.
 */
static size_t client_reply(Client *c, char *line, size_t max)
{
    for (;;) {
        char *nl = memchr(c->rbuf->str, '\n', c->rbuf->len);
        size_t len;

        if (!nl) {
            client_fill(c, c->qtest_fd, c->rbuf);
            continue;
        }
        len = (size_t)(nl - c->rbuf->str);
        if (len >= 4 && memcmp(c->rbuf->str, "IRQ ", 4) == 0) {
            g_string_erase(c->rbuf, 0, (gssize)len + 1);
            continue;
        }
        if (len >= max) {
            client_die(c, "reply too long");
        }
        memcpy(line, c->rbuf->str, len);
        line[len] = '\0';
        g_string_erase(c->rbuf, 0, (gssize)len + 1);
        return len;
    }
}

static void client_expect_ok(Client *c, const char *what)
{
    char line[256];

    client_reply(c, line, sizeof(line));
    if (strncmp(line, "OK", 2) != 0) {
        client_die(c, "%s: unexpected reply '%s'", what, line);
    }
}

/* One QMP message (a line); blocks, bounded. */
static void client_qmp_line(Client *c, char *line, size_t max)
{
    for (;;) {
        char *nl = memchr(c->qmp_buf->str, '\n', c->qmp_buf->len);

        if (nl) {
            size_t len = (size_t)(nl - c->qmp_buf->str);

            g_strlcpy(line, c->qmp_buf->str, MIN(len + 1, max));
            g_string_erase(c->qmp_buf, 0, (gssize)len + 1);
            return;
        }
        client_fill(c, c->qmp_fd, c->qmp_buf);
    }
}

/* libqtest's qtest_qmp_handshake(): greeting, then qmp_capabilities. */
static void client_qmp_handshake(Client *c)
{
    static const char caps[] = "{\"execute\": \"qmp_capabilities\"}\n";
    char line[4096];

    client_qmp_line(c, line, sizeof(line));
    if (!strstr(line, "\"QMP\"")) {
        client_die(c, "no QMP greeting: %s", line);
    }
    if (write(c->qmp_fd, caps, sizeof(caps) - 1) != sizeof(caps) - 1) {
        client_die(c, "QMP write failed");
    }
    do {
        client_qmp_line(c, line, sizeof(line));
    } while (strstr(line, "\"event\""));
    if (!strstr(line, "\"return\"")) {
        client_die(c, "qmp_capabilities failed: %s", line);
    }
}

/* Connects and asks "endianness": the first reply. */
static void client_start(Client *c, char **emu_argv)
{
    static const char req[] = "endianness\n";

    client_launch(c, emu_argv);
    client_send(c, req, sizeof(req) - 1);
    client_expect_ok(c, "endianness");
}

/* A number from /proc/PID/status ("VmHWM", "voluntary_ctxt_switches"). */
static long client_proc_status(pid_t pid, const char *key)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    g_autofree char *needle = g_strdup_printf("\n%s:", key);
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    p = strstr(text, needle);
    return p ? strtol(p + strlen(needle), NULL, 10) : -1;
}

/*
 * The emulator's peak RSS so far (VmHWM), in KiB, or -1.  Unlike the
 * ru_maxrss of wait4(), it does not include the memory of the parent that
 * was mapped in the child before exec.
 */
static long client_vm_hwm(pid_t pid)
{
    return client_proc_status(pid, "VmHWM");
}

/* libqtest's qtest_quit(): SIGTERM, wait, close, clean up. */
static void client_quit(Client *c)
{
    g_autofree char *qtest_path = g_build_filename(c->dir, "qtest.sock", NULL);
    g_autofree char *qmp_path = g_build_filename(c->dir, "qmp.sock", NULL);
    int status = 0;

    c->hwm_kib = client_vm_hwm(c->pid);
    kill(c->pid, SIGTERM);
    while (wait4(c->pid, &status, 0, &c->ru) < 0) {
        if (errno != EINTR) {
            client_die(c, "wait4: %s", g_strerror(errno));
        }
    }
    c->pid = 0;
    c->status = status;
    close(c->qtest_fd);
    close(c->qmp_fd);
    g_unlink(c->stderr_path);
    g_unlink(qtest_path);
    g_unlink(qmp_path);
    g_rmdir(c->dir);
    g_free(c->dir);
    g_free(c->stderr_path);
    g_string_free(c->rbuf, TRUE);
    g_string_free(c->qmp_buf, TRUE);
}

static void print_array(const char *name, const double *v, int n, bool last)
{
    printf("\"%s\": [", name);
    for (int i = 0; i < n; i++) {
        printf("%s%.9g", i ? ", " : "", v[i]);
    }
    printf("]%s", last ? "" : ", ");
}

static int mode_start(char **emu_argv, int runs)
{
    g_autofree double *t = g_new0(double, runs);

    for (int i = 0; i < runs; i++) {
        Client c;
        double t0 = now_s();

        client_start(&c, emu_argv);
        t[i] = now_s() - t0;
        client_qmp_handshake(&c);
        client_quit(&c);
    }
    printf("{");
    print_array("start_s", t, runs, true);
    printf("}\n");
    return 0;
}

static int mode_rtt(char **emu_argv, int ops, int batch, uint64_t addr)
{
    g_autofree char *req = g_strdup_printf("readl 0x%" PRIx64 "\n", addr);
    size_t req_len = strlen(req);
    g_autoptr(GString) many = g_string_new(NULL);
    int batches = MAX(ops / batch, 1);
    double t0, single, piped;
    long sleeps;
    Client c;

    client_start(&c, emu_argv);
    client_qmp_handshake(&c);
    for (int i = 0; i < batch; i++) {
        g_string_append(many, req);
    }
    for (int i = 0; i < 100; i++) { /* warm up */
        client_send(&c, req, req_len);
        client_expect_ok(&c, "readl");
    }
    sleeps = client_proc_status(c.pid, "voluntary_ctxt_switches");
    t0 = now_s();
    for (int i = 0; i < ops; i++) {
        client_send(&c, req, req_len);
        client_expect_ok(&c, "readl");
    }
    single = ops / (now_s() - t0);
    /* How often the emulator went to sleep waiting for the next request. */
    sleeps = client_proc_status(c.pid, "voluntary_ctxt_switches") - sleeps;
    t0 = now_s();
    for (int i = 0; i < batches; i++) {
        client_send(&c, many->str, many->len);
        for (int j = 0; j < batch; j++) {
            client_expect_ok(&c, "readl");
        }
    }
    piped = (double)batches * batch / (now_s() - t0);
    client_quit(&c);
    printf("{\"single_per_s\": %.1f, \"pipelined_per_s\": %.1f, "
           "\"single_sleeps_per_op\": %.3f, \"batch\": %d, \"ops\": %d}\n",
           single, piped, (double)sleeps / ops, batch, ops);
    return 0;
}

static int mode_tiny(char **emu_argv, int runs, uint64_t addr)
{
    g_autofree double *t = g_new0(double, runs);
    g_autofree double *rss = g_new0(double, runs);
    g_autofree double *hwm = g_new0(double, runs);
    g_autofree double *cpu = g_new0(double, runs);

    for (int i = 0; i < runs; i++) {
        Client c;
        double t0 = now_s();

        client_start(&c, emu_argv);
        client_qmp_handshake(&c);
        for (int k = 0; k < 25; k++) {
            char req[64], line[256];
            unsigned long got;

            snprintf(req, sizeof(req), "writeb 0x%" PRIx64 " 0x%x\n", addr, k);
            client_send(&c, req, strlen(req));
            client_expect_ok(&c, "writeb");
            snprintf(req, sizeof(req), "readb 0x%" PRIx64 "\n", addr);
            client_send(&c, req, strlen(req));
            client_reply(&c, line, sizeof(line));
            if (sscanf(line, "OK %lx", &got) != 1 || got != (unsigned long)k) {
                client_die(&c, "readb read back '%s', expected %d", line, k);
            }
        }
        client_quit(&c);
        t[i] = now_s() - t0;
        rss[i] = (double)c.ru.ru_maxrss;
        hwm[i] = (double)c.hwm_kib;
        cpu[i] = tv_s(&c.ru.ru_utime) + tv_s(&c.ru.ru_stime);
        if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) {
            client_die(NULL, "emulator ended with wait status 0x%x", c.status);
        }
    }
    printf("{");
    print_array("tiny_s", t, runs, false);
    print_array("maxrss_kib", rss, runs, false);
    print_array("vmhwm_kib", hwm, runs, false);
    print_array("cpu_s", cpu, runs, true);
    printf("}\n");
    return 0;
}

static int mode_idle(char **emu_argv, double secs)
{
    static const char req[] = "readl 0x80000000\n";
    Client c;
    struct timespec ts = {.tv_sec = (time_t)secs,
                          .tv_nsec = (long)((secs - (time_t)secs) * 1e9)};

    client_start(&c, emu_argv);
    client_qmp_handshake(&c);
    /* A burst of round trips first, so any adaptive polling is armed. */
    for (int i = 0; i < 1000; i++) {
        client_send(&c, req, sizeof(req) - 1);
        client_expect_ok(&c, "readl");
    }
    nanosleep(&ts, NULL);
    client_quit(&c);
    printf("{\"idle_s\": %.3f, \"cpu_s\": %.6f}\n", secs,
           tv_s(&c.ru.ru_utime) + tv_s(&c.ru.ru_stime));
    return 0;
}

static G_NORETURN void usage(void)
{
    fprintf(stderr,
            "usage: qtest-client start|rtt|tiny|idle [-n RUNS] [-o OPS] "
            "[-b BATCH] [-a ADDR] [-s SECONDS] -- BINARY ARGS...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *mode;
    int runs = 10, ops = 20000, batch = 100;
    uint64_t addr = 0;
    bool have_addr = false;
    double secs = 1.0;
    int opt;

    if (argc < 2) {
        usage();
    }
    mode = argv[1];
    optind = 2;
    while ((opt = getopt(argc, argv, "n:o:b:a:s:")) != -1) {
        switch (opt) {
        case 'n':
            runs = MAX(atoi(optarg), 1);
            break;
        case 'o':
            ops = MAX(atoi(optarg), 1);
            break;
        case 'b':
            batch = MAX(atoi(optarg), 1);
            break;
        case 'a':
            addr = g_ascii_strtoull(optarg, NULL, 0);
            have_addr = true;
            break;
        case 's':
            secs = g_ascii_strtod(optarg, NULL);
            break;
        default:
            usage();
        }
    }
    if (optind >= argc) {
        usage();
    }
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(mode, "start") == 0) {
        return mode_start(argv + optind, runs);
    }
    if (strcmp(mode, "rtt") == 0) {
        return mode_rtt(argv + optind, ops, batch,
                        have_addr ? addr : 0x80000000);
    }
    if (strcmp(mode, "tiny") == 0) {
        return mode_tiny(argv + optind, runs, have_addr ? addr : 0x10000007);
    }
    if (strcmp(mode, "idle") == 0) {
        return mode_idle(argv + optind, secs);
    }
    usage();
}
