/* SPDX-License-Identifier: MIT */
/*
 * Register tables: reset values, masks (rw, w1c, w1s, rc), hooks, sub-width
 * accesses, unknown offsets, access directions, banked registers selected
 * by a hook and coverage counters, driven through regmap_ops directly.
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

#include "emu/device.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "emu/regmap.h"

/* Offsets of the fake device's registers. */
#define FAKE_ID     0x00
#define FAKE_CTRL   0x04
#define FAKE_STATUS 0x08
#define FAKE_EVENTS 0x0c
#define FAKE_COUNT  0x10
#define FAKE_CMD    0x14
#define FAKE_MODE   0x18
#define FAKE_RX     0x1c
#define FAKE_TX     0x1c
#define FAKE_INFO   0x20
/* 0x24 is a hole. */
#define FAKE_SHORT 0x28 /* 2-byte register */

enum {
    R_ID,
    R_CTRL,
    R_STATUS,
    R_EVENTS,
    R_COUNT,
    R_CMD,
    R_MODE,
    R_RX,
    R_TX,
    R_INFO,
    R_SHORT,
    R_NUM
};

typedef struct FakeState {
    Device parent; /* must be first */
    uint32_t regs[R_NUM];
    uint32_t count;   /* what COUNT reads */
    uint64_t cmd_val; /* last value the CMD hook got */
    unsigned cmd_writes;
    uint64_t mode_old; /* @old of the last MODE post_write */
    uint64_t mode_new; /* MODE's stored value seen by post_write */
    unsigned mode_posts;
} FakeState;

static uint64_t fake_count_read(Device *dev, const RegDesc *r)
{
    FakeState *s = (FakeState *)dev;

    return s->count++;
}

static void fake_cmd_write(Device *dev, const RegDesc *r, uint64_t val)
{
    FakeState *s = (FakeState *)dev;

    s->cmd_val = val;
    s->cmd_writes++;
}

static void fake_mode_post_write(Device *dev, const RegDesc *r, uint64_t old)
{
    FakeState *s = (FakeState *)dev;

    s->mode_old = old;
    s->mode_new = s->regs[R_MODE];
    s->mode_posts++;
}

static const RegDesc fake_regs[R_NUM] = {
    [R_ID] = REG(FAKE, ID, .reset = 0x12345678),
    [R_CTRL] =
        REG(FAKE, CTRL, .reset = 0x5, .rw = 0x0000ffff, .unimp = 0x80000000),
    [R_STATUS] = REG(FAKE, STATUS, .reset = 0x00000303, .w1c = 0x00000303,
                     .w1s = 0x00300000),
    [R_EVENTS] = REG(FAKE, EVENTS, .rw = 0xff, .rc = 0xf0),
    [R_COUNT] = REG(FAKE, COUNT, .read = fake_count_read),
    [R_CMD] = REG(FAKE, CMD, .reset = 0xaabbccdd, .write = fake_cmd_write),
    [R_MODE] = REG(FAKE, MODE, .reset = 0x11, .rw = 0xff,
                   .post_write = fake_mode_post_write),
    [R_RX] = REG(FAKE, RX, .access = REG_R, .reset = 0x41),
    [R_TX] = REG(FAKE, TX, .access = REG_W, .rw = 0xff),
    [R_INFO] = REG(FAKE, INFO, .access = REG_R, .reset = 0x7),
    [R_SHORT] = REG(FAKE, SHORT, .width = 2, .reset = 0x1ffff, .rw = 0xffff),
};

static const RegionDesc fake_region =
    REGION32("regs", 0x30, fake_regs, FakeState, regs);

typedef struct Fixture {
    FakeState s;
    RegCounters counters[R_NUM];
    RegRegion rr;
    char *logpath;
} Fixture;

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    g_autoptr(GError) err = NULL;
    int fd;

    f->s.parent.id = g_strdup("fake0");
    f->rr.desc = &fake_region;
    f->rr.dev = &f->s.parent;
    f->rr.counters = f->counters;
    f->rr.mapped_at = (hwaddr)-1;
    regmap_reset(&f->rr);

    fd = g_file_open_tmp("test-regmap-XXXXXX.log", &f->logpath, &err);
    assert_true(fd >= 0);
    close(fd);
    assert_true(log_set_file(f->logpath, &err));
    log_set_mask(0);
    memory_set_origin(MEM_ORIGIN_OTHER);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    log_set_mask(0);
    log_set_file(NULL, NULL);
    unlink(f->logpath);
    g_free(f->logpath);
    g_free(f->s.parent.id);
    g_free(f);
    return 0;
}

