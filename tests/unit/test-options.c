/* SPDX-License-Identifier: MIT */
/*
 * The command-line parser, in process: argv vectors from cli.md §1-§3 and
 * the exact launch lines of libqtest and QEMUMachine (harness-api.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/log.h"
#include "emu/options.h"

#define MiB (1024ull * 1024)

static FILE *cap_file;
static int cap_saved_fd = -1;

static void capture_begin(void)
{
    fflush(stderr);
    cap_file = tmpfile();
    assert_non_null(cap_file);
    cap_saved_fd = dup(STDERR_FILENO);
    assert_true(cap_saved_fd >= 0);
    assert_true(dup2(fileno(cap_file), STDERR_FILENO) >= 0);
}

static char *capture_end(void)
{
    GString *s = g_string_new(NULL);
    char buf[256];
    size_t n;

    fflush(stderr);
    assert_true(dup2(cap_saved_fd, STDERR_FILENO) >= 0);
    close(cap_saved_fd);
    rewind(cap_file);
    while ((n = fread(buf, 1, sizeof(buf), cap_file)) > 0) {
        g_string_append_len(s, buf, n);
    }
    fclose(cap_file);
    return g_string_free(s, false);
}

static int setup(void **state)
{
    log_set_progname("benchtop");
    return 0;
}

/* Parses "benchtop " + @cmdline (shell words); returns the config. */
static EmuConfig *parse(const char *cmdline, GError **errp)
{
    g_autofree char *full = g_strconcat("benchtop ", cmdline, NULL);
    g_auto(GStrv) argv = NULL;
    int argc;
    EmuConfig *c = emu_config_new();

    assert_true(g_shell_parse_argv(full, &argc, &argv, NULL));
    if (!emu_config_parse(c, argc, argv, errp)) {
        emu_config_free(c);
        return NULL;
    }
    return c;
}

static EmuConfig *parse_ok(const char *cmdline)
{
    g_autoptr(GError) err = NULL;
    EmuConfig *c = parse(cmdline, &err);

    if (!c) {
        fail_msg("'%s' failed: %s", cmdline, err->message);
    }
    return c;
}

static void parse_fails(const char *cmdline, const char *msg)
{
    g_autoptr(GError) err = NULL;
    EmuConfig *c = parse(cmdline, &err);

    if (c) {
        emu_config_free(c);
        fail_msg("'%s' unexpectedly parsed", cmdline);
    }
    assert_string_equal(err->message, msg);
}

static const OptItem *item(GPtrArray *a, guint i)
{
    assert_true(i < a->len);
    return g_ptr_array_index(a, i);
}

static const char *accel_name(const EmuConfig *c, guint i)
{
    return opts_get(item(c->accels, i)->opts, "accel");
}

/* harness-api.md §2.2: libqtest's command line (newest form) */
static void test_libqtest_command_line(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-qtest unix:/tmp/qtest-1.sock -qtest-log /dev/null "
                 "-chardev socket,path=/tmp/qtest-1.qmp,id=char0 "
                 "-mon chardev=char0,mode=control -display none -audio none "
                 "-run-with exit-with-parent=on -machine none -cpu \"rv64\" "
                 "-accel qtest");
    const OptItem *chr = item(c->chardevs, 0);
    const OptItem *mon = item(c->monitors, 0);

    assert_int_equal(c->action, EMU_ACTION_RUN);
    assert_string_equal(c->qtest, "unix:/tmp/qtest-1.sock");
    assert_string_equal(c->qtest_log, "/dev/null");
    assert_string_equal(opts_get(chr->opts, "backend"), "socket");
    assert_string_equal(opts_get(chr->opts, "path"), "/tmp/qtest-1.qmp");
    assert_string_equal(chr->opts->id, "char0");
    assert_string_equal(chr->loc,
                        "-chardev socket,path=/tmp/qtest-1.qmp,id=char0");
    assert_string_equal(mon->opt, "-mon");
    assert_string_equal(opts_get(mon->opts, "chardev"), "char0");
    assert_string_equal(opts_get(mon->opts, "mode"), "control");
    assert_string_equal(c->display, "none");
    assert_true(c->exit_with_parent);
    assert_string_equal(c->machine_type, "none");
    assert_string_equal(c->cpu, "rv64");
    assert_int_equal(c->accels->len, 1);
    assert_string_equal(accel_name(c, 0), "qtest");
    assert_string_equal(item(c->accels, 0)->loc, "-accel qtest");
    assert_false(c->start_paused);
}

