/* SPDX-License-Identifier: MIT */
/*
 * benchtop: parse the command line, build the machine in QEMU's processing
 * order (cli.md §4, restricted to what exists), then run the main loop.
 *
 * Every user-facing failure is one "PROG: [LOCATION: ]TEXT" report (plus
 * hint lines) and exit status 1.  Start-up does no sleeping and no
 * expensive work, so both harness sockets are connected within
 * milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel/accel.h"
#include "emu/chardev/chardev.h"
#include "emu/clock.h"
#include "emu/device.h"
#include "emu/log.h"
#include "emu/loop.h"
#include "emu/monitor/qmp.h"
#include "emu/object.h"
#include "emu/options.h"
#include "emu/opts.h"
#include "emu/regcov.h"
#include "emu/regmap-json.h"
#include "hw/core/machine.h"
#include "qtest/qtest.h"
#include "target/riscv/cpu.h"

/* CPU models QEMU 7.2's riscv64 binary knows (no harts exist yet). */
static const char *const main_cpu_models[] = {
    "any", "rv64", "shakti-c", "sifive-e51", "sifive-u54", "x-rv128", NULL,
};

static char *main_pidfile; /* removed at exit */
static int main_pidfd = -1;

/* Prints one report and exits 1: "PROG: [LOC: ]MSG". */
G_NORETURN static void die(const char *loc, const char *msg)
{
    if (loc) {
        error_report("%s: %s", loc, msg);
    } else {
        error_report("%s", msg);
    }
    emu_exit_now(1);
}

G_NORETURN static void die_err(const char *loc, GError *err)
{
    die(loc, err->message);
}

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

static const char *prop_help_type(PropType t)
{
    switch (t) {
    case PROP_BOOL:
        return "bool";
    case PROP_U8:
        return "uint8";
    case PROP_U16:
        return "uint16";
    case PROP_U32:
        return "uint32";
    case PROP_U64:
        return "uint64";
    case PROP_I32:
        return "int32";
    case PROP_I64:
        return "int64";
    case PROP_SIZE:
        return "size";
    case PROP_STR:
        return "str";
    case PROP_CHILD:
    case PROP_LINK:
        return "link";
    }
    return "str";
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * "  NAME=<TYPE>" lines, padded to column 24 before " - DESC" and
 * " (default: JSON)" (cli.md §3.5), sorted, for @cls and its ancestors.
 */
static GPtrArray *class_prop_help_lines(const ObjectClass *cls)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

    for (const ObjectClass *c = cls; c; c = type_parent(c)) {
        for (const PropDesc *pd = c->props; pd && pd->name; pd++) {
            GString *l = g_string_new(NULL);
            g_autofree char *def = NULL;

            g_string_append_printf(l, "  %s=<%s>", pd->name,
                                   prop_help_type(pd->type));
            switch (pd->type) {
            case PROP_BOOL:
                def = g_strdup(pd->def_u ? "true" : "false");
                break;
            case PROP_U8:
            case PROP_U16:
            case PROP_U32:
            case PROP_U64:
            case PROP_SIZE:
                def = g_strdup_printf("%" G_GUINT64_FORMAT, pd->def_u);
                break;
            case PROP_I32:
            case PROP_I64:
                def = g_strdup_printf("%" G_GINT64_FORMAT, pd->def_i);
                break;
            default:
                def = pd->def_s ? g_strdup_printf("\"%s\"", pd->def_s) : NULL;
                break;
            }
            if (pd->desc || def) {
                while (l->len < 24) {
                    g_string_append_c(l, ' ');
                }
                g_string_append_printf(l, " - %s", pd->desc ? pd->desc : "");
                if (def) {
                    g_string_append_printf(l, " (default: %s)", def);
                }
            }
            g_ptr_array_add(lines, g_string_free(l, false));
        }
    }
    g_ptr_array_sort(lines, str_cmp);
    return lines;
}

