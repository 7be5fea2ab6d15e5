/* SPDX-License-Identifier: MIT */
/*
 * The command line: QEMU 7.2's option table, argv rules and per-option
 * argument syntax (cli.md §1-§3), producing an EmuConfig.
 *
 * Pass 1 only looks every word up (unknown option, missing argument,
 * option of another target); pass 2 handles the options left to right.
 * -version and -h act when pass 2 reaches them.  Options QEMU has but
 * Benchtop does not implement fail with "option not supported yet by
 * benchtop" instead of being ignored.
 */
#include "emu/options.h"

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchtop-config.h"
#include "emu/log.h"
#include "emu/object.h"
#include "emu/opts.h"

typedef enum OptKind {
    K_MACHINE,
    K_CPU,
    K_ACCEL,
    K_ENABLE_KVM,
    K_SMP,
    K_MEM,
    K_BIOS,
    K_KERNEL,
    K_INITRD,
    K_APPEND,
    K_DTB,
    K_CHARDEV,
    K_DEVICE,
    K_SERIAL,
    K_MON,
    K_QMP,
    K_QMP_PRETTY,
    K_MONITOR,
    K_DRIVE,
    K_GLOBAL,
    K_OBJECT,
    K_QTEST,
    K_QTEST_LOG,
    K_STOP,
    K_NOGRAPHIC,
    K_NODEFAULTS,
    K_NO_REBOOT,
    K_NO_SHUTDOWN,
    K_DISPLAY,
    K_VGA,
    K_NAME,
    K_LOG_ITEMS,
    K_LOG_FILE,
    K_PIDFILE,
    K_RUN_WITH,
    K_AUDIO,
    K_RTC,
    K_DATA_DIR,
    K_VERSION,
    K_HELP,
    K_ACTION,
    K_BOOT,
    K_IGNORE,       /* accepted, no effect here (-trace, -no-user-config) */
    K_UNSUPPORTED,  /* QEMU has it, Benchtop does not (yet) */
    K_OTHER_TARGET, /* QEMU has it for other targets only */
} OptKind;

typedef struct OptDef {
    const char *name;
    bool has_arg;
    OptKind kind;
} OptDef;

/* QEMU 7.2's option names (qemu-options.hx) plus -run-with and -audio. */
static const OptDef opt_defs[] = {
    {"h", false, K_HELP},
    {"help", false, K_HELP},
    {"version", false, K_VERSION},
    {"machine", true, K_MACHINE},
    {"M", true, K_MACHINE},
    {"cpu", true, K_CPU},
    {"accel", true, K_ACCEL},
    {"enable-kvm", false, K_ENABLE_KVM},
    {"smp", true, K_SMP},
    {"m", true, K_MEM},
    {"bios", true, K_BIOS},
    {"kernel", true, K_KERNEL},
    {"initrd", true, K_INITRD},
    {"append", true, K_APPEND},
    {"dtb", true, K_DTB},
    {"chardev", true, K_CHARDEV},
    {"device", true, K_DEVICE},
    {"serial", true, K_SERIAL},
    {"mon", true, K_MON},
    {"qmp", true, K_QMP},
    {"qmp-pretty", true, K_QMP_PRETTY},
    {"monitor", true, K_MONITOR},
    {"drive", true, K_DRIVE},
    {"global", true, K_GLOBAL},
    {"object", true, K_OBJECT},
    {"qtest", true, K_QTEST},
    {"qtest-log", true, K_QTEST_LOG},
    {"S", false, K_STOP},
    {"nographic", false, K_NOGRAPHIC},
    {"nodefaults", false, K_NODEFAULTS},
    {"no-reboot", false, K_NO_REBOOT},
    {"no-shutdown", false, K_NO_SHUTDOWN},
    {"display", true, K_DISPLAY},
    {"vga", true, K_VGA},
    {"name", true, K_NAME},
    {"d", true, K_LOG_ITEMS},
    {"D", true, K_LOG_FILE},
    {"pidfile", true, K_PIDFILE},
    {"run-with", true, K_RUN_WITH},
    {"audio", true, K_AUDIO},
    {"rtc", true, K_RTC},
    {"L", true, K_DATA_DIR},
    {"action", true, K_ACTION},
    {"boot", true, K_BOOT},
    {"trace", true, K_IGNORE},
    {"no-user-config", false, K_IGNORE},
    {"snapshot", false, K_IGNORE},
    {"mem-prealloc", false, K_IGNORE},
    {"usb", false, K_IGNORE},
    {"msg", true, K_IGNORE},
    /* QEMU options Benchtop does not implement yet */
    {"numa", true, K_UNSUPPORTED},
    {"add-fd", true, K_UNSUPPORTED},
    {"set", true, K_UNSUPPORTED},
    {"mem-path", true, K_UNSUPPORTED},
    {"k", true, K_UNSUPPORTED},
    {"audiodev", true, K_UNSUPPORTED},
    {"audio-help", false, K_UNSUPPORTED},
    {"uuid", true, K_UNSUPPORTED},
    {"fda", true, K_UNSUPPORTED},
    {"fdb", true, K_UNSUPPORTED},
    {"hda", true, K_UNSUPPORTED},
    {"hdb", true, K_UNSUPPORTED},
    {"hdc", true, K_UNSUPPORTED},
    {"hdd", true, K_UNSUPPORTED},
    {"cdrom", true, K_UNSUPPORTED},
    {"blockdev", true, K_UNSUPPORTED},
    {"mtdblock", true, K_UNSUPPORTED},
    {"sd", true, K_UNSUPPORTED},
    {"pflash", true, K_UNSUPPORTED},
    {"fsdev", true, K_UNSUPPORTED},
    {"virtfs", true, K_UNSUPPORTED},
    {"virtfs_synth", false, K_UNSUPPORTED},
    {"iscsi", true, K_UNSUPPORTED},
    {"usbdevice", true, K_UNSUPPORTED},
    {"full-screen", false, K_UNSUPPORTED},
    {"alt-grab", false, K_UNSUPPORTED},
    {"ctrl-grab", false, K_UNSUPPORTED},
    {"no-quit", false, K_UNSUPPORTED},
    {"sdl", false, K_UNSUPPORTED},
    {"curses", false, K_UNSUPPORTED},
    {"spice", true, K_UNSUPPORTED},
    {"vnc", true, K_UNSUPPORTED},
    {"netdev", true, K_UNSUPPORTED},
    {"nic", true, K_UNSUPPORTED},
    {"net", true, K_UNSUPPORTED},
    {"tpmdev", true, K_UNSUPPORTED},
    {"fw_cfg", true, K_UNSUPPORTED},
    {"parallel", true, K_UNSUPPORTED},
    {"debugcon", true, K_UNSUPPORTED},
    {"daemonize", false, K_UNSUPPORTED},
    {"s", false, K_UNSUPPORTED},
    {"gdb", true, K_UNSUPPORTED},
    {"dfilter", true, K_UNSUPPORTED},
    {"seed", true, K_UNSUPPORTED},
    {"plugin", true, K_UNSUPPORTED},
    {"loadvm", true, K_UNSUPPORTED},
    {"option-rom", true, K_UNSUPPORTED},
    {"icount", true, K_UNSUPPORTED},
    {"watchdog-action", true, K_UNSUPPORTED},
    {"echr", true, K_UNSUPPORTED},
    {"incoming", true, K_UNSUPPORTED},
    {"only-migratable", false, K_UNSUPPORTED},
    {"chroot", true, K_UNSUPPORTED},
    {"runas", true, K_UNSUPPORTED},
    {"sandbox", true, K_UNSUPPORTED},
    {"readconfig", true, K_UNSUPPORTED},
    {"semihosting", false, K_UNSUPPORTED},
    {"semihosting-config", true, K_UNSUPPORTED},
    {"singlestep", false, K_UNSUPPORTED},
    {"preconfig", false, K_UNSUPPORTED},
    {"dump-vmstate", true, K_UNSUPPORTED},
    {"enable-sync-profile", false, K_UNSUPPORTED},
    {"overcommit", true, K_UNSUPPORTED},
    {"compat", true, K_UNSUPPORTED},
    {"xen-domid", true, K_UNSUPPORTED},
    {"xen-attach", false, K_UNSUPPORTED},
    {"xen-domid-restrict", false, K_UNSUPPORTED},
    /* options of other targets */
    {"no-hpet", false, K_OTHER_TARGET},
    {"no-acpi", false, K_OTHER_TARGET},
    {"win2k-hack", false, K_OTHER_TARGET},
    {"no-fd-bootchk", false, K_OTHER_TARGET},
    {"acpitable", true, K_OTHER_TARGET},
    {"smbios", true, K_OTHER_TARGET},
    {"prom-env", true, K_OTHER_TARGET},
    {"g", true, K_OTHER_TARGET},
    {"old-param", false, K_OTHER_TARGET},
    {"rotate", true, K_OTHER_TARGET},
};

