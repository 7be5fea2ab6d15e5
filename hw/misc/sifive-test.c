/* SPDX-License-Identifier: MIT */
/*
 * sifive-test: the "test finisher" that lets a guest end the emulator with
 * an exit status or reset the machine.
 *
 * Model interface:
 *   region  "regs"  0x1000 bytes, 2- and 4-byte accesses only (1- and 8-byte
 *                   accesses are rejected by the bus)
 * Spec: spec/devices/sifive-test.md (QEMU 7.2 hw/misc/sifive_test.c).
 * Every read returns 0.  Offsets 4..0xfff decode but do nothing; writes
 * there are logged as guest errors.
 */
#include "hw/misc/sifive-test.h"

#include <inttypes.h>
#include <stdint.h>

#include "emu/device.h"
#include "emu/log.h"
#include "emu/loop.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

enum { R_FINISHER, R_NUM };

typedef struct SiFiveTestState {
    Device parent; /* must be first */

    uint32_t regs[R_NUM];
} SiFiveTestState;

/*
 * FINISHER: 0x3333 FAIL exits with status (v >> 16) (the OS keeps the low
 * 8 bits), 0x5555 PASS exits 0, 0x7777 RESET resets the machine (a
 * shutdown with -no-reboot).  Nothing is stored, so the register reads 0.
 */
static void sifive_test_finisher_write(Device *dev, const RegDesc *r,
                                       uint64_t val)
{
    uint32_t status = val & SIFIVE_TEST_STATUS_MASK;
    uint32_t code = (val >> SIFIVE_TEST_CODE_SHIFT) & 0xffff;

    switch (status) {
    case SIFIVE_TEST_FAIL:
        emu_exit_now((int)code);
    case SIFIVE_TEST_PASS:
        emu_exit_now(0);
    case SIFIVE_TEST_RESET:
        loop_request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    default:
        log_mask(LOG_GUEST_ERROR,
                 "sifive-test: FINISHER (offset 0x0): unknown command "
                 "0x%" PRIx64 " ignored",
                 val);
        return;
    }
}

static const RegDesc sifive_test_regs[R_NUM] = {
    [R_FINISHER] = REG(SIFIVE_TEST, FINISHER, .access = REG_W,
                       .write = sifive_test_finisher_write,
                       .desc = "finisher command: status 15:0, code 31:16"),
};

/*
 * Device tree (QEMU 7.2 virt): the node, a syscon that the /reboot and
 * /poweroff nodes write FINISHER's RESET and PASS commands through.
 */
static bool sifive_test_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_device_node(ctx, dev, "test");
    uint32_t phandle = fdt_ctx_phandle(ctx, dev);
    hwaddr base = 0;
    const struct {
        const char *name, *compatible;
        uint32_t value;
    } syscons[] = {
        {"reboot", "syscon-reboot", SIFIVE_TEST_RESET},
        {"poweroff", "syscon-poweroff", SIFIVE_TEST_PASS},
    };

    fdt_device_base(dev, &base);
    fdt_ctx_setprop_strings(ctx, node, "compatible", "sifive,test1",
                            "sifive,test0", "syscon", NULL);
    fdt_ctx_setprop_reg(ctx, node, base, SIFIVE_TEST_REGS_SIZE);
    fdt_ctx_set_phandle(ctx, node, dev);
    for (size_t i = 0; i < G_N_ELEMENTS(syscons); i++) {
        const char *n = fdt_ctx_add_node(ctx, "/", "%s", syscons[i].name);

        fdt_ctx_setprop_string(ctx, n, "compatible", syscons[i].compatible);
        fdt_ctx_setprop_cell(ctx, n, "regmap", phandle);
        fdt_ctx_setprop_cell(ctx, n, "offset", SIFIVE_TEST_FINISHER);
        fdt_ctx_setprop_cell(ctx, n, "value", syscons[i].value);
    }
    return fdt_ctx_check(ctx, errp);
}

const DeviceClass sifive_test_class = {
    .obj =
        {
            .name = TYPE_SIFIVE_TEST,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(SiFiveTestState),
            .user_creatable = true,
            .desc = "SiFive test finisher",
        },
    .regions =
        {
            {
                .name = "regs",
                .size = SIFIVE_TEST_REGS_SIZE,
                .regs = sifive_test_regs,
                .nregs = R_NUM,
                .storage_offset = offsetof(SiFiveTestState, regs),
                .storage_bytes = 4,
                .reg_width = 4,
                .min_access = 2,
                .max_access = 4,
            },
        },
    .fdt_node = sifive_test_fdt_node,
};