static void print_class_props(const ObjectClass *cls, const char *title)
{
    g_autoptr(GPtrArray) lines = class_prop_help_lines(cls);

    if (!lines->len) {
        printf("There are no options for %s.\n", title);
        return;
    }
    printf("%s options:\n", title);
    for (guint i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(lines, i));
    }
}

static void print_device_entry(const ObjectClass *cls, void *opaque)
{
    if (!cls->user_creatable) {
        return;
    }
    printf("name \"%s\"", cls->name);
    if (cls->desc) {
        printf(", desc \"%s\"", cls->desc);
    }
    printf("\n");
}

/* -device help: one category, since our classes carry none. */
static void print_device_list(void)
{
    printf("Uncategorized devices:\n");
    type_foreach(TYPE_DEVICE, false, print_device_entry, NULL);
}

/* -device help / -device TYPE,help (exit 0 even for unknown types). */
static void handle_device_help(const EmuConfig *c)
{
    for (guint i = 0; i < c->devices->len; i++) {
        const OptItem *it = g_ptr_array_index(c->devices, i);
        const char *driver = opts_get(it->opts, "driver");
        const ObjectClass *cls;

        if (is_help(driver)) {
            print_device_list();
            emu_exit_now(0);
        }
        if (!opts_has(it->opts, "help")) {
            continue;
        }
        cls = driver ? type_lookup(driver) : NULL;
        if (!cls || !type_is_a(cls, TYPE_DEVICE)) {
            error_report("%s: Device '%s' not found", it->loc,
                         driver ? driver : "");
            emu_exit_now(0);
        }
        print_class_props(cls, cls->name);
        emu_exit_now(0);
    }
}

static void print_machine_entry(const MachineClass *mc, void *opaque)
{
    if (mc->alias) {
        printf("%-20s %s (alias of %s)\n", mc->alias, mc->obj.desc,
               mc->machine_name);
    }
    printf("%-20s %s%s\n", mc->machine_name, mc->obj.desc,
           mc->is_default ? " (default)" : "");
}

static void handle_machine_help(const EmuConfig *c, const MachineClass *mc)
{
    if (c->machine_type && mc) {
        print_class_props(&mc->obj, mc->obj.name);
    } else {
        printf("Supported machines are:\n");
        machine_class_foreach(print_machine_entry, NULL);
    }
    emu_exit_now(0);
}

static void main_before_exit(void)
{
    regcov_dump_at_exit();
    qtest_server_close(qtest_server_get());
    chardev_cleanup_all();
    if (main_pidfile) {
        unlink(main_pidfile);
    }
    fflush(stdout);
    fflush(stderr);
}

static void main_reset(ShutdownCause cause)
{
    Machine *m = machine_current();

    if (m) {
        machine_reset(m);
    }
    if (accel_tcg_enabled()) {
        accel_tcg_ops.kick();
    }
}

/* Run-state events also start and stop the harts (tcg). */
static void main_event(const char *name, const char *data_json)
{
    if (accel_tcg_enabled()) {
        if (!strcmp(name, "RESUME")) {
            accel_tcg_ops.start();
        } else if (!strcmp(name, "STOP")) {
            accel_tcg_ops.stop();
        }
    }
    qmp_broadcast_event(name, data_json);
}

static bool main_qtest_active;

static gboolean main_signal(gpointer opaque)
{
    int sig = GPOINTER_TO_INT(opaque);

    if (!main_qtest_active) {
        error_report("terminating on signal %d", sig);
    }
    loop_request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    return G_SOURCE_CONTINUE;
}

static void write_pidfile(const char *path)
{
    g_autofree char *text = NULL;
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR);

    if (fd < 0) {
        error_report("cannot create PID file: Could not create '%s': %s", path,
                     g_strerror(errno));
        emu_exit_now(1);
    }
    if (lockf(fd, F_TLOCK, 0) != 0) {
        error_report("cannot create PID file: Cannot lock pid file: %s",
                     g_strerror(errno));
        close(fd);
        emu_exit_now(1);
    }
    text = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(fd, 0) != 0 || write(fd, text, strlen(text)) < 0) {
        error_report("cannot create PID file: Failed to write pid file: %s",
                     g_strerror(errno));
        close(fd);
        emu_exit_now(1);
    }
    main_pidfd = fd; /* keeps the lock until exit */
    main_pidfile = g_strdup(path);
}