/* A key of a fixed QemuOpts list, for "LIST options:" help. */
typedef struct OptKey {
    const char *name;
    const char *type; /* "str", "bool", "num", "size" */
} OptKey;

typedef struct OptList {
    const char *name;
    const OptKey *keys; /* NULL name ends; sorted by name */
} OptList;

static const OptKey chardev_keys[] = {
    {"abstract", "bool"},  {"append", "bool"},    {"backend", "str"},
    {"chardev", "str"},    {"clipboard", "bool"}, {"cols", "num"},
    {"debug", "num"},      {"delay", "bool"},     {"fd", "str"},
    {"height", "num"},     {"host", "str"},       {"ipv4", "bool"},
    {"ipv6", "bool"},      {"localaddr", "str"},  {"localport", "str"},
    {"logappend", "bool"}, {"logfile", "str"},    {"mouse", "bool"},
    {"mux", "bool"},       {"name", "str"},       {"nodelay", "bool"},
    {"path", "str"},       {"port", "str"},       {"reconnect", "num"},
    {"rows", "num"},       {"server", "bool"},    {"signal", "bool"},
    {"size", "size"},      {"telnet", "bool"},    {"tight", "bool"},
    {"tls-authz", "str"},  {"tls-creds", "str"},  {"tn3270", "bool"},
    {"to", "num"},         {"wait", "bool"},      {"websocket", "bool"},
    {"width", "num"},      {NULL, NULL},
};
static const OptKey memory_keys[] = {
    {"maxmem", "size"}, {"size", "size"}, {"slots", "num"}, {NULL, NULL}};
static const OptKey rtc_keys[] = {
    {"base", "str"}, {"clock", "str"}, {"driftfix", "str"}, {NULL, NULL}};
static const OptKey name_keys[] = {{"debug-threads", "bool"},
                                   {"guest", "str"},
                                   {"process", "str"},
                                   {NULL, NULL}};
static const OptKey mon_keys[] = {
    {"chardev", "str"}, {"mode", "str"}, {"pretty", "bool"}, {NULL, NULL}};
static const OptKey global_keys[] = {
    {"driver", "str"}, {"property", "str"}, {"value", "str"}, {NULL, NULL}};
static const OptKey action_keys[] = {{"panic", "str"},
                                     {"reboot", "str"},
                                     {"shutdown", "str"},
                                     {"watchdog", "str"},
                                     {NULL, NULL}};
static const OptKey run_with_keys[] = {
    {"async-teardown", "bool"}, {"exit-with-parent", "bool"}, {NULL, NULL}};
static const OptKey audio_keys[] = {
    {"driver", "str"}, {"model", "str"}, {NULL, NULL}};
static const OptKey smp_keys[] = {{"clusters", "num"}, {"cores", "num"},
                                  {"cpus", "num"},     {"dies", "num"},
                                  {"maxcpus", "num"},  {"sockets", "num"},
                                  {"threads", "num"},  {NULL, NULL}};

static const OptList chardev_list = {"chardev", chardev_keys};
static const OptList memory_list = {"memory", memory_keys};
static const OptList rtc_list = {"rtc", rtc_keys};
static const OptList name_list = {"name", name_keys};
static const OptList mon_list = {"mon", mon_keys};
static const OptList global_list = {"global", global_keys};
static const OptList action_list = {"action", action_keys};
static const OptList run_with_list = {"run-with", run_with_keys};
static const OptList audio_list = {"audio", audio_keys};

/* Parse state for one argv word. */
typedef struct OptCtx {
    EmuConfig *c;
    const OptDef *def;
    const char *arg;
    const char *loc;
} OptCtx;

static bool opt_error(GError **errp, const char *loc, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Sets "LOC: TEXT" (or "TEXT" when @loc is NULL); always returns false. */
static bool opt_error(GError **errp, const char *loc, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (loc) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC, "%s: %s", loc, msg);
    } else {
        g_set_error_literal(errp, EMU_ERROR, EMU_ERROR_GENERIC, msg);
    }
    return false;
}

/* Prefixes an error from a lower layer with @loc. */
static bool opt_error_prefix(GError **errp, const char *loc, GError *err)
{
    opt_error(errp, loc, "%s", err->message);
    g_error_free(err);
    return false;
}

static void opt_item_free(gpointer p)
{
    OptItem *it = p;

    g_free(it->arg);
    g_free(it->loc);
    opts_free(it->opts);
    g_free(it);
}

