/* SPDX-License-Identifier: MIT */
/*
 * Character devices: every backend driven through the public API, with
 * the test on the other end of each socket and glib's default main
 * context iterated until a condition holds or a deadline passes.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/chardev/chardev.h"
#include "emu/object.h"
#include "emu/opts.h"

#define DEADLINE_MS ((gint64)5000)
#define BIG_LEN     ((size_t)1024 * 1024)

typedef struct Fixture {
    char *dir; /* scratch directory, removed in teardown */
} Fixture;

/* What a front end saw. */
typedef struct Recorder {
    GByteArray *rx;
    int opened;
    int closed;
    size_t can;       /* what can_read() answers */
    size_t max_chunk; /* largest single read() delivery */
} Recorder;

static size_t rec_can_read(void *opaque)
{
    Recorder *r = opaque;

    return r->can;
}

static void rec_read(void *opaque, const uint8_t *buf, size_t len)
{
    Recorder *r = opaque;

    g_byte_array_append(r->rx, buf, (guint)len);
    r->max_chunk = MAX(r->max_chunk, len);
    if (r->can != SIZE_MAX) {
        r->can -= MIN(r->can, len);
    }
}

static void rec_event(void *opaque, ChardevEvent ev)
{
    Recorder *r = opaque;

    if (ev == CHR_EVENT_OPENED) {
        r->opened++;
    } else {
        r->closed++;
    }
}

static const ChardevHandlers rec_handlers = {
    .can_read = rec_can_read,
    .read = rec_read,
    .event = rec_event,
};

static void rec_init(Recorder *r)
{
    memset(r, 0, sizeof(*r));
    r->rx = g_byte_array_new();
    r->can = SIZE_MAX;
}

static void rec_fini(Recorder *r)
{
    g_byte_array_unref(r->rx);
}

/* Iterates the default main context until *@counter >= @want. */
static bool loop_until_count(const int *counter, int want)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_MS * 1000;

    while (*counter < want && g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
    return *counter >= want;
}

static bool loop_until_rx(Recorder *r, size_t want)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_MS * 1000;

    while (r->rx->len < want && g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
    return r->rx->len >= want;
}

