/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V "virt" board: RAM at 0x80000000 and the devices at QEMU's
 * addresses with QEMU's PLIC sources (virt-machine.md §1, §3, §4): the
 * CLINT (aclint-mswi + aclint-mtimer), the PLIC, the UART, the goldfish RTC
 * (-rtc base=/clock= become its properties), the test/finisher device and
 * eight empty virtio-mmio slots.  Each hart's irq inputs take MSIP (3),
 * MTIP (7), and its PLIC M (MEIP, 11) and S (SEIP, 9) contexts.
 * -M virt,aclint=on describes the same MSWI and MTIMER as separate ACLINT
 * nodes and adds an aclint-sswi at 0x2f00000 (hart input SSIP, 1), as QEMU
 * does; aia= other than none (APLIC/IMSIC) is refused.
 *
 * Deviation: QEMU's default riscv64 machine is "spike"; Benchtop has no
 * spike, so virt is the default.
 * Harts: -smp N riscv-hart devices at /machine/soc0/harts[0..N-1] start at
 * the MROM (0x1000), whose reset code jumps to 0x80000000 with a0 = hartid,
 * a1 = FDT address, a2 = fw_dynamic_info (virt-machine.md §6).  Firmware:
 * -bios FILE (ELF by its segments, else raw at 0x80000000), -bios none, or
 * by default Debian's OpenSBI fw_dynamic.bin when installed (not under
 * -accel qtest, where RAM stays as the test writes it).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emu/irq.h"
#include "emu/loop.h"
#include "emu/object.h"
#include "emu/options.h"
#include "emu/opts.h"
#include "hw/char/ns16550a.h"
#include "hw/core/fdt.h"
#include "hw/core/machine.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/sifive-test.h"
#include "hw/riscv/riscv-boot.h"
#include "hw/riscv/riscv-fdt.h"
#include "hw/rtc/goldfish-rtc.h"
#include "hw/virtio/virtio-mmio.h"
#include "target/riscv/cpu.h"

#define VIRT_TEST_BASE   0x100000
#define VIRT_RTC_BASE    0x101000
#define VIRT_MSWI_BASE   0x2000000
#define VIRT_MTIMER_BASE (VIRT_MSWI_BASE + ACLINT_MSWI_SIZE)
#define VIRT_SSWI_BASE   0x2f00000 /* aclint=on only */
#define VIRT_PLIC_BASE   0xc000000
#define VIRT_UART0_BASE  0x10000000
#define VIRT_VIRTIO_BASE 0x10001000 /* slot i at + 0x1000 * i */
#define VIRT_DRAM_BASE   0x80000000

#define VIRT_DEFAULT_FIRMWARE                                                  \
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

typedef struct VirtMachine {
    Machine parent; /* must be first */
    bool aclint;
    char *aia;
    uint32_t aia_guests;
    FdtContext *dtb; /* -dtb FILE, read at board init */
} VirtMachine;

#define VIRT_VIRTIO(i)                                                         \
    {                                                                          \
        "virtio_mmio" #i, TYPE_VIRTIO_MMIO, VIRT_VIRTIO_BASE + 0x1000 * (i),   \
            NULL                                                               \
    }

/* PLIC sources (virt-machine.md §3): virtio slot i is 1 + i. */
static const BoardWire virt_wires[] = {
    {"virtio_mmio0.irq", "plic.source[1]"},
    {"virtio_mmio1.irq", "plic.source[2]"},
    {"virtio_mmio2.irq", "plic.source[3]"},
    {"virtio_mmio3.irq", "plic.source[4]"},
    {"virtio_mmio4.irq", "plic.source[5]"},
    {"virtio_mmio5.irq", "plic.source[6]"},
    {"virtio_mmio6.irq", "plic.source[7]"},
    {"virtio_mmio7.irq", "plic.source[8]"},
    {"uart0.irq", "plic.source[10]"},
    {"rtc.irq", "plic.source[11]"},
};

/*
 * Lines of hart h: output line (mul * h + add) of DEVICE.LINE goes to the
 * hart's input irq[mip bit].
 */