/* -chardev, in command-line order. */
static void create_chardevs(const EmuConfig *c)
{
    for (guint i = 0; i < c->chardevs->len; i++) {
        const OptItem *it = g_ptr_array_index(c->chardevs, i);
        GError *err = NULL;

        if (is_help(opts_get(it->opts, "backend"))) {
            printf("Available chardev backend types: \n"
                   "  ringbuf\n  null\n  socket\n  file\n  stdio\n");
            emu_exit_now(0);
        }
        opts_set_location(it->loc);
        if (!chardev_new_from_opts(it->opts, &err)) {
            die_err(it->loc, err);
        }
        opts_set_location(NULL);
    }
}

/* Checks the properties of accelerator @name; false: unknown accel. */
static bool accel_check_props(const OptItem *it, const char *name)
{
    const Opts *o = it->opts;
    const char *loc = it->loc;

    for (guint i = 0; i < o->pairs->len; i++) {
        const OptsPair *p = &g_array_index(o->pairs, OptsPair, i);
        g_autofree char *msg = NULL;

        if (!strcmp(p->key, "accel")) {
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "thread")) {
            if (strcmp(p->value, "single") != 0 &&
                strcmp(p->value, "multi") != 0) {
                msg = g_strdup_printf("Invalid 'thread' setting %s", p->value);
                die(loc, msg);
            }
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "tb-size")) {
            uint64_t v;

            if (!parse_u64(p->value, &v)) {
                msg = g_strdup_printf("Parameter 'tb-size' expects uint64");
                die(loc, msg);
            }
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "ns-per-insn")) {
            uint64_t v;

            if (!parse_u64(p->value, &v) || v == 0) {
                die(loc, "Parameter 'ns-per-insn' expects a positive uint64");
            }
            accel_tcg_set_ns_per_insn(v);
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "clock")) {
            /* Benchtop extension, docs/cli.md */
            if (strcmp(p->value, "host") != 0 &&
                strcmp(p->value, "virtual") != 0) {
                die(loc, "Parameter 'clock' expects 'host' or 'virtual'");
            }
            accel_tcg_set_clock_host(!strcmp(p->value, "host"));
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "jit")) {
            /* Benchtop extension, docs/cli.md */
            bool b;

            if (!parse_bool(p->value, &b)) {
                die(loc, "Parameter 'jit' expects 'on' or 'off'");
            }
            riscv_jit_set_enabled(b);
            continue;
        }
        if (!strcmp(name, "tcg") && !strcmp(p->key, "split-wx")) {
            bool b;

            if (!parse_bool(p->value, &b)) {
                die(loc, "Parameter 'split-wx' expects 'on' or 'off'");
            }
            continue;
        }
        msg = g_strdup_printf("Property '%s-accel.%s' not found", name, p->key);
        die(loc, msg);
    }
    return true;
}

/* Tries each accelerator in order; returns true when qtest was chosen. */
static bool select_accelerator(const EmuConfig *c)
{
    bool init_failed = false;

    for (guint i = 0; i < c->accels->len; i++) {
        const OptItem *it = g_ptr_array_index(c->accels, i);
        const char *name = opts_get(it->opts, "accel");

        if (!strcmp(name, "qtest") || !strcmp(name, "tcg")) {
            accel_check_props(it, name);
            if (init_failed && !c->qtest) {
                error_report("falling back to %s", name);
            }
            return !strcmp(name, "qtest");
        }
        /* kvm is never available here; anything else is unknown */
        if (strcmp(name, "kvm") != 0 || !c->qtest) {
            if (it->loc) {
                error_report("%s: invalid accelerator %s", it->loc, name);
            } else {
                error_report("invalid accelerator %s", name);
            }
        }
        init_failed = true;
    }
    if (!init_failed) {
        error_report("no accelerator found");
    }
    emu_exit_now(1);
}

