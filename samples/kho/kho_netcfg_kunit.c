// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of kho_netcfg's checks of a handed-over configuration, which
 * may come from a bootloader and so is untrusted, and of its "dns"
 * parameter parser (kho_netcfg_check.c).
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/kho/fuzz.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "kho_netcfg.h"

#define KNT_NOW	1800000000LL

struct knt_case {
	const char *desc;
	struct kho_netcfg cfg;
	int err;
};

/*
 * A good configuration, 10.0.2.15/24 via 10.0.2.2 with DNS 10.0.2.3 and
 * an hour of lease left, with the given members changed.
 */
#define KNT(_desc, _err, ...)						\
	{ .desc = (_desc), .err = (_err), .cfg = {			\
		.ifname = "eth0",					\
		.perm_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },	\
		.mac = { 0x52, 0x54, 0x00, 0x4b, 0x48, 0x4f },		\
		.addr = 0x0a00020f, .prefix = 24,			\
		.gateway = 0x0a000202, .dns = { 0x0a000203 },		\
		.lease_expires = KNT_NOW + 3600, __VA_ARGS__ } }

static const struct knt_case knt_cases[] = {
	KNT("good", 0),
	KNT("no gateway", 0, .gateway = 0),
	KNT("three DNS servers", 0,
	    .dns = { 0x0a000203, 0x01010101, 0x08080808 }),
	KNT("static, no lease", 0, .lease_expires = 0),
	KNT("a /32 without gateway", 0, .prefix = 32, .gateway = 0),
	KNT("a /31 point-to-point link", 0, .prefix = 31, .addr = 0x0a000200,
	    .gateway = 0x0a000201),
	KNT("empty interface name", -EINVAL, .ifname = ""),
	KNT("interface name with a slash", -EINVAL, .ifname = "eth/0"),
	KNT("no address", -ENODATA, .addr = 0),
	KNT("zero permanent MAC", -EINVAL, .perm_mac = { 0 }),
	KNT("multicast permanent MAC", -EINVAL,
	    .perm_mac = { 0x01, 0, 0x5e, 0, 0, 1 }),
	KNT("zero MAC", -EINVAL, .mac = { 0 }),
	KNT("multicast MAC", -EINVAL, .mac = { 0x01, 0, 0x5e, 0, 0, 1 }),
	KNT("prefix 0", -EINVAL, .prefix = 0),
	KNT("prefix 33", -EINVAL, .prefix = 33),
	KNT("prefix 255", -EINVAL, .prefix = 255),
	KNT("loopback address", -EINVAL, .addr = 0x7f000001, .prefix = 8,
	    .gateway = 0),
	KNT("multicast address", -EINVAL, .addr = 0xe0000001, .gateway = 0),
	KNT("limited broadcast address", -EINVAL, .addr = 0xffffffff,
	    .gateway = 0),
	KNT("address in 0.0.0.0/8", -EINVAL, .addr = 0x00000005, .prefix = 8,
	    .gateway = 0),
	KNT("the network's own address", -EINVAL, .addr = 0x0a000200),
	KNT("the network's broadcast address", -EINVAL, .addr = 0x0a0002ff),
	KNT("gateway is the address", -EINVAL, .gateway = 0x0a00020f),
	KNT("gateway off the subnet", -EINVAL, .gateway = 0x0a000302),
	KNT("gateway is the broadcast address", -EINVAL,
	    .gateway = 0x0a0002ff),
	KNT("DNS slot after an empty one", -EINVAL, .dns = { 0, 0x01010101 }),
	KNT("multicast DNS server", -EINVAL, .dns = { 0x0a000203, 0xe0000001 }),
	KNT("DNS server in 0.0.0.0/8", -EINVAL, .dns = { 0x00000001 }),
	KNT("limited broadcast DNS server", -EINVAL, .dns = { 0xffffffff }),
	KNT("negative lease end", -EINVAL, .lease_expires = -1),
	KNT("expired lease", -ETIME, .lease_expires = KNT_NOW),
};

static void knt_case_desc(const struct knt_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(knt_check, knt_cases, knt_case_desc);

static void kho_netcfg_test_check(struct kunit *test)
{
	const struct knt_case *tc = test->param_value;
	char why[96] = "";
	int err;

	err = kho_netcfg_check(&tc->cfg, KNT_NOW, why, sizeof(why));
	KUNIT_EXPECT_EQ_MSG(test, err, tc->err, "%s: %s", tc->desc, why);
	if (err)
		KUNIT_EXPECT_NE_MSG(test, why[0], '\0', "a refusal says why");
}

static void kho_netcfg_test_parse_dns(struct kunit *test)
{
	static const char * const bad[] = {
		"10.0.2", "10.0.2.3.4", "10.0.2.256", "a.b.c.d", "10.0.2.3,",
		",10.0.2.3", "10.0.2.3,,1.1.1.1", "1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4",
		"0.0.0.0", "10.0.2.3 ", "10.0.2.3;1.1.1.1",
	};
	u32 dns[KN_DNS_MAX] = { 7, 7, 7 };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, kho_netcfg_parse_dns("10.0.2.3\n", dns), 0);
	KUNIT_EXPECT_EQ(test, dns[0], 0x0a000203);
	KUNIT_EXPECT_EQ(test, dns[1], 0);
	KUNIT_EXPECT_EQ(test, dns[2], 0);
	KUNIT_EXPECT_EQ(test, kho_netcfg_parse_dns("1.1.1.1,8.8.4.4,192.0.2.53",
						   dns), 0);
	KUNIT_EXPECT_EQ(test, dns[0], 0x01010101);
	KUNIT_EXPECT_EQ(test, dns[1], 0x08080404);
	KUNIT_EXPECT_EQ(test, dns[2], 0xc0000235);
	KUNIT_EXPECT_EQ(test, kho_netcfg_parse_dns("", dns), 0);
	KUNIT_EXPECT_EQ(test, dns[0], 0);
	KUNIT_EXPECT_EQ(test, kho_netcfg_parse_dns("\n", dns), 0);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		dns[0] = 7;
		KUNIT_EXPECT_EQ_MSG(test, kho_netcfg_parse_dns(bad[i], dns),
				    -EINVAL, "\"%s\"", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, dns[0], 7, "\"%s\" left dns alone",
				    bad[i]);
	}
}

