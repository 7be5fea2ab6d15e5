/* SPDX-License-Identifier: MIT */
/*
 * /cpus of a RISC-V device tree (see riscv-fdt.h), node for node as QEMU
 * 7.2's create_fdt_socket_cpus() lays it out, but with our harts' own ISA
 * string and MMU type (virt-machine.md §5: no H; Sv57 is supported).
 */
#include "hw/riscv/riscv-fdt.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/fdt.h"
#include "target/riscv/cpu.h"

/* misa letters in the canonical ISA-string order */
static const char riscv_fdt_letters[] = "iemafdqcpvh";

/* Extensions every hart implements (riscv-hart.md), in canonical order. */
static const char riscv_fdt_multi[] =
    "_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs";

char *riscv_fdt_isa_string(const RiscvHart *cpu)
{
    GString *s = g_string_new("rv64");

    for (const char *l = riscv_fdt_letters; *l; l++) {
        if (cpu->misa & (UINT64_C(1) << (*l - 'a'))) {
            g_string_append_c(s, *l);
        }
    }
    g_string_append(s, riscv_fdt_multi);
    if (cpu->ext_sstc) {
        g_string_append(s, "_sstc");
    }
    return g_string_free(s, false);
}

bool riscv_fdt_add_cpus(FdtContext *ctx, uint32_t timebase_hz, GError **errp)
{
    const char *cpus = fdt_ctx_add_node(ctx, "/", "cpus");
    const char *cluster;
    unsigned n = riscv_hart_count();

    fdt_ctx_setprop_cell(ctx, cpus, "timebase-frequency", timebase_hz);
    fdt_ctx_setprop_cell(ctx, cpus, "#size-cells", 0);
    fdt_ctx_setprop_cell(ctx, cpus, "#address-cells", 1);
    fdt_ctx_add_node(ctx, cpus, "cpu-map");
    cluster = fdt_ctx_add_node(ctx, "/cpus/cpu-map", "cluster0");
    for (unsigned i = n; i-- > 0;) {
        RiscvHart *cpu = riscv_hart_nth(i);
        g_autofree char *isa = riscv_fdt_isa_string(cpu);
        uint32_t cpu_phandle = fdt_ctx_alloc_phandle(ctx);
        uint32_t intc_phandle;
        const char *node, *intc, *core;

        node = fdt_ctx_add_node(ctx, cpus, "cpu@%u", cpu->hartid);
        fdt_ctx_setprop_string(ctx, node, "mmu-type", RISCV_FDT_MMU_TYPE);
        fdt_ctx_setprop_string(ctx, node, "riscv,isa", isa);
        fdt_ctx_setprop_string(ctx, node, "compatible", "riscv");
        fdt_ctx_setprop_string(ctx, node, "status", "okay");
        fdt_ctx_setprop_cell(ctx, node, "reg", cpu->hartid);
        fdt_ctx_setprop_string(ctx, node, "device_type", "cpu");
        fdt_ctx_setprop_cell(ctx, node, "phandle", cpu_phandle);

        intc_phandle = fdt_ctx_alloc_phandle(ctx);
        intc = fdt_ctx_add_node(ctx, node, "interrupt-controller");
        fdt_ctx_setprop_cell(ctx, intc, "phandle", intc_phandle);
        fdt_ctx_setprop_string(ctx, intc, "compatible", "riscv,cpu-intc");
        fdt_ctx_setprop_empty(ctx, intc, "interrupt-controller");
        fdt_ctx_setprop_cell(ctx, intc, "#interrupt-cells", 1);
        fdt_ctx_bind_phandle(ctx, &cpu->dev, intc_phandle);

        core = fdt_ctx_add_node(ctx, cluster, "core%u", i);
        fdt_ctx_setprop_cell(ctx, core, "cpu", cpu_phandle);
    }
    return fdt_ctx_check(ctx, errp);
}