/* harness-api.md §7: Python QEMUMachine / QEMUQtestMachine */
static void test_qemumachine_command_line(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-display none -vga none -chardev socket,id=mon,fd=3 "
                 "-mon chardev=mon,mode=control -machine virt "
                 "-qtest unix:path=/tmp/m-qtest.sock -accel qtest");

    assert_string_equal(c->vga, "none");
    assert_string_equal(opts_get(item(c->chardevs, 0)->opts, "fd"), "3");
    assert_string_equal(c->machine_type, "virt");
    assert_string_equal(c->qtest, "unix:path=/tmp/m-qtest.sock");
    assert_null(c->qtest_log);
    assert_string_equal(accel_name(c, 0), "qtest");
}

/* §1 defaults with no options at all */
static void test_defaults(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("");

    assert_int_equal(c->action, EMU_ACTION_RUN);
    assert_null(c->machine_type);
    assert_int_equal(c->ram_size, 0);
    assert_string_equal(c->display, "none");
    assert_int_equal(c->accels->len, 1);
    assert_string_equal(accel_name(c, 0), "tcg");
    assert_null(item(c->accels, 0)->loc);
    assert_false(c->nographic);
    assert_false(c->nodefaults);
    assert_int_equal(c->chardevs->len, 0);
}

/* §1 unknown options, "-opt=value", dashes only */
static void test_invalid_options(void **state)
{
    parse_fails("-foo", "-foo: invalid option");
    parse_fails("-machine=virt", "-machine=virt: invalid option");
    parse_fails("-", "-: invalid option");
    parse_fails("--", "--: invalid option");
    parse_fails("---", "---: invalid option");
    parse_fails("-?", "-?: invalid option");
    parse_fails("-M none -Machine none", "-Machine: invalid option");
}

/* §1 "--name" is "-name" */
static void test_double_dash(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("--machine virt --display none --S");

    assert_string_equal(c->machine_type, "virt");
    assert_true(c->start_paused);
}

/* §1 a missing argument; an argument can look like an option */
static void test_arguments(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-kernel k -append -foo");

    assert_string_equal(c->append, "-foo");
    assert_string_equal(c->kernel, "k");
    parse_fails("-m", "-m: requires an argument");
    parse_fails("-S -device", "-device: requires an argument");
}

/* §1 two passes: lookup errors anywhere win; -version acts when reached */
static void test_two_passes(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-version -m foo");

    parse_fails("-version -foo", "-foo: invalid option");
    parse_fails("-foo -version", "-foo: invalid option");
    parse_fails("-version -m", "-m: requires an argument");
    assert_int_equal(c->action, EMU_ACTION_EXIT);
    assert_int_equal(c->exit_status, 0);
    assert_true(g_str_has_prefix(c->out->str,
                                 "QEMU emulator version 7.2.0 (benchtop "));
    parse_fails("-m foo -version",
                "-m foo: Parameter 'size' expects a non-negative number "
                "below 2^64\nOptional suffix k, M, G, T, P or E means kilo-, "
                "mega-, giga-, tera-, peta-\nand exabytes, respectively.");
}

/* §3.13 -version and -h texts */
static void test_version_and_help(void **state)
{
    g_autoptr(EmuConfig) v = parse_ok("--version");
    g_autoptr(EmuConfig) h = parse_ok("-h");
    g_autoptr(EmuConfig) h2 = parse_ok("-help -m foo");
    g_auto(GStrv) lines = g_strsplit(v->out->str, "\n", -1);

    assert_int_equal(g_strv_length(lines), 3);
    assert_string_equal(lines[1], "Copyright (c) 2003-2022 Fabrice Bellard "
                                  "and the QEMU Project developers");
    assert_string_equal(lines[2], "");
    assert_int_equal(h->action, EMU_ACTION_EXIT);
    assert_int_equal(h->exit_status, 0);
    assert_non_null(strstr(h->out->str, "\nusage: benchtop [options] "
                                        "[disk_image]\n\n"));
    assert_non_null(strstr(h->out->str, "When using -nographic, press "
                                        "'ctrl-a h' to get some help.\n"));
    (void)h2;
}