static const struct {
    const char *dev, *line;
    unsigned mul, add;
    unsigned mip_bit;
} virt_hart_wires[] = {
    {"mswi", "msip", 1, 0, IRQ_M_SOFT},
    {"mtimer", "mtip", 1, 0, IRQ_M_TIMER},
    {"plic", "context", 2, 0, IRQ_M_EXT},
    {"plic", "context", 2, 1, IRQ_S_EXT},
};

/*
 * Connects the CLINT and PLIC lines of every hart that exists at
 * /machine/soc0/harts[h], passing on the current level (MTIP is high from
 * power-on), and makes the harts' time CSR read mtime.
 */
static void virt_connect_harts(Machine *m)
{
    Device *mtimer = DEVICE(object_get_child(&m->obj, "mtimer"));
    Object *sswi_obj = object_get_child(&m->obj, "sswi");
    Device *sswi = sswi_obj ? DEVICE(sswi_obj) : NULL;

    for (unsigned h = 0; h < m->smp; h++) {
        g_autofree char *path = g_strdup_printf("/machine/soc0/harts[%u]", h);
        Object *obj = object_resolve_path(path, NULL);
        RiscvHart *cpu =
            obj ? (RiscvHart *)object_dynamic_cast(obj, TYPE_RISCV_HART) : NULL;

        if (!cpu) {
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(virt_hart_wires); i++) {
            Device *dev =
                DEVICE(object_get_child(&m->obj, virt_hart_wires[i].dev));
            IrqLine *out = device_irq_out_n(dev, virt_hart_wires[i].line,
                                            virt_hart_wires[i].mul * h +
                                                virt_hart_wires[i].add);
            IrqLine *in =
                device_irq_in(&cpu->dev, "irq", virt_hart_wires[i].mip_bit);

            g_assert(out && in);
            irq_connect(out, in);
            irq_set_level(in, out->level);
        }
        if (sswi) {
            IrqLine *out = device_irq_out_n(sswi, "ssip", h);
            IrqLine *in = device_irq_in(&cpu->dev, "irq", IRQ_S_SOFT);

            g_assert(out && in);
            irq_connect(out, in);
        }
        cpu->get_time = aclint_mtimer_get_time;
        cpu->time_opaque = mtimer;
    }
}

/*
 * -bios: NULL or "default" = the distribution's OpenSBI if present (not
 * under the qtest accelerator), "none" = nothing, else the file.
 */
static bool virt_load_firmware(Machine *m, uint64_t *end, GError **errp)
{
    const char *fw = m->firmware;

    *end = VIRT_DRAM_BASE;
    if (fw && !strcmp(fw, "none")) {
        return true;
    }
    if (!fw || !strcmp(fw, "default")) {
        if (loop_qtest_clock() ||
            !g_file_test(VIRT_DEFAULT_FIRMWARE, G_FILE_TEST_EXISTS)) {
            return true;
        }
        fw = VIRT_DEFAULT_FIRMWARE;
    }
    return riscv_boot_load_firmware(fw, VIRT_DRAM_BASE, end, errp);
}

/* -rtc base= and clock= as goldfish-rtc properties. */
static char *virt_rtc_props(GError **errp)
{
    const Opts *rtc = emu_config_rtc();
    const char *clock = rtc ? opts_get(rtc, "clock") : NULL;
    int64_t base_ns;

    if (!goldfish_rtc_parse_base(rtc ? opts_get(rtc, "base") : NULL, &base_ns,
                                 errp)) {
        return NULL;
    }
    return g_strdup_printf("clock=%s,base-ns=%" PRId64, clock ? clock : "host",
                           base_ns);
}

