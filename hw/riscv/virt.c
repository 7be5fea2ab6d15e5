/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V "virt" board, first cut: RAM at 0x80000000, the UART and the
 * test/finisher device at QEMU's addresses (virt-machine.md).  No harts,
 * interrupt controller or device tree yet, so the UART's "irq" line stays
 * unconnected.
 *
 * Deviation: QEMU's default riscv64 machine is "spike"; Benchtop has no
 * spike, so virt is the default.
 * Deviation: max_cpus is QEMU's 512, but no hart is instantiated yet.
 */
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu/object.h"
#include "hw/char/ns16550a.h"
#include "hw/core/machine.h"
#include "hw/misc/sifive-test.h"

#define VIRT_TEST_BASE  0x100000
#define VIRT_UART0_BASE 0x10000000
#define VIRT_DRAM_BASE  0x80000000

typedef struct VirtMachine {
    Machine parent; /* must be first */
    bool aclint;
    char *aia;
    uint32_t aia_guests;
} VirtMachine;

static bool virt_init(Machine *m, GError **errp)
{
    VirtMachine *s = (VirtMachine *)m;
    const char *serial = machine_serial(0);
    g_autofree char *uart_props =
        serial ? g_strdup_printf("chardev=%s", serial) : NULL;
    const BoardDevice devices[] = {
        {"test", TYPE_SIFIVE_TEST, VIRT_TEST_BASE, NULL},
        {"uart0", TYPE_NS16550A, VIRT_UART0_BASE, uart_props},
    };

    if (s->aia && strcmp(s->aia, "none") != 0 && strcmp(s->aia, "aplic") != 0 &&
        strcmp(s->aia, "aplic-imsic") != 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Invalid AIA interrupt controller type\n"
                    "Valid values are none, aplic, and aplic-imsic.");
        return false;
    }
    if (s->aia_guests > 7) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Invalid number of AIA IMSIC guests\n"
                    "Valid values be between 0 and 7.");
        return false;
    }
    return machine_build(m, devices, G_N_ELEMENTS(devices), NULL, 0, errp);
}

static const PropDesc virt_props[] = {
    {.name = "aclint",
     .type = PROP_BOOL,
     .offset = offsetof(VirtMachine, aclint),
     .desc = "Set on/off to enable/disable emulating ACLINT devices"},
    {.name = "aia",
     .type = PROP_STR,
     .offset = offsetof(VirtMachine, aia),
     .def_s = "none",
     .desc = "Set type of AIA interrupt controller. Valid values are none, "
             "aplic, and aplic-imsic."},
    {.name = "aia-guests",
     .type = PROP_U32,
     .offset = offsetof(VirtMachine, aia_guests),
     .desc = "Set number of guest MMIO pages for AIA IMSIC. Valid value "
             "should be between 0 and 7."},
    PROP_END,
};

const MachineClass virt_machine_class = {
    .obj =
        {
            .name = "virt-machine",
            .parent = TYPE_MACHINE,
            .instance_size = sizeof(VirtMachine),
            .desc = "RISC-V VirtIO board",
            .props = virt_props,
        },
    .machine_name = "virt",
    .is_default = true,
    .max_cpus = 512,
    .default_cpu_type = "rv64-riscv-cpu",
    .default_ram_id = "riscv_virt_board.ram",
    .default_ram_size = 128ull * 1024 * 1024,
    .ram_base = VIRT_DRAM_BASE,
    .init = virt_init,
};