static void start_qtest(const EmuConfig *c, bool qtest_accel)
{
    GError *err = NULL;
    Chardev *chr;

    if (!c->qtest) {
        return;
    }
    if (g_str_has_prefix(c->qtest, "mon:")) {
        error_report("mon: isn't supported in this context");
        chr = NULL;
    } else {
        chr = chardev_new_legacy(c->qtest, "qtest", &err);
        if (!chr) {
            error_report("%s", err->message);
            g_error_free(err);
        }
    }
    if (!chr) {
        error_report("Failed to initialize device for qtest: \"%s\"", c->qtest);
        emu_exit_now(1);
    }
    if (!qtest_server_new(chr, c->qtest_log, qtest_accel, &err)) {
        die_err(NULL, err);
    }
}

/* -object: only "qtest" exists (qtest-protocol.md §1). */
static void create_objects(const EmuConfig *c, bool qtest_accel)
{
    for (guint i = 0; i < c->objects->len; i++) {
        const OptItem *it = g_ptr_array_index(c->objects, i);
        const char *type = opts_get(it->opts, "qom-type");
        const char *chr_id = opts_get(it->opts, "chardev");
        g_autofree char *msg = NULL;
        GError *err = NULL;
        Chardev *chr;

        if (!type) {
            die(it->loc, "Parameter 'qom-type' is missing");
        }
        if (strcmp(type, TYPE_QTEST) != 0) {
            msg = type_lookup(type)
                      ? g_strdup_printf("object type '%s' is not supported "
                                        "yet by benchtop",
                                        type)
                      : g_strdup_printf("invalid object type: %s", type);
            die(it->loc, msg);
        }
        if (!it->opts->id) {
            die(it->loc, "Parameter 'id' is missing");
        }
        if (!chr_id) {
            die(it->loc, "Parameter 'chardev' is missing");
        }
        chr = chardev_find(chr_id);
        if (!chr) {
            msg = g_strdup_printf("Device '%s' not found", chr_id);
            die(it->loc, msg);
        }
        if (!qtest_server_new(chr, opts_get(it->opts, "log"), qtest_accel,
                              &err)) {
            die_err(it->loc, err);
        }
    }
}

static void create_monitors(const EmuConfig *c)
{
    unsigned compat = 0;

    for (guint i = 0; i < c->monitors->len; i++) {
        const OptItem *it = g_ptr_array_index(c->monitors, i);
        GError *err = NULL;
        Chardev *chr;
        bool pretty = false;

        if (!strcmp(it->opt, "-mon")) {
            const char *id = opts_get(it->opts, "chardev");
            const char *mode = opts_get(it->opts, "mode");
            g_autofree char *msg = NULL;

            if (!id) {
                die(it->loc, "Parameter 'chardev' is missing");
            }
            if (mode && strcmp(mode, "readline") != 0 &&
                strcmp(mode, "control") != 0) {
                msg = g_strdup_printf("Parameter 'mode' does not accept "
                                      "value '%s'",
                                      mode);
                die(it->loc, msg);
            }
            if (!opts_get_bool(it->opts, "pretty", false, &pretty, &err)) {
                die_err(it->loc, err);
            }
            if (!mode || !strcmp(mode, "readline")) {
                die(it->loc, pretty ? "'pretty' is not compatible with HMP "
                                      "monitors"
                                    : "HMP monitors are not supported");
            }
            chr = chardev_find(id);
            if (!chr) {
                msg = g_strdup_printf("chardev \"%s\" not found", id);
                die(it->loc, msg);
            }
        } else if (!strcmp(it->opt, "-monitor")) {
            if (g_str_has_prefix(it->arg, "none")) {
                continue;
            }
            die(it->loc, "HMP monitors are not supported");
        } else {
            g_autofree char *label =
                g_strdup_printf("compat_monitor%u", compat++);

            pretty = !strcmp(it->opt, "-qmp-pretty");
            opts_set_location(it->loc);
            chr = chardev_new_legacy(it->arg, label, &err);
            opts_set_location(NULL);
            if (!chr) {
                g_autofree char *msg =
                    g_strdup_printf("parse error: %s", it->arg);

                error_report("%s: %s", it->loc, err->message);
                die(it->loc, msg);
            }
        }
        if (!qmp_monitor_new(chr, pretty, &err)) {
            die_err(it->loc, err);
        }
    }
}

