/* SPDX-License-Identifier: MIT */
/*
 * Memory regions and the system address space: RAM/ROM/MMIO access rules,
 * container priorities, aliases, raw transfers and flat view rebuilds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/memory.h"

/* A test MMIO region that records its last access. */
typedef struct FakeIo {
    unsigned reads;
    unsigned writes;
    hwaddr last_off;
    unsigned last_size;
    uint64_t last_val;
    GString *log; /* "r OFF SIZE;" / "w OFF SIZE VAL;" */
} FakeIo;

static MemTxResult fake_read(void *opaque, hwaddr off, unsigned size,
                             uint64_t *val)
{
    FakeIo *io = opaque;

    io->reads++;
    io->last_off = off;
    io->last_size = size;
    /* Each byte reads as 0xA0 + its offset. */
    *val = 0;
    for (unsigned i = 0; i < size; i++) {
        *val |= (uint64_t)(0xa0 + ((off + i) & 0xf)) << (i * 8);
    }
    g_string_append_printf(io->log, "r %u %u;", (unsigned)off, size);
    return MEMTX_OK;
}

static MemTxResult fake_write(void *opaque, hwaddr off, unsigned size,
                              uint64_t val)
{
    FakeIo *io = opaque;

    io->writes++;
    io->last_off = off;
    io->last_size = size;
    io->last_val = val;
    g_string_append_printf(io->log, "w %u %u %llx;", (unsigned)off, size,
                           (unsigned long long)val);
    return MEMTX_OK;
}

static const MemoryRegionOps ops_default = {
    .read = fake_read,
    .write = fake_write,
};

static const MemoryRegionOps ops_2_4 = {
    .read = fake_read,
    .write = fake_write,
    .min_access = 2,
    .max_access = 4,
};

static const MemoryRegionOps ops_unaligned = {
    .read = fake_read,
    .write = fake_write,
    .min_access = 1,
    .max_access = 4,
    .unaligned = true,
};

static const MemoryRegionOps ops_impl_4 = {
    .read = fake_read,
    .write = fake_write,
    .min_access = 1,
    .max_access = 8,
    .impl_max = 4,
};

static FakeIo *fake_new(void)
{
    FakeIo *io = g_new0(FakeIo, 1);

    io->log = g_string_new("");
    return io;
}

static void fake_free(FakeIo *io)
{
    g_string_free(io->log, TRUE);
    g_free(io);
}

static MemoryRegion *ram_at(hwaddr addr, uint64_t size, int prio)
{
    g_autoptr(GError) err = NULL;
    MemoryRegion *mr = memory_region_new_ram(NULL, "ram", size, &err);

    assert_non_null(mr);
    assert_null(err);
    memory_region_add_subregion(memory_system_root(), addr, mr, prio);
    return mr;
}

static int setup(void **state)
{
    memory_reset_for_test();
    return 0;
}

static int teardown(void **state)
{
    memory_reset_for_test();
    return 0;
}

