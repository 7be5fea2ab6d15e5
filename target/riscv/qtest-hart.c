/* SPDX-License-Identifier: MIT */
/*
 * qtest extensions for hart control (docs/qtest-extensions.md, "Hart
 * control") and QEMU's RISC-V `csr` command (qtest-protocol.md §9).
 *
 *   hart_get HART REG              -> OK 0x%016x
 *   hart_set HART REG VAL          -> OK
 *   hart_step HART [N]             -> OK <retired> 0x<pc>
 *   hart_run HART until-pc PC MAXN -> OK <retired> 0x<pc>
 *   hart_run HART count N          -> OK <retired> 0x<pc>
 *   hart_priv HART                 -> OK M|S|U
 *   hart_last_trap HART            -> OK none | OK cause=.. tval=.. epc=..
 * priv=M|S csr get_csr|set_csr HART CSR VAL -> OK 0 <hex>
 *
 * HART is the mhartid.  REG: x0..x31, ABI names (zero ra sp ... t6, fp),
 * f0..f31 and FP ABI names (ft0 ... ft11), pc, priv, a CSR name or a CSR
 * number.  CSR access bypasses privilege but keeps WARL rules.  Stepping
 * advances virtual time by ns-per-insn per executed instruction unless the
 * tcg accelerator owns time.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "accel/accel.h"
#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/opts.h"
#include "qtest/qtest.h"
#include "target/riscv/cpu.h"
#include "target/riscv/insn.h"

static const char *const qhart_xnames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const qhart_fnames[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

typedef enum QHartRegKind {
    QHART_GPR,
    QHART_FPR,
    QHART_PC,
    QHART_PRIV,
    QHART_CSR,
} QHartRegKind;

typedef struct QHartReg {
    QHartRegKind kind;
    unsigned num;
} QHartReg;

/* "x5" / "f12" style: prefix then 0..31 in decimal. */
static bool qhart_numbered(const char *name, char prefix, unsigned *num)
{
    char *end;
    unsigned long v;

    if (name[0] != prefix || name[1] < '0' || name[1] > '9') {
        return false;
    }
    v = strtoul(name + 1, &end, 10);
    if (*end || v > 31) {
        return false;
    }
    *num = (unsigned)v;
    return true;
}

static bool qhart_parse_reg(const char *name, QHartReg *r)
{
    uint64_t v;
    int csr;

    if (qhart_numbered(name, 'x', &r->num)) {
        r->kind = QHART_GPR;
        return true;
    }
    if (qhart_numbered(name, 'f', &r->num)) {
        r->kind = QHART_FPR;
        return true;
    }
    for (unsigned i = 0; i < 32; i++) {
        if (!strcmp(name, qhart_xnames[i])) {
            r->kind = QHART_GPR;
            r->num = i;
            return true;
        }
        if (!strcmp(name, qhart_fnames[i])) {
            r->kind = QHART_FPR;
            r->num = i;
            return true;
        }
    }
    if (!strcmp(name, "fp")) {
        r->kind = QHART_GPR;
        r->num = 8;
        return true;
    }
    if (!strcmp(name, "pc")) {
        r->kind = QHART_PC;
        return true;
    }
    if (!strcmp(name, "priv")) {
        r->kind = QHART_PRIV;
        return true;
    }
    csr = riscv_csr_by_name(name);
    if (csr >= 0) {
        r->kind = QHART_CSR;
        r->num = (unsigned)csr;
        return true;
    }
    if (parse_u64(name, &v) && v < 4096) {
        r->kind = QHART_CSR;
        r->num = (unsigned)v;
        return true;
    }
    return false;
}

static const char *qhart_priv_name(unsigned priv)
{
    switch (priv) {
    case PRV_U:
        return "U";
    case PRV_S:
        return "S";
    default:
        return "M";
    }
}