/* Runs the loop for about @ms regardless. */
static void loop_for(int ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

    while (g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

/* Reads exactly @len bytes from @fd with a deadline; true on success. */
static bool read_exact(int fd, void *buf, size_t len)
{
    size_t done = 0;
    gint64 end = g_get_monotonic_time() + DEADLINE_MS * 1000;

    while (done < len && g_get_monotonic_time() < end) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t n;

        if (poll(&pfd, 1, 100) <= 0) {
            continue;
        }
        n = read(fd, (char *)buf + done, len - done);
        if (n <= 0) {
            return false;
        }
        done += (size_t)n;
    }
    return done == len;
}

static Chardev *new_chardev(const char *str, GError **errp)
{
    g_autoptr(Opts) opts = opts_parse(str, "backend", errp);

    if (!opts) {
        return NULL;
    }
    return chardev_new_from_opts(opts, errp);
}

static Chardev *must_new(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static Chardev *must_new(const char *fmt, ...)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *str = NULL;
    va_list ap;
    Chardev *chr;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    chr = new_chardev(str, &err);
    if (!chr) {
        print_error("%s: %s\n", str, err->message);
    }
    assert_non_null(chr);
    return chr;
}

static void expect_error(const char *str, const char *msg)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = new_chardev(str, &err);

    if (chr || !err || strcmp(err->message, msg) != 0) {
        print_error("%s: got '%s', want '%s'\n", str,
                    err ? err->message : "(success)", msg);
    }
    assert_null(chr);
    assert_non_null(err);
    assert_string_equal(err->message, msg);
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A loopback TCP listener on a kernel-chosen port. */
static int listen_tcp(int *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* A loopback port that nothing listens on (just released). */
static int free_tcp_port(void)
{
    int port;
    int fd = listen_tcp(&port);

    close(fd);
    return port;
}

static int connect_tcp(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static char *slurp(const char *path)
{
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);

    object_register_types();
    chardev_register_types();
    f->dir = g_dir_make_tmp("test-chardev-XXXXXX", NULL);
    if (!f->dir) {
        g_free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    GDir *d;
    const char *name;

    chardev_cleanup_all();
    object_reset_root();
    /* drain sources the chardevs left behind, if any */
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    d = g_dir_open(f->dir, 0, NULL);
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);

        unlink(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(f->dir);
    g_free(f->dir);
    g_free(f);
    return 0;
}

static char *fpath(Fixture *f, const char *name)
{
    return g_build_filename(f->dir, name, NULL);
}

/* Types */

static void test_chardev_types(void **state)
{
    const ObjectClass *base = type_lookup(TYPE_CHARDEV);
    static const char *const concrete[] = {
        "chardev-null",   "chardev-stdio",   "chardev-file",
        "chardev-socket", "chardev-ringbuf", NULL,
    };

    assert_non_null(base);
    assert_true(base->abstract);
    chardev_register_types(); /* idempotent */
    for (size_t i = 0; concrete[i]; i++) {
        const ObjectClass *cls = type_lookup(concrete[i]);

        assert_non_null(cls);
        assert_false(cls->abstract);
        assert_true(type_is_a(cls, TYPE_CHARDEV));
    }
}

/* null */

static void test_chardev_null(void **state)
{
    Chardev *chr = must_new("null,id=n0");
    Recorder r;
    g_autofree char *path = NULL;

    rec_init(&r);
    assert_ptr_equal(chardev_find("n0"), chr);
    assert_string_equal(chardev_id(chr), "n0");
    path = object_get_canonical_path((Object *)chr);
    assert_string_equal(path, "/chardevs/n0");
    assert_non_null(object_dynamic_cast((Object *)chr, "chardev-null"));
    assert_true(chardev_is_connected(chr));
    assert_int_equal(chardev_write(chr, "abc", 3), 3);

    /* attaching to a ready backend replays OPENED */
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);
    loop_for(20);
    assert_int_equal(r.rx->len, 0);
    assert_null(chardev_find("nosuch"));
    assert_null(chardev_ringbuf_read(chr, 10));
    rec_fini(&r);
}

/* file */

static void test_chardev_file(void **state)
{
    Fixture *f = *state;
    g_autofree char *path = fpath(f, "out.txt");
    g_autofree char *t1 = NULL;
    g_autofree char *t2 = NULL;
    g_autofree char *t3 = NULL;
    Chardev *chr;

    chr = must_new("file,id=f0,path=%s", path);
    assert_int_equal(chardev_write(chr, "hello\n", 6), 6);
    t1 = slurp(path);
    assert_string_equal(t1, "hello\n");

    /* append=on keeps what is there */
    chr = must_new("file,id=f1,path=%s,append=on", path);
    assert_int_equal(chardev_write(chr, "more\n", 5), 5);
    t2 = slurp(path);
    assert_string_equal(t2, "hello\nmore\n");

    /* the default truncates */
    chr = must_new("file,id=f2,path=%s", path);
    assert_int_equal(chardev_write(chr, "x", 1), 1);
    t3 = slurp(path);
    assert_string_equal(t3, "x");
}

static void test_chardev_logfile(void **state)
{
    Fixture *f = *state;
    g_autofree char *log = fpath(f, "log.txt");
    g_autofree char *text = NULL;
    Chardev *chr = must_new("ringbuf,id=r0,logfile=%s", log);
    g_autoptr(GString) got = NULL;

    assert_int_equal(chardev_write(chr, "logged", 6), 6);
    text = slurp(log);
    assert_string_equal(text, "logged");
    got = chardev_ringbuf_read(chr, 100);
    assert_string_equal(got->str, "logged");
}

/* ringbuf */

static void test_chardev_ringbuf(void **state)
{
    Chardev *chr = must_new("ringbuf,id=r0,size=16");
    g_autoptr(GString) a = NULL;
    g_autoptr(GString) b = NULL;
    g_autoptr(GString) c = NULL;
    g_autoptr(GString) d = NULL;

    assert_int_equal(chardev_write(chr, "0123456789", 10), 10);
    a = chardev_ringbuf_read(chr, 4);
    assert_string_equal(a->str, "0123");

    /* 6 left + 20 more in a 16-byte ring: only the last 16 survive */
    assert_int_equal(chardev_write(chr, "abcdefghijklmnopqrst", 20), 20);
    b = chardev_ringbuf_read(chr, 100);
    assert_int_equal(b->len, 16);
    assert_string_equal(b->str, "efghijklmnopqrst");

    c = chardev_ringbuf_read(chr, 100);
    assert_int_equal(c->len, 0);

    /* default size is 64 KiB */
    chr = must_new("ringbuf,id=r1");
    for (int i = 0; i < 65536 + 10; i++) {
        char ch = (char)('a' + i % 26);

        chardev_write(chr, &ch, 1);
    }
    d = chardev_ringbuf_read(chr, SIZE_MAX);
    assert_int_equal(d->len, 65536);
    assert_int_equal(d->str[0], 'a' + 10 % 26);
}

/* stdio, with pipes standing in for fds 0 and 1 */

static void test_chardev_stdio(void **state)
{
    int in[2], out[2];
    int saved_in = dup(STDIN_FILENO);
    int saved_out = dup(STDOUT_FILENO);
    Chardev *chr;
    Recorder r;
    size_t wrote;
    char buf[8] = {0};
    bool got_out, got_in, got_closed;

    rec_init(&r);
    assert_true(saved_in >= 0 && saved_out >= 0);
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    fflush(stdout);
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(out[1]);

    chr = must_new("stdio,id=io0,signal=off");
    chardev_set_handlers(chr, &rec_handlers, &r);
    wrote = chardev_write(chr, "out", 3);
    got_out = read_exact(out[0], buf, 3);
    assert_int_equal(write(in[1], "in", 2), 2);
    got_in = loop_until_rx(&r, 2);
    /* EOF on stdin: CLOSED, the chardev stays usable for output */
    close(in[1]);
    got_closed = loop_until_count(&r.closed, 1);

    dup2(saved_in, STDIN_FILENO);
    dup2(saved_out, STDOUT_FILENO);
    close(saved_in);
    close(saved_out);
    close(out[0]);

    assert_int_equal(wrote, 3);
    assert_true(got_out);
    assert_memory_equal(buf, "out", 3);
    assert_true(got_in);
    assert_memory_equal(r.rx->data, "in", 2);
    assert_true(got_closed);
    assert_int_equal(r.opened, 1);
    assert_true(chardev_is_connected(chr));
    rec_fini(&r);
}

/* unix sockets */

typedef struct Reader {
    int fd;
    size_t want;
    uint8_t *buf;
    size_t got;
} Reader;

static void *reader_thread(void *opaque)
{
    Reader *rd = opaque;

    while (rd->got < rd->want) {
        ssize_t n = read(rd->fd, rd->buf + rd->got, rd->want - rd->got);

        if (n <= 0) {
            break;
        }
        rd->got += (size_t)n;
    }
    return NULL;
}

static void check_big_write(Chardev *chr, int peer)
{
    g_autofree uint8_t *big = g_malloc(BIG_LEN);
    Reader rd = {.fd = peer, .want = BIG_LEN, .buf = g_malloc(BIG_LEN)};
    pthread_t th;

    for (size_t i = 0; i < BIG_LEN; i++) {
        big[i] = (uint8_t)(i * 7 + (i >> 12));
    }
    assert_int_equal(pthread_create(&th, NULL, reader_thread, &rd), 0);
    assert_int_equal(chardev_write(chr, big, BIG_LEN), BIG_LEN);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(rd.got, BIG_LEN);
    assert_memory_equal(rd.buf, big, BIG_LEN);
    g_free(rd.buf);
}

static void test_chardev_unix_client(void **state)
{
    Fixture *f = *state;
    g_autofree char *sock = fpath(f, "c.sock");
    int lfd = listen_unix(sock);
    Chardev *chr = must_new("socket,id=c0,path=%s", sock);
    int peer = accept(lfd, NULL, NULL);
    char buf[16] = {0};
    Recorder r;

    rec_init(&r);
    assert_true(peer >= 0);
    assert_true(chardev_is_connected(chr));
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);

    /* chardev -> peer */
    assert_int_equal(chardev_write(chr, "ping\n", 5), 5);
    assert_true(read_exact(peer, buf, 5));
    assert_memory_equal(buf, "ping\n", 5);

    /* peer -> front end */
    assert_int_equal(write(peer, "pong\n", 5), 5);
    assert_true(loop_until_rx(&r, 5));
    assert_memory_equal(r.rx->data, "pong\n", 5);

    /* a large reply is never truncated */
    check_big_write(chr, peer);

    /* peer hangs up: CLOSED, writes are dropped, no reconnect */
    close(peer);
    assert_true(loop_until_count(&r.closed, 1));
    assert_false(chardev_is_connected(chr));
    assert_int_equal(chardev_write(chr, "x", 1), 0);
    assert_int_equal(r.opened, 1);
    close(lfd);
    rec_fini(&r);
}

static void test_chardev_unix_server_nowait(void **state)
{
    Fixture *f = *state;
    g_autofree char *sock = fpath(f, "s.sock");
    Chardev *chr;
    Recorder r;
    char buf[8] = {0};
    int fd;
    struct stat st;

    /* a stale file at the path is replaced */
    assert_true(g_file_set_contents(sock, "stale", -1, NULL));
    chr = must_new("socket,id=s0,path=%s,server=on,wait=off", sock);
    rec_init(&r);
    assert_int_equal(stat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_false(chardev_is_connected(chr));
    assert_int_equal(chardev_write(chr, "lost", 4), 0);
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 0);

    for (int round = 1; round <= 2; round++) {
        fd = connect_unix(sock);
        assert_true(fd >= 0);
        assert_true(loop_until_count(&r.opened, round));
        assert_true(chardev_is_connected(chr));

        assert_int_equal(chardev_write(chr, "hi", 2), 2);
        assert_true(read_exact(fd, buf, 2));
        assert_memory_equal(buf, "hi", 2);

        g_byte_array_set_size(r.rx, 0);
        assert_int_equal(write(fd, "yo", 2), 2);
        assert_true(loop_until_rx(&r, 2));
        assert_memory_equal(r.rx->data, "yo", 2);

        close(fd);
        assert_true(loop_until_count(&r.closed, round));
        assert_false(chardev_is_connected(chr));
    }

    /* cleanup at exit unlinks the socket */
    chardev_cleanup_all();
    assert_int_equal(stat(sock, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_false(chardev_is_connected(chr));
    assert_int_equal(chardev_write(chr, "x", 1), 0);
    rec_fini(&r);
}

static void test_chardev_unix_server_one_client(void **state)
{
    Fixture *f = *state;
    g_autofree char *sock = fpath(f, "one.sock");
    Chardev *chr = must_new("socket,id=s0,path=%s,server=on,wait=off", sock);
    Recorder r;
    char buf[4] = {0};
    int a, b;

    rec_init(&r);
    chardev_set_handlers(chr, &rec_handlers, &r);
    a = connect_unix(sock);
    assert_true(a >= 0);
    assert_true(loop_until_count(&r.opened, 1));
    /* the second client waits in the backlog while the first is served */
    b = connect_unix(sock);
    assert_true(b >= 0);
    loop_for(50);
    assert_int_equal(r.opened, 1);
    assert_int_equal(chardev_write(chr, "A", 1), 1);
    assert_true(read_exact(a, buf, 1));
    assert_int_equal(buf[0], 'A');

    close(a);
    assert_true(loop_until_count(&r.closed, 1));
    assert_true(loop_until_count(&r.opened, 2));
    assert_int_equal(chardev_write(chr, "B", 1), 1);
    assert_true(read_exact(b, buf, 1));
    assert_int_equal(buf[0], 'B');
    close(b);
    rec_fini(&r);
}

typedef struct Connector {
    char *path;
    int fd;
} Connector;

static void *connector_thread(void *opaque)
{
    Connector *c = opaque;

    /* the chardev is blocked in creation by now, or soon will be */
    for (int i = 0; i < 500 && c->fd < 0; i++) {
        g_usleep(10000);
        c->fd = connect_unix(c->path);
    }
    return NULL;
}

static void test_chardev_unix_server_wait(void **state)
{
    Fixture *f = *state;
    g_autofree char *sock = fpath(f, "w.sock");
    Connector c = {.path = sock, .fd = -1};
    pthread_t th;
    Chardev *chr;
    Recorder r;
    char buf[4] = {0};

    rec_init(&r);
    assert_int_equal(pthread_create(&th, NULL, connector_thread, &c), 0);
    chr = must_new("socket,id=w0,path=%s,server=on", sock);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_true(c.fd >= 0);
    assert_true(chardev_is_connected(chr));
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);
    assert_int_equal(chardev_write(chr, "ok", 2), 2);
    assert_true(read_exact(c.fd, buf, 2));
    assert_memory_equal(buf, "ok", 2);
    close(c.fd);
    assert_true(loop_until_count(&r.closed, 1));
    rec_fini(&r);
}

static void test_chardev_fd(void **state)
{
    int sv[2];
    Chardev *chr;
    Recorder r;
    char buf[4] = {0};

    rec_init(&r);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    chr = must_new("socket,id=m0,fd=%d", sv[0]);
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);
    assert_int_equal(chardev_write(chr, "{}", 2), 2);
    assert_true(read_exact(sv[1], buf, 2));
    assert_memory_equal(buf, "{}", 2);
    assert_int_equal(write(sv[1], "qmp", 3), 3);
    assert_true(loop_until_rx(&r, 3));
    assert_memory_equal(r.rx->data, "qmp", 3);
    close(sv[1]);
    assert_true(loop_until_count(&r.closed, 1));
    assert_false(chardev_is_connected(chr));
    rec_fini(&r);
}

/*
 * Everything the peer sent is taken in one wake-up (up to 64 KiB), not one
 * CHARDEV_READ_CHUNK per main loop iteration.
 */
static void test_chardev_socket_drains_per_wakeup(void **state)
{
    static uint8_t data[20000];
    int sv[2];
    Chardev *chr;
    Recorder r;
    gint64 end = g_get_monotonic_time() + DEADLINE_MS * 1000;

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7);
    }
    rec_init(&r);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    chr = must_new("socket,id=m0,fd=%d", sv[0]);
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(write(sv[1], data, sizeof(data)), sizeof(data));
    while (r.rx->len == 0 && g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
    /* the first dispatch that delivered anything delivered everything */
    assert_int_equal(r.rx->len, sizeof(data));
    assert_memory_equal(r.rx->data, data, sizeof(data));
    close(sv[1]);
    rec_fini(&r);
}