static char *read_log(Fixture *f)
{
    char *text = NULL;

    assert_true(g_file_get_contents(f->logpath, &text, NULL, NULL));
    return text;
}

static uint64_t rd(Fixture *f, hwaddr off, unsigned size)
{
    uint64_t v = 0xdeadbeefdeadbeefull;

    assert_int_equal(regmap_ops.read(&f->rr, off, size, &v), MEMTX_OK);
    return v;
}

static void wr(Fixture *f, hwaddr off, unsigned size, uint64_t val)
{
    assert_int_equal(regmap_ops.write(&f->rr, off, size, val), MEMTX_OK);
}

static void test_reset_values(void **state)
{
    Fixture *f = *state;

    assert_int_equal(rd(f, FAKE_ID, 4), 0x12345678);
    assert_int_equal(rd(f, FAKE_CTRL, 4), 0x5);
    assert_int_equal(rd(f, FAKE_STATUS, 4), 0x303);
    assert_int_equal(rd(f, FAKE_SHORT, 2), 0xffff); /* truncated to width */
    assert_int_equal(regmap_get(&f->rr, R_CMD), 0xaabbccdd);

    regmap_set(&f->rr, R_CTRL, 0x99);
    assert_int_equal(f->s.regs[R_CTRL], 0x99);
    regmap_reset(&f->rr);
    assert_int_equal(regmap_get(&f->rr, R_CTRL), 0x5);
}

static void test_rw_mask(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_CTRL, 4, 0x7fffabcd);
    assert_int_equal(rd(f, FAKE_CTRL, 4), 0xabcd);
    /* Read-only register: the write is dropped. */
    wr(f, FAKE_ID, 4, 0);
    assert_int_equal(rd(f, FAKE_ID, 4), 0x12345678);
}

static void test_w1c_w1s(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_STATUS, 4, 0x00000001);
    assert_int_equal(rd(f, FAKE_STATUS, 4), 0x302);
    wr(f, FAKE_STATUS, 4, 0x00100000);
    assert_int_equal(rd(f, FAKE_STATUS, 4), 0x00100302);
    /* Writing 0 changes nothing. */
    wr(f, FAKE_STATUS, 4, 0);
    assert_int_equal(rd(f, FAKE_STATUS, 4), 0x00100302);
    /* A byte write to byte 1 clears only bits in byte 1. */
    wr(f, FAKE_STATUS + 1, 1, 0x02);
    assert_int_equal(rd(f, FAKE_STATUS, 4), 0x00100102);
}

static void test_read_clears(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_EVENTS, 4, 0xff);
    assert_int_equal(rd(f, FAKE_EVENTS, 4), 0xff);
    assert_int_equal(rd(f, FAKE_EVENTS, 4), 0x0f);
}

static void test_read_hook(void **state)
{
    Fixture *f = *state;

    f->s.count = 41;
    assert_int_equal(rd(f, FAKE_COUNT, 4), 41);
    assert_int_equal(rd(f, FAKE_COUNT, 4), 42);
}

static void test_write_hook_gets_merged_value(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_CMD, 4, 0x01020304);
    assert_int_equal(f->s.cmd_writes, 1);
    assert_int_equal(f->s.cmd_val, 0x01020304);
    /* The hook replaces the store. */
    assert_int_equal(regmap_get(&f->rr, R_CMD), 0xaabbccdd);

    /* A byte write inside merges with the stored bytes. */
    wr(f, FAKE_CMD + 2, 1, 0x55);
    assert_int_equal(f->s.cmd_val, 0xaa55ccdd);
    /* A 2-byte write at the start widens with the stored upper bytes. */
    wr(f, FAKE_CMD, 2, 0x1234);
    assert_int_equal(f->s.cmd_val, 0xaabb1234);
}

static void test_post_write_sees_old_value(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_MODE, 4, 0x1a2);
    assert_int_equal(f->s.mode_posts, 1);
    assert_int_equal(f->s.mode_old, 0x11);
    assert_int_equal(f->s.mode_new, 0xa2);
    wr(f, FAKE_MODE, 4, 0x3);
    assert_int_equal(f->s.mode_old, 0xa2);
}

