/* SPDX-License-Identifier: MIT */
/*
 * The "none" machine: an empty board.  No CPU, no devices, and RAM only
 * when -m is given (mapped at address 0, as QEMU does).  libqtest uses it
 * for capability probing and STYLE.md §5 for single-device tests
 * ("-machine none -device TYPE,addr=...").
 */
#include <glib.h>
#include <stdbool.h>

#include "hw/core/machine.h"

const MachineClass none_machine_class = {
    .obj =
        {
            .name = "none-machine",
            .parent = TYPE_MACHINE,
            .instance_size = sizeof(Machine),
            .desc = "empty machine",
        },
    .machine_name = "none",
    .max_cpus = 1,
    .default_ram_id = "ram",
    .default_ram_size = 0,
    .ram_base = 0,
};