static void test_chardev_flow_control(void **state)
{
    int sv[2];
    Chardev *chr;
    Recorder r;

    rec_init(&r);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    chr = must_new("socket,id=m0,fd=%d", sv[0]);
    r.can = 0;
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(write(sv[1], "abcdefgh", 8), 8);
    loop_for(50);
    assert_int_equal(r.rx->len, 0);

    /* the front end takes 3 bytes at a time, announcing each time */
    for (int i = 0; i < 3; i++) {
        r.can = 3;
        chardev_accept_input(chr);
        assert_true(loop_until_rx(&r, MIN(8, 3 * (i + 1))));
        loop_for(10);
        assert_int_equal(r.rx->len, MIN(8, 3 * (i + 1)));
    }
    assert_true(r.max_chunk <= 3);
    assert_memory_equal(r.rx->data, "abcdefgh", 8);
    close(sv[1]);
    rec_fini(&r);
}

static void test_chardev_input_waits_for_front_end(void **state)
{
    static const ChardevHandlers none = {0};
    int sv[2];
    Chardev *chr;
    Recorder r;

    rec_init(&r);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    chr = must_new("socket,id=m0,fd=%d", sv[0]);
    /* input sent before any front end (or to an empty one) is kept */
    assert_int_equal(write(sv[1], "early", 5), 5);
    loop_for(20);
    chardev_set_handlers(chr, &none, NULL);
    loop_for(20);
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);
    assert_true(loop_until_rx(&r, 5));
    assert_memory_equal(r.rx->data, "early", 5);

    /* detaching stops delivery again */
    chardev_set_handlers(chr, NULL, NULL);
    assert_int_equal(write(sv[1], "late", 4), 4);
    loop_for(20);
    assert_int_equal(r.rx->len, 5);
    close(sv[1]);
    rec_fini(&r);
}