static bool virt_init(Machine *m, GError **errp)
{
    VirtMachine *s = (VirtMachine *)m;
    const char *serial = machine_serial(0);
    g_autofree char *uart_props =
        serial ? g_strdup_printf("chardev=%s", serial) : NULL;
    g_autofree char *harts_props =
        g_strdup_printf("num-harts=%u", MAX(m->smp, 1u));
    g_autofree char *rtc_props = virt_rtc_props(errp);
    /* aclint=on: separate ACLINT nodes instead of one CLINT, and an SSWI */
    g_autofree char *mswi_props = g_strdup_printf(
        "%s,sifive-clint=%s", harts_props, s->aclint ? "off" : "on");
    const BoardDevice devices[] = {
        {"test", TYPE_SIFIVE_TEST, VIRT_TEST_BASE, NULL},
        {"rtc", TYPE_GOLDFISH_RTC, VIRT_RTC_BASE, rtc_props},
        {"mswi", TYPE_ACLINT_MSWI, VIRT_MSWI_BASE, mswi_props},
        {"mtimer", TYPE_ACLINT_MTIMER, VIRT_MTIMER_BASE, harts_props},
        {"plic", TYPE_PLIC, VIRT_PLIC_BASE, harts_props},
        {"uart0", TYPE_NS16550A, VIRT_UART0_BASE, uart_props},
        VIRT_VIRTIO(0),
        VIRT_VIRTIO(1),
        VIRT_VIRTIO(2),
        VIRT_VIRTIO(3),
        VIRT_VIRTIO(4),
        VIRT_VIRTIO(5),
        VIRT_VIRTIO(6),
        VIRT_VIRTIO(7),
        /* last: only with aclint=on */
        {"sswi", TYPE_ACLINT_SSWI, VIRT_SSWI_BASE, harts_props},
    };

    if (!rtc_props) {
        return false;
    }

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
    /* QEMU's values, but boards Benchtop does not build: say so */
    if (s->aia && strcmp(s->aia, "none") != 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "aia=%s is not supported: this virt board has a PLIC "
                    "(aia=none)",
                    s->aia);
        return false;
    }
    if (!machine_build(m, devices, G_N_ELEMENTS(devices) - !s->aclint,
                       virt_wires, G_N_ELEMENTS(virt_wires), errp)) {
        return false;
    }
    if (!riscv_boot_create_harts(m, MAX(m->smp, 1u), errp) ||
        !riscv_boot_rom_setup(m, VIRT_DRAM_BASE, errp)) {
        return false;
    }
    if (m->dtb) {
        s->dtb = fdt_ctx_new_from_file(&m->obj, m->dtb, errp);
        if (!s->dtb) {
            return false;
        }
    }
    virt_connect_harts(m);
    return true;
}

/* ---- machine done: images and device tree (virt-machine.md §6.3, §6.4) */

#define VIRT_MiB          (UINT64_C(1) << 20)
#define VIRT_FDT_LIMIT    UINT64_C(0xc0000000) /* keep the FDT below 3 GiB */
#define VIRT_KERNEL_ALIGN (2 * VIRT_MiB)       /* RV64 */
#define VIRT_INITRD_MAX   (128 * VIRT_MiB)

/*
 * Device nodes in QEMU 7.2's creation order (each new node goes first in
 * /soc, so the blob lists them in reverse): CLINT (with aclint=on: MSWI,
 * MTIMER, SSWI), PLIC, virtio-mmio
 * slots 1..8, test (with /reboot and /poweroff), UART, RTC.  QEMU's
 * flash, PCIe, fw_cfg, platform-bus and pmu nodes are left out: Benchtop
 * has none of these.
 */
static const char *const virt_fdt_order[] = {
    "mswi",         "mtimer",       "sswi",         "plic",
    "virtio_mmio0", "virtio_mmio1", "virtio_mmio2", "virtio_mmio3",
    "virtio_mmio4", "virtio_mmio5", "virtio_mmio6", "virtio_mmio7",
    "test",         "uart0",        "rtc",          NULL,
};

/*
 * The tree QEMU 7.2's create_fdt() builds, from the object tree.
 * Deviation: /chosen/rng-seed is a fixed pseudo-random sequence, not new
 * randomness on every run (or, as QEMU does, on every system reset, which
 * copies this blob back unchanged), so that two runs of a guest are
 * identical.
 */
