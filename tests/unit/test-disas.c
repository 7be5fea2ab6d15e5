/* SPDX-License-Identifier: MIT */
/*
 * Disassembler tests.  The expected strings were produced once by
 * `riscv64-linux-gnu-objdump -d -M no-aliases` (binutils 2.40) on a linked,
 * stripped image at 0x80000000 holding two encodings of every instruction
 * of the insn-*.def tables (random don't-care bits, valid rounding modes,
 * CSR numbers from a fixed set), with objdump's tab turned into one space
 * and its "# ..." comments dropped.  Compressed parcels print as their
 * expansion; their expected strings are objdump's text for the 32-bit
 * instruction the assembler emits for the expanded form.
 */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "target/riscv/disas.h"
#include "target/riscv/insn.h"

typedef struct DisasCase {
    uint64_t pc;
    uint32_t bits;
    const char *text;
} DisasCase;

/* clang-format off */
static const DisasCase disas_objdump[] = {
    {0x80000000, 0x1206a42f, "lr.w.rl s0,(a3)"},
    {0x80000004, 0x12072daf, "lr.w.rl s11,(a4)"},
    {0x80000008, 0x1e9e2d2f, "sc.w.aqrl s10,s1,(t3)"},
    {0x8000000c, 0x1d13272f, "sc.w.aq a4,a7,(t1)"},
    {0x80000010, 0x0ea3a42f, "amoswap.w.aqrl s0,a0,(t2)"},
    {0x80000014, 0x0c5c2faf, "amoswap.w.aq t6,t0,(s8)"},
    {0x80000018, 0x028b2f2f, "amoadd.w.rl t5,s0,(s6)"},
    {0x8000001c, 0x023f282f, "amoadd.w.rl a6,gp,(t5)"},
    {0x80000020, 0x212fa02f, "amoxor.w zero,s2,(t6)"},
    {0x80000024, 0x2018a82f, "amoxor.w a6,ra,(a7)"},
    {0x80000028, 0x659da9af, "amoand.w.aq s3,s9,(s11)"},
    {0x8000002c, 0x6531a82f, "amoand.w.aq a6,s3,(gp)"},
    {0x80000030, 0x46d9242f, "amoor.w.aqrl s0,a3,(s2)"},
    {0x80000034, 0x40e22daf, "amoor.w s11,a4,(tp)"},
    {0x80000038, 0x81e72eaf, "amomin.w t4,t5,(a4)"},
    {0x8000003c, 0x86f625af, "amomin.w.aqrl a1,a5,(a2)"},
    {0x80000040, 0xa19920af, "amomax.w ra,s9,(s2)"},
    {0x80000044, 0xa600a32f, "amomax.w.aqrl t1,zero,(ra)"},
    {0x80000048, 0xc703272f, "amominu.w.aqrl a4,a6,(t1)"},
    {0x8000004c, 0xc30d24af, "amominu.w.rl s1,a6,(s10)"},
    {0x80000050, 0xe1e22baf, "amomaxu.w s7,t5,(tp)"},
    {0x80000054, 0xe59c272f, "amomaxu.w.aq a4,s9,(s8)"},
    {0x80000058, 0x1608b7af, "lr.d.aqrl a5,(a7)"},
    {0x8000005c, 0x14013eaf, "lr.d.aq t4,(sp)"},
    {0x80000060, 0x1cad3a2f, "sc.d.aq s4,a0,(s10)"},
    {0x80000064, 0x1f21bdaf, "sc.d.aqrl s11,s2,(gp)"},
    {0x80000068, 0x0bacb4af, "amoswap.d.rl s1,s10,(s9)"},
    {0x8000006c, 0x08c1b2af, "amoswap.d t0,a2,(gp)"},
    {0x80000070, 0x07b13c2f, "amoadd.d.aqrl s8,s11,(sp)"},
    {0x80000074, 0x028c302f, "amoadd.d.rl zero,s0,(s8)"},
    {0x80000078, 0x2126302f, "amoxor.d zero,s2,(a2)"},
    {0x8000007c, 0x2170b32f, "amoxor.d t1,s7,(ra)"},
    {0x80000080, 0x609f36af, "amoand.d a3,s1,(t5)"},
    {0x80000084, 0x653f38af, "amoand.d.aq a7,s3,(t5)"},
    {0x80000088, 0x429d3daf, "amoor.d.rl s11,s1,(s10)"},
    {0x8000008c, 0x47d630af, "amoor.d.aqrl ra,t4,(a2)"},
    {0x80000090, 0x83bd34af, "amomin.d.rl s1,s11,(s10)"},
    {0x80000094, 0x85e63aaf, "amomin.d.aq s5,t5,(a2)"},
    {0x80000098, 0xa58cba2f, "amomax.d.aq s4,s8,(s9)"},
    {0x8000009c, 0xa4b1b2af, "amomax.d.aq t0,a1,(gp)"},
    {0x800000a0, 0xc1ebbaaf, "amominu.d s5,t5,(s7)"},
    {0x800000a4, 0xc098b1af, "amominu.d gp,s1,(a7)"},
    {0x800000a8, 0xe3ecb7af, "amomaxu.d.rl a5,t5,(s9)"},
    {0x800000ac, 0xe681b72f, "amomaxu.d.aqrl a4,s0,(gp)"},
    {0x800000b0, 0xdbc4b687, "fld fa3,-580(s1)"},
    {0x800000b4, 0x2217be87, "fld ft9,545(a5)"},
    {0x800000b8, 0x4a23b5a7, "fsd ft2,1195(t2)"},
    {0x800000bc, 0x6b4cb227, "fsd fs4,1700(s9)"},
    {0x800000c0, 0x22edc6c3, "fmadd.d fa3,fs11,fa4,ft4,rmm"},
    {0x800000c4, 0x1a27c1c3, "fmadd.d ft3,fa5,ft2,ft3,rmm"},
    {0x800000c8, 0x4af8ca47, "fmsub.d fs4,fa7,fa5,fs1,rmm"},
    {0x800000cc, 0xd2edf847, "fmsub.d fa6,fs11,fa4,fs10"},
    {0x800000d0, 0x2a4405cb, "fnmsub.d fa1,fs0,ft4,ft5,rne"},
    {0x800000d4, 0x92e3cfcb, "fnmsub.d ft11,ft7,fa4,fs2,rmm"},
    {0x800000d8, 0xa38f954f, "fnmadd.d fa0,ft11,fs8,fs4,rtz"},
    {0x800000dc, 0x5b55024f, "fnmadd.d ft4,fa0,fs5,fa1,rne"},
    {0x800000e0, 0x0238fb53, "fadd.d fs6,fa7,ft3"},
    {0x800000e4, 0x0212c053, "fadd.d ft0,ft5,ft1,rmm"},
    {0x800000e8, 0x0b4245d3, "fsub.d fa1,ft4,fs4,rmm"},
    {0x800000ec, 0x0ab9b5d3, "fsub.d fa1,fs3,fa1,rup"},
    {0x800000f0, 0x122ec153, "fmul.d ft2,ft9,ft2,rmm"},
    {0x800000f4, 0x1376f053, "fmul.d ft0,fa3,fs7"},
    {0x800000f8, 0x1a6bb2d3, "fdiv.d ft5,fs7,ft6,rup"},
    {0x800000fc, 0x1be731d3, "fdiv.d ft3,fa4,ft10,rup"},
    {0x80000100, 0x5a00a953, "fsqrt.d fs2,ft1,rdn"},
    {0x80000104, 0x5a08f253, "fsqrt.d ft4,fa7"},
    {0x80000108, 0x220501d3, "fsgnj.d ft3,fa0,ft0"},
    {0x8000010c, 0x22f10cd3, "fsgnj.d fs9,ft2,fa5"},
    {0x80000110, 0x23a29a53, "fsgnjn.d fs4,ft5,fs10"},
    {0x80000114, 0x227d1bd3, "fsgnjn.d fs7,fs10,ft7"},
    {0x80000118, 0x22f42353, "fsgnjx.d ft6,fs0,fa5"},
    {0x8000011c, 0x230d2ed3, "fsgnjx.d ft9,fs10,fa6"},
    {0x80000120, 0x2add0053, "fmin.d ft0,fs10,fa3"},
    {0x80000124, 0x2a730753, "fmin.d fa4,ft6,ft7"},
    {0x80000128, 0x2abf9253, "fmax.d ft4,ft11,fa1"},
    {0x8000012c, 0x2a0912d3, "fmax.d ft5,fs2,ft0"},
    {0x80000130, 0x401e75d3, "fcvt.s.d fa1,ft8"},
    {0x80000134, 0x4016ac53, "fcvt.s.d fs8,fa3,rdn"},
    {0x80000138, 0x42048cd3, "fcvt.d.s fs9,fs1"},
    {0x8000013c, 0x42098f53, "fcvt.d.s ft10,fs3"},
    {0x80000140, 0xa30a28d3, "feq.d a7,fs4,fa6"},
    {0x80000144, 0xa23aa4d3, "feq.d s1,fs5,ft3"},
    {0x80000148, 0xa3d39cd3, "flt.d s9,ft7,ft9"},
    {0x8000014c, 0xa3909853, "flt.d a6,ft1,fs9"},
    {0x80000150, 0xa2e80553, "fle.d a0,fa6,fa4"},
    {0x80000154, 0xa2ea8bd3, "fle.d s7,fs5,fa4"},
    {0x80000158, 0xe20c9fd3, "fclass.d t6,fs9"},
    {0x8000015c, 0xe2041c53, "fclass.d s8,fs0"},
    {0x80000160, 0xc2097cd3, "fcvt.w.d s9,fs2"},
    {0x80000164, 0xc20effd3, "fcvt.w.d t6,ft9"},
    {0x80000168, 0xc21e4d53, "fcvt.wu.d s10,ft8,rmm"},
    {0x8000016c, 0xc2127353, "fcvt.wu.d t1,ft4"},
    {0x80000170, 0xc221a1d3, "fcvt.l.d gp,ft3,rdn"},
    {0x80000174, 0xc22ea0d3, "fcvt.l.d ra,ft9,rdn"},
    {0x80000178, 0xc238bfd3, "fcvt.lu.d t6,fa7,rup"},
    {0x8000017c, 0xc2347353, "fcvt.lu.d t1,fs0"},
    {0x80000180, 0xe2098f53, "fmv.x.d t5,fs3"},
    {0x80000184, 0xe20a02d3, "fmv.x.d t0,fs4"},
    {0x80000188, 0xd20800d3, "fcvt.d.w ft1,a6"},
    {0x8000018c, 0xd2068ed3, "fcvt.d.w ft9,a3"},
    {0x80000190, 0xd21e8253, "fcvt.d.wu ft4,t4"},
    {0x80000194, 0xd2158153, "fcvt.d.wu ft2,a1"},
    {0x80000198, 0xd2287853, "fcvt.d.l fa6,a6"},
    {0x8000019c, 0xd224ab53, "fcvt.d.l fs6,s1,rdn"},
    {0x800001a0, 0xd23a4cd3, "fcvt.d.lu fs9,s4,rmm"},
    {0x800001a4, 0xd23bf953, "fcvt.d.lu fs2,s7"},
    {0x800001a8, 0xf20989d3, "fmv.d.x fs3,s3"},
    {0x800001ac, 0xf2058353, "fmv.d.x ft6,a1"},
    {0x800001b0, 0x48db2087, "flw ft1,1165(s6)"},
    {0x800001b4, 0xb774ab07, "flw fs6,-1161(s1)"},
    {0x800001b8, 0x62c32a27, "fsw fa2,1588(t1)"},
    {0x800001bc, 0xe31522a7, "fsw fa7,-475(a0)"},
    {0x800001c0, 0xa92ca343, "fmadd.s ft6,fs9,fs2,fs5,rdn"},
    {0x800001c4, 0x01c6bf43, "fmadd.s ft10,fa3,ft8,ft0,rup"},
    {0x800001c8, 0x58ff9247, "fmsub.s ft4,ft11,fa5,fa1,rtz"},
    {0x800001cc, 0x98650947, "fmsub.s fs2,fa0,ft6,fs3,rne"},
    {0x800001d0, 0x78628a4b, "fnmsub.s fs4,ft5,ft6,fa5,rne"},
    {0x800001d4, 0x31dc76cb, "fnmsub.s fa3,fs8,ft9,ft6"},
    {0x800001d8, 0x499513cf, "fnmadd.s ft7,fa0,fs9,fs1,rtz"},
    {0x800001dc, 0xb90511cf, "fnmadd.s ft3,fa0,fa6,fs7,rtz"},
    {0x800001e0, 0x01dcbf53, "fadd.s ft10,fs9,ft9,rup"},
    {0x800001e4, 0x00b477d3, "fadd.s fa5,fs0,fa1"},
    {0x800001e8, 0x091b0053, "fsub.s ft0,fs6,fa7,rne"},
    {0x800001ec, 0x0896bb53, "fsub.s fs6,fa3,fs1,rup"},
    {0x800001f0, 0x10d24853, "fmul.s fa6,ft4,fa3,rmm"},
    {0x800001f4, 0x11201753, "fmul.s fa4,ft0,fs2,rtz"},
    {0x800001f8, 0x19bc32d3, "fdiv.s ft5,fs8,fs11,rup"},
    {0x800001fc, 0x192e4653, "fdiv.s fa2,ft8,fs2,rmm"},
    {0x80000200, 0x5806fa53, "fsqrt.s fs4,fa3"},
    {0x80000204, 0x5800af53, "fsqrt.s ft10,ft1,rdn"},
    {0x80000208, 0x20c68053, "fsgnj.s ft0,fa3,fa2"},
    {0x8000020c, 0x205a0653, "fsgnj.s fa2,fs4,ft5"},
    {0x80000210, 0x216499d3, "fsgnjn.s fs3,fs1,fs6"},
    {0x80000214, 0x212d9f53, "fsgnjn.s ft10,fs11,fs2"},
    {0x80000218, 0x2112a7d3, "fsgnjx.s fa5,ft5,fa7"},
    {0x8000021c, 0x20a2a0d3, "fsgnjx.s ft1,ft5,fa0"},
    {0x80000220, 0x293e0c53, "fmin.s fs8,ft8,fs3"},
    {0x80000224, 0x291c8ad3, "fmin.s fs5,fs9,fa7"},
    {0x80000228, 0x28bb1dd3, "fmax.s fs11,fs6,fa1"},
    {0x8000022c, 0x29619653, "fmax.s fa2,ft3,fs6"},
    {0x80000230, 0xc0049cd3, "fcvt.w.s s9,fs1,rtz"},
    {0x80000234, 0xc006b0d3, "fcvt.w.s ra,fa3,rup"},
    {0x80000238, 0xc012cc53, "fcvt.wu.s s8,ft5,rmm"},
    {0x8000023c, 0xc01e25d3, "fcvt.wu.s a1,ft8,rdn"},
    {0x80000240, 0xc02c8cd3, "fcvt.l.s s9,fs9,rne"},
    {0x80000244, 0xc02b3c53, "fcvt.l.s s8,fs6,rup"},
    {0x80000248, 0xc03aa453, "fcvt.lu.s s0,fs5,rdn"},
    {0x8000024c, 0xc03ccad3, "fcvt.lu.s s5,fs9,rmm"},
    {0x80000250, 0xe00088d3, "fmv.x.w a7,ft1"},
    {0x80000254, 0xe00e09d3, "fmv.x.w s3,ft8"},
    {0x80000258, 0xa0202653, "feq.s a2,ft0,ft2"},
    {0x8000025c, 0xa0c42153, "feq.s sp,fs0,fa2"},
    {0x80000260, 0xa1f498d3, "flt.s a7,fs1,ft11"},
    {0x80000264, 0xa1f71f53, "flt.s t5,fa4,ft11"},
    {0x80000268, 0xa1418053, "fle.s zero,ft3,fs4"},
    {0x8000026c, 0xa01a8ed3, "fle.s t4,fs5,ft1"},
    {0x80000270, 0xe00b91d3, "fclass.s gp,fs7"},
    {0x80000274, 0xe00b12d3, "fclass.s t0,fs6"},
    {0x80000278, 0xd00288d3, "fcvt.s.w fa7,t0,rne"},
    {0x8000027c, 0xd006fa53, "fcvt.s.w fs4,a3"},
    {0x80000280, 0xd01c74d3, "fcvt.s.wu fs1,s8"},
    {0x80000284, 0xd01a7b53, "fcvt.s.wu fs6,s4"},
    {0x80000288, 0xd02c3ed3, "fcvt.s.l ft9,s8,rup"},
    {0x8000028c, 0xd027b453, "fcvt.s.l fs0,a5,rup"},
    {0x80000290, 0xd0350cd3, "fcvt.s.lu fs9,a0,rne"},
    {0x80000294, 0xd0357453, "fcvt.s.lu fs0,a0"},
    {0x80000298, 0xf00308d3, "fmv.w.x fa7,t1"},
    {0x8000029c, 0xf00f0953, "fmv.w.x fs2,t5"},
    {0x800002a0, 0x30cbc937, "lui s2,0x30cbc"},
    {0x800002a4, 0x113db137, "lui sp,0x113db"},
    {0x800002a8, 0xfc132d17, "auipc s10,0xfc132"},
    {0x800002ac, 0x35718117, "auipc sp,0x35718"},
    {0x800002b0, 0x70ccec6f, "jal s8,0x800ce9bc"},
    {0x800002b4, 0x298cb3ef, "jal t2,0x800cb54c"},
    {0x800002b8, 0x1c2402e7, "jalr t0,450(s0)"},
    {0x800002bc, 0x570d81e7, "jalr gp,1392(s11)"},
    {0x800002c0, 0x99c90363, "beq s2,t3,0x7ffff446"},
    {0x800002c4, 0x0d758863, "beq a1,s7,0x80000394"},
    {0x800002c8, 0x1a359ce3, "bne a1,gp,0x80000c80"},
    {0x800002cc, 0x000f19e3, "bne t5,zero,0x80000ade"},
    {0x800002d0, 0x9118cb63, "blt a7,a7,0x7ffff3e6"},
    {0x800002d4, 0x26b94c63, "blt s2,a1,0x8000054c"},
    {0x800002d8, 0x895fd7e3, "bge t6,s5,0x7ffffb66"},
    {0x800002dc, 0x19f9d1e3, "bge s3,t6,0x80000c5e"},
    {0x800002e0, 0xf2ee6e63, "bltu t3,a4,0x7ffffa1c"},
    {0x800002e4, 0x5d15ea63, "bltu a1,a7,0x800008b8"},
    {0x800002e8, 0x9d1df2e3, "bgeu s11,a7,0x7ffffcac"},
    {0x800002ec, 0x068779e3, "bgeu a4,s0,0x80000b5e"},
    {0x800002f0, 0x12000383, "lb t2,288(zero)"},
    {0x800002f4, 0xdfd40f03, "lb t5,-515(s0)"},
    {0x800002f8, 0x353c1303, "lh t1,851(s8)"},
    {0x800002fc, 0x9d339003, "lh zero,-1581(t2)"},
    {0x80000300, 0x6050a103, "lw sp,1541(ra)"},
    {0x80000304, 0x26072783, "lw a5,608(a4)"},
    {0x80000308, 0xa268ba83, "ld s5,-1498(a7)"},
    {0x8000030c, 0x4093b683, "ld a3,1033(t2)"},
    {0x80000310, 0xf499cd03, "lbu s10,-183(s3)"},
    {0x80000314, 0x58eec503, "lbu a0,1422(t4)"},
    {0x80000318, 0x9a2ed803, "lhu a6,-1630(t4)"},
    {0x8000031c, 0x5d39d083, "lhu ra,1491(s3)"},
    {0x80000320, 0x7961ed83, "lwu s11,1942(gp)"},
    {0x80000324, 0x1f72e683, "lwu a3,503(t0)"},
    {0x80000328, 0x1d878ea3, "sb s8,477(a5)"},
    {0x8000032c, 0xd9538e23, "sb s5,-612(t2)"},
    {0x80000330, 0x7cf21723, "sh a5,1998(tp)"},
    {0x80000334, 0xfe3b9aa3, "sh gp,-11(s7)"},
    {0x80000338, 0xfa52aba3, "sw t0,-73(t0)"},
    {0x8000033c, 0x774b25a3, "sw s4,1899(s6)"},
    {0x80000340, 0x7afb3c23, "sd a5,1976(s6)"},
    {0x80000344, 0x7bdcb6a3, "sd t4,1965(s9)"},
    {0x80000348, 0x4fd58d93, "addi s11,a1,1277"},
    {0x8000034c, 0x15fc8993, "addi s3,s9,351"},
    {0x80000350, 0x24e4a213, "slti tp,s1,590"},
    {0x80000354, 0x1a28a793, "slti a5,a7,418"},
    {0x80000358, 0xbfeab113, "sltiu sp,s5,-1026"},
    {0x8000035c, 0x57b6bb13, "sltiu s6,a3,1403"},
    {0x80000360, 0xbd87c813, "xori a6,a5,-1064"},
    {0x80000364, 0x43c74b93, "xori s7,a4,1084"},
    {0x80000368, 0x7a86e793, "ori a5,a3,1960"},
    {0x8000036c, 0xd42fed93, "ori s11,t6,-702"},
    {0x80000370, 0xb12af193, "andi gp,s5,-1262"},
    {0x80000374, 0x29547a13, "andi s4,s0,661"},
    {0x80000378, 0x002e1f93, "slli t6,t3,0x2"},
    {0x8000037c, 0x01e99993, "slli s3,s3,0x1e"},
    {0x80000380, 0x0088d813, "srli a6,a7,0x8"},
    {0x80000384, 0x0373da13, "srli s4,t2,0x37"},
    {0x80000388, 0x43b7d513, "srai a0,a5,0x3b"},
    {0x8000038c, 0x433bd013, "srai zero,s7,0x33"},
    {0x80000390, 0x009b8f33, "add t5,s7,s1"},
    {0x80000394, 0x01878e33, "add t3,a5,s8"},
    {0x80000398, 0x40a804b3, "sub s1,a6,a0"},
    {0x8000039c, 0x410d0933, "sub s2,s10,a6"},
    {0x800003a0, 0x00051533, "sll a0,a0,zero"},
    {0x800003a4, 0x00ec11b3, "sll gp,s8,a4"},
    {0x800003a8, 0x0015a833, "slt a6,a1,ra"},
    {0x800003ac, 0x01322e33, "slt t3,tp,s3"},
    {0x800003b0, 0x004fbb33, "sltu s6,t6,tp"},
    {0x800003b4, 0x007f3eb3, "sltu t4,t5,t2"},
    {0x800003b8, 0x009646b3, "xor a3,a2,s1"},
    {0x800003bc, 0x0102ceb3, "xor t4,t0,a6"},
    {0x800003c0, 0x014c57b3, "srl a5,s8,s4"},
    {0x800003c4, 0x0039d3b3, "srl t2,s3,gp"},
    {0x800003c8, 0x406f50b3, "sra ra,t5,t1"},
    {0x800003cc, 0x40d85233, "sra tp,a6,a3"},
    {0x800003d0, 0x00b5e833, "or a6,a1,a1"},
    {0x800003d4, 0x01e069b3, "or s3,zero,t5"},
    {0x800003d8, 0x0083f1b3, "and gp,t2,s0"},
    {0x800003dc, 0x00c37433, "and s0,t1,a2"},
    {0x800003e0, 0x5b0e871b, "addiw a4,t4,1456"},
    {0x800003e4, 0xc59d891b, "addiw s2,s11,-935"},
    {0x800003e8, 0x0108921b, "slliw tp,a7,0x10"},
    {0x800003ec, 0x0057999b, "slliw s3,a5,0x5"},
    {0x800003f0, 0x00a4549b, "srliw s1,s0,0xa"},
    {0x800003f4, 0x0170541b, "srliw s0,zero,0x17"},
    {0x800003f8, 0x40b0d09b, "sraiw ra,ra,0xb"},
    {0x800003fc, 0x4064dc9b, "sraiw s9,s1,0x6"},
    {0x80000400, 0x00ed8bbb, "addw s7,s11,a4"},
    {0x80000404, 0x0119023b, "addw tp,s2,a7"},
    {0x80000408, 0x40fc863b, "subw a2,s9,a5"},
    {0x8000040c, 0x41bf033b, "subw t1,t5,s11"},
    {0x80000410, 0x01d498bb, "sllw a7,s1,t4"},
    {0x80000414, 0x00241d3b, "sllw s10,s0,sp"},
    {0x80000418, 0x00215b3b, "srlw s6,sp,sp"},
    {0x8000041c, 0x0045d1bb, "srlw gp,a1,tp"},
    {0x80000420, 0x41f5573b, "sraw a4,a0,t6"},
    {0x80000424, 0x405b5abb, "sraw s5,s6,t0"},
    {0x80000428, 0x0d40000f, "fence iow,o"},
    {0x8000042c, 0x0170000f, "fence w,orw"},
    {0x80000430, 0x0000100f, "fence.i"},
    {0x80000434, 0x0000100f, "fence.i"},
    {0x80000438, 0x03a686b3, "mul a3,a3,s10"},
    {0x8000043c, 0x020b8933, "mul s2,s7,zero"},
    {0x80000440, 0x032d9333, "mulh t1,s11,s2"},
    {0x80000444, 0x028398b3, "mulh a7,t2,s0"},
    {0x80000448, 0x0226a333, "mulhsu t1,a3,sp"},
    {0x8000044c, 0x030625b3, "mulhsu a1,a2,a6"},
    {0x80000450, 0x032333b3, "mulhu t2,t1,s2"},
    {0x80000454, 0x036b3e33, "mulhu t3,s6,s6"},
    {0x80000458, 0x0356c933, "div s2,a3,s5"},
    {0x8000045c, 0x0326c233, "div tp,a3,s2"},
    {0x80000460, 0x0244dbb3, "divu s7,s1,tp"},
    {0x80000464, 0x0387d933, "divu s2,a5,s8"},
    {0x80000468, 0x02e4e9b3, "rem s3,s1,a4"},
    {0x8000046c, 0x02596033, "rem zero,s2,t0"},
    {0x80000470, 0x0392f733, "remu a4,t0,s9"},
    {0x80000474, 0x03497e33, "remu t3,s2,s4"},
    {0x80000478, 0x02ea043b, "mulw s0,s4,a4"},
    {0x8000047c, 0x02de0c3b, "mulw s8,t3,a3"},
    {0x80000480, 0x0222cb3b, "divw s6,t0,sp"},
    {0x80000484, 0x027dc33b, "divw t1,s11,t2"},
    {0x80000488, 0x02fe5a3b, "divuw s4,t3,a5"},
    {0x8000048c, 0x03e0df3b, "divuw t5,ra,t5"},
    {0x80000490, 0x031ee9bb, "remw s3,t4,a7"},
    {0x80000494, 0x02f06fbb, "remw t6,zero,a5"},
    {0x80000498, 0x037a7ebb, "remuw t4,s4,s7"},
    {0x8000049c, 0x027afbbb, "remuw s7,s5,t2"},
    {0x800004a0, 0x00000073, "ecall"},
    {0x800004a4, 0x00000073, "ecall"},
    {0x800004a8, 0x00100073, "ebreak"},
    {0x800004ac, 0x00100073, "ebreak"},
    {0x800004b0, 0x10200073, "sret"},
    {0x800004b4, 0x10200073, "sret"},
    {0x800004b8, 0x30200073, "mret"},
    {0x800004bc, 0x30200073, "mret"},
    {0x800004c0, 0x10500073, "wfi"},
    {0x800004c4, 0x10500073, "wfi"},
    {0x800004c8, 0x138f0073, "sfence.vma t5,s8"},
    {0x800004cc, 0x13c28073, "sfence.vma t0,t3"},
    {0x800004d0, 0x30091773, "csrrw a4,mstatus,s2"},
    {0x800004d4, 0x344e9573, "csrrw a0,mip,t4"},
    {0x800004d8, 0x341523f3, "csrrs t2,mepc,a0"},
    {0x800004dc, 0x100bab73, "csrrs s6,sstatus,s7"},
    {0x800004e0, 0x3a0737f3, "csrrc a5,pmpcfg0,a4"},
    {0x800004e4, 0xc0053073, "csrrc zero,cycle,a0"},
    {0x800004e8, 0xf1405af3, "csrrwi s5,mhartid,0"},
    {0x800004ec, 0x0035d6f3, "csrrwi a3,fcsr,11"},
    {0x800004f0, 0x3a056d73, "csrrsi s10,pmpcfg0,10"},
    {0x800004f4, 0x3a01e073, "csrrsi zero,pmpcfg0,3"},
    {0x800004f8, 0x341c7cf3, "csrrci s9,mepc,24"},
    {0x800004fc, 0xf14c77f3, "csrrci a5,mhartid,24"},
    {0x80000500, 0x21852c33, "sh1add s8,a0,s8"},
    {0x80000504, 0x203cacb3, "sh1add s9,s9,gp"},
    {0x80000508, 0x2085c633, "sh2add a2,a1,s0"},
    {0x8000050c, 0x210d4133, "sh2add sp,s10,a6"},
    {0x80000510, 0x20b1efb3, "sh3add t6,gp,a1"},
    {0x80000514, 0x213f69b3, "sh3add s3,t5,s3"},
    {0x80000518, 0x09a4033b, "add.uw t1,s0,s10"},
    {0x8000051c, 0x09210ebb, "add.uw t4,sp,s2"},
    {0x80000520, 0x2076a9bb, "sh1add.uw s3,a3,t2"},
    {0x80000524, 0x21e622bb, "sh1add.uw t0,a2,t5"},
    {0x80000528, 0x216bcdbb, "sh2add.uw s11,s7,s6"},
    {0x8000052c, 0x209041bb, "sh2add.uw gp,zero,s1"},
    {0x80000530, 0x219660bb, "sh3add.uw ra,a2,s9"},
    {0x80000534, 0x208ae3bb, "sh3add.uw t2,s5,s0"},
    {0x80000538, 0x0af5149b, "slli.uw s1,a0,0x2f"},
    {0x8000053c, 0x096f149b, "slli.uw s1,t5,0x16"},
    {0x80000540, 0x4042fc33, "andn s8,t0,tp"},
    {0x80000544, 0x41fdfeb3, "andn t4,s11,t6"},
    {0x80000548, 0x41b46eb3, "orn t4,s0,s11"},
    {0x8000054c, 0x41e9e033, "orn zero,s3,t5"},
    {0x80000550, 0x4074cc33, "xnor s8,s1,t2"},
    {0x80000554, 0x405c4133, "xnor sp,s8,t0"},
    {0x80000558, 0x60081813, "clz a6,a6"},
    {0x8000055c, 0x600a1093, "clz ra,s4"},
    {0x80000560, 0x60151c93, "ctz s9,a0"},
    {0x80000564, 0x60129913, "ctz s2,t0"},
    {0x80000568, 0x602c1213, "cpop tp,s8"},
    {0x8000056c, 0x60231313, "cpop t1,t1"},
    {0x80000570, 0x6001141b, "clzw s0,sp"},
    {0x80000574, 0x600f149b, "clzw s1,t5"},
    {0x80000578, 0x601e139b, "ctzw t2,t3"},
    {0x8000057c, 0x601e9c1b, "ctzw s8,t4"},
    {0x80000580, 0x6022191b, "cpopw s2,tp"},
    {0x80000584, 0x60259f9b, "cpopw t6,a1"},
    {0x80000588, 0x0b0e62b3, "max t0,t3,a6"},
    {0x8000058c, 0x0a8ee0b3, "max ra,t4,s0"},
    {0x80000590, 0x0b2afb33, "maxu s6,s5,s2"},
    {0x80000594, 0x0bdef4b3, "maxu s1,t4,t4"},
    {0x80000598, 0x0b7ec933, "min s2,t4,s7"},
    {0x8000059c, 0x0bb84c33, "min s8,a6,s11"},
    {0x800005a0, 0x0a06deb3, "minu t4,a3,zero"},
    {0x800005a4, 0x0b2ad8b3, "minu a7,s5,s2"},
    {0x800005a8, 0x60481f13, "sext.b t5,a6"},
    {0x800005ac, 0x60489c93, "sext.b s9,a7"},
    {0x800005b0, 0x605f9c93, "sext.h s9,t6"},
    {0x800005b4, 0x605c1593, "sext.h a1,s8"},
    {0x800005b8, 0x0803cd3b, "zext.h s10,t2"},
    {0x800005bc, 0x0800c4bb, "zext.h s1,ra"},
    {0x800005c0, 0x60209f33, "rol t5,ra,sp"},
    {0x800005c4, 0x61741933, "rol s2,s0,s7"},
    {0x800005c8, 0x6065db33, "ror s6,a1,t1"},
    {0x800005cc, 0x615ad3b3, "ror t2,s5,s5"},
    {0x800005d0, 0x63445813, "rori a6,s0,0x34"},
    {0x800005d4, 0x618ddd93, "rori s11,s11,0x18"},
    {0x800005d8, 0x618e1b3b, "rolw s6,t3,s8"},
    {0x800005dc, 0x6197103b, "rolw zero,a4,s9"},
    {0x800005e0, 0x60f6d0bb, "rorw ra,a3,a5"},
    {0x800005e4, 0x616bd83b, "rorw a6,s7,s6"},
    {0x800005e8, 0x6091d69b, "roriw a3,gp,0x9"},
    {0x800005ec, 0x61cfdd9b, "roriw s11,t6,0x1c"},
    {0x800005f0, 0x287a5993, "orc.b s3,s4"},
    {0x800005f4, 0x2877d313, "orc.b t1,a5"},
    {0x800005f8, 0x6b865813, "rev8 a6,a2"},
    {0x800005fc, 0x6b86dc13, "rev8 s8,a3"},
    {0x80000600, 0x0b7f9e33, "clmul t3,t6,s7"},
    {0x80000604, 0x0a4a1033, "clmul zero,s4,tp"},
    {0x80000608, 0x0bae3b33, "clmulh s6,t3,s10"},
    {0x8000060c, 0x0bbf3d33, "clmulh s10,t5,s11"},
    {0x80000610, 0x0aefa4b3, "clmulr s1,t6,a4"},
    {0x80000614, 0x0acfab33, "clmulr s6,t6,a2"},
    {0x80000618, 0x486c10b3, "bclr ra,s8,t1"},
    {0x8000061c, 0x49799333, "bclr t1,s3,s7"},
    {0x80000620, 0x28259e33, "bset t3,a1,sp"},
    {0x80000624, 0x28de9fb3, "bset t6,t4,a3"},
    {0x80000628, 0x68049733, "binv a4,s1,zero"},
    {0x8000062c, 0x68b315b3, "binv a1,t1,a1"},
    {0x80000630, 0x48c9d7b3, "bext a5,s3,a2"},
    {0x80000634, 0x49705033, "bext zero,zero,s7"},
    {0x80000638, 0x48ac1693, "bclri a3,s8,0xa"},
    {0x8000063c, 0x4ac91b93, "bclri s7,s2,0x2c"},
    {0x80000640, 0x2ae01893, "bseti a7,zero,0x2e"},
    {0x80000644, 0x2bca1c93, "bseti s9,s4,0x3c"},
    {0x80000648, 0x69019813, "binvi a6,gp,0x10"},
    {0x8000064c, 0x6aaa1d13, "binvi s10,s4,0x2a"},
    {0x80000650, 0x48965f13, "bexti t5,a2,0x9"},
    {0x80000654, 0x4a595493, "bexti s1,s2,0x25"},
    {0x80000658, 0x8330000f, "fence.tso"},
    {0x8000065c, 0x0ff0000f, "fence iorw,iorw"},
    {0x80000660, 0x0100000f, "pause"},
    {0x80000664, 0x0000300f, ".4byte 0x300f"},
};