static void test_chardev_peer_gone_on_write(void **state)
{
    int sv[2];
    Chardev *chr;
    Recorder r;
    size_t n = 1;

    rec_init(&r);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    chr = must_new("socket,id=m0,fd=%d", sv[0]);
    r.can = 0; /* input paused: only the write path can notice */
    chardev_set_handlers(chr, &rec_handlers, &r);
    close(sv[1]);
    for (int i = 0; i < 10 && n; i++) {
        n = chardev_write(chr, "data", 4); /* no SIGPIPE */
    }
    assert_int_equal(n, 0);
    assert_false(chardev_is_connected(chr));
    assert_true(loop_until_count(&r.closed, 1));
    rec_fini(&r);
}

/* tcp */

static void test_chardev_tcp_server(void **state)
{
    int port = free_tcp_port();
    Chardev *chr = must_new(
        "socket,id=t0,host=127.0.0.1,port=%d,server=on,wait=off", port);
    Recorder r;
    char buf[4] = {0};
    int fd;

    rec_init(&r);
    chardev_set_handlers(chr, &rec_handlers, &r);
    fd = connect_tcp(port);
    assert_true(fd >= 0);
    assert_true(loop_until_count(&r.opened, 1));
    assert_int_equal(chardev_write(chr, "tcp", 3), 3);
    assert_true(read_exact(fd, buf, 3));
    assert_memory_equal(buf, "tcp", 3);
    assert_int_equal(write(fd, "in", 2), 2);
    assert_true(loop_until_rx(&r, 2));
    assert_memory_equal(r.rx->data, "in", 2);
    close(fd);
    assert_true(loop_until_count(&r.closed, 1));

    /* listening again */
    fd = connect_tcp(port);
    assert_true(fd >= 0);
    assert_true(loop_until_count(&r.opened, 2));
    close(fd);
    rec_fini(&r);
}