/* §1 a word without a dash is a disk image */
static void test_disk_image(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-S disk.img -nodefaults");

    assert_int_equal(c->drives->len, 1);
    assert_string_equal(item(c->drives, 0)->arg, "disk.img");
    assert_null(item(c->drives, 0)->opts);
    assert_true(c->nodefaults);
}

/* §1 options of other targets; options Benchtop lacks fail clearly */
static void test_unsupported_options(void **state)
{
    parse_fails("-no-hpet", "-no-hpet: Option not supported for this target");
    parse_fails("-version -no-acpi",
                "-no-acpi: Option not supported for this target");
    parse_fails("-acpitable x",
                "-acpitable x: Option not supported for this target");
    parse_fails("-netdev user,id=n0",
                "-netdev user,id=n0: option not supported yet by benchtop");
    parse_fails("-daemonize", "-daemonize: option not supported yet by "
                              "benchtop");
    parse_fails("-device '{\"driver\":\"x\"}'",
                "-device {\"driver\":\"x\"}: JSON syntax for -device is not "
                "supported yet by benchtop");
}

/* §3.3 -m: MiB without suffix, suffixes from bytes, merging, errors */
static void test_memory(void **state)
{
    static const struct {
        const char *cmd;
        uint64_t size;
    } ok[] = {
        {"-m 128", 128 * MiB},
        {"-m 128k", 131072},
        {"-m 1.5G", 1536 * MiB},
        {"-m 256m", 256 * MiB},
        {"-m 010", 10 * MiB},
        {"-m 1,size=2", 2 * MiB},
        {"-m 1 -m 3", 3 * MiB},
        {"-m 0", 0},
        {"-m size=64M", 64 * MiB},
        {"-m 2,slots=2,maxmem=1G", 2 * MiB},
        {"-M memory.size=64M", 64 * MiB},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
        g_autoptr(EmuConfig) c = parse_ok(ok[i].cmd);

        assert_true(c->ram_size == ok[i].size);
    }
    parse_fails("-m id=x", "-m id=x: Invalid parameter 'id'");
    parse_fails("-m 1,foo=2", "-m 1,foo=2: Invalid parameter 'foo'");
    parse_fails("-m 16E", "-m 16E: Value '16E' is out of range for "
                          "parameter 'size'");
    parse_fails("-m 17592186044416", "too large 'size' option value");
    parse_fails("-m size=", "missing 'size' option value");
}

/* §3.3 -m 0x10 is 0x10M, with the hex-suffix warning */
static void test_memory_hex(void **state)
{
    g_autofree char *err = NULL;
    g_autoptr(EmuConfig) c = NULL;

    capture_begin();
    c = parse_ok("-m 0x10");
    err = capture_end();
    assert_true(c->ram_size == 16 * MiB);
    assert_string_equal(err, "benchtop: warning: Using a multiplier suffix "
                             "on hex numbers is deprecated: 0x10\n");
}

/* §2.1 QemuOpts help on a fixed list prints the keys and exits 1 */
static void test_fixed_list_help(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-chardev null,id=x,help -m foo");
    g_autoptr(EmuConfig) r = parse_ok("-rtc help");
    g_autoptr(EmuConfig) m = parse_ok("-m 1,help");

    (void)c;
    assert_int_equal(r->action, EMU_ACTION_EXIT);
    assert_int_equal(r->exit_status, 1);
    assert_string_equal(r->out->str, "rtc options:\n  base=<str>\n"
                                     "  clock=<str>\n  driftfix=<str>\n");
    assert_int_equal(m->exit_status, 1);
    assert_true(g_str_has_prefix(m->out->str, "memory options:\n"));
}

static void test_chardev_help_exit_1(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(EmuConfig) c = parse("-chardev null,id=x,help", &err);

    assert_non_null(c);
    assert_int_equal(c->action, EMU_ACTION_EXIT);
    assert_int_equal(c->exit_status, 1);
    assert_true(g_str_has_prefix(c->out->str, "chardev options:\n"));
    assert_non_null(strstr(c->out->str, "\n  path=<str>\n"));
}