static FdtContext *virt_fdt_create(Machine *m, GError **errp)
{
    g_autoptr(FdtContext) ctx = fdt_ctx_new(&m->obj, "/soc");
    Device *uart = DEVICE(object_get_child(&m->obj, "uart0"));
    g_autoptr(GRand) rand = g_rand_new_with_seed(0x62656e63);
    uint32_t seed[8];
    hwaddr uart_base = 0;
    const char *soc, *mem, *chosen;

    fdt_ctx_setprop_string(ctx, "/", "model", "riscv-virtio,qemu");
    fdt_ctx_setprop_string(ctx, "/", "compatible", "riscv-virtio");
    fdt_ctx_setprop_cell(ctx, "/", "#size-cells", 2);
    fdt_ctx_setprop_cell(ctx, "/", "#address-cells", 2);
    soc = fdt_ctx_add_node(ctx, "/", "soc");
    fdt_ctx_setprop_empty(ctx, soc, "ranges");
    fdt_ctx_setprop_string(ctx, soc, "compatible", "simple-bus");
    fdt_ctx_setprop_cell(ctx, soc, "#size-cells", 2);
    fdt_ctx_setprop_cell(ctx, soc, "#address-cells", 2);
    if (!riscv_fdt_add_cpus(ctx, ACLINT_TIMEBASE_FREQ, errp)) {
        return NULL;
    }
    mem = fdt_ctx_add_node(ctx, "/", "memory@%x", VIRT_DRAM_BASE);
    fdt_ctx_setprop_reg(ctx, mem, VIRT_DRAM_BASE, m->ram_size);
    fdt_ctx_setprop_string(ctx, mem, "device_type", "memory");
    if (!fdt_ctx_add_device_nodes(ctx, virt_fdt_order, errp)) {
        return NULL;
    }
    chosen = fdt_ctx_add_node(ctx, "/", "chosen");
    if (uart && fdt_device_base(uart, &uart_base)) {
        g_autofree char *path =
            g_strdup_printf("/soc/serial@%" PRIx64, (uint64_t)uart_base);

        fdt_ctx_setprop_string(ctx, chosen, "stdout-path", path);
    }
    fdt_ctx_set_chosen(ctx, m->append, 0, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(seed); i++) {
        seed[i] = g_rand_int(rand);
    }
    fdt_ctx_setprop_cells(ctx, chosen, "rng-seed", seed, G_N_ELEMENTS(seed));
    if (!fdt_ctx_check(ctx, errp)) {
        return NULL;
    }
    return g_steal_pointer(&ctx);
}

/*
 * Copies @len bytes to guest RAM at @addr as a boot image (a system reset
 * copies it again); false if they do not fit.
 */
static bool virt_ram_write(Machine *m, uint64_t addr, const void *data,
                           uint64_t len)
{
    if (!m->ram || addr < VIRT_DRAM_BASE || len > m->ram_size ||
        addr - VIRT_DRAM_BASE > m->ram_size - len) {
        return false;
    }
    return machine_load_image(addr, data, len);
}

static uint64_t virt_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

/* Lowest physical address of the PT_LOAD segments of ELF64 @d. */
static bool virt_elf_low_addr(const uint8_t *d, gsize size, uint64_t *low)
{
    uint64_t phoff = size >= 64 ? virt_le(d + 32, 8) : 0;
    unsigned phentsize = size >= 64 ? (unsigned)virt_le(d + 54, 2) : 0;
    unsigned phnum = size >= 64 ? (unsigned)virt_le(d + 56, 2) : 0;
    bool found = false;

    if (phentsize < 56 || phoff > size ||
        (uint64_t)phnum * phentsize > size - phoff) {
        return false;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
        uint64_t paddr = virt_le(ph + 24, 8);

        if (virt_le(ph, 4) == 1 /* PT_LOAD */ && virt_le(ph + 40, 8) != 0 &&
            (!found || paddr < *low)) {
            *low = paddr;
            found = true;
        }
    }
    return found;
}

/*
 * -kernel: an ELF by its segments, entered at its lowest load address;
 * anything else raw at the first 2 MiB boundary after the firmware.
 * Deviation: U-Boot uImages are loaded raw.
 */