/* -serial N backs UART N; defaults per cli.md §3.12 (no HMP monitor). */
static void create_serials(const EmuConfig *c)
{
    const char *def = NULL;

    for (guint i = 0; i < c->serials->len; i++) {
        const OptItem *it = g_ptr_array_index(c->serials, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);
        GError *err = NULL;
        Chardev *chr;

        if (!strcmp(it->arg, "none")) {
            machine_set_serial(i, NULL);
            continue;
        }
        opts_set_location(it->loc);
        chr = chardev_new_legacy(it->arg, label, &err);
        opts_set_location(NULL);
        if (!chr) {
            g_autofree char *msg = g_strdup_printf(
                "could not connect serial device to character backend '%s'",
                it->arg);

            /* QEMU reports a missing chardev:ID with the second line only */
            if (!g_str_has_prefix(it->arg, "chardev:")) {
                error_report("%s: %s", it->loc, err->message);
            }
            g_error_free(err);
            die(it->loc, msg);
        }
        machine_set_serial(i, chardev_id(chr));
    }
    if (c->serials->len || c->nodefaults) {
        return;
    }
    /* QEMU's default is an invisible vc; ours is null */
    def = c->nographic ? "stdio" : "null";
    {
        GError *err = NULL;
        Chardev *chr = chardev_new_legacy(def, "serial0", &err);

        if (!chr) {
            g_autofree char *msg = g_strdup_printf(
                "could not connect serial device to character backend '%s'",
                def);

            error_report("-serial %s: %s", def, err->message);
            die(NULL, msg);
        }
        machine_set_serial(0, chardev_id(chr));
    }
}

static void check_cpu(const EmuConfig *c)
{
    g_autofree char *model = NULL;
    g_autofree char *msg = NULL;

    if (!c->cpu) {
        return;
    }
    model = g_strndup(c->cpu, strcspn(c->cpu, ","));
    if (!g_strv_contains(main_cpu_models, model)) {
        msg = g_strdup_printf("unable to find CPU model '%s'", model);
        die(NULL, msg);
    }
}

static void apply_globals(const EmuConfig *c)
{
    for (guint i = 0; i < c->globals->len; i++) {
        const OptItem *it = g_ptr_array_index(c->globals, i);
        const char *driver = opts_get(it->opts, "driver");

        if (!type_lookup(driver)) {
            warn_report("global %s.%s has invalid class name", driver,
                        opts_get(it->opts, "property"));
        }
        machine_add_global(driver, opts_get(it->opts, "property"),
                           opts_get(it->opts, "value"));
    }
}

/*
 * "Machine done" (cli.md §4): the board loads its boot images and places
 * the device tree; -machine dumpdtb=FILE then ends the run.
 */
static void machine_done(Machine *m)
{
    const MachineClass *mc = MACHINE_GET_CLASS(m);
    GError *err = NULL;

    if (mc->done && !mc->done(m, &err)) {
        die_err(NULL, err);
    }
    if (m->dtb_dumped) {
        fprintf(stderr, "%s: info: dtb dumped to %s. Exiting.\n",
                log_progname(), m->dumpdtb);
        emu_exit_now(0);
    }
}