/* §3.9 -chardev: keys, id rules, duplicates; "help" backend for main */
static void test_chardev(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-chardev socket,id=s0,path=/a,,b,server=on,wait=off "
                 "-chardev help");

    assert_string_equal(opts_get(item(c->chardevs, 0)->opts, "path"), "/a,b");
    assert_string_equal(opts_get(item(c->chardevs, 1)->opts, "backend"),
                        "help");
    parse_fails("-chardev null,id=x -chardev null,id=x",
                "-chardev null,id=x: Duplicate ID 'x' for chardev");
    parse_fails("-chardev null,id=x,foo=1",
                "-chardev null,id=x,foo=1: Invalid parameter 'foo'");
    parse_fails("-chardev null,id=1x",
                "-chardev null,id=1x: Parameter 'id' expects an identifier\n"
                "Identifiers consist of letters, digits, '-', '.', '_', "
                "starting with a letter.");
    parse_fails("-chardev null,=y", "-chardev null,=y: Invalid parameter ''");
}

/* §2.1 a deprecated flag warns with the option's location */
static void test_flag_warning_location(void **state)
{
    g_autofree char *err = NULL;
    g_autoptr(EmuConfig) c = NULL;

    capture_begin();
    c = parse_ok("-chardev socket,id=s,path=/p,server,nowait");
    err = capture_end();
    assert_string_equal(
        err, "benchtop: -chardev socket,id=s,path=/p,server,nowait: warning: "
             "short-form boolean option 'server' deprecated\n"
             "Please use server=on instead\n"
             "benchtop: -chardev socket,id=s,path=/p,server,nowait: warning: "
             "short-form boolean option 'wait' deprecated\n"
             "Please use wait=off instead\n");
}

/* §3.5 -device: implied driver, any keys, duplicate ids, TYPE,help */
static void test_device(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-device ns16550a,id=u1,addr=0x1000 -device sifive-test,help "
                 "-device help");

    assert_int_equal(c->devices->len, 3);
    assert_string_equal(opts_get(item(c->devices, 0)->opts, "driver"),
                        "ns16550a");
    assert_string_equal(opts_get(item(c->devices, 0)->opts, "addr"), "0x1000");
    assert_string_equal(item(c->devices, 0)->loc,
                        "-device ns16550a,id=u1,addr=0x1000");
    assert_true(opts_has(item(c->devices, 1)->opts, "help"));
    assert_string_equal(opts_get(item(c->devices, 2)->opts, "driver"), "help");
    assert_int_equal(c->action, EMU_ACTION_RUN);
    parse_fails("-device a,id=r -device b,id=r",
                "-device b,id=r: Duplicate ID 'r' for device");
}

/* §3.1 -machine: keyval, merging, help, accel=, underscores */
static void test_machine(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-M virt -M spike,dump_guest_core=off -machine aclint=on");
    g_autoptr(EmuConfig) h = parse_ok("-M help");
    g_autoptr(EmuConfig) h2 = parse_ok("-M virt,?");

    assert_string_equal(c->machine_type, "spike");
    assert_string_equal(opts_get(c->machine_props, "dump-guest-core"), "off");
    assert_string_equal(opts_get(c->machine_props, "aclint"), "on");
    assert_null(opts_get(c->machine_props, "type"));
    assert_true(h->machine_help);
    assert_int_equal(h->action, EMU_ACTION_RUN);
    assert_true(h2->machine_help);
    assert_string_equal(h2->machine_type, "virt");
    parse_fails("-M virt,aclint",
                "-M virt,aclint: Expected '=' after parameter 'aclint'");
    parse_fails("-M virt,,x", "-M virt,,x: Invalid parameter ''");
}

/* §3.2 -accel order, -M accel=, -enable-kvm, help */
static void test_accel(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-accel tcg -accel kvm -accel qtest");
    g_autoptr(EmuConfig) m = parse_ok("-machine accel=qtest:tcg");
    g_autoptr(EmuConfig) k = parse_ok("-enable-kvm");
    g_autoptr(EmuConfig) h = parse_ok("-accel help");
    g_autoptr(EmuConfig) p = parse_ok("-accel tcg,thread=single");

    assert_int_equal(c->accels->len, 3);
    assert_string_equal(accel_name(c, 0), "tcg");
    assert_string_equal(accel_name(c, 1), "kvm");
    assert_string_equal(item(c->accels, 1)->loc, "-accel kvm");
    assert_string_equal(accel_name(c, 2), "qtest");
    assert_int_equal(m->accels->len, 2);
    assert_string_equal(accel_name(m, 0), "qtest");
    assert_null(item(m->accels, 0)->loc);
    assert_string_equal(accel_name(m, 1), "tcg");
    assert_null(opts_get(m->machine_props, "accel"));
    assert_string_equal(accel_name(k, 0), "kvm");
    assert_int_equal(h->action, EMU_ACTION_EXIT);
    assert_int_equal(h->exit_status, 0);
    assert_string_equal(h->out->str,
                        "Accelerators supported in QEMU binary:\ntcg\n");
    assert_string_equal(opts_get(item(p->accels, 0)->opts, "thread"), "single");
    parse_fails("-M accel=kvm -accel tcg",
                "The -accel and \"-machine accel=\" options are "
                "incompatible");
}

