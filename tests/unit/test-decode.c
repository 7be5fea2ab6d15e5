/* SPDX-License-Identifier: MIT */
/*
 * Decoder tests: the instruction lists of every insn-*.def have no
 * overlapping encodings, every encoding (with random don't-care bits)
 * decodes to its own descriptor, and RV64C parcels expand to the 32-bit
 * instructions the unprivileged spec (ch. 16) maps them to.
 */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "target/riscv/insn.h"

static void test_decode_no_overlaps(void **state)
{
    unsigned overlaps = 0;

    for (unsigned i = 0; i < riscv_insn_count; i++) {
        for (unsigned j = i + 1; j < riscv_insn_count; j++) {
            const RiscvInsnDesc *a = &riscv_insns[i];
            const RiscvInsnDesc *b = &riscv_insns[j];

            if (((a->match ^ b->match) & a->mask & b->mask) == 0) {
                print_error("overlap: %s (%08x/%08x) and %s (%08x/%08x)\n",
                            a->name, a->match, a->mask, b->name, b->match,
                            b->mask);
                overlaps++;
            }
        }
    }
    assert_int_equal(overlaps, 0);
}

static void test_decode_match_within_mask(void **state)
{
    for (unsigned i = 0; i < riscv_insn_count; i++) {
        const RiscvInsnDesc *d = &riscv_insns[i];

        assert_int_equal(d->match & ~d->mask, 0);
        assert_int_equal(d->match & 3, 3);
        assert_non_null(d->exec);
    }
}

static void test_decode_every_encoding(void **state)
{
    g_autoptr(GRand) rnd = g_rand_new_with_seed(12345);

    assert_true(riscv_insn_count > 150); /* I M A Zb* system (+ F D) */
    for (unsigned i = 0; i < riscv_insn_count; i++) {
        const RiscvInsnDesc *d = &riscv_insns[i];

        assert_ptr_equal(riscv_decode(d->match), d);
        for (unsigned k = 0; k < 64; k++) {
            uint32_t insn = d->match | (g_rand_int(rnd) & ~d->mask);

            if (riscv_decode(insn) != d) {
                print_error("%s: %08x decodes to %s\n", d->name, insn,
                            riscv_decode(insn) ? riscv_decode(insn)->name
                                               : "nothing");
                fail();
            }
        }
    }
}