static void test_sub_width_accesses(void **state)
{
    Fixture *f = *state;

    wr(f, FAKE_CTRL, 4, 0x0000beef);
    /* Reads at the register start truncate; inside, shift. */
    assert_int_equal(rd(f, FAKE_CTRL, 1), 0xef);
    assert_int_equal(rd(f, FAKE_CTRL, 2), 0xbeef);
    assert_int_equal(rd(f, FAKE_CTRL + 1, 1), 0xbe);
    assert_int_equal(rd(f, FAKE_CTRL + 1, 2), 0x00be);
    assert_int_equal(rd(f, FAKE_CTRL, 8), 0xbeef);

    /* Byte writes merge with the other bytes. */
    wr(f, FAKE_CTRL + 1, 1, 0x12);
    assert_int_equal(rd(f, FAKE_CTRL, 4), 0x12ef);
    wr(f, FAKE_CTRL, 1, 0x34);
    assert_int_equal(rd(f, FAKE_CTRL, 4), 0x1234);
    /* Bytes beyond the rw mask stay 0. */
    wr(f, FAKE_CTRL + 2, 2, 0xffff);
    assert_int_equal(rd(f, FAKE_CTRL, 4), 0x1234);

    /* A 2-byte register accessed with 4 bytes gets its low half. */
    wr(f, FAKE_SHORT, 4, 0xabcd1234);
    assert_int_equal(rd(f, FAKE_SHORT, 4), 0x1234);
}

static void test_unknown_offset(void **state)
{
    Fixture *f = *state;
    g_autofree char *text = NULL;

    log_set_mask(LOG_GUEST_ERROR);
    assert_int_equal(rd(f, 0x24, 4), 0);
    wr(f, 0x24, 2, 0x1234);
    text = read_log(f);
    assert_string_equal(text, "fake0: invalid read of size 4 at offset 0x24 "
                              "(region regs)\n"
                              "fake0: invalid write of size 2 at offset 0x24 "
                              "(region regs)\n");
    /* Nothing changed anywhere. */
    for (unsigned i = 0; i < R_NUM; i++) {
        assert_int_equal(f->counters[i].writes[MEM_ORIGIN_OTHER], 0);
    }
}

static void test_unknown_offset_silent_without_mask(void **state)
{
    Fixture *f = *state;
    g_autofree char *text = NULL;

    assert_int_equal(rd(f, 0x2c, 4), 0);
    text = read_log(f);
    assert_string_equal(text, "");
}

static void test_direction_flags(void **state)
{
    Fixture *f = *state;
    g_autofree char *text = NULL;

    /* RX (read) and TX (write) share 0x1c. */
    assert_int_equal(rd(f, FAKE_RX, 4), 0x41);
    wr(f, FAKE_TX, 4, 0x5a);
    assert_int_equal(regmap_get(&f->rr, R_TX), 0x5a);
    assert_int_equal(regmap_get(&f->rr, R_RX), 0x41);
    assert_int_equal(rd(f, FAKE_RX, 4), 0x41);

    /* INFO is read-only: a write finds no register. */
    log_set_mask(LOG_GUEST_ERROR);
    wr(f, FAKE_INFO, 4, 0xff);
    assert_int_equal(regmap_get(&f->rr, R_INFO), 0x7);
    text = read_log(f);
    assert_string_equal(text, "fake0: invalid write of size 4 at offset "
                              "0x20 (region regs)\n");
}

static void test_unimp_logged(void **state)
{
    Fixture *f = *state;
    g_autofree char *text = NULL;

    log_set_mask(LOG_UNIMP);
    wr(f, FAKE_CTRL, 4, 0x1);
    wr(f, FAKE_CTRL, 4, 0x80000001);
    text = read_log(f);
    assert_non_null(strstr(text, "fake0: unimplemented bits 0x80000000 "
                                 "written to CTRL"));
    /* Only the second write logged. */
    assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
}

static void test_register_trace(void **state)
{
    Fixture *f = *state;
    g_autofree char *text = NULL;

    log_set_mask(LOG_REGS);
    wr(f, FAKE_MODE, 4, 0x42);
    rd(f, FAKE_MODE, 4);
    text = read_log(f);
    assert_string_equal(text, "fake0 MODE write 0x42\n"
                              "fake0 MODE read 0x42\n");
}