#ifdef CONFIG_KEXEC_HANDOVER_FUZZ_TEST
#define KNT_FUZZ_SEED		0x6b686f2d6e657431ULL
#define KNT_FUZZ_DNS_SEED	0x6b686f2d646e7331ULL

/* What an accepted configuration must be; the first thing it is not. */
static const char *knt_fuzz_wrong(const struct kho_netcfg *c)
{
	unsigned int i;

	if (!dev_valid_name(c->ifname))
		return "its interface name is invalid";
	if (!is_valid_ether_addr(c->perm_mac) || !is_valid_ether_addr(c->mac))
		return "a MAC address is invalid";
	if (!c->addr || c->prefix < 1 || c->prefix > 32)
		return "it has no address or a bad prefix";
	for (i = 1; i < KN_DNS_MAX; i++)
		if (c->dns[i] && !c->dns[i - 1])
			return "its DNS servers have a gap";
	if (c->lease_expires < 0 ||
	    (c->lease_expires && c->lease_expires <= KNT_NOW))
		return "its lease is over";
	return NULL;
}

/*
 * Mutated copies of the good configuration. The interface name stays
 * terminated, as khoreg_get_string() leaves it when kn_restore() reads
 * the entry.
 */
static void kho_netcfg_fuzz_check(struct kunit *test)
{
	struct kho_netcfg *c;
	const char *wrong;
	struct kho_fuzz f;
	char why[80];
	size_t len;
	int err;

	c = kunit_kmalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	kho_fuzz_begin(&f, test, KNT_FUZZ_SEED);
	while (kho_fuzz_next(&f)) {
		*c = knt_cases[0].cfg;
		len = kho_fuzz_mutate(&f, c, sizeof(*c), sizeof(*c));
		/* A short entry: the fields past its end are missing. */
		memset((u8 *)c + len, 0, sizeof(*c) - len);
		c->ifname[IFNAMSIZ - 1] = '\0';
		why[0] = '\0';
		err = kho_netcfg_check(c, KNT_NOW, why, sizeof(why));
		if (err) {
			KUNIT_EXPECT_TRUE(test, err == -EINVAL || err == -ENODATA ||
					  err == -ETIME);
			KUNIT_EXPECT_NE(test, why[0], '\0');
			continue;
		}
		f.accepted++;
		wrong = knt_fuzz_wrong(c);
		KUNIT_EXPECT_NULL_MSG(test, wrong, "input %lu accepted but %s",
				      f.nr, wrong);
	}
	kho_fuzz_end(&f);
}

/* Mutated "dns" parameters: refused and @dns untouched, or parsed. */
static void kho_netcfg_fuzz_dns(struct kunit *test)
{
	static const char seed[] = "10.0.2.3,1.1.1.1,192.0.2.53\n";
	const size_t max = sizeof(seed) + 32;
	u32 dns[KN_DNS_MAX];
	struct kho_fuzz f;
	unsigned int i;
	char *work, *in;
	size_t len;

	work = kunit_kmalloc(test, max, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, work);
	kho_fuzz_begin(&f, test, KNT_FUZZ_DNS_SEED);
	while (kho_fuzz_next(&f)) {
		memcpy(work, seed, sizeof(seed) - 1);
		len = kho_fuzz_mutate(&f, work, sizeof(seed) - 1, max - 1);
		/* Exactly the string and its NUL, as a sysfs write gives it. */
		in = kmemdup_nul(work, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, in);
		memset(dns, 0x5a, sizeof(dns));
		if (kho_netcfg_parse_dns(in, dns)) {
			KUNIT_EXPECT_EQ(test, dns[0], 0x5a5a5a5a);
		} else {
			f.accepted++;
			for (i = 0; i < KN_DNS_MAX; i++)
				KUNIT_EXPECT_TRUE_MSG(test, !i || dns[i - 1] || !dns[i],
						      "input %lu: a gap", f.nr);
		}
		kfree(in);
	}
	kho_fuzz_end(&f);
}
#endif /* CONFIG_KEXEC_HANDOVER_FUZZ_TEST */

static struct kunit_case kho_netcfg_test_cases[] = {
	KUNIT_CASE_PARAM(kho_netcfg_test_check, knt_check_gen_params),
	KUNIT_CASE(kho_netcfg_test_parse_dns),
#ifdef CONFIG_KEXEC_HANDOVER_FUZZ_TEST
	KUNIT_CASE_SLOW(kho_netcfg_fuzz_check),
	KUNIT_CASE_SLOW(kho_netcfg_fuzz_dns),
#endif
	{}
};

static struct kunit_suite kho_netcfg_test_suite = {
	.name = "kho_netcfg",
	.test_cases = kho_netcfg_test_cases,
};

kunit_test_suite(kho_netcfg_test_suite);

#ifdef CONFIG_KEXEC_HANDOVER_FUZZ_TEST
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