/* §3.3 -smp topology */
static void smp_ok(const char *cmd, unsigned max, unsigned expect)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(EmuConfig) c = parse_ok(cmd);
    unsigned cpus = 0;

    if (!emu_config_smp(c, "virt", max, &cpus, &err)) {
        fail_msg("%s: %s", cmd, err->message);
    }
    assert_int_equal(cpus, expect);
}

static void smp_fails(const char *cmd, unsigned max, const char *msg)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(EmuConfig) c = parse_ok(cmd);
    unsigned cpus = 0;

    assert_false(emu_config_smp(c, "virt", max, &cpus, &err));
    assert_string_equal(err->message, msg);
}

static void test_smp(void **state)
{
    g_autofree char *warn = NULL;

    smp_ok("", 512, 1);
    smp_ok("-smp 2", 512, 2);
    smp_ok("-smp 010", 512, 8);
    smp_ok("-smp 2 -smp 3", 512, 3);
    smp_ok("-smp cpus=2,sockets=2", 512, 2);
    smp_ok("-smp sockets=2,cores=2", 512, 4);
    smp_ok("-smp 2,maxcpus=4", 512, 2);
    capture_begin();
    smp_ok("-smp 0", 512, 1);
    warn = capture_end();
    assert_string_equal(warn, "benchtop: warning: Deprecated CPU topology "
                              "(considered invalid): CPU topology "
                              "parameters must be greater than zero\n");
    smp_fails("-smp 2,sockets=3", 512,
              "Invalid CPU topology: product of the hierarchy must match "
              "maxcpus: sockets (3) * cores (0) * threads (1) != maxcpus "
              "(2)");
    smp_fails("-smp 2,maxcpus=1", 512,
              "Invalid CPU topology: maxcpus must be equal to or greater "
              "than smp: sockets (1) * cores (1) * threads (1) == maxcpus "
              "(1) < smp_cpus (2)");
    smp_fails("-smp 513", 512,
              "Invalid SMP CPUs 513. The max CPUs supported by machine "
              "'virt' is 512");
    smp_fails("-smp dies=2", 512,
              "dies not supported by this machine's CPU topology");
    smp_fails("-smp clusters=2", 512,
              "clusters not supported by this machine's CPU topology");
    smp_fails("-smp 2,cores=4294967296,threads=4294967296", 512,
              "Invalid CPU topology: product of the hierarchy must match "
              "maxcpus: sockets (0) * cores (4294967296) * threads "
              "(4294967296) != maxcpus (2)");
    smp_fails("-smp foo=1", 512, "Parameter 'smp.foo' is unexpected");
    smp_fails("-smp x", 512, "Parameter 'smp.cpus' expects integer");
}

static void test_smp_help(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-smp help");

    assert_int_equal(c->action, EMU_ACTION_EXIT);
    assert_int_equal(c->exit_status, 0);
    assert_string_equal(c->out->str,
                        "smp-opts options:\n  clusters=<num>\n  cores=<num>\n"
                        "  cpus=<num>\n  dies=<num>\n  maxcpus=<num>\n"
                        "  sockets=<num>\n  threads=<num>\n");
    parse_fails("-smp 2,x", "-smp 2,x: Expected '=' after parameter 'x'");
}

/* §3.4 boot images are machine properties; -append needs -kernel */
static void test_boot_images(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok(
        "-bios none -kernel Image -initrd rd.cpio -append 'console=ttyS0' "
        "-dtb virt.dtb");
    g_autoptr(EmuConfig) m = parse_ok("-M kernel=k,append=a -append b");
    g_autoptr(EmuConfig) e = parse_ok("-append ''");

    assert_string_equal(c->bios, "none");
    assert_string_equal(c->kernel, "Image");
    assert_string_equal(c->initrd, "rd.cpio");
    assert_string_equal(c->append, "console=ttyS0");
    assert_string_equal(c->dtb, "virt.dtb");
    assert_null(opts_get(c->machine_props, "kernel"));
    assert_string_equal(m->kernel, "k");
    assert_string_equal(m->append, "b");
    assert_string_equal(e->append, "");
    parse_fails("-append foo", "-append only allowed with -kernel option");
    parse_fails("-initrd x", "-initrd only allowed with -kernel option");
}