static void test_decode_known_words(void **state)
{
    static const struct {
        uint32_t insn;
        const char *name;
    } words[] = {
        {0x00000013, "addi"},       {0x0100000f, "fence"}, /* pause */
        {0x8330000f, "fence"},                             /* fence.tso */
        {0x0000100f, "fence_i"},    {0x00000073, "ecall"},
        {0x00100073, "ebreak"},     {0x30200073, "mret"},
        {0x10200073, "sret"},       {0x10500073, "wfi"},
        {0x12000073, "sfence_vma"}, {0xf1402573, "csrrs"},
        {0x02a5c533, "div"},        {0x1005252f, "lr_w"},
        {0x60051513, "clz"},        {0x6b855513, "rev8"},
        {0x28755513, "orc_b"},      {0x08a5053b, "add_uw"},
        {0x0855151b, "slli_uw"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        const RiscvInsnDesc *d = riscv_decode(words[i].insn);

        assert_non_null(d);
        assert_string_equal(d->name, words[i].name);
    }
}

static void test_decode_illegal_words(void **state)
{
    static const uint32_t words[] = {
        0x00000000,
        0xffffffff,
        0x0200101b,              /* slliw with imm bit 5 */
        0x02001013 | 0x80000000, /* slli with funct6 != 0 */
        0x0000707f,
        0x00002077, /* opcode 1110111 unused */
        0x30200074,
        0x10000073,              /* uret (absent) */
        0x7b200073,              /* dret (absent) */
        0x1005352f | (1u << 20), /* lr.d with rs2 != 0 */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        if (riscv_decode(words[i])) {
            print_error("%08x decodes to %s\n", words[i],
                        riscv_decode(words[i])->name);
            fail();
        }
    }
    /* a 16-bit parcel is never a 32-bit instruction */
    assert_null(riscv_decode(0x00000001));
}

/* {parcel, expansion} from an assembler (c.X vs. its 32-bit form) */
static const struct {
    uint16_t c;
    uint32_t insn;
} rvc_table[] = {
    {0x0808, 0x01010513}, /* c.addi4spn a0, sp, 16 */
    {0x1fe4, 0x3fc10493}, /* c.addi4spn s1, sp, 1020 */
    {0x2588, 0x0085b507}, /* c.fld fa0, 8(a1) */
    {0x3c64, 0x0f843487}, /* c.fld fs1, 248(s0) */
    {0x41c8, 0x0045a503}, /* c.lw a0, 4(a1) */
    {0x5f7c, 0x07c72783}, /* c.lw a5, 124(a4) */
    {0x7de8, 0x0f85b503}, /* c.ld a0, 248(a1) */
    {0xa588, 0x00a5b427}, /* c.fsd fa0, 8(a1) */
    {0xdef0, 0x06c6ae23}, /* c.sw a2, 124(a3) */
    {0xe690, 0x00c6b423}, /* c.sd a2, 8(a3) */
    {0xffe0, 0x0e87bc23}, /* c.sd s0, 248(a5) */
    {0x0001, 0x00000013}, /* c.nop */
    {0x157d, 0xfff50513}, /* c.addi a0, -1 */
    {0x0ffd, 0x01ff8f93}, /* c.addi t6, 31 */
    {0x257d, 0x01f5051b}, /* c.addiw a0, 31 */
    {0x3d81, 0xfe0d8d9b}, /* c.addiw s11, -32 */
    {0x5781, 0xfe000793}, /* c.li a5, -32 */
    {0x409d, 0x00700093}, /* c.li ra, 7 */
    {0x7101, 0xe0010113}, /* c.addi16sp sp, -512 */
    {0x617d, 0x1f010113}, /* c.addi16sp sp, 496 */
    {0x6141, 0x01010113}, /* c.addi16sp sp, 16 */
    {0x6505, 0x00001537}, /* c.lui a0, 1 */
    {0x757d, 0xfffff537}, /* c.lui a0, 0xfffff */
    {0x62fd, 0x0001f2b7}, /* c.lui t0, 0x1f */
    {0x7281, 0xfffe02b7}, /* c.lui t0, 0xfffe0 */
    {0x917d, 0x03f55513}, /* c.srli a0, 63 */
    {0x8005, 0x00145413}, /* c.srli s0, 1 */
    {0x8585, 0x4015d593}, /* c.srai a1, 1 */
    {0x9581, 0x4205d593}, /* c.srai a1, 32 */
    {0x9a7d, 0xfff67613}, /* c.andi a2, -1 */
    {0x8a7d, 0x01f67613}, /* c.andi a2, 31 */
    {0x8d0d, 0x40b50533}, /* c.sub a0, a1 */
    {0x8c3d, 0x00f44433}, /* c.xor s0, a5 */
    {0x8ed9, 0x00e6e6b3}, /* c.or a3, a4 */
    {0x8f65, 0x00977733}, /* c.and a4, s1 */
    {0x9d0d, 0x40b5053b}, /* c.subw a0, a1 */
    {0x9fa1, 0x008787bb}, /* c.addw a5, s0 */
    {0xb001, 0x801ff06f}, /* c.j -2048 */
    {0xaffd, 0x7fe0006f}, /* c.j 2046 */
    {0xa009, 0x0020006f}, /* c.j 2 */
    {0xab91, 0x5540006f}, /* c.j 1364 */
    {0xd101, 0xf00500e3}, /* c.beqz a0, -256 */
    {0xedfd, 0x0e059f63}, /* c.bnez a1, 254 */
    {0xe44d, 0x0a041563}, /* c.bnez s0, 170 */
    {0x157e, 0x03f51513}, /* c.slli a0, 63 */
    {0x0f86, 0x001f9f93}, /* c.slli t6, 1 */
    {0x357e, 0x1f813507}, /* c.fldsp fa0, 504(sp) */
    {0x20a2, 0x00813087}, /* c.fldsp ft1, 8(sp) */
    {0x557e, 0x0fc12503}, /* c.lwsp a0, 252(sp) */
    {0x4292, 0x00412283}, /* c.lwsp t0, 4(sp) */
    {0x757e, 0x1f813503}, /* c.ldsp a0, 504(sp) */
    {0x7da2, 0x02813d83}, /* c.ldsp s11, 40(sp) */
    {0x8082, 0x00008067}, /* c.jr ra */
    {0x852e, 0x00b00533}, /* c.mv a0, a1 */
    {0x9002, 0x00100073}, /* c.ebreak */
    {0x9502, 0x000500e7}, /* c.jalr a0 */
    {0x952e, 0x00b50533}, /* c.add a0, a1 */
    {0xbfaa, 0x1ea13c27}, /* c.fsdsp fa0, 504(sp) */
    {0xdfaa, 0x0ea12e23}, /* c.swsp a0, 252(sp) */
    {0xffaa, 0x1ea13c23}, /* c.sdsp a0, 504(sp) */
    {0xe476, 0x01d13423}, /* c.sdsp t4, 8(sp) */
};

static void test_rvc_expansion_table(void **state)
{
    for (size_t i = 0; i < G_N_ELEMENTS(rvc_table); i++) {
        uint32_t got = riscv_expand_compressed(rvc_table[i].c);

        if (got != rvc_table[i].insn) {
            print_error("%04x expands to %08x, want %08x\n", rvc_table[i].c,
                        got, rvc_table[i].insn);
            fail();
        }
    }
}

static void test_rvc_reserved(void **state)
{
    static const uint16_t reserved[] = {
        0x0000, /* c.illegal */
        0x0004, /* c.addi4spn nzuimm=0 */
        0x6101, /* c.addi16sp nzimm=0 */
        0x6081, /* c.lui nzimm=0 */
        0x8002, /* c.jr rs1=0 */
        0x4002, /* c.lwsp rd=0 */
        0x6002, /* c.ldsp rd=0 */
        0x2001, /* c.addiw rd=0 */
        0x8000, /* quadrant 0 funct3 100 */
        0x9c41, /* c.subw/c.addw slot funct2 10 */
        0x9c61, /* funct2 11 */
        0x0003, /* not a compressed parcel */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++) {
        assert_int_equal(riscv_expand_compressed(reserved[i]), 0);
    }
}

static void test_rvc_hints_expand(void **state)
{
    /* HINTs are ordinary instructions writing x0 */
    assert_int_equal(riscv_expand_compressed(0x0005), 0x00100013); /* c.nop 1 */
    assert_int_equal(riscv_expand_compressed(0x4005), 0x00100013); /* c.li x0 */
    assert_int_equal(riscv_expand_compressed(0x8006), 0x00100033); /* c.mv x0 */
    assert_int_equal(riscv_expand_compressed(0x0502), 0x00051513);
}

static void test_rvc_every_parcel_decodes(void **state)
{
    unsigned legal = 0;

    for (unsigned c = 0; c < 0x10000; c++) {
        uint32_t insn;

        if ((c & 3) == 3) {
            continue;
        }
        insn = riscv_expand_compressed((uint16_t)c);
        if (!insn) {
            continue;
        }
        legal++;
        if (!riscv_decode(insn)) {
            print_error("%04x expands to %08x, which does not decode\n", c,
                        insn);
            fail();
        }
    }
    assert_true(legal > 45000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_no_overlaps),
        cmocka_unit_test(test_decode_match_within_mask),
        cmocka_unit_test(test_decode_every_encoding),
        cmocka_unit_test(test_decode_known_words),
        cmocka_unit_test(test_decode_illegal_words),
        cmocka_unit_test(test_rvc_expansion_table),
        cmocka_unit_test(test_rvc_reserved),
        cmocka_unit_test(test_rvc_hints_expand),
        cmocka_unit_test(test_rvc_every_parcel_decodes),
    };

    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