static void test_chardev_tcp_client(void **state)
{
    int port;
    int lfd = listen_tcp(&port);
    Chardev *chr = must_new("socket,id=t1,host=127.0.0.1,port=%d", port);
    int peer = accept(lfd, NULL, NULL);
    Recorder r;

    rec_init(&r);
    assert_true(peer >= 0);
    chardev_set_handlers(chr, &rec_handlers, &r);
    assert_int_equal(r.opened, 1);
    check_big_write(chr, peer);
    assert_int_equal(write(peer, "back", 4), 4);
    assert_true(loop_until_rx(&r, 4));
    assert_memory_equal(r.rx->data, "back", 4);
    close(peer);
    close(lfd);
    assert_true(loop_until_count(&r.closed, 1));
    rec_fini(&r);
}

/* errors */

static void test_chardev_errors(void **state)
{
    Fixture *f = *state;
    g_autofree char *nosock = fpath(f, "nosuch.sock");
    g_autofree char *s = NULL;
    g_autofree char *msg = NULL;
    int port = free_tcp_port();

    expect_error("null", "chardev: no id specified");
    expect_error("id=x", "chardev: \"x\" missing backend");
    expect_error("nosuch,id=x", "'nosuch' is not a valid char driver name");
    expect_error("null,id=x,foo=bar", "Invalid parameter 'foo'");
    must_new("null,id=d0");
    expect_error("null,id=d0", "Duplicate ID 'd0' for chardev");
    expect_error("null,id=x,mux=on", "chardev: mux is not supported");
    expect_error("file,id=x", "chardev: file: no filename given");
    expect_error("file,id=x,path=/nonexistent/dir/f",
                 "Could not open '/nonexistent/dir/f': "
                 "No such file or directory");
    expect_error("file,id=x,path=/tmp/f,append=maybe",
                 "Parameter 'append' expects 'on' or 'off'");
    must_new("stdio,id=io0");
    expect_error("stdio,id=io1",
                 "cannot use stdio by multiple character devices");
    expect_error("socket,id=x,path=/a,host=h,port=1",
                 "None or one of 'path', 'fd' or 'host' option required.");
    expect_error("socket,id=x,path=/a,fd=3",
                 "None or one of 'path', 'fd' or 'host' option required.");
    expect_error("socket,id=x", "Unable to parse FD number ");
    expect_error("socket,id=x,fd=abc", "Unable to parse FD number abc");
    expect_error("socket,id=x,host=localhost",
                 "chardev: socket: no port given");

    s = g_strdup_printf("socket,id=x,path=%s,wait=off", nosock);
    expect_error(s, "'wait' option is incompatible with socket in client "
                    "connect mode");
    g_clear_pointer(&s, g_free);
    s = g_strdup_printf("socket,id=x,path=%s,server=on,wait=off,reconnect=1",
                        nosock);
    expect_error(s, "'reconnect' option is incompatible with socket in "
                    "server listen mode");
    g_clear_pointer(&s, g_free);
    s = g_strdup_printf("socket,id=x,path=%s", nosock);
    msg = g_strdup_printf("Failed to connect to '%s': No such file or "
                          "directory",
                          nosock);
    expect_error(s, msg);
    g_clear_pointer(&s, g_free);
    g_clear_pointer(&msg, g_free);
    s = g_strdup_printf("socket,id=x,host=127.0.0.1,port=%d", port);
    msg = g_strdup_printf("Failed to connect to '127.0.0.1:%d': "
                          "Connection refused",
                          port);
    expect_error(s, msg);

    expect_error("ringbuf,id=x,size=1000",
                 "size of ringbuf chardev must be power of two");

    /* nothing failed left a chardev behind */
    assert_null(chardev_find("x"));
}