static OptItem *opt_item_new(const char *opt, const char *arg, const char *loc,
                             Opts *opts)
{
    OptItem *it = g_new0(OptItem, 1);

    it->opt = opt;
    it->arg = g_strdup(arg);
    it->loc = g_strdup(loc);
    it->opts = opts;
    return it;
}

/* The configuration emu_config_parse() filled last (emu_config_rtc()). */
static const EmuConfig *emu_config_last;

const Opts *emu_config_rtc(void)
{
    return emu_config_last ? emu_config_last->rtc_opts : NULL;
}

EmuConfig *emu_config_new(void)
{
    EmuConfig *c = g_new0(EmuConfig, 1);

    c->out = g_string_new(NULL);
    c->machine_props = opts_parse("", NULL, NULL);
    c->smp_opts = opts_parse("", NULL, NULL);
    c->rtc_opts = opts_parse("", NULL, NULL);
    c->accels = g_ptr_array_new_with_free_func(opt_item_free);
    c->chardevs = g_ptr_array_new_with_free_func(opt_item_free);
    c->devices = g_ptr_array_new_with_free_func(opt_item_free);
    c->serials = g_ptr_array_new_with_free_func(opt_item_free);
    c->monitors = g_ptr_array_new_with_free_func(opt_item_free);
    c->drives = g_ptr_array_new_with_free_func(opt_item_free);
    c->globals = g_ptr_array_new_with_free_func(opt_item_free);
    c->objects = g_ptr_array_new_with_free_func(opt_item_free);
    c->data_dirs = g_ptr_array_new_with_free_func(g_free);
    c->display = g_strdup("none");
    return c;
}

void emu_config_free(EmuConfig *c)
{
    if (!c) {
        return;
    }
    if (emu_config_last == c) {
        emu_config_last = NULL;
    }
    g_string_free(c->out, true);
    g_free(c->machine_type);
    opts_free(c->machine_props);
    opts_free(c->smp_opts);
    opts_free(c->rtc_opts);
    g_ptr_array_free(c->accels, true);
    g_ptr_array_free(c->chardevs, true);
    g_ptr_array_free(c->devices, true);
    g_ptr_array_free(c->serials, true);
    g_ptr_array_free(c->monitors, true);
    g_ptr_array_free(c->drives, true);
    g_ptr_array_free(c->globals, true);
    g_ptr_array_free(c->objects, true);
    g_ptr_array_free(c->data_dirs, true);
    g_free(c->cpu);
    g_free(c->kernel);
    g_free(c->initrd);
    g_free(c->append);
    g_free(c->dtb);
    g_free(c->bios);
    g_free(c->dumpdtb);
    g_free(c->qtest);
    g_free(c->qtest_log);
    g_free(c->display);
    g_free(c->vga);
    g_free(c->name);
    g_free(c->log_items);
    g_free(c->log_file);
    g_free(c->pidfile);
    g_free(c);
}

void emu_config_version_text(GString *out)
{
    g_string_append(
        out, "QEMU emulator version 7.2.0 (benchtop " BENCHTOP_VERSION ")\n"
             "Copyright (c) 2003-2022 Fabrice Bellard and the "
             "QEMU Project developers\n");
}

static void emu_config_help_text(GString *out)
{
    emu_config_version_text(out);
    g_string_append_printf(
        out,
        "usage: %s [options] [disk_image]\n"
        "\n"
        "'disk_image' is a raw hard disk image for IDE hard disk 0\n"
        "\n"
        "Standard options:\n"
        "-h or -help     display this help and exit\n"
        "-version        display version information and exit\n"
        "-machine [type=]name[,prop[=value][,...]]\n"
        "                selects emulated machine ('-machine help' for "
        "list)\n"
        "-cpu cpu        select CPU ('-cpu help' for list)\n"
        "-accel [accel=]accelerator[,prop[=value][,...]]\n"
        "                select accelerator ('-accel help' for list)\n"
        "-smp [[cpus=]n][,maxcpus=maxcpus][,sockets=sockets][,cores=cores]"
        "[,threads=threads]\n"
        "                set the number of initial CPUs to 'n'\n"
        "-m [size=]megs[,slots=n,maxmem=size]\n"
        "                configure guest RAM\n"
        "-name string1[,process=string2][,debug-threads=on|off]\n"
        "                set the name of the guest\n"
        "-device driver[,prop[=value][,...]]\n"
        "                add device (based on driver)\n"
        "                use '-device help' to print all possible drivers\n"
        "-global driver.property=value\n"
        "                set a global default for a driver property\n"
        "-rtc [base=utc|localtime|date][,clock=host|rt|vm]"
        "[,driftfix=none|slew]\n"
        "                set the RTC base and clock\n"
        "\n"
        "Display options:\n"
        "-display none   select display backend type (only 'none')\n"
        "-nographic      disable graphical output and redirect serial I/Os "
        "to console\n"
        "-vga none       no graphic card\n"
        "\n"
        "Boot Image or Kernel specific:\n"
        "-bios file      set the filename for the BIOS\n"
        "-kernel bzImage use 'bzImage' as kernel image\n"
        "-append cmdline use 'cmdline' as kernel command line\n"
        "-initrd file    use 'file' as initial ram disk\n"
        "-dtb    file    use 'file' as device tree image\n"
        "\n"
        "Character device options:\n"
        "-chardev backend,id=id[,...]\n"
        "                null, stdio, file, socket, ringbuf back ends\n"
        "\n"
        "Debug/Expert options:\n"
        "-serial dev     redirect the serial port to char device 'dev'\n"
        "-monitor none   no HMP monitor (HMP is not supported)\n"
        "-qmp dev        like -monitor but opens in 'control' mode\n"
        "-qmp-pretty dev like -qmp but uses pretty JSON formatting\n"
        "-mon [chardev=]name[,mode=control][,pretty[=on|off]]\n"
        "-pidfile file   write PID to 'file'\n"
        "-S              freeze CPU at startup (use 'c' to start execution)\n"
        "-L path         set the directory for the BIOS and VGA BIOS\n"
        "-d item1,...    enable logging of specified items (use '-d help' "
        "for a list of log items)\n"
        "-D logfile      output log to logfile (default stderr)\n"
        "-no-reboot      exit instead of rebooting\n"
        "-no-shutdown    stop before shutdown\n"
        "-action reboot=reset|shutdown,shutdown=poweroff|pause\n"
        "                action when guest reboots or shuts down\n"
        "-nodefaults     don't create default devices\n"
        "-run-with exit-with-parent=on|off\n"
        "                exit when the parent process exits\n"
        "-qtest dev      serve the qtest protocol on char device 'dev'\n"
        "-qtest-log file log the qtest protocol to 'file' ('none': no log)\n"
        "-object qtest,id=id,chardev=chr[,log=file]\n"
        "                qtest server as an object\n"
        "\n"
        "During emulation, the following keys are useful:\n"
        "ctrl-alt-f      toggle full screen\n"
        "ctrl-alt-n      switch to virtual console 'n'\n"
        "ctrl-alt        toggle mouse and keyboard grab\n"
        "\n"
        "When using -nographic, press 'ctrl-a h' to get some help.\n"
        "\n"
        "See <https://qemu.org/contribute/report-a-bug> for how to report "
        "bugs.\n"
        "More information on the QEMU project at <https://qemu.org>.\n",
        log_progname());
}