/* §3.11 serial and monitors keep command-line order and locations */
static void test_serial_and_monitors(void **state)
{
    g_autoptr(EmuConfig) c =
        parse_ok("-serial stdio -serial null -qmp unix:/q,server=on,wait=off "
                 "-mon chardev=c0,mode=control,pretty=on -qmp-pretty stdio "
                 "-monitor none");

    assert_int_equal(c->serials->len, 2);
    assert_string_equal(item(c->serials, 0)->arg, "stdio");
    assert_string_equal(item(c->serials, 1)->loc, "-serial null");
    assert_int_equal(c->monitors->len, 4);
    assert_string_equal(item(c->monitors, 0)->opt, "-qmp");
    assert_string_equal(item(c->monitors, 0)->arg,
                        "unix:/q,server=on,wait=off");
    assert_string_equal(item(c->monitors, 1)->opt, "-mon");
    assert_string_equal(opts_get(item(c->monitors, 1)->opts, "pretty"), "on");
    assert_string_equal(item(c->monitors, 2)->opt, "-qmp-pretty");
    assert_string_equal(item(c->monitors, 3)->opt, "-monitor");
    parse_fails("-mon c0,foo=1", "-mon c0,foo=1: Invalid parameter 'foo'");
    parse_fails("-mon c0,id=m -mon c1,id=m",
                "-mon c1,id=m: Duplicate ID 'm' for mon");
}

/* §3.6 -global forms */
static void test_global(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok(
        "-global ns16550a.chardev=s0 -global driver=d,property=p,value=v");
    const Opts *g0 = item(c->globals, 0)->opts;
    const Opts *g1 = item(c->globals, 1)->opts;

    assert_string_equal(opts_get(g0, "driver"), "ns16550a");
    assert_string_equal(opts_get(g0, "property"), "chardev");
    assert_string_equal(opts_get(g0, "value"), "s0");
    assert_string_equal(opts_get(g1, "driver"), "d");
    assert_string_equal(opts_get(g1, "value"), "v");
    parse_fails("-global driver=d",
                "-global driver=d: options 'driver', 'property', and "
                "'value' are required");
}

/* §3.12 -rtc */
static void test_rtc(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-rtc base=2006-06-17T16:01:21 "
                                      "-rtc clock=vm,driftfix=slew");
    g_autoptr(EmuConfig) d = parse_ok("-rtc base=2006-06-17");
    g_autofree char *warn = NULL;

    assert_string_equal(opts_get(c->rtc_opts, "base"), "2006-06-17T16:01:21");
    assert_string_equal(opts_get(c->rtc_opts, "clock"), "vm");
    assert_non_null(d);
    parse_fails("-rtc base=bogus", "invalid datetime format\nvalid formats: "
                                   "'2006-06-17T16:01:21' or '2006-06-17'");
    parse_fails("-rtc clock=bogus", "invalid option value 'bogus'");
    parse_fails("-rtc id=r", "-rtc id=r: Invalid parameter 'id'");
    capture_begin();
    parse_fails("-rtc utc", "-rtc utc: Invalid parameter 'utc'");
    warn = capture_end();
    assert_string_equal(warn, "benchtop: -rtc utc: warning: short-form "
                              "boolean option 'utc' deprecated\n"
                              "Please use utc=on instead\n");
}