static void test_ram_le_every_size(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *ram = ram_at(0x1000, 0x100, 0);
    uint8_t *host = memory_region_get_host(ram);
    uint64_t v;

    assert_non_null(host);
    assert_int_equal(address_space_st(as, 0x1000, 8, 0x0807060504030201ull),
                     MEMTX_OK);
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(host[i], i + 1);
    }
    assert_int_equal(address_space_ld(as, 0x1000, 1, &v), MEMTX_OK);
    assert_int_equal(v, 0x01);
    assert_int_equal(address_space_ld(as, 0x1000, 2, &v), MEMTX_OK);
    assert_int_equal(v, 0x0201);
    assert_int_equal(address_space_ld(as, 0x1000, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0x04030201);
    assert_int_equal(address_space_ld(as, 0x1000, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0x0807060504030201ull);

    assert_int_equal(address_space_st(as, 0x1010, 1, 0x1ff), MEMTX_OK);
    assert_int_equal(host[0x10], 0xff);
    assert_int_equal(host[0x11], 0);
    assert_int_equal(address_space_st(as, 0x1010, 2, 0xbeef), MEMTX_OK);
    assert_int_equal(host[0x10], 0xef);
    assert_int_equal(host[0x11], 0xbe);
    assert_int_equal(address_space_st(as, 0x1010, 4, 0xdeadbeef), MEMTX_OK);
    assert_int_equal(host[0x13], 0xde);

    /* Sizes other than 1, 2, 4, 8 are refused. */
    assert_int_equal(address_space_ld(as, 0x1000, 3, &v), MEMTX_ACCESS_ERROR);
    assert_int_equal(v, 0);
    memory_region_free(ram);
}

static void test_ram_unaligned(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *ram = ram_at(0x2000, 0x40, 0);
    uint64_t v;

    assert_int_equal(address_space_st(as, 0x2003, 8, 0x1122334455667788ull),
                     MEMTX_OK);
    assert_int_equal(address_space_ld(as, 0x2003, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0x1122334455667788ull);
    assert_int_equal(address_space_ld(as, 0x2005, 2, &v), MEMTX_OK);
    assert_int_equal(v, 0x5566);
    assert_int_equal(address_space_ld(as, 0x2001, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0x77880000);
    memory_region_free(ram);
}

static void test_ram_access_across_two_ranges(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *a = ram_at(0x3000, 0x10, 0);
    MemoryRegion *b = ram_at(0x3010, 0x10, 0);
    uint64_t v;

    assert_int_equal(address_space_st(as, 0x300c, 8, 0x0102030405060708ull),
                     MEMTX_OK);
    assert_int_equal(memory_region_get_host(a)[0xf], 0x05);
    assert_int_equal(memory_region_get_host(b)[0x0], 0x04);
    assert_int_equal(address_space_ld(as, 0x300c, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0x0102030405060708ull);

    /* Running off the end of RAM into nothing is a decode error. */
    assert_int_equal(address_space_ld(as, 0x301c, 8, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0);
    memory_region_free(a);
    memory_region_free(b);
}

static void test_rom_ignores_stores(void **state)
{
    AddressSpace *as = address_space_system();
    g_autoptr(GError) err = NULL;
    MemoryRegion *rom = memory_region_new_rom(NULL, "rom", 0x100, &err);
    uint8_t buf[2] = {1, 2};
    uint64_t v;

    assert_non_null(rom);
    memory_region_get_host(rom)[0] = 0x5a;
    memory_region_get_host(rom)[1] = 0xa5;
    memory_region_add_subregion(memory_system_root(), 0x4000, rom, 0);
    assert_int_equal(address_space_st(as, 0x4000, 4, 0xffffffff), MEMTX_OK);
    assert_int_equal(address_space_ld(as, 0x4000, 2, &v), MEMTX_OK);
    assert_int_equal(v, 0xa55a);

    assert_int_equal(address_space_write(as, 0x4000, buf, 2), MEMTX_OK);
    assert_int_equal(memory_region_get_host(rom)[0], 0x5a);
    memory_region_free(rom);
}

static void test_ram_alloc_failure(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
    skip();
#else
    g_autoptr(GError) err = NULL;
    MemoryRegion *mr =
        memory_region_new_ram(NULL, "riscv.virt.ram", UINT64_MAX / 2, &err);

    assert_null(mr);
    assert_non_null(err);
    assert_string_equal(err->message, "cannot set up guest memory "
                                      "'riscv.virt.ram': Cannot allocate "
                                      "memory");
#endif
}

static void test_mmio_size_rules(void **state)
{
    AddressSpace *as = address_space_system();
    FakeIo *io = fake_new();
    MemoryRegion *mr = memory_region_new_io(NULL, "io", 0x100, &ops_2_4, io);
    uint64_t v = 123;

    memory_region_add_subregion(memory_system_root(), 0x10000, mr, 0);

    /* Below min_access and above max_access. */
    assert_int_equal(address_space_ld(as, 0x10000, 1, &v), MEMTX_ACCESS_ERROR);
    assert_int_equal(v, 0);
    assert_int_equal(address_space_ld(as, 0x10000, 8, &v), MEMTX_ACCESS_ERROR);
    assert_int_equal(address_space_st(as, 0x10000, 1, 1), MEMTX_ACCESS_ERROR);
    assert_int_equal(io->reads + io->writes, 0);

    /* Misaligned. */
    assert_int_equal(address_space_ld(as, 0x10002, 4, &v), MEMTX_ACCESS_ERROR);
    assert_int_equal(address_space_st(as, 0x10001, 2, 1), MEMTX_ACCESS_ERROR);
    assert_int_equal(io->reads + io->writes, 0);

    /* Good accesses reach the callbacks with region offsets. */
    assert_int_equal(address_space_ld(as, 0x10004, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0xa7a6a5a4);
    assert_int_equal(io->last_off, 4);
    assert_int_equal(io->last_size, 4);
    assert_int_equal(address_space_st(as, 0x10006, 2, 0x12345678), MEMTX_OK);
    assert_int_equal(io->last_off, 6);
    assert_int_equal(io->last_val, 0x5678);

    /* Crossing the region end. */
    memory_region_free(mr);
    mr = memory_region_new_io(NULL, "io", 0x6, &ops_unaligned, io);
    memory_region_add_subregion(memory_system_root(), 0x10000, mr, 0);
    io->reads = 0;
    assert_int_equal(address_space_ld(as, 0x10004, 4, &v), MEMTX_ACCESS_ERROR);
    assert_int_equal(io->reads, 0);

    /* The unaligned flag allows misaligned accesses. */
    assert_int_equal(address_space_ld(as, 0x10001, 4, &v), MEMTX_OK);
    assert_int_equal(io->last_off, 1);
    assert_int_equal(v, 0xa4a3a2a1);
    memory_region_free(mr);
    fake_free(io);
}

static void test_mmio_default_sizes(void **state)
{
    AddressSpace *as = address_space_system();
    FakeIo *io = fake_new();
    MemoryRegion *mr = memory_region_new_io(NULL, "io", 0x10, &ops_default, io);
    uint64_t v;

    memory_region_add_subregion(memory_system_root(), 0x20000, mr, 0);
    assert_int_equal(address_space_ld(as, 0x20003, 1, &v), MEMTX_OK);
    assert_int_equal(v, 0xa3);
    assert_int_equal(address_space_ld(as, 0x20008, 8, &v), MEMTX_OK);
    assert_int_equal(v, 0xafaeadacabaaa9a8ull);
    assert_int_equal(address_space_ld(as, 0x20004, 8, &v), MEMTX_ACCESS_ERROR);
    memory_region_free(mr);
    fake_free(io);
}

static void test_unmapped_decode_error(void **state)
{
    AddressSpace *as = address_space_system();
    uint64_t v = 77;

    assert_int_equal(address_space_ld(as, 0x123456, 4, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0);
    assert_int_equal(address_space_st(as, 0x123456, 4, 1), MEMTX_DECODE_ERROR);
    assert_null(address_space_lookup(as, 0x123456));
}

static void test_container_priorities(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *low = ram_at(0x0, 0x1000, 0);
    MemoryRegion *high = ram_at(0x800, 0x100, 1);
    MemoryRegion *under = ram_at(0x900, 0x100, -1);
    const FlatRange *r;
    uint64_t v;

    memory_region_get_host(low)[0x800] = 1;
    memory_region_get_host(low)[0x900] = 3;
    memory_region_get_host(high)[0] = 2;
    memory_region_get_host(under)[0] = 4;

    r = address_space_lookup(as, 0x850);
    assert_non_null(r);
    assert_ptr_equal(r->mr, high);
    assert_int_equal(r->start, 0x800);
    assert_int_equal(r->end, 0x8ff);
    assert_int_equal(r->offset, 0);

    /* low shows through around high; under is hidden entirely. */
    r = address_space_lookup(as, 0x900);
    assert_ptr_equal(r->mr, low);
    assert_int_equal(r->start, 0x900);
    assert_int_equal(r->end, 0xfff);
    assert_int_equal(r->offset, 0x900);
    r = address_space_lookup(as, 0x7ff);
    assert_ptr_equal(r->mr, low);
    assert_int_equal(r->start, 0);
    assert_int_equal(r->end, 0x7ff);

    assert_int_equal(address_space_ld(as, 0x800, 1, &v), MEMTX_OK);
    assert_int_equal(v, 2);
    assert_int_equal(address_space_ld(as, 0x900, 1, &v), MEMTX_OK);
    assert_int_equal(v, 3);

    /* Beyond low, under is visible. */
    memory_region_del_subregion(memory_system_root(), low);
    assert_int_equal(address_space_ld(as, 0x900, 1, &v), MEMTX_OK);
    assert_int_equal(v, 4);
    memory_region_free(low);
    memory_region_free(high);
    memory_region_free(under);
}

static void test_equal_priority_later_wins(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *first = ram_at(0x0, 0x100, 0);
    MemoryRegion *second = ram_at(0x80, 0x100, 0);

    assert_ptr_equal(address_space_lookup(as, 0x80)->mr, second);
    assert_ptr_equal(address_space_lookup(as, 0x7f)->mr, first);
    memory_region_free(first);
    memory_region_free(second);
}

static void test_nested_container_and_alias(void **state)
{
    AddressSpace *as = address_space_system();
    g_autoptr(GError) err = NULL;
    MemoryRegion *box = memory_region_new_container(NULL, "box", 0x10000);
    MemoryRegion *ram = memory_region_new_ram(NULL, "ram", 0x1000, &err);
    MemoryRegion *alias =
        memory_region_new_alias(NULL, "window", ram, 0x100, 0x200);
    const FlatRange *r;
    uint64_t v;

    memory_region_add_subregion(box, 0x1000, ram, 0);
    memory_region_add_subregion(memory_system_root(), 0x40000, box, 0);
    memory_region_add_subregion(memory_system_root(), 0x80000, alias, 0);

    assert_int_equal(address_space_st(as, 0x41104, 4, 0xcafef00d), MEMTX_OK);
    assert_int_equal(address_space_ld(as, 0x80004, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0xcafef00d);

    r = address_space_lookup(as, 0x80000);
    assert_ptr_equal(r->mr, ram);
    assert_int_equal(r->offset, 0x100);
    assert_int_equal(r->end, 0x801ff);
    assert_null(address_space_lookup(as, 0x80200));
    /* The container is 0x10000 bytes but only ram inside is mapped. */
    assert_null(address_space_lookup(as, 0x40000));
    assert_non_null(address_space_lookup(as, 0x41fff));
    assert_null(address_space_lookup(as, 0x42000));

    /* A disabled region disappears from the view. */
    memory_region_set_enabled(alias, false);
    assert_null(address_space_lookup(as, 0x80000));
    memory_region_set_enabled(alias, true);
    assert_non_null(address_space_lookup(as, 0x80000));

    memory_region_free(alias);
    memory_region_free(box);
    memory_region_free(ram);
}

static void test_subregion_clipped_by_container(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *box = memory_region_new_container(NULL, "box", 0x100);
    g_autoptr(GError) err = NULL;
    MemoryRegion *ram = memory_region_new_ram(NULL, "ram", 0x1000, &err);

    memory_region_add_subregion(box, 0x80, ram, 0);
    memory_region_add_subregion(memory_system_root(), 0x1000, box, 0);
    assert_non_null(address_space_lookup(as, 0x10ff));
    assert_null(address_space_lookup(as, 0x1100));
    memory_region_free(box);
    memory_region_free(ram);
}

static void test_raw_read_write_split(void **state)
{
    AddressSpace *as = address_space_system();
    FakeIo *io = fake_new();
    MemoryRegion *ram = ram_at(0x5000, 0x10, 0);
    MemoryRegion *mr = memory_region_new_io(NULL, "test", 0x10, &ops_2_4, io);
    uint8_t buf[0x24];
    uint8_t wbuf[0x10];

    memory_region_add_subregion(memory_system_root(), 0x5010, mr, 0);
    for (unsigned i = 0; i < 0x10; i++) {
        memory_region_get_host(ram)[i] = (uint8_t)i;
    }

    /* RAM, then the MMIO region, then four unmapped bytes. */
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(address_space_read(as, 0x5000, buf, sizeof(buf)),
                     MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < 0x10; i++) {
        assert_int_equal(buf[i], i);
    }
    for (unsigned i = 0x10; i < 0x20; i++) {
        assert_int_equal(buf[i], 0xa0 + (i & 0xf));
    }
    for (unsigned i = 0x20; i < 0x24; i++) {
        assert_int_equal(buf[i], 0);
    }
    assert_string_equal(io->log->str, "r 0 4;r 4 4;r 8 4;r 12 4;");

    /* Odd start and length: the single bytes are below min_access 2. */
    g_string_truncate(io->log, 0);
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(address_space_read(as, 0x5011, buf, 5),
                     MEMTX_ACCESS_ERROR);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[1], 0xa2);
    assert_int_equal(buf[2], 0xa3);
    assert_int_equal(buf[3], 0xa4);
    assert_int_equal(buf[4], 0xa5);
    assert_string_equal(io->log->str, "r 2 2;r 4 2;");

    /* Writes: widest aligned chunks, odd bytes dropped. */
    g_string_truncate(io->log, 0);
    for (unsigned i = 0; i < sizeof(wbuf); i++) {
        wbuf[i] = (uint8_t)(0x10 + i);
    }
    assert_int_equal(address_space_write(as, 0x500e, wbuf, 9),
                     MEMTX_ACCESS_ERROR);
    assert_int_equal(memory_region_get_host(ram)[0xe], 0x10);
    assert_int_equal(memory_region_get_host(ram)[0xf], 0x11);
    assert_string_equal(io->log->str, "w 0 4 15141312;w 4 2 1716;");

    /* A fully aligned write is OK. */
    g_string_truncate(io->log, 0);
    assert_int_equal(address_space_write(as, 0x5010, wbuf, 8), MEMTX_OK);
    assert_string_equal(io->log->str, "w 0 4 13121110;w 4 4 17161514;");

    memory_region_free(ram);
    memory_region_free(mr);
    fake_free(io);
}

static void test_raw_byte_region(void **state)
{
    AddressSpace *as = address_space_system();
    FakeIo *io = fake_new();
    MemoryRegion *mr =
        memory_region_new_io(NULL, "uart", 0x8, &ops_default, io);
    uint8_t buf[3];

    memory_region_add_subregion(memory_system_root(), 0x6000, mr, 0);
    assert_int_equal(address_space_read(as, 0x6001, buf, 3), MEMTX_OK);
    assert_string_equal(io->log->str, "r 1 1;r 2 2;");
    assert_int_equal(buf[0], 0xa1);
    assert_int_equal(buf[2], 0xa3);
    memory_region_free(mr);
    fake_free(io);
}

static void test_del_subregion_and_rebuild(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *ram = ram_at(0x7000, 0x100, 0);
    unsigned gen;
    uint64_t v;

    assert_non_null(address_space_lookup(as, 0x7000));
    gen = as->generation;
    memory_region_del_subregion(memory_system_root(), ram);
    assert_null(address_space_lookup(as, 0x7000));
    assert_int_not_equal(as->generation, gen);
    assert_int_equal(address_space_ld(as, 0x7000, 4, &v), MEMTX_DECODE_ERROR);

    /* Re-adding at another address moves it. */
    memory_region_add_subregion(memory_system_root(), 0x9000, ram, 0);
    assert_non_null(address_space_lookup(as, 0x9000));
    assert_null(address_space_lookup(as, 0x7000));
    memory_region_free(ram);
    assert_null(address_space_lookup(as, 0x9000));
}

typedef struct Collect {
    GString *s;
} Collect;

static void collect_range(const FlatRange *r, void *opaque)
{
    Collect *c = opaque;

    g_string_append_printf(c->s, "%llx-%llx %s;", (unsigned long long)r->start,
                           (unsigned long long)r->end, r->mr->name);
}

static void test_foreach_in_order(void **state)
{
    g_autoptr(GError) err = NULL;
    MemoryRegion *b = memory_region_new_ram(NULL, "b", 0x10, &err);
    MemoryRegion *a = memory_region_new_ram(NULL, "a", 0x10, &err);
    MemoryRegion *top = memory_region_new_ram(NULL, "top", 0x8, &err);
    Collect c = {g_string_new("")};

    memory_region_add_subregion(memory_system_root(), 0x200, b, 0);
    memory_region_add_subregion(memory_system_root(), 0x100, a, 0);
    memory_region_add_subregion(memory_system_root(), 0x204, top, 5);
    address_space_foreach(address_space_system(), collect_range, &c);
    assert_string_equal(c.s->str, "100-10f a;200-203 b;204-20b top;20c-20f b;");
    g_string_free(c.s, TRUE);
    memory_region_free(a);
    memory_region_free(b);
    memory_region_free(top);
}

static void test_high_addresses(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *ram = ram_at(UINT64_MAX - 0xf, 0x10, 0);
    uint64_t v;

    assert_int_equal(address_space_st(as, UINT64_MAX - 7, 8, 42), MEMTX_OK);
    assert_int_equal(address_space_ld(as, UINT64_MAX - 7, 8, &v), MEMTX_OK);
    assert_int_equal(v, 42);
    assert_int_equal(address_space_lookup(as, UINT64_MAX)->end, UINT64_MAX);
    memory_region_free(ram);
}

/* A device implementing 4 bytes at most sees an 8-byte access as two. */
static void test_mmio_impl_max_splits(void **state)
{
    AddressSpace *as = address_space_system();
    FakeIo *io = fake_new();
    MemoryRegion *mr =
        memory_region_new_io(NULL, "impl4", 0x100, &ops_impl_4, io);
    uint64_t v;

    memory_region_add_subregion(memory_system_root(), 0x5000, mr, 0);
    assert_int_equal(address_space_ld(as, 0x5008, 8, &v), MEMTX_OK);
    assert_string_equal(io->log->str, "r 8 4;r 12 4;");
    assert_int_equal(v, 0xafaeadacabaaa9a8ull);
    g_string_truncate(io->log, 0);
    assert_int_equal(address_space_st(as, 0x5010, 8, 0x1122334455667788ull),
                     MEMTX_OK);
    assert_string_equal(io->log->str, "w 16 4 55667788;w 20 4 11223344;");
    /* narrower accesses pass through whole */
    g_string_truncate(io->log, 0);
    assert_int_equal(address_space_ld(as, 0x5002, 2, &v), MEMTX_OK);
    assert_string_equal(io->log->str, "r 2 2;");
    memory_region_free(mr);
    fake_free(io);
}

/* Code pages: what the hook saw. */
static MemoryRegion *code_hook_mr;
static GArray *code_hook_pages;

static void code_hook(MemoryRegion *mr, hwaddr page_off)
{
    code_hook_mr = mr;
    g_array_append_val(code_hook_pages, page_off);
}

static void test_code_pages(void **state)
{
    AddressSpace *as = address_space_system();
    MemoryRegion *ram = ram_at(0x10000, 0x4000, 0);
    uint8_t buf[0x1800] = {0};

    code_hook_pages = g_array_new(FALSE, FALSE, sizeof(hwaddr));
    memory_set_code_write_hook(code_hook);
    assert_false(memory_region_is_code(ram, 0x1000));
    assert_true(memory_region_mark_code(ram, 0x1234));
    assert_false(memory_region_mark_code(ram, 0x1000)); /* same page */
    assert_true(memory_region_mark_code(ram, 0x3ffc));
    assert_true(memory_region_is_code(ram, 0x1fff));
    assert_false(memory_region_is_code(ram, 0x2000));

    /* writes to unmarked pages call nothing */
    assert_int_equal(address_space_st(as, 0x10000, 8, 1), MEMTX_OK);
    assert_int_equal(address_space_st(as, 0x12000, 4, 1), MEMTX_OK);
    assert_int_equal(code_hook_pages->len, 0);

    /* a store into a marked page: hook once, page unmarked, then stored */
    assert_int_equal(address_space_st(as, 0x11ffe, 2, 0xabcd), MEMTX_OK);
    assert_int_equal(code_hook_pages->len, 1);
    assert_ptr_equal(code_hook_mr, ram);
    assert_int_equal(g_array_index(code_hook_pages, hwaddr, 0), 0x1000);
    assert_false(memory_region_is_code(ram, 0x1000));
    assert_int_equal(memory_region_get_host(ram)[0x1ffe], 0xcd);
    assert_int_equal(address_space_st(as, 0x11000, 1, 0), MEMTX_OK);
    assert_int_equal(code_hook_pages->len, 1);

    /* a raw write over three pages reports the marked ones it touches */
    assert_true(memory_region_mark_code(ram, 0x1000));
    assert_int_equal(address_space_write(as, 0x10800, buf, sizeof(buf)),
                     MEMTX_OK);
    assert_int_equal(code_hook_pages->len, 2);
    assert_int_equal(g_array_index(code_hook_pages, hwaddr, 1), 0x1000);
    assert_true(memory_region_is_code(ram, 0x3000));

    /* host-pointer writers report themselves; out-of-range is harmless */
    memory_region_notify_write(ram, 0x2ff0, 0x100000);
    assert_int_equal(code_hook_pages->len, 3);
    assert_int_equal(g_array_index(code_hook_pages, hwaddr, 2), 0x3000);
    memory_region_notify_write(ram, 0x4000, 8);
    memory_region_notify_write(ram, 0, 0);
    assert_int_equal(code_hook_pages->len, 3);

    memory_set_code_write_hook(NULL);
    g_array_free(code_hook_pages, TRUE);
    memory_region_free(ram);
}

static void test_origin(void **state)
{
    assert_int_equal(memory_get_origin(), MEM_ORIGIN_OTHER);
    memory_set_origin(MEM_ORIGIN_QTEST);
    assert_int_equal(memory_get_origin(), MEM_ORIGIN_QTEST);
    memory_set_origin(MEM_ORIGIN_OTHER);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ram_le_every_size),
        T(test_ram_unaligned),
        T(test_ram_access_across_two_ranges),
        T(test_rom_ignores_stores),
        T(test_ram_alloc_failure),
        T(test_mmio_size_rules),
        T(test_mmio_default_sizes),
        T(test_unmapped_decode_error),
        T(test_container_priorities),
        T(test_equal_priority_later_wins),
        T(test_nested_container_and_alias),
        T(test_subregion_clipped_by_container),
        T(test_raw_read_write_split),
        T(test_raw_byte_region),
        T(test_del_subregion_and_rebuild),
        T(test_foreach_in_order),
        T(test_high_addresses),
        T(test_origin),
        T(test_code_pages),
        T(test_mmio_impl_max_splits),
    };
    return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