static void test_coverage_counters(void **state)
{
    Fixture *f = *state;

    rd(f, FAKE_ID, 4);
    memory_set_origin(MEM_ORIGIN_QTEST);
    rd(f, FAKE_ID, 4);
    rd(f, FAKE_ID + 2, 2);
    wr(f, FAKE_CTRL, 4, 1);
    memory_set_origin(MEM_ORIGIN_HART);
    wr(f, FAKE_TX, 1, 1);
    memory_set_origin(MEM_ORIGIN_OTHER);

    assert_int_equal(f->counters[R_ID].reads[MEM_ORIGIN_OTHER], 1);
    assert_int_equal(f->counters[R_ID].reads[MEM_ORIGIN_QTEST], 2);
    assert_int_equal(f->counters[R_ID].writes[MEM_ORIGIN_QTEST], 0);
    assert_int_equal(f->counters[R_CTRL].writes[MEM_ORIGIN_QTEST], 1);
    assert_int_equal(f->counters[R_TX].writes[MEM_ORIGIN_HART], 1);
    assert_int_equal(f->counters[R_RX].reads[MEM_ORIGIN_HART], 0);
}

static void test_find_and_width_mask(void **state)
{
    assert_int_equal(regmap_find(&fake_region, "MODE"), R_MODE);
    assert_int_equal(regmap_find(&fake_region, "TX"), R_TX);
    assert_int_equal(regmap_find(&fake_region, "NOPE"), -1);
    assert_int_equal(regmap_width_mask(&fake_region, &fake_regs[R_SHORT]),
                     0xffff);
    assert_int_equal(regmap_width_mask(&fake_region, &fake_regs[R_ID]),
                     0xffffffff);
}

/* ---- banked registers chosen by a select hook, 64-bit storage ---- */

#define BANK_DLL 0x0
#define BANK_RBR 0x0
#define BANK_LCR 0x8

enum { B_DLL, B_RBR, B_LCR, B_NUM };

typedef struct BankState {
    Device parent; /* must be first */
    uint64_t regs[B_NUM];
} BankState;

static int bank_select(Device *dev, hwaddr off, bool is_write)
{
    BankState *s = (BankState *)dev;

    if (off < 8) {
        return (s->regs[B_LCR] & 0x80) ? B_DLL : B_RBR;
    }
    if (off < 16) {
        return B_LCR;
    }
    return -1;
}

static const RegDesc bank_regs[B_NUM] = {
    [B_DLL] = REG(BANK, DLL, .rw = UINT64_MAX, .reset = 0x0c),
    [B_RBR] = REG(BANK, RBR, .reset = 0x1122334455667788ull),
    [B_LCR] = REG(BANK, LCR, .rw = 0xff),
};

static const RegionDesc bank_region =
    REGION64("regs", 0x20, bank_regs, BankState, regs, .select = bank_select);

static void test_select_hook_banks(void **state)
{
    BankState s = {0};
    RegCounters counters[B_NUM] = {0};
    RegRegion rr = {
        .desc = &bank_region,
        .dev = &s.parent,
        .counters = counters,
    };
    uint64_t v;

    regmap_reset(&rr);
    assert_int_equal(regmap_ops.read(&rr, 0, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0x1122334455667788ull);
    assert_int_equal(regmap_ops.read(&rr, 4, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0x11223344);

    regmap_ops.write(&rr, BANK_LCR, 1, 0x80);
    assert_int_equal(regmap_ops.read(&rr, 0, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0x0c);
    regmap_ops.write(&rr, 0, 8, 0xfedcba9876543210ull);
    assert_int_equal(s.regs[B_DLL], 0xfedcba9876543210ull);
    assert_int_equal(s.regs[B_RBR], 0x1122334455667788ull);
    assert_int_equal(counters[B_DLL].writes[MEM_ORIGIN_OTHER], 1);
    assert_int_equal(counters[B_RBR].reads[MEM_ORIGIN_OTHER], 2);

    /* select says "no register". */
    assert_int_equal(regmap_ops.read(&rr, 0x18, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values),
        T(test_rw_mask),
        T(test_w1c_w1s),
        T(test_read_clears),
        T(test_read_hook),
        T(test_write_hook_gets_merged_value),
        T(test_post_write_sees_old_value),
        T(test_sub_width_accesses),
        T(test_unknown_offset),
        T(test_unknown_offset_silent_without_mask),
        T(test_direction_flags),
        T(test_unimp_logged),
        T(test_register_trace),
        T(test_coverage_counters),
        T(test_find_and_width_mask),
        cmocka_unit_test(test_select_hook_banks),
    };
    return cmocka_run_group_tests_name("regmap", tests, NULL, NULL);
}