/* §3.12 -display, -vga, -nographic */
static void test_display(void **state)
{
    g_autoptr(EmuConfig) h = parse_ok("-display help");
    g_autoptr(EmuConfig) n = parse_ok("-nographic");
    g_autofree char *warn = NULL;
    g_autoptr(EmuConfig) v = NULL;

    assert_int_equal(h->action, EMU_ACTION_EXIT);
    assert_int_equal(h->exit_status, 0);
    assert_true(
        g_str_has_prefix(h->out->str, "Available display backend types:\n"));
    assert_true(n->nographic);
    assert_string_equal(n->display, "none");
    assert_string_equal(opts_get(n->machine_props, "graphics"), "off");
    parse_fails("-display bogus",
                "-display bogus: Parameter 'type' does not accept value "
                "'bogus'");
    parse_fails("-display vnc", "-display vnc: VNC requires a display argument "
                                "vnc=<display>");
    parse_fails("-vga bogus", "unknown vga type: bogus");
    capture_begin();
    v = parse_ok("-vga std");
    warn = capture_end();
    assert_string_equal(warn, "benchtop: warning: A -vga option was passed "
                              "but this machine type does not use that "
                              "option; No VGA device has been created\n");
}

/* §3.12-3.13 run control and identity */
static void test_run_control_and_identity(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok(
        "-S -nodefaults -no-reboot -no-shutdown -name guest=g1,process=p "
        "-d guest_errors,unimp -D /tmp/log -pidfile /tmp/pid -L /a -L /b "
        "-trace 'enable=*' -no-user-config -qtest stdio -qtest-log none");
    g_autoptr(EmuConfig) a = parse_ok("-action reboot=shutdown,"
                                      "shutdown=pause");
    g_autoptr(EmuConfig) n = parse_ok("-name foo");

    assert_true(c->start_paused);
    assert_true(c->nodefaults);
    assert_true(c->no_reboot);
    assert_true(c->no_shutdown);
    assert_string_equal(c->name, "g1");
    assert_string_equal(c->log_items, "guest_errors,unimp");
    assert_string_equal(c->log_file, "/tmp/log");
    assert_string_equal(c->pidfile, "/tmp/pid");
    assert_int_equal(c->data_dirs->len, 2);
    assert_string_equal(g_ptr_array_index(c->data_dirs, 1), "/b");
    assert_string_equal(c->qtest, "stdio");
    assert_string_equal(c->qtest_log, "none");
    assert_true(a->no_reboot);
    assert_true(a->no_shutdown);
    assert_string_equal(n->name, "foo");
    parse_fails("-name id=x", "-name id=x: Invalid parameter 'id'");
    parse_fails("-action reboot=bogus",
                "-action reboot=bogus: Parameter 'reboot' does not accept "
                "value 'bogus'");
}

/* §1 newer harness options: -run-with, -audio none */
static void test_newer_harness_options(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok("-audio none -audio driver=none "
                                      "-run-with exit-with-parent=on");

    assert_true(c->exit_with_parent);
    parse_fails("-run-with exit-with-parent=bogus",
                "-run-with exit-with-parent=bogus: Parameter "
                "'exit-with-parent' expects 'on' or 'off'");
    parse_fails("-run-with chroot=/x",
                "-run-with chroot=/x: Invalid parameter 'chroot'");
    parse_fails("-audio pa", "-audio pa: only '-audio none' is supported by "
                             "benchtop");
}

/* -drive and -object are parsed (main decides what is supported) */
static void test_drive_and_object(void **state)
{
    g_autoptr(EmuConfig) c = parse_ok(
        "-drive file=d.img,if=none,id=d0 -object qtest,id=qt,chardev=q0");

    assert_string_equal(opts_get(item(c->drives, 0)->opts, "file"), "d.img");
    assert_string_equal(item(c->drives, 0)->opts->id, "d0");
    assert_string_equal(opts_get(item(c->objects, 0)->opts, "qom-type"),
                        "qtest");
    parse_fails("-drive id=d -drive id=d",
                "-drive id=d: Duplicate ID 'd' for drive");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_libqtest_command_line),
        T(test_qemumachine_command_line),
        T(test_defaults),
        T(test_invalid_options),
        T(test_double_dash),
        T(test_arguments),
        T(test_two_passes),
        T(test_version_and_help),
        T(test_disk_image),
        T(test_unsupported_options),
        T(test_memory),
        T(test_memory_hex),
        T(test_fixed_list_help),
        T(test_chardev_help_exit_1),
        T(test_chardev),
        T(test_flag_warning_location),
        T(test_device),
        T(test_machine),
        T(test_accel),
        T(test_smp),
        T(test_smp_help),
        T(test_boot_images),
        T(test_serial_and_monitors),
        T(test_global),
        T(test_rtc),
        T(test_display),
        T(test_run_control_and_identity),
        T(test_newer_harness_options),
        T(test_drive_and_object),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