static bool virt_load_kernel(Machine *m, uint64_t fw_end, uint64_t *entry,
                             GError **errp)
{
    static const uint8_t elf_magic[] = {0x7f, 'E', 'L', 'F'};
    g_autofree gchar *data = NULL;
    gsize size = 0;
    uint64_t start =
        (fw_end + VIRT_KERNEL_ALIGN - 1) & ~(VIRT_KERNEL_ALIGN - 1);
    uint64_t end;
    int fd = open(m->kernel, O_RDONLY);

    if (fd < 0) {
        /* QEMU's ELF loader reports this on a line of its own (perror) */
        fprintf(stderr, "%s: %s\n", m->kernel, g_strerror(errno));
    } else {
        close(fd);
    }
    if (fd >= 0 && g_file_get_contents(m->kernel, &data, &size, NULL) &&
        size > 0) {
        const uint8_t *d = (const uint8_t *)data;

        if (size >= sizeof(elf_magic) &&
            !memcmp(d, elf_magic, sizeof(elf_magic))) {
            if (virt_elf_low_addr(d, size, entry) &&
                riscv_boot_load_firmware(m->kernel, start, &end, NULL)) {
                return true;
            }
        } else if (virt_ram_write(m, start, d, size)) {
            *entry = start;
            return true;
        }
    }
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "could not load kernel '%s'", m->kernel);
    return false;
}

/* -initrd: raw at kernel entry + min(RAM / 2, 128 MiB). */
static bool virt_load_initrd(Machine *m, uint64_t kernel_entry, uint64_t *start,
                             uint64_t *end, GError **errp)
{
    g_autofree gchar *data = NULL;
    gsize size = 0;

    *start = kernel_entry + MIN(m->ram_size / 2, VIRT_INITRD_MAX);
    if (!g_file_get_contents(m->initrd, &data, &size, NULL) ||
        !virt_ram_write(m, *start, data, size)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "could not load ramdisk '%s'", m->initrd);
        return false;
    }
    *end = *start + size;
    return true;
}

/*
 * Firmware, kernel, initrd, then the device tree: generated (or -dtb with
 * /chosen patched), packed, dumped for dumpdtb=, else copied whole to
 * align_down(min(RAM end, 3 GiB) - buffer size, 2 MiB), its address and
 * the kernel entry going into the MROM.
 */
static bool virt_machine_done(Machine *m, GError **errp)
{
    VirtMachine *s = (VirtMachine *)m;
    g_autoptr(FdtContext) ctx = g_steal_pointer(&s->dtb);
    uint64_t fw_end, entry = 0, initrd_start = 0, initrd_end = 0;
    uint64_t top = MIN(VIRT_DRAM_BASE + m->ram_size, VIRT_FDT_LIMIT);
    uint64_t fdt_addr;

    if (!virt_load_firmware(m, &fw_end, errp)) {
        return false;
    }
    if (ctx) {
        fdt_ctx_set_chosen(ctx, m->append, 0, 0);
    } else {
        ctx = virt_fdt_create(m, errp);
        if (!ctx) {
            return false;
        }
    }
    if (m->kernel) {
        if (!virt_load_kernel(m, fw_end, &entry, errp)) {
            return false;
        }
        if (m->initrd) {
            if (!virt_load_initrd(m, entry, &initrd_start, &initrd_end, errp)) {
                return false;
            }
            fdt_ctx_set_chosen(ctx, NULL, initrd_start, initrd_end);
        }
    }
    if (!fdt_ctx_finish(ctx, errp)) {
        return false;
    }
    if (m->dumpdtb) {
        if (!fdt_ctx_dump(ctx, m->dumpdtb, errp)) {
            return false;
        }
        m->dtb_dumped = true;
        return true;
    }
    fdt_addr = (top - fdt_ctx_buf_size(ctx)) & ~(2 * VIRT_MiB - 1);
    if (top < fdt_ctx_buf_size(ctx) ||
        !virt_ram_write(m, fdt_addr, fdt_ctx_blob(ctx),
                        fdt_ctx_buf_size(ctx))) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "not enough RAM for the device tree");
        return false;
    }
    riscv_boot_rom_set_fdt_addr(fdt_addr);
    riscv_boot_rom_set_next_addr(entry);
    return true;
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
    .numa_mem_supported = true,
    .init = virt_init,
    .done = virt_machine_done,
};