/* "LIST options:" then "  KEY=<TYPE>" per key (qemu_opts_print_help). */
static void opt_list_help(GString *out, const OptList *list)
{
    g_string_append_printf(out, "%s options:\n", list->name);
    for (const OptKey *k = list->keys; k->name; k++) {
        g_string_append_printf(out, "  %s=<%s>\n", k->name, k->type);
    }
}

/* Exit request after a QemuOpts help item: help on stdout, status 1. */
static bool opt_help_exit(OptCtx *x, const OptList *list, int status)
{
    opt_list_help(x->c->out, list);
    x->c->action = EMU_ACTION_EXIT;
    x->c->exit_status = status;
    return true;
}

static bool opt_keys_allowed(const Opts *o, const OptList *list,
                             const char *loc, GError **errp)
{
    for (guint i = 0; i < o->pairs->len; i++) {
        const char *key = g_array_index(o->pairs, OptsPair, i).key;
        bool found = false;

        for (const OptKey *k = list->keys; k->name; k++) {
            if (!strcmp(k->name, key)) {
                found = true;
                break;
            }
        }
        if (!found) {
            return opt_error(errp, loc, "Invalid parameter '%s'", key);
        }
    }
    return true;
}

/*
 * Parses a QemuOpts argument of a fixed list: keys checked, "help" prints
 * the list's keys.  Returns NULL with *@help_exit set when help was asked.
 */
static Opts *opt_parse_fixed(OptCtx *x, const OptList *list,
                             const char *implied, bool merge, bool *help_exit,
                             GError **errp)
{
    g_autoptr(Opts) o = NULL;
    GError *err = NULL;

    *help_exit = false;
    o = opts_parse(x->arg, implied, &err);
    if (!o) {
        opt_error_prefix(errp, x->loc, err);
        return NULL;
    }
    for (guint i = 0; i < o->pairs->len; i++) {
        if (!strcmp(g_array_index(o->pairs, OptsPair, i).key, "help")) {
            opt_help_exit(x, list, 1);
            *help_exit = true;
            return NULL;
        }
    }
    if (merge && o->id) {
        opt_error(errp, x->loc, "Invalid parameter 'id'");
        return NULL;
    }
    if (!opt_keys_allowed(o, list, x->loc, errp)) {
        return NULL;
    }
    return g_steal_pointer(&o);
}

/* Parses a QemuOpts argument of a list that accepts any key. */
static Opts *opt_parse_any(OptCtx *x, const char *implied, GError **errp)
{
    GError *err = NULL;
    Opts *o = opts_parse(x->arg, implied, &err);

    if (!o) {
        opt_error_prefix(errp, x->loc, err);
    }
    return o;
}

static bool opt_check_dup_id(GPtrArray *items, const Opts *o, const char *what,
                             const char *loc, GError **errp)
{
    if (!o->id) {
        return true;
    }
    for (guint i = 0; i < items->len; i++) {
        const OptItem *it = g_ptr_array_index(items, i);

        if (it->opts && it->opts->id && !strcmp(it->opts->id, o->id)) {
            return opt_error(errp, loc, "Duplicate ID '%s' for %s", o->id,
                             what);
        }
    }
    return true;
}

static void set_str(char **dst, const char *v)
{
    g_free(*dst);
    *dst = g_strdup(v);
}

static bool opt_machine(OptCtx *x, GError **errp)
{
    EmuConfig *c = x->c;
    GError *err = NULL;
    g_autoptr(Opts) o = opts_parse_keyval(x->arg, "type", &err);

    if (!o) {
        return opt_error_prefix(errp, x->loc, err);
    }
    for (guint i = 0; i < o->pairs->len; i++) {
        const OptsPair *p = &g_array_index(o->pairs, OptsPair, i);
        g_autofree char *key = g_strdup(p->key);

        g_strdelimit(key, "_", '-');
        if (!strcmp(key, "help")) {
            c->machine_help = true;
        } else if (!strcmp(key, "type")) {
            set_str(&c->machine_type, p->value);
        } else {
            opts_set(c->machine_props, key, p->value);
        }
    }
    return true;
}

static bool opt_accel(OptCtx *x, GError **errp)
{
    EmuConfig *c = x->c;
    Opts *o = opt_parse_any(x, "accel", errp);
    const char *name;

    if (!o) {
        return false;
    }
    name = opts_get(o, "accel");
    if (!name || !strcmp(name, "help") || !strcmp(name, "?")) {
        opts_free(o);
        g_string_append(c->out, "Accelerators supported in QEMU binary:\n"
                                "tcg\n");
        c->action = EMU_ACTION_EXIT;
        c->exit_status = 0;
        return true;
    }
    g_ptr_array_add(c->accels, opt_item_new("-accel", x->arg, x->loc, o));
    return true;
}

static bool opt_smp(OptCtx *x, GError **errp)
{
    GError *err = NULL;
    g_autoptr(Opts) o = opts_parse_keyval(x->arg, "cpus", &err);

    if (!o) {
        return opt_error_prefix(errp, x->loc, err);
    }
    if (opts_has(o, "help")) {
        static const OptList smp_list = {"smp-opts", smp_keys};

        return opt_help_exit(x, &smp_list, 0);
    }
    opts_merge(x->c->smp_opts, o);
    return true;
}

static bool opt_mem(OptCtx *x, Opts **mem, GError **errp)
{
    bool help = false;
    g_autoptr(Opts) o =
        opt_parse_fixed(x, &memory_list, "size", true, &help, errp);
    static const char *const size_keys[] = {"size", "maxmem"};

    if (!o) {
        return help;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(size_keys); i++) {
        const char *v = opts_get(o, size_keys[i]);
        GError *err = NULL;
        uint64_t sz;

        if (v && *v && !parse_size(v, 'B', &sz, &err)) {
            return opt_error_prefix(errp, x->loc, err);
        }
    }
    if (opts_has(o, "slots")) {
        uint64_t n;

        if (!parse_u64(opts_get(o, "slots"), &n)) {
            return opt_error(errp, x->loc,
                             "Parameter 'slots' expects a number");
        }
    }
    if (!*mem) {
        *mem = g_steal_pointer(&o);
    } else {
        opts_merge(*mem, o);
    }
    return true;
}