/* Resolves words[1] to a hart, or replies FAIL and returns NULL. */
static RiscvHart *qhart_get_hart(QTestServer *s, char **words, int nwords,
                                 int need)
{
    uint64_t id;
    RiscvHart *cpu;

    if (nwords < need) {
        qtest_send_reply(s, "FAIL missing argument");
        return NULL;
    }
    if (!parse_u64(words[1], &id)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", words[1]);
        return NULL;
    }
    cpu = id <= UINT32_MAX ? riscv_hart_by_id((uint32_t)id) : NULL;
    if (!cpu) {
        qtest_send_reply(s, "FAIL no hart %s", words[1]);
        return NULL;
    }
    return cpu;
}

static void qhart_cmd_get(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 3);
    QHartReg r;
    uint64_t v = 0;

    if (!cpu) {
        return;
    }
    if (!qhart_parse_reg(words[2], &r)) {
        qtest_send_reply(s, "FAIL unknown register '%s'", words[2]);
        return;
    }
    switch (r.kind) {
    case QHART_GPR:
        v = cpu->gpr[r.num];
        break;
    case QHART_FPR:
        v = cpu->fpr[r.num];
        break;
    case QHART_PC:
        v = cpu->pc;
        break;
    case QHART_PRIV:
        v = cpu->priv;
        break;
    case QHART_CSR:
        if (!riscv_csr_read_debug(cpu, r.num, &v)) {
            qtest_send_reply(s, "FAIL no CSR '%s'", words[2]);
            return;
        }
        break;
    }
    qtest_send_reply(s, "OK 0x%016" PRIx64, v);
}

static bool qhart_parse_priv(const char *word, uint64_t *v)
{
    if (!strcmp(word, "M")) {
        *v = PRV_M;
    } else if (!strcmp(word, "S")) {
        *v = PRV_S;
    } else if (!strcmp(word, "U")) {
        *v = PRV_U;
    } else if (!parse_u64(word, v)) {
        return false;
    }
    return *v == PRV_M || *v == PRV_S || *v == PRV_U;
}

static void qhart_cmd_set(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 4);
    QHartReg r;
    uint64_t v;

    if (!cpu) {
        return;
    }
    if (!qhart_parse_reg(words[2], &r)) {
        qtest_send_reply(s, "FAIL unknown register '%s'", words[2]);
        return;
    }
    if (r.kind == QHART_PRIV) {
        if (!qhart_parse_priv(words[3], &v)) {
            qtest_send_reply(s, "FAIL invalid privilege '%s'", words[3]);
            return;
        }
        cpu->priv = (uint8_t)v;
        cpu->check_irq = true;
        qtest_send_reply(s, "OK");
        return;
    }
    if (!parse_u64(words[3], &v)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", words[3]);
        return;
    }
    switch (r.kind) {
    case QHART_GPR:
        riscv_set_gpr(cpu, r.num, v);
        break;
    case QHART_FPR:
        cpu->fpr[r.num] = v;
        break;
    case QHART_PC:
        cpu->pc = v;
        cpu->wfi = false;
        break;
    case QHART_PRIV:
        break;
    case QHART_CSR:
        if (!riscv_csr_write_debug(cpu, r.num, v)) {
            qtest_send_reply(s, "FAIL no CSR '%s'", words[2]);
            return;
        }
        break;
    }
    qtest_send_reply(s, "OK");
}

/*
 * Steps @cpu up to @max times, stopping early in WFI (nothing pending) or
 * when pc reaches @until (if @use_until).  Returns instructions retired.
 */
static uint64_t qhart_steps(RiscvHart *cpu, uint64_t max, bool use_until,
                            uint64_t until)
{
    uint64_t start = cpu->retired;
    MemOrigin origin = memory_get_origin();
    bool own_time = !accel_tcg_enabled();

    memory_set_origin(MEM_ORIGIN_HART);
    for (uint64_t i = 0; i < max; i++) {
        uint64_t before = cpu->exec_count;

        riscv_hart_step(cpu);
        if (cpu->exec_count == before) {
            break; /* asleep in WFI */
        }
        if (own_time) {
            clock_advance_to(clock_ns_after((int64_t)accel_tcg_ns_per_insn()));
        }
        if (use_until && cpu->pc == until) {
            break;
        }
    }
    memory_set_origin(origin);
    return cpu->retired - start;
}

