// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_netcfg: the checks of a handed-over network configuration, which may
 * come from a bootloader and so is untrusted, and the parser of the "dns"
 * parameter. Tested by kho_netcfg_kunit.c.
 */

#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <linux/string.h>

#include "kho_netcfg.h"

/* Not in 0.0.0.0/8, multicast or the limited broadcast address. */
static bool kn_unicast(u32 addr)
{
	return addr >> 24 && !ipv4_is_multicast(htonl(addr)) &&
	       !ipv4_is_lbcast(htonl(addr));
}

/*
 * Is @host neither the network nor the broadcast address of its subnet of
 * @prefix bits? Both are hosts on a /31 (RFC 3021) or a /32.
 */
static bool kn_host_of(u32 host, u8 prefix)
{
	u32 hostmask = ~(~0U << (32 - prefix));

	return prefix > 30 || ((host & hostmask) && (host & hostmask) != hostmask);
}

/**
 * kho_netcfg_check() - may this configuration be applied?
 * @c: the configuration
 * @now: the current time, seconds since the epoch
 * @why: set to the reason on failure
 * @len: bytes at @why
 *
 * Return: 0, -ENODATA if it holds no address, -EINVAL if a value is bad,
 * -ETIME if the lease has expired.
 */
int kho_netcfg_check(const struct kho_netcfg *c, time64_t now, char *why,
		     size_t len)
{
	__be32 addr = htonl(c->addr), gw = htonl(c->gateway);
	unsigned int i;
	u32 mask;

	if (!dev_valid_name(c->ifname)) {
		snprintf(why, len, "bad interface name \"%s\"", c->ifname);
		return -EINVAL;
	}
	if (!c->addr) {
		snprintf(why, len, "no IPv4 address");
		return -ENODATA;
	}
	if (!is_valid_ether_addr(c->perm_mac)) {
		snprintf(why, len, "bad permanent MAC %pM", c->perm_mac);
		return -EINVAL;
	}
	if (!is_valid_ether_addr(c->mac)) {
		snprintf(why, len, "bad MAC %pM", c->mac);
		return -EINVAL;
	}
	if (c->prefix < 1 || c->prefix > 32) {
		snprintf(why, len, "bad prefix length %u", c->prefix);
		return -EINVAL;
	}
	mask = ~0U << (32 - c->prefix);
	if (!kn_unicast(c->addr) || ipv4_is_loopback(addr) ||
	    !kn_host_of(c->addr, c->prefix)) {
		snprintf(why, len, "bad address %pI4/%u", &addr, c->prefix);
		return -EINVAL;
	}
	if (c->gateway && (c->gateway == c->addr ||
			   (c->gateway & mask) != (c->addr & mask) ||
			   !kn_host_of(c->gateway, c->prefix))) {
		snprintf(why, len, "gateway %pI4 is not a host of %pI4/%u", &gw,
			 &addr, c->prefix);
		return -EINVAL;
	}
	for (i = 0; i < KN_DNS_MAX; i++) {
		__be32 dns = htonl(c->dns[i]);

		if (!c->dns[i])
			continue;
		if ((i && !c->dns[i - 1]) || !kn_unicast(c->dns[i])) {
			snprintf(why, len, "bad DNS server %u: %pI4", i + 1, &dns);
			return -EINVAL;
		}
	}
	if (c->lease_expires < 0) {
		snprintf(why, len, "bad lease end %lld", c->lease_expires);
		return -EINVAL;
	}
	if (c->lease_expires && c->lease_expires <= now) {
		snprintf(why, len, "the lease expired %lld s ago",
			 now - c->lease_expires);
		return -ETIME;
	}
	return 0;
}

/**
 * kho_netcfg_parse_dns() - parse the "dns" parameter
 * @s: up to KN_DNS_MAX comma-separated dotted quads, or empty; a trailing
 *	newline is ignored
 * @dns: returns the addresses in host byte order, unused slots 0
 *
 * Return: 0 or -EINVAL; @dns is untouched on error.
 */
int kho_netcfg_parse_dns(const char *s, u32 *dns)
{
	u32 out[KN_DNS_MAX] = {};
	size_t len = strcspn(s, "\n");
	unsigned int n = 0;
	const char *end;
	__be32 a;

	while (len) {
		if (n == KN_DNS_MAX ||
		    !in4_pton(s, len, (u8 *)&a, ',', &end) || !a)
			return -EINVAL;
		out[n++] = ntohl(a);
		len -= end - s;
		s = end;
		if (len && *s == ',') {
			if (len == 1)
				return -EINVAL;
			s++;
			len--;
		}
	}
	memcpy(dns, out, sizeof(out));
	return 0;
}
