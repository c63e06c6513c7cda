/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kho_netcfg: the network configuration the sample hands over, and the
 * checks of a received one (kho_netcfg_check.c), which its KUnit suite
 * (kho_netcfg_kunit.c) tests.
 */
#ifndef _SAMPLES_KHO_NETCFG_H
#define _SAMPLES_KHO_NETCFG_H

#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/time64.h>
#include <linux/types.h>

#define KN_DNS_MAX	3

/**
 * struct kho_netcfg - one interface's IPv4 configuration
 * @ifname: interface name
 * @perm_mac: the interface's permanent MAC address, which identifies it
 * @mac: the MAC address set on it
 * @addr: IPv4 address, host byte order
 * @prefix: prefix length
 * @gateway: default gateway, host byte order; 0 for none
 * @dns: DNS servers, host byte order; unused slots are 0 and last
 * @lease_expires: end of the DHCP lease, seconds since the epoch; 0: none
 */
struct kho_netcfg {
	char ifname[IFNAMSIZ];
	u8 perm_mac[ETH_ALEN];
	u8 mac[ETH_ALEN];
	u32 addr;
	u8 prefix;
	u32 gateway;
	u32 dns[KN_DNS_MAX];
	s64 lease_expires;
};

int kho_netcfg_check(const struct kho_netcfg *c, time64_t now, char *why,
		     size_t len);
int kho_netcfg_parse_dns(const char *s, u32 *dns);

#endif /* _SAMPLES_KHO_NETCFG_H */