static void qhart_reply_run(QTestServer *s, RiscvHart *cpu, uint64_t n)
{
    qtest_send_reply(s, "OK %" PRIu64 " 0x%016" PRIx64, n, cpu->pc);
}

static void qhart_cmd_step(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 2);
    uint64_t n = 1;

    if (!cpu) {
        return;
    }
    if (nwords >= 3 && !parse_u64(words[2], &n)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", words[2]);
        return;
    }
    qhart_reply_run(s, cpu, qhart_steps(cpu, n, false, 0));
}

static void qhart_cmd_run(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 4);
    uint64_t a, b = 0;

    if (!cpu) {
        return;
    }
    if (!parse_u64(words[3], &a)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", words[3]);
        return;
    }
    if (!strcmp(words[2], "count")) {
        qhart_reply_run(s, cpu, qhart_steps(cpu, a, false, 0));
        return;
    }
    if (strcmp(words[2], "until-pc") != 0) {
        qtest_send_reply(s, "FAIL unknown mode '%s' (until-pc or count)",
                         words[2]);
        return;
    }
    if (nwords < 5) {
        qtest_send_reply(s, "FAIL missing argument");
        return;
    }
    if (!parse_u64(words[4], &b)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", words[4]);
        return;
    }
    qhart_reply_run(s, cpu, qhart_steps(cpu, b, true, a));
}

static void qhart_cmd_priv(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 2);

    if (cpu) {
        qtest_send_reply(s, "OK %s", qhart_priv_name(cpu->priv));
    }
}

static void qhart_cmd_last_trap(QTestServer *s, char **words, int nwords)
{
    RiscvHart *cpu = qhart_get_hart(s, words, nwords, 2);

    if (!cpu) {
        return;
    }
    if (!cpu->has_trapped) {
        qtest_send_reply(s, "OK none");
        return;
    }
    qtest_send_reply(s,
                     "OK cause=0x%" PRIx64 " tval=0x%" PRIx64 " epc=0x%" PRIx64
                     " priv=%s",
                     cpu->last_cause, cpu->last_tval, cpu->last_epc,
                     qhart_priv_name(cpu->last_trap_priv));
}

/* csr get_csr|set_csr HART CSR VAL (QEMU >= 10.0) */
static void qhart_cmd_csr(QTestServer *s, char **words, int nwords)
{
    uint64_t hart, csrno, val, out;
    RiscvHart *cpu;
    bool set;

    if (nwords < 5) {
        qtest_send_reply(s, "FAIL missing argument");
        return;
    }
    if (!strcmp(words[1], "get_csr")) {
        set = false;
    } else if (!strcmp(words[1], "set_csr")) {
        set = true;
    } else {
        qtest_send_reply(s, "FAIL unknown csr operation '%s'", words[1]);
        return;
    }
    if (!parse_u64(words[2], &hart) || !parse_u64(words[3], &csrno) ||
        !parse_u64(words[4], &val)) {
        qtest_send_reply(s, "FAIL invalid number");
        return;
    }
    cpu = hart <= UINT32_MAX ? riscv_hart_by_id((uint32_t)hart) : NULL;
    if (!cpu) {
        qtest_send_reply(s, "FAIL no hart %s", words[2]);
        return;
    }
    if (csrno >= 4096 ||
        (set && !riscv_csr_write_debug(cpu, (unsigned)csrno, val)) ||
        !riscv_csr_read_debug(cpu, (unsigned)csrno, &out)) {
        qtest_send_reply(s, "FAIL illegal CSR access");
        return;
    }
    qtest_send_reply(s, "OK 0 %" PRIx64, out);
}

void riscv_qtest_register_commands(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    qtest_register_command("hart_get", qhart_cmd_get);
    qtest_register_command("hart_set", qhart_cmd_set);
    qtest_register_command("hart_step", qhart_cmd_step);
    qtest_register_command("hart_run", qhart_cmd_run);
    qtest_register_command("hart_priv", qhart_cmd_priv);
    qtest_register_command("hart_last_trap", qhart_cmd_last_trap);
    qtest_register_command("csr", qhart_cmd_csr);
}