static bool opt_chardev(OptCtx *x, GError **errp)
{
    bool help = false;
    Opts *o = opt_parse_fixed(x, &chardev_list, "backend", false, &help, errp);

    if (!o) {
        return help;
    }
    if (!opt_check_dup_id(x->c->chardevs, o, "chardev", x->loc, errp)) {
        opts_free(o);
        return false;
    }
    g_ptr_array_add(x->c->chardevs,
                    opt_item_new("-chardev", x->arg, x->loc, o));
    return true;
}

static bool opt_device(OptCtx *x, GError **errp)
{
    Opts *o;

    if (x->arg[0] == '{') {
        return opt_error(errp, x->loc,
                         "JSON syntax for -device is not supported yet by "
                         "benchtop");
    }
    o = opt_parse_any(x, "driver", errp);
    if (!o) {
        return false;
    }
    if (!opt_check_dup_id(x->c->devices, o, "device", x->loc, errp)) {
        opts_free(o);
        return false;
    }
    g_ptr_array_add(x->c->devices, opt_item_new("-device", x->arg, x->loc, o));
    return true;
}

static bool opt_mon(OptCtx *x, GError **errp)
{
    bool help = false;
    Opts *o = opt_parse_fixed(x, &mon_list, "chardev", false, &help, errp);

    if (!o) {
        return help;
    }
    if (!opt_check_dup_id(x->c->monitors, o, "mon", x->loc, errp)) {
        opts_free(o);
        return false;
    }
    g_ptr_array_add(x->c->monitors, opt_item_new("-mon", x->arg, x->loc, o));
    return true;
}

static bool opt_drive(OptCtx *x, GError **errp)
{
    Opts *o = opt_parse_any(x, NULL, errp);

    if (!o) {
        return false;
    }
    if (!opt_check_dup_id(x->c->drives, o, "drive", x->loc, errp)) {
        opts_free(o);
        return false;
    }
    g_ptr_array_add(x->c->drives, opt_item_new("-drive", x->arg, x->loc, o));
    return true;
}

/* -global DRIVER.PROP=VALUE or driver=D,property=P,value=V */
static bool opt_global(OptCtx *x, GError **errp)
{
    const char *arg = x->arg;
    size_t dlen = strcspn(arg, ".=");
    Opts *o;

    if (dlen > 0 && dlen < 64 && arg[dlen] == '.') {
        const char *prop = arg + dlen + 1;
        size_t plen = strcspn(prop, "=");

        if (plen > 0 && plen < 64 && prop[plen] == '=') {
            g_autofree char *driver = g_strndup(arg, dlen);
            g_autofree char *property = g_strndup(prop, plen);

            o = opts_parse("", NULL, NULL);
            opts_set(o, "driver", driver);
            opts_set(o, "property", property);
            opts_set(o, "value", prop + plen + 1);
            g_ptr_array_add(x->c->globals,
                            opt_item_new("-global", x->arg, x->loc, o));
            return true;
        }
    }
    {
        bool help = false;

        o = opt_parse_fixed(x, &global_list, NULL, false, &help, errp);
        if (!o) {
            return help;
        }
    }
    if (!opts_has(o, "driver") || !opts_has(o, "property") ||
        !opts_has(o, "value")) {
        opts_free(o);
        return opt_error(errp, x->loc,
                         "options 'driver', 'property', and 'value' are "
                         "required");
    }
    g_ptr_array_add(x->c->globals, opt_item_new("-global", x->arg, x->loc, o));
    return true;
}

static bool opt_object(OptCtx *x, GError **errp)
{
    Opts *o;

    if (x->arg[0] == '{') {
        return opt_error(errp, x->loc,
                         "JSON syntax for -object is not supported yet by "
                         "benchtop");
    }
    o = opt_parse_any(x, "qom-type", errp);
    if (!o) {
        return false;
    }
    if (!opt_check_dup_id(x->c->objects, o, "object", x->loc, errp)) {
        opts_free(o);
        return false;
    }
    g_ptr_array_add(x->c->objects, opt_item_new("-object", x->arg, x->loc, o));
    return true;
}

static bool opt_display(OptCtx *x, GError **errp)
{
    static const char *const known[] = {"gtk",       "sdl",     "egl-headless",
                                        "curses",    "cocoa",   "dbus",
                                        "spice-app", "default", NULL};
    GError *err = NULL;
    g_autoptr(Opts) o = NULL;
    const char *type;

    if (!strcmp(x->arg, "help") || !strcmp(x->arg, "?")) {
        g_string_append(x->c->out, "Available display backend types:\nnone\n");
        x->c->action = EMU_ACTION_EXIT;
        x->c->exit_status = 0;
        return true;
    }
    if (!strcmp(x->arg, "vnc") || g_str_has_prefix(x->arg, "vnc,")) {
        return opt_error(errp, x->loc,
                         "VNC requires a display argument vnc=<display>");
    }
    if (g_str_has_prefix(x->arg, "vnc=")) {
        return opt_error(errp, x->loc,
                         "display 'vnc' is not supported yet by benchtop");
    }
    o = opts_parse_keyval(x->arg, "type", &err);
    if (!o) {
        return opt_error_prefix(errp, x->loc, err);
    }
    type = opts_get(o, "type");
    if (!type) {
        return opt_error(errp, x->loc, "Parameter 'type' is missing");
    }
    if (g_strv_contains(known, type)) {
        return opt_error(errp, x->loc,
                         "display '%s' is not supported yet by benchtop", type);
    }
    if (strcmp(type, "none") != 0) {
        return opt_error(errp, x->loc,
                         "Parameter 'type' does not accept value '%s'", type);
    }
    for (guint i = 0; i < o->pairs->len; i++) {
        const char *key = g_array_index(o->pairs, OptsPair, i).key;

        if (strcmp(key, "type") != 0) {
            return opt_error(errp, x->loc, "Parameter '%s' is unexpected", key);
        }
    }
    set_str(&x->c->display, "none");
    return true;
}

static bool opt_name(OptCtx *x, Opts **name_opts, GError **errp)
{
    bool help = false;
    g_autoptr(Opts) o =
        opt_parse_fixed(x, &name_list, "guest", true, &help, errp);
    GError *err = NULL;
    bool dt;

    if (!o) {
        return help;
    }
    if (!opts_get_bool(o, "debug-threads", false, &dt, &err)) {
        return opt_error_prefix(errp, x->loc, err);
    }
    if (!*name_opts) {
        *name_opts = g_steal_pointer(&o);
    } else {
        opts_merge(*name_opts, o);
    }
    set_str(&x->c->name, opts_get(*name_opts, "guest"));
    return true;
}

