/* SPDX-License-Identifier: MIT */
/*
 * The command line (cli.md §1-§3): argv -> EmuConfig.
 *
 * Parsing never prints errors or exits: it returns them as a GError whose
 * message is "LOCATION: TEXT" (or "TEXT" for errors without a location),
 * possibly followed by hint lines, so main() prints "PROG: " + message and
 * exits 1.  Deprecation warnings are printed at once ("PROG: LOCATION:
 * warning: ..."), as QEMU does.  Help and version requests that QEMU acts
 * on while parsing (-version, -h, -accel help, -smp help, -display help,
 * "help" in a fixed QemuOpts list such as -chardev null,id=x,help) set
 * action EMU_ACTION_EXIT with the text to print on stdout and the exit
 * status; the other help requests (-M help, -cpu help, -device help,
 * -chardev help, -d help) stay in the config for main() to act on in the
 * processing order of cli.md §4.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/opts.h"

/** One stored option instance (a -device, -chardev, -serial, ...). */
typedef struct OptItem {
    const char *opt; /* option name as canonical text: "-device", "-qmp" */
    char *arg;       /* the argument as given, or NULL */
    char *loc;       /* "-device foo,bar=1": error-message location */
    Opts *opts;      /* parsed argument (QemuOpts lists), or NULL */
} OptItem;

typedef enum EmuAction {
    EMU_ACTION_RUN,  /* build the machine and run */
    EMU_ACTION_EXIT, /* print EmuConfig.out on stdout, exit exit_status */
} EmuAction;

typedef struct EmuConfig {
    EmuAction action;
    GString *out;    /* text for EMU_ACTION_EXIT */
    int exit_status; /* for EMU_ACTION_EXIT */

    /* -machine / -M (keyval, merged) and -kernel -initrd -append -dtb
     * -bios, which are machine properties */
    char *machine_type;  /* NULL: the default machine */
    Opts *machine_props; /* remaining properties, '_' turned into '-' */
    bool machine_help;   /* -M help / -M TYPE,help */

    /* accelerators in the order to try; loc is NULL for -M accel= and for
     * the default "tcg".  opts holds "accel" and the properties. */
    GPtrArray *accels; /* OptItem * */

    uint64_t ram_size; /* bytes; 0: machine default */
    Opts *smp_opts;    /* merged -smp (keyval, implied "cpus") */

    char *cpu; /* -cpu argument as given, NULL if absent */
    char *kernel, *initrd, *append, *dtb, *bios, *dumpdtb;

    /* accumulating options, in command-line order (OptItem *) */
    GPtrArray *chardevs;  /* opts: implied "backend" */
    GPtrArray *devices;   /* opts: implied "driver" */
    GPtrArray *serials;   /* arg: legacy chardev spec */
    GPtrArray *monitors;  /* -mon (opts), -qmp, -qmp-pretty, -monitor */
    GPtrArray *drives;    /* -drive (opts) and bare disk images (no opts) */
    GPtrArray *globals;   /* opts: driver, property, value */
    GPtrArray *objects;   /* opts: implied "qom-type" */
    GPtrArray *data_dirs; /* char *, from -L */

    char *qtest;     /* -qtest SPEC */
    char *qtest_log; /* -qtest-log FILE|none */

    bool start_paused; /* -S */
    bool nographic;
    bool nodefaults;
    bool no_reboot;   /* -no-reboot, -action reboot=shutdown */
    bool no_shutdown; /* -no-shutdown, -action shutdown=pause */
    bool exit_with_parent;
    char *display;   /* display type, "none" by default */
    char *vga;       /* -vga argument, NULL if absent */
    char *name;      /* -name guest=, NULL if absent */
    char *log_items; /* -d */
    char *log_file;  /* -D */
    char *pidfile;
    Opts *rtc_opts; /* merged -rtc, validated */
} EmuConfig;

EmuConfig *emu_config_new(void);
void emu_config_free(EmuConfig *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmuConfig, emu_config_free)

/**
 * Parses @argv (argv[0] is the program) into @c in QEMU's two passes.
 * Returns false with @errp set on any error (exit status 1).  On success
 * c->action says whether to run or to print c->out and exit.
 */
bool emu_config_parse(EmuConfig *c, int argc, char **argv, GError **errp);

/**
 * Computes the number of harts from c->smp_opts for a machine called
 * @machine_name supporting @max_cpus (QEMU's topology rules: zero values
 * warn and count as unset, cores are derived first).  Errors carry no
 * location.
 */
bool emu_config_smp(const EmuConfig *c, const char *machine_name,
                    unsigned max_cpus, unsigned *cpus, GError **errp);

/**
 * The -rtc options (keys "base", "clock") of the configuration
 * emu_config_parse() filled last, for boards that create an RTC; NULL
 * before any parse or once that configuration was freed.
 */
const Opts *emu_config_rtc(void);

/** Writes the -version text ("QEMU emulator version ...") to @out. */
void emu_config_version_text(GString *out);