/* legacy specs */

static Chardev *legacy(const char *spec, const char *label)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new_legacy(spec, label, &err);

    if (!chr) {
        print_error("%s: %s\n", spec, err->message);
    }
    assert_non_null(chr);
    return chr;
}

static void expect_legacy_error(const char *spec, const char *msg)
{
    g_autoptr(GError) err = NULL;

    assert_null(chardev_new_legacy(spec, "bad", &err));
    assert_non_null(err);
    assert_string_equal(err->message, msg);
}

static void test_chardev_legacy(void **state)
{
    Fixture *f = *state;
    g_autofree char *file = fpath(f, "serial.log");
    g_autofree char *spec = NULL;
    g_autofree char *text = NULL;
    g_autofree char *sock = fpath(f, "l.sock");
    g_autofree char *sock2 = fpath(f, "l2.sock");
    Chardev *chr;
    int port = free_tcp_port();
    int fd;

    chr = legacy("null", "serial0");
    assert_non_null(object_dynamic_cast((Object *)chr, "chardev-null"));
    assert_ptr_equal(chardev_find("serial0"), chr);
    assert_string_equal(chardev_id(chr), "serial0");
    /* chardev:ID reuses it */
    assert_ptr_equal(legacy("chardev:serial0", "serial1"), chr);
    assert_null(chardev_find("serial1"));

    chr = legacy("stdio", "compat_monitor0");
    assert_non_null(object_dynamic_cast((Object *)chr, "chardev-stdio"));

    spec = g_strdup_printf("file:%s", file);
    chr = legacy(spec, "serial2");
    assert_int_equal(chardev_write(chr, "boot\n", 5), 5);
    text = slurp(file);
    assert_string_equal(text, "boot\n");
    g_clear_pointer(&spec, g_free);

    spec = g_strdup_printf("unix:%s,server=on,wait=off", sock);
    chr = legacy(spec, "qtest");
    assert_non_null(object_dynamic_cast((Object *)chr, "chardev-socket"));
    fd = connect_unix(sock);
    assert_true(fd >= 0);
    close(fd);
    g_clear_pointer(&spec, g_free);

    spec = g_strdup_printf("unix:path=%s,server=on,wait=off", sock2);
    legacy(spec, "compat_monitor1");
    fd = connect_unix(sock2);
    assert_true(fd >= 0);
    close(fd);
    g_clear_pointer(&spec, g_free);

    spec = g_strdup_printf("tcp:127.0.0.1:%d,server=on,wait=off", port);
    legacy(spec, "serial3");
    fd = connect_tcp(port);
    assert_true(fd >= 0);
    close(fd);
    g_clear_pointer(&spec, g_free);

    expect_legacy_error("chardev:nosuch", "chardev 'nosuch' not found");
    expect_legacy_error("bogus", "'bogus' is not a valid char driver");
    expect_legacy_error("tcp:nocolon", "'tcp:nocolon' is not a valid char "
                                       "driver");
    expect_legacy_error("unix:/x,foo=1", "Invalid parameter 'foo'");
}

static void test_chardev_legacy_dup_label(void **state)
{
    g_autoptr(GError) err = NULL;

    legacy("null", "serial0");
    assert_null(chardev_new_legacy("null", "serial0", &err));
    assert_string_equal(err->message, "Duplicate ID 'serial0' for chardev");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_chardev_types),
        T(test_chardev_null),
        T(test_chardev_file),
        T(test_chardev_logfile),
        T(test_chardev_ringbuf),
        T(test_chardev_stdio),
        T(test_chardev_unix_client),
        T(test_chardev_unix_server_nowait),
        T(test_chardev_unix_server_one_client),
        T(test_chardev_unix_server_wait),
        T(test_chardev_fd),
        T(test_chardev_socket_drains_per_wakeup),
        T(test_chardev_flow_control),
        T(test_chardev_input_waits_for_front_end),
        T(test_chardev_peer_gone_on_write),
        T(test_chardev_tcp_server),
        T(test_chardev_tcp_client),
        T(test_chardev_errors),
        T(test_chardev_legacy),
        T(test_chardev_legacy_dup_label),
    };

    return cmocka_run_group_tests_name("chardev", tests, NULL, NULL);
}