static bool opt_run_with(OptCtx *x, GError **errp)
{
    bool help = false;
    g_autoptr(Opts) o =
        opt_parse_fixed(x, &run_with_list, NULL, true, &help, errp);
    GError *err = NULL;
    bool v;

    if (!o) {
        return help;
    }
    if (!opts_get_bool(o, "async-teardown", false, &v, &err) ||
        !opts_get_bool(o, "exit-with-parent", x->c->exit_with_parent, &v,
                       &err)) {
        return opt_error_prefix(errp, x->loc, err);
    }
    x->c->exit_with_parent = v;
    return true;
}

static bool opt_audio(OptCtx *x, GError **errp)
{
    bool help = false;
    g_autoptr(Opts) o =
        opt_parse_fixed(x, &audio_list, "driver", false, &help, errp);
    const char *drv;

    if (!o) {
        return help;
    }
    drv = opts_get(o, "driver");
    if (!drv || strcmp(drv, "none") != 0 || opts_has(o, "model")) {
        return opt_error(errp, x->loc,
                         "only '-audio none' is supported by benchtop");
    }
    return true;
}

static bool opt_rtc(OptCtx *x, GError **errp)
{
    bool help = false;
    g_autoptr(Opts) o = opt_parse_fixed(x, &rtc_list, NULL, true, &help, errp);

    if (!o) {
        return help;
    }
    opts_merge(x->c->rtc_opts, o);
    return true;
}

static bool opt_action(OptCtx *x, GError **errp)
{
    static const struct {
        const char *key;
        const char *values[8];
    } allowed[] = {
        {"reboot", {"reset", "shutdown", NULL}},
        {"shutdown", {"poweroff", "pause", NULL}},
        {"panic", {"pause", "shutdown", "exit-failure", "none", NULL}},
        {"watchdog",
         {"reset", "shutdown", "poweroff", "pause", "debug", "none",
          "inject-nmi", NULL}},
    };
    bool help = false;
    g_autoptr(Opts) o =
        opt_parse_fixed(x, &action_list, NULL, false, &help, errp);

    if (!o) {
        return help;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(allowed); i++) {
        const char *v = opts_get(o, allowed[i].key);

        if (v && !g_strv_contains(allowed[i].values, v)) {
            return opt_error(errp, x->loc,
                             "Parameter '%s' does not accept value '%s'",
                             allowed[i].key, v);
        }
    }
    if (opts_has(o, "reboot")) {
        x->c->no_reboot = !strcmp(opts_get(o, "reboot"), "shutdown");
    }
    if (opts_has(o, "shutdown")) {
        x->c->no_shutdown = !strcmp(opts_get(o, "shutdown"), "pause");
    }
    return true;
}

static bool opt_boot(OptCtx *x, GError **errp)
{
    GError *err = NULL;
    g_autoptr(Opts) o = opts_parse_keyval(x->arg, "order", &err);

    if (!o) {
        return opt_error_prefix(errp, x->loc, err);
    }
    return true; /* boot order means nothing on virt */
}

/* Looks up argv[*i]; on success advances *i past the option (and arg). */
static bool opt_lookup(int argc, char **argv, int *i, const OptDef **def,
                       const char **arg, char **loc, GError **errp)
{
    const char *r = argv[*i];
    const char *name;

    if (r[1] == '-') {
        r++;
    }
    name = r + 1;
    *def = NULL;
    for (size_t k = 0; k < G_N_ELEMENTS(opt_defs); k++) {
        if (!strcmp(opt_defs[k].name, name)) {
            *def = &opt_defs[k];
            break;
        }
    }
    if (!*def) {
        return opt_error(errp, argv[*i], "invalid option");
    }
    if ((*def)->has_arg) {
        if (*i + 1 >= argc) {
            return opt_error(errp, argv[*i], "requires an argument");
        }
        *arg = argv[*i + 1];
        *loc = g_strdup_printf("%s %s", argv[*i], *arg);
        *i += 2;
    } else {
        *arg = NULL;
        *loc = g_strdup(argv[*i]);
        *i += 1;
    }
    return true;
}

/* State kept only while parsing. */
typedef struct ParseState {
    Opts *mem;
    Opts *name;
    char *machine_accel;
} ParseState;

static bool opt_handle(OptCtx *x, ParseState *ps, GError **errp)
{
    EmuConfig *c = x->c;

    switch (x->def->kind) {
    case K_MACHINE:
        return opt_machine(x, errp);
    case K_CPU:
        set_str(&c->cpu, x->arg);
        return true;
    case K_ACCEL:
        return opt_accel(x, errp);
    case K_ENABLE_KVM:
        set_str(&ps->machine_accel, "kvm");
        return true;
    case K_SMP:
        return opt_smp(x, errp);
    case K_MEM:
        return opt_mem(x, &ps->mem, errp);
    case K_BIOS:
        opts_set(c->machine_props, "firmware", x->arg);
        return true;
    case K_KERNEL:
        opts_set(c->machine_props, "kernel", x->arg);
        return true;
    case K_INITRD:
        opts_set(c->machine_props, "initrd", x->arg);
        return true;
    case K_APPEND:
        opts_set(c->machine_props, "append", x->arg);
        return true;
    case K_DTB:
        opts_set(c->machine_props, "dtb", x->arg);
        return true;
    case K_CHARDEV:
        return opt_chardev(x, errp);
    case K_DEVICE:
        return opt_device(x, errp);
    case K_SERIAL:
        g_ptr_array_add(c->serials,
                        opt_item_new("-serial", x->arg, x->loc, NULL));
        return true;
    case K_MON:
        return opt_mon(x, errp);
    case K_QMP:
        g_ptr_array_add(c->monitors,
                        opt_item_new("-qmp", x->arg, x->loc, NULL));
        return true;
    case K_QMP_PRETTY:
        g_ptr_array_add(c->monitors,
                        opt_item_new("-qmp-pretty", x->arg, x->loc, NULL));
        return true;
    case K_MONITOR:
        g_ptr_array_add(c->monitors,
                        opt_item_new("-monitor", x->arg, x->loc, NULL));
        return true;
    case K_DRIVE:
        return opt_drive(x, errp);
    case K_GLOBAL:
        return opt_global(x, errp);
    case K_OBJECT:
        return opt_object(x, errp);
    case K_QTEST:
        set_str(&c->qtest, x->arg);
        return true;
    case K_QTEST_LOG:
        set_str(&c->qtest_log, x->arg);
        return true;
    case K_STOP:
        c->start_paused = true;
        return true;
    case K_NOGRAPHIC:
        c->nographic = true;
        set_str(&c->display, "none");
        opts_set(c->machine_props, "graphics", "off");
        return true;
    case K_NODEFAULTS:
        c->nodefaults = true;
        return true;
    case K_NO_REBOOT:
        c->no_reboot = true;
        return true;
    case K_NO_SHUTDOWN:
        c->no_shutdown = true;
        return true;
    case K_DISPLAY:
        return opt_display(x, errp);
    case K_VGA:
        set_str(&c->vga, x->arg);
        return true;
    case K_NAME:
        return opt_name(x, &ps->name, errp);
    case K_LOG_ITEMS:
        set_str(&c->log_items, x->arg);
        return true;
    case K_LOG_FILE:
        set_str(&c->log_file, x->arg);
        return true;
    case K_PIDFILE:
        set_str(&c->pidfile, x->arg);
        return true;
    case K_RUN_WITH:
        return opt_run_with(x, errp);
    case K_AUDIO:
        return opt_audio(x, errp);
    case K_RTC:
        return opt_rtc(x, errp);
    case K_DATA_DIR:
        g_ptr_array_add(c->data_dirs, g_strdup(x->arg));
        return true;
    case K_VERSION:
        emu_config_version_text(c->out);
        c->action = EMU_ACTION_EXIT;
        c->exit_status = 0;
        return true;
    case K_HELP:
        emu_config_help_text(c->out);
        c->action = EMU_ACTION_EXIT;
        c->exit_status = 0;
        return true;
    case K_ACTION:
        return opt_action(x, errp);
    case K_BOOT:
        return opt_boot(x, errp);
    case K_IGNORE:
        return true;
    case K_UNSUPPORTED:
        return opt_error(errp, x->loc, "option not supported yet by benchtop");
    case K_OTHER_TARGET:
        return opt_error(errp, x->loc, "Option not supported for this target");
    }
    g_assert_not_reached();
}