static const DisasCase disas_compressed[] = {
    {0x80000000, 0x1141, "addi sp,sp,-16"}, /* c.addi sp,-16 */
    {0x80000000, 0x0808, "addi a0,sp,16"}, /* c.addi4spn a0,sp,16 */
    {0x80000000, 0x41c8, "lw a0,4(a1)"}, /* c.lw a0,4(a1) */
    {0x80000000, 0x6780, "ld s0,8(a5)"}, /* c.ld s0,8(a5) */
    {0x80000000, 0xe988, "sd a0,16(a1)"}, /* c.sd a0,16(a1) */
    {0x80000000, 0xc298, "sw a4,0(a3)"}, /* c.sw a4,0(a3) */
    {0x80000000, 0x2508, "fld fa0,8(a0)"}, /* c.fld fa0,8(a0) */
    {0x80000000, 0xac04, "fsd fs1,24(s0)"}, /* c.fsd fs1,24(s0) */
    {0x80000000, 0x0001, "addi zero,zero,0"}, /* c.nop */
    {0x80000000, 0x5575, "addi a0,zero,-3"}, /* c.li a0,-3 */
    {0x80000000, 0x65fd, "lui a1,0x1f"}, /* c.lui a1,0x1f */
    {0x80000000, 0x75fd, "lui a1,0xfffff"}, /* c.lui a1,0xfffff */
    {0x80000000, 0x2505, "addiw a0,a0,1"}, /* c.addiw a0,1 */
    {0x80000000, 0x7139, "addi sp,sp,-64"}, /* c.addi16sp sp,-64 */
    {0x80000000, 0x810d, "srli a0,a0,0x3"}, /* c.srli a0,3 */
    {0x80000000, 0x95fd, "srai a1,a1,0x3f"}, /* c.srai a1,63 */
    {0x80000000, 0x9a7d, "andi a2,a2,-1"}, /* c.andi a2,-1 */
    {0x80000000, 0x8d0d, "sub a0,a0,a1"}, /* c.sub a0,a1 */
    {0x80000000, 0x8c25, "xor s0,s0,s1"}, /* c.xor s0,s1 */
    {0x80000000, 0x8ed9, "or a3,a3,a4"}, /* c.or a3,a4 */
    {0x80000000, 0x8fe9, "and a5,a5,a0"}, /* c.and a5,a0 */
    {0x80000000, 0x9d0d, "subw a0,a0,a1"}, /* c.subw a0,a1 */
    {0x80000000, 0x9d2d, "addw a0,a0,a1"}, /* c.addw a0,a1 */
    {0x80000000, 0x0532, "slli a0,a0,0xc"}, /* c.slli a0,12 */
    {0x80000000, 0x60a2, "ld ra,8(sp)"}, /* c.ldsp ra,8(sp) */
    {0x80000000, 0x4532, "lw a0,12(sp)"}, /* c.lwsp a0,12(sp) */
    {0x80000000, 0x25c2, "fld fa1,16(sp)"}, /* c.fldsp fa1,16(sp) */
    {0x80000000, 0xe406, "sd ra,8(sp)"}, /* c.sdsp ra,8(sp) */
    {0x80000000, 0xc22a, "sw a0,4(sp)"}, /* c.swsp a0,4(sp) */
    {0x80000000, 0xb022, "fsd fs0,32(sp)"}, /* c.fsdsp fs0,32(sp) */
    {0x80000000, 0x8082, "jalr zero,0(ra)"}, /* c.jr ra */
    {0x80000000, 0x9782, "jalr ra,0(a5)"}, /* c.jalr a5 */
    {0x80000000, 0x852e, "add a0,zero,a1"}, /* c.mv a0,a1 */
    {0x80000000, 0x952e, "add a0,a0,a1"}, /* c.add a0,a1 */
    {0x80000000, 0x9002, "ebreak"}, /* c.ebreak */
    {0x80000002, 0xbffd, "jal zero,0x80000000"}, /* c.j */
    {0x80000004, 0xc111, "beq a0,zero,0x80000008"}, /* c.beqz a0 */
    {0x80000006, 0xfced, "bne s1,zero,0x80000000"}, /* c.bnez s1 */
    {0x80000000, 0x0000, ".2byte 0x0"}, /* c.illegal */
    {0x80000000, 0x9c41, ".2byte 0x9c41"}, /* reserved (c.subw rs2 form) */
};
/* clang-format on */

