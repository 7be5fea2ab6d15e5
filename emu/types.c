/* SPDX-License-Identifier: MIT */
/*
 * Registers every built-in type: the core types, the chardev, qtest and
 * machine types, then each device class listed in hw/device-types.def.
 */
#include <glib.h>
#include <stdbool.h>

#include "emu/chardev/chardev.h"
#include "emu/device.h"
#include "emu/object.h"
#include "hw/core/machine.h"
#include "qtest/qtest.h"

#define DEVICE_TYPE(cls) extern const DeviceClass cls;
#include "hw/device-types.def"
#undef DEVICE_TYPE

void type_register_all(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    object_register_types();
    device_register_types();
    chardev_register_types();
    qtest_register_types();
    machine_register_types();
#define DEVICE_TYPE(cls) type_register(&(cls).obj);
#include "hw/device-types.def"
#undef DEVICE_TYPE
}