/* RAM size from the merged -m options (vl.c parse_memory_options). */
static bool finish_memory(EmuConfig *c, const Opts *mem, GError **errp)
{
    const char *v = mem ? opts_get(mem, "size") : NULL;
    uint64_t sz;
    size_t len;

    if (!v) {
        const char *msz = opts_get(c->machine_props, "memory.size");
        GError *err = NULL;

        if (msz) {
            if (!parse_size(msz, 'B', &sz, &err)) {
                g_propagate_error(errp, err);
                return false;
            }
            c->ram_size = sz;
        }
        return true;
    }
    len = strlen(v);
    if (!len) {
        return opt_error(errp, NULL, "missing 'size' option value");
    }
    if (!parse_size(v, 'B', &sz, errp)) {
        return false;
    }
    if (g_ascii_isdigit(v[len - 1])) {
        /* legacy suffix-less form: MiB */
        if (g_ascii_strncasecmp(v, "0x", 2) == 0) {
            warn_report("Using a multiplier suffix on hex numbers is "
                        "deprecated: %s",
                        v);
        }
        if (sz > UINT64_MAX / (1024ull * 1024)) {
            return opt_error(errp, NULL, "too large 'size' option value");
        }
        sz *= 1024ull * 1024;
    }
    c->ram_size = sz;
    return true;
}