static unsigned disas_check(const DisasCase *cases, size_t n)
{
    unsigned bad = 0;

    for (size_t i = 0; i < n; i++) {
        g_autoptr(GString) s = g_string_new(NULL);

        riscv_disas(s, cases[i].pc, cases[i].bits);
        if (strcmp(s->str, cases[i].text) != 0) {
            print_error("%08x at 0x%llx: got \"%s\", want \"%s\"\n",
                        cases[i].bits, (unsigned long long)cases[i].pc, s->str,
                        cases[i].text);
            bad++;
        }
    }
    return bad;
}

static void test_disas_matches_objdump(void **state)
{
    assert_int_equal(disas_check(disas_objdump, G_N_ELEMENTS(disas_objdump)),
                     0);
}

static void test_disas_compressed_as_expansion(void **state)
{
    assert_int_equal(
        disas_check(disas_compressed, G_N_ELEMENTS(disas_compressed)), 0);
}

/* The table above holds every descriptor at least once. */
static void test_disas_covers_every_insn(void **state)
{
    unsigned missing = 0;

    for (unsigned i = 0; i < riscv_insn_count; i++) {
        bool seen = false;

        for (size_t j = 0; j < G_N_ELEMENTS(disas_objdump) && !seen; j++) {
            seen = riscv_decode(disas_objdump[j].bits) == &riscv_insns[i];
        }
        if (!seen) {
            print_error("no case for %s\n", riscv_insns[i].name);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_disas_appends(void **state)
{
    g_autoptr(GString) s = g_string_new("0x1000: ");

    riscv_disas(s, 0x1000, 0x00000297); /* auipc t0,0x0 */
    assert_string_equal(s->str, "0x1000: auipc t0,0x0");
    assert_int_equal(riscv_insn_length(0x0297), 4);
    assert_int_equal(riscv_insn_length(0x4501), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disas_matches_objdump),
        cmocka_unit_test(test_disas_compressed_as_expansion),
        cmocka_unit_test(test_disas_covers_every_insn),
        cmocka_unit_test(test_disas_appends),
    };

    return cmocka_run_group_tests_name("disas", tests, NULL, NULL);
}