static int main_run(EmuConfig *c)
{
    static const LoopHooks hooks = {
        .reset = main_reset,
        .event = main_event,
        .before_exit = main_before_exit,
    };
    const MachineClass *mc;
    Machine *m;
    GError *err = NULL;
    unsigned cpus = 1;
    bool qtest_accel;

    loop_set_hooks(&hooks);
    signal(SIGPIPE, SIG_IGN);
    if (c->exit_with_parent) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
    }
    qmp_set_name(c->name);

    /* -d / -D */
    if (c->log_items) {
        unsigned mask = 0;

        if (is_help(c->log_items) || !log_parse_items(c->log_items, &mask)) {
            log_print_items();
            emu_exit_now(1);
        }
        log_set_mask(mask);
    }
    if (c->log_file && !log_set_file(c->log_file, &err)) {
        die_err(NULL, err);
    }

    /* help requests: -cpu help wins over -device help */
    type_register_all();
    if (c->cpu && is_help(c->cpu)) {
        for (const char *const *p = main_cpu_models; *p; p++) {
            printf("%s\n", *p);
        }
        emu_exit_now(0);
    }
    handle_device_help(c);
    if (c->pidfile) {
        write_pidfile(c->pidfile);
    }

    /* machine type */
    mc = c->machine_type ? machine_class_find(c->machine_type)
                         : machine_class_default();
    if (c->machine_help) {
        handle_machine_help(c, mc);
    }
    if (!mc) {
        die(NULL, c->machine_type ? "unsupported machine type\n"
                                    "Use -machine help to list supported "
                                    "machines"
                                  : "No machine specified, and there is no "
                                    "default\nUse -machine help to list "
                                    "supported machines");
    }
    m = machine_new(mc, c->machine_props, &err);
    if (!m) {
        die_err(NULL, err);
    }
    m->kernel = g_strdup(c->kernel);
    m->initrd = g_strdup(c->initrd);
    m->append = g_strdup(c->append);
    m->dtb = g_strdup(c->dtb);
    m->firmware = g_strdup(c->bios);
    m->dumpdtb = g_strdup(c->dumpdtb);

    create_chardevs(c);
    for (guint i = 0; i < c->drives->len; i++) {
        const OptItem *it = g_ptr_array_index(c->drives, i);

        die(it->loc, it->opts ? "option not supported yet by benchtop"
                              : "disk images are not supported yet by "
                                "benchtop");
    }

    qtest_accel = select_accelerator(c);
    loop_set_qtest_clock(qtest_accel);
    main_qtest_active = c->qtest != NULL;
    start_qtest(c, qtest_accel);
    create_objects(c, qtest_accel);

    qmp_register_builtin_commands();
    qmp_register_regmap_commands();
    qtest_register_regmap_commands();
    create_monitors(c);
    create_serials(c);
    check_cpu(c);
    if (!emu_config_smp(c, mc->machine_name, mc->max_cpus, &cpus, &err)) {
        die_err(NULL, err);
    }
    apply_globals(c);
    if (!machine_init_board(m, c->ram_size, cpus, &err)) {
        die_err(NULL, err);
    }
    for (guint i = 0; i < c->devices->len; i++) {
        const OptItem *it = g_ptr_array_index(c->devices, i);

        if (!machine_add_device(m, it->opts, &err)) {
            die_err(it->loc, err);
        }
    }
    machine_done(m);
    if (!qtest_accel && riscv_hart_count() > 0 &&
        !accel_tcg_ops.init(m, &err)) {
        die_err(NULL, err);
    }

    g_unix_signal_add(SIGTERM, main_signal, GINT_TO_POINTER(SIGTERM));
    g_unix_signal_add(SIGINT, main_signal, GINT_TO_POINTER(SIGINT));
    g_unix_signal_add(SIGHUP, main_signal, GINT_TO_POINTER(SIGHUP));
    loop_set_no_reboot(c->no_reboot);
    loop_set_no_shutdown(c->no_shutdown);
    clock_set_enabled(false);
    if (!c->start_paused) {
        vm_start();
    }
    return loop_run();
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    EmuConfig *c = emu_config_new();
    int status;

    log_set_progname(argv[0]);
    if (!emu_config_parse(c, argc, argv, &err)) {
        error_report("%s", err->message);
        return 1;
    }
    if (c->action == EMU_ACTION_EXIT) {
        fputs(c->out->str, stdout);
        fflush(stdout);
        return c->exit_status;
    }
    status = main_run(c);
    emu_exit_now(status);
}