static bool rtc_base_valid(const char *base)
{
    int y, mo, d, h, mi, s;
    char tail;

    if (!strcmp(base, "utc") || !strcmp(base, "localtime")) {
        return true;
    }
    if (sscanf(base, "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &s, &tail) ==
        6) {
        return true;
    }
    return sscanf(base, "%d-%d-%d%c", &y, &mo, &d, &tail) == 3;
}

static bool finish_rtc(EmuConfig *c, GError **errp)
{
    static const char *const clocks[] = {"host", "rt", "vm", NULL};
    static const char *const drift[] = {"slew", "none", NULL};
    const char *base = opts_get(c->rtc_opts, "base");
    const char *clock = opts_get(c->rtc_opts, "clock");
    const char *driftfix = opts_get(c->rtc_opts, "driftfix");

    if (base && !rtc_base_valid(base)) {
        return opt_error(errp, NULL,
                         "invalid datetime format\n"
                         "valid formats: '2006-06-17T16:01:21' or "
                         "'2006-06-17'");
    }
    if (clock && !g_strv_contains(clocks, clock)) {
        return opt_error(errp, NULL, "invalid option value '%s'", clock);
    }
    if (driftfix && !g_strv_contains(drift, driftfix)) {
        return opt_error(errp, NULL, "invalid option value '%s'", driftfix);
    }
    return true;
}

static bool finish_vga(EmuConfig *c, GError **errp)
{
    static const char *const types[] = {"std", "cirrus", "vmware",
                                        "qxl", "xenfb",  "tcx",
                                        "cg3", "virtio", NULL};

    if (!c->vga || !strcmp(c->vga, "none")) {
        return true;
    }
    if (g_strv_contains(types, c->vga)) {
        warn_report("A -vga option was passed but this machine type does not "
                    "use that option; No VGA device has been created");
        return true;
    }
    return opt_error(errp, NULL, "unknown vga type: %s", c->vga);
}

/* Moves a machine property into a config field. */
static void take_prop(EmuConfig *c, const char *key, char **dst)
{
    const char *v = opts_get(c->machine_props, key);
    GArray *pairs = c->machine_props->pairs;

    if (!v) {
        return;
    }
    set_str(dst, v);
    for (guint i = pairs->len; i > 0; i--) {
        OptsPair *p = &g_array_index(pairs, OptsPair, i - 1);

        if (!strcmp(p->key, key)) {
            g_free(p->key);
            g_free(p->value);
            g_array_remove_index(pairs, i - 1);
        }
    }
}

static bool finish_accels(EmuConfig *c, const char *machine_accel,
                          GError **errp)
{
    if (machine_accel) {
        g_auto(GStrv) names = NULL;

        if (c->accels->len) {
            return opt_error(errp, NULL,
                             "The -accel and \"-machine accel=\" options are "
                             "incompatible");
        }
        names = g_strsplit(machine_accel, ":", -1);
        for (char **n = names; *n; n++) {
            Opts *o = opts_parse("", NULL, NULL);

            opts_set(o, "accel", *n);
            g_ptr_array_add(c->accels, opt_item_new("-machine", *n, NULL, o));
        }
    }
    if (!c->accels->len) {
        Opts *o = opts_parse("", NULL, NULL);

        opts_set(o, "accel", "tcg");
        g_ptr_array_add(c->accels, opt_item_new("-accel", "tcg", NULL, o));
    }
    return true;
}

static bool emu_config_finish(EmuConfig *c, ParseState *ps, GError **errp)
{
    g_autofree char *accel = NULL;

    take_prop(c, "kernel", &c->kernel);
    take_prop(c, "initrd", &c->initrd);
    take_prop(c, "append", &c->append);
    take_prop(c, "dtb", &c->dtb);
    take_prop(c, "firmware", &c->bios);
    take_prop(c, "dumpdtb", &c->dumpdtb);
    take_prop(c, "accel", &accel);
    if (!c->kernel && c->append && *c->append) {
        return opt_error(errp, NULL,
                         "-append only allowed with -kernel option");
    }
    if (!c->kernel && c->initrd) {
        return opt_error(errp, NULL,
                         "-initrd only allowed with -kernel option");
    }
    if (!finish_rtc(c, errp) || !finish_memory(c, ps->mem, errp)) {
        return false;
    }
    {
        g_autofree char *msize = NULL;

        take_prop(c, "memory.size", &msize);
    }
    if (!finish_vga(c, errp)) {
        return false;
    }
    return finish_accels(c, ps->machine_accel ? ps->machine_accel : accel,
                         errp);
}

bool emu_config_parse(EmuConfig *c, int argc, char **argv, GError **errp)
{
    ParseState ps = {0};
    bool ok = false;
    int i;

    emu_config_last = c;

    /* pass 1: every option known, every argument present */
    for (i = 1; i < argc;) {
        const OptDef *def;
        const char *arg;
        g_autofree char *loc = NULL;

        if (argv[i][0] != '-') {
            i++;
            continue;
        }
        if (!opt_lookup(argc, argv, &i, &def, &arg, &loc, errp)) {
            return false;
        }
        if (def->kind == K_OTHER_TARGET) {
            return opt_error(errp, loc, "Option not supported for this target");
        }
    }

    /* pass 2: left to right */
    for (i = 1; i < argc;) {
        OptCtx x = {.c = c};
        g_autofree char *loc = NULL;
        bool r;

        if (argv[i][0] != '-') {
            /* a disk image: -drive file=WORD,index=0,media=disk */
            g_ptr_array_add(c->drives,
                            opt_item_new("-drive", argv[i], argv[i], NULL));
            i++;
            continue;
        }
        opt_lookup(argc, argv, &i, &x.def, &x.arg, &loc, NULL);
        x.loc = loc;
        opts_set_location(loc);
        r = opt_handle(&x, &ps, errp);
        opts_set_location(NULL);
        if (!r) {
            goto out;
        }
        if (c->action == EMU_ACTION_EXIT) {
            ok = true;
            goto out;
        }
    }
    ok = emu_config_finish(c, &ps, errp);
out:
    opts_free(ps.mem);
    opts_free(ps.name);
    g_free(ps.machine_accel);
    return ok;
}

/* Reads one -smp member; 0 when absent. */
static bool smp_get(const Opts *o, const char *key, uint64_t *v,
                    bool *zero_seen, GError **errp)
{
    const char *s = opts_get(o, key);

    *v = 0;
    if (!s) {
        return true;
    }
    if (!parse_u64(s, v)) {
        return opt_error(errp, NULL, "Parameter 'smp.%s' expects integer", key);
    }
    if (*v == 0) {
        *zero_seen = true;
    }
    return true;
}

/* Division that a wrapped-around product of huge values cannot trap. */
static uint64_t smp_div(uint64_t a, uint64_t b)
{
    return b ? a / b : 0;
}

bool emu_config_smp(const EmuConfig *c, const char *machine_name,
                    unsigned max_cpus, unsigned *cpus_out, GError **errp)
{
    const Opts *o = c->smp_opts;
    uint64_t cpus, sockets, dies, clusters, cores, threads, maxcpus;
    bool zero = false;

    for (guint i = 0; i < o->pairs->len; i++) {
        const char *key = g_array_index(o->pairs, OptsPair, i).key;
        bool known = false;

        for (const OptKey *k = smp_keys; k->name; k++) {
            known = known || !strcmp(k->name, key);
        }
        if (!known) {
            return opt_error(errp, NULL, "Parameter 'smp.%s' is unexpected",
                             key);
        }
    }
    if (!smp_get(o, "cpus", &cpus, &zero, errp) ||
        !smp_get(o, "sockets", &sockets, &zero, errp) ||
        !smp_get(o, "dies", &dies, &zero, errp) ||
        !smp_get(o, "clusters", &clusters, &zero, errp) ||
        !smp_get(o, "cores", &cores, &zero, errp) ||
        !smp_get(o, "threads", &threads, &zero, errp) ||
        !smp_get(o, "maxcpus", &maxcpus, &zero, errp)) {
        return false;
    }
    if (zero) {
        warn_report("Deprecated CPU topology (considered invalid): CPU "
                    "topology parameters must be greater than zero");
    }
    /* Neither of our machines has dies or clusters. */
    if (dies > 1) {
        return opt_error(errp, NULL,
                         "dies not supported by this machine's CPU topology");
    }
    if (clusters > 1) {
        return opt_error(errp, NULL,
                         "clusters not supported by this "
                         "machine's CPU topology");
    }
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        /* prefer cores over sockets, as QEMU since 6.2 */
        if (sockets == 0) {
            cores = cores ? cores : 1;
            threads = threads ? threads : 1;
            sockets = smp_div(maxcpus, cores * threads);
        } else if (cores == 0) {
            threads = threads ? threads : 1;
            cores = smp_div(maxcpus, sockets * threads);
        }
        if (threads == 0) {
            threads = smp_div(maxcpus, sockets * cores);
        }
    }
    maxcpus = maxcpus ? maxcpus : sockets * cores * threads;
    cpus = cpus ? cpus : maxcpus;
    if (sockets * cores * threads != maxcpus) {
        return opt_error(errp, NULL,
                         "Invalid CPU topology: product of the hierarchy "
                         "must match maxcpus: sockets (%" G_GUINT64_FORMAT
                         ") * cores (%" G_GUINT64_FORMAT
                         ") * threads (%" G_GUINT64_FORMAT
                         ") != maxcpus (%" G_GUINT64_FORMAT ")",
                         sockets, cores, threads, maxcpus);
    }
    if (maxcpus < cpus) {
        return opt_error(errp, NULL,
                         "Invalid CPU topology: maxcpus must be equal to or "
                         "greater than smp: sockets (%" G_GUINT64_FORMAT
                         ") * cores (%" G_GUINT64_FORMAT
                         ") * threads (%" G_GUINT64_FORMAT
                         ") == maxcpus (%" G_GUINT64_FORMAT
                         ") < smp_cpus (%" G_GUINT64_FORMAT ")",
                         sockets, cores, threads, maxcpus, cpus);
    }
    if (maxcpus > max_cpus) {
        return opt_error(errp, NULL,
                         "Invalid SMP CPUs %" G_GUINT64_FORMAT
                         ". The max CPUs supported by machine '%s' is %u",
                         maxcpus, machine_name, max_cpus);
    }
    *cpus_out = (unsigned)cpus;
    return true;
}
