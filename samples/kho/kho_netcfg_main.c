// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_netcfg: network configuration handed to the next kernel, which
 * configures the interface before userspace runs -- the netboot case.
 *
 * What it teaches:
 *
 *   - an entry filled at finalize: the schema's serialize() callback reads
 *     the live interface (permanent MAC, MAC, first IPv4 address, default
 *     gateway) just before the registry freezes, while root sets what the
 *     kernel does not know (DNS servers, DHCP lease) through module
 *     parameters;
 *   - restoring early: built in, a late_initcall claims the entry after the
 *     NICs have probed and configures the interface before /init runs;
 *   - untrusted input: the entry may come from the previous kernel or from
 *     a bootloader (khoctl author / khoctl import stand in for one), so
 *     every value is checked and bad data configures nothing;
 *   - configuring a network interface from the kernel with rtnetlink
 *     requests on an in-kernel NETLINK_ROUTE socket.
 *
 * The entry "netcfg" ("khoreg,netcfg-v2", version 2) holds:
 *
 *   ifname         string   the interface, e.g. "eth0"
 *   perm-mac       u8[6]    its permanent MAC address: the interface must
 *                           have both this name and this permanent MAC
 *   mac            u8[6]    its MAC address, set on the interface
 *   addr           u32      IPv4 address, the dotted quad as a big-endian
 *                           number (10.0.2.15 is 0x0a00020f)
 *   prefix         u8       its prefix length, 1..32
 *   gateway        u32      default gateway, 0 for none
 *   dns            u32[3]   DNS servers, unused slots 0 and last
 *   lease-expires  s64      end of the DHCP lease in seconds since the
 *                           epoch, 0 when no end is known: a static
 *                           configuration, or a boot loader that cannot
 *                           tell (U-Boot keeps the lease time to itself)
 *
 * Module parameters (written by root; /sys/module/kho_netcfg/parameters):
 *
 *   ifname         the interface to hand over; setting it registers the
 *                  entry, the empty string unregisters it. A kernel that
 *                  restored an entry hands the same interface over again.
 *   dns            up to three comma-separated IPv4 addresses
 *   lease_expires  seconds since the epoch, 0 for none
 *
 * The next kernel sets the MAC, brings the link up, adds the address and
 * the default route (unless one exists: a route userspace set is never
 * replaced), logs one line, and shows the DNS servers and lease in
 * /proc/net/kho_netcfg in resolv.conf syntax, as /proc/net/pnp does for
 * the kernel's own IP autoconfiguration. An interface that is not there
 * yet is configured when it appears with the name and permanent MAC
 * (registered or renamed); waiting stops, with a log line, when the lease
 * ends (a CLOCK_REALTIME timer, so setting the clock past it counts) or,
 * checked when the interface appears, once the handover is finished. An
 * absent, malformed or expired entry is logged and nothing is configured.
 * Unloading the module unregisters the entry (not while the handover is
 * finalized) but leaves the interface as it is. kho_netcfg_check.c checks
 * a received configuration.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/if_addr.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/kho.h>
#include <linux/kho/registry.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/ip_fib.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "kho_netcfg.h"

#define KN_NAME		"netcfg"

static const struct khoreg_field kn_fields[] = {
	KHOREG_STRING("ifname", IFNAMSIZ),
	KHOREG_ARRAY("perm-mac", U8, ETH_ALEN),
	KHOREG_ARRAY("mac", U8, ETH_ALEN),
	KHOREG_FIELD("addr", U32),
	KHOREG_FIELD("prefix", U8),
	KHOREG_FIELD("gateway", U32),
	KHOREG_ARRAY("dns", U32, KN_DNS_MAX),
	KHOREG_FIELD("lease-expires", S64),
};

static int kn_serialize(struct khoreg_entry *entry, void *priv);

static const struct khoreg_schema kn_schema = {
	.compatible = "khoreg,netcfg-v2",
	.version = 2,
	.fields = kn_fields,
	.nr_fields = ARRAY_SIZE(kn_fields),
	.serialize = kn_serialize,
};

/*
 * kn_lock protects the outgoing state below. Lock order: kn_lock, then the
 * registry's lock; serialize() runs under the registry's lock and so never
 * takes kn_lock: it reads only kn_out_ifname, which does not change while
 * the entry is registered.
 */
static DEFINE_MUTEX(kn_lock);
static bool kn_ready;			/* initcall done: parameters act */
static struct khoreg_entry *kn_entry;	/* NULL while nothing is handed over */
static char kn_out_ifname[IFNAMSIZ];	/* the "ifname" parameter */
static u32 kn_dns[KN_DNS_MAX];		/* the "dns" parameter */
static s64 kn_lease_expires;		/* the "lease_expires" parameter */

/* What this kernel configured from the handover; shown in /proc. */
static struct kho_netcfg kn_applied;
static struct proc_dir_entry *kn_proc;

/* The incoming configuration, until its interface shows up. */
static struct kho_netcfg kn_in;
static bool kn_waiting;
static void kn_apply_workfn(struct work_struct *work);
static DECLARE_WORK(kn_apply_work, kn_apply_workfn);
static struct hrtimer kn_lease_timer;	/* ends the wait when the lease does */

/* ---- applying a configuration with rtnetlink ---- */

/* Send the request in @skb to rtnetlink and read its answer. */
static int kn_rtnl_request(struct socket *sock, struct sk_buff *skb)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = { .msg_name = &kernel,
			      .msg_namelen = sizeof(kernel) };
	struct {
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} ack;
	struct kvec iov = { .iov_base = skb->data, .iov_len = skb->len };
	int ret;

	/*
	 * Naming the destination marks the request as addressed by the
	 * sender, which rtnetlink accepts from a socket without a file;
	 * the permission check is then the caller's CAP_NET_ADMIN.
	 */
	ret = kernel_sendmsg(sock, &msg, &iov, 1, skb->len);
	kfree_skb(skb);
	if (ret < 0)
		return ret;
	/* rtnetlink handled it synchronously: the answer is queued. */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &ack;
	iov.iov_len = sizeof(ack);
	ret = kernel_recvmsg(sock, &msg, &iov, 1, sizeof(ack),
			     MSG_DONTWAIT | MSG_TRUNC);
	if (ret < 0)
		return ret;
	if ((size_t)ret < sizeof(ack) || ack.nlh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ack.err.error;
}

static struct sk_buff *kn_rtnl_msg(int type, int flags, size_t hdr,
				   struct nlmsghdr **nlh)
{
	struct sk_buff *skb = nlmsg_new(NLMSG_ALIGN(hdr) + 64, GFP_KERNEL);

	if (!skb)
		return NULL;
	*nlh = nlmsg_put(skb, 0, 0, type, hdr, NLM_F_REQUEST | NLM_F_ACK | flags);
	if (!*nlh) {
		kfree_skb(skb);
		return NULL;
	}
	memset(nlmsg_data(*nlh), 0, hdr);
	return skb;
}

/* RTM_NEWLINK: set the MAC and bring the link up. */
static int kn_link_up(struct socket *sock, int ifindex, const u8 *mac)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = kn_rtnl_msg(RTM_NEWLINK, 0, sizeof(*ifi), &nlh);
	if (!skb)
		return -ENOMEM;
	ifi = nlmsg_data(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (nla_put(skb, IFLA_ADDRESS, ETH_ALEN, mac)) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return kn_rtnl_request(sock, skb);
}

/* RTM_NEWADDR: add the address and its prefix route. */
static int kn_add_addr(struct socket *sock, int ifindex,
		       const struct kho_netcfg *c)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	u32 mask = ~0U << (32 - c->prefix);

	skb = kn_rtnl_msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			  sizeof(*ifa), &nlh);
	if (!skb)
		return -ENOMEM;
	ifa = nlmsg_data(nlh);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = c->prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	if (nla_put_in_addr(skb, IFA_LOCAL, htonl(c->addr)) ||
	    nla_put_in_addr(skb, IFA_ADDRESS, htonl(c->addr)) ||
	    (c->prefix <= 30 &&
	     nla_put_in_addr(skb, IFA_BROADCAST, htonl(c->addr | ~mask)))) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return kn_rtnl_request(sock, skb);
}

/*
 * RTM_NEWROUTE: the default route through the gateway, only if there is no
 * default route yet (-EEXIST otherwise): one that userspace set stays.
 */
static int kn_add_route(struct socket *sock, int ifindex, u32 gateway)
{
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	struct rtmsg *rtm;

	skb = kn_rtnl_msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			  sizeof(*rtm), &nlh);
	if (!skb)
		return -ENOMEM;
	rtm = nlmsg_data(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (nla_put_in_addr(skb, RTA_GATEWAY, htonl(gateway)) ||
	    nla_put_u32(skb, RTA_OIF, ifindex)) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return kn_rtnl_request(sock, skb);
}

static int kn_proc_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_puts(m, "#PROTO: KHO\n");
	if (kn_applied.lease_expires)
		seq_printf(m, "#LEASE-EXPIRES: %lld\n", kn_applied.lease_expires);
	for (i = 0; i < KN_DNS_MAX && kn_applied.dns[i]; i++) {
		__be32 dns = htonl(kn_applied.dns[i]);

		seq_printf(m, "nameserver %pI4\n", &dns);
	}
	return 0;
}

/* Configure @dev as @c says; called without the RTNL. */
static int kn_apply(struct net_device *dev, const struct kho_netcfg *c)
{
	__be32 addr = htonl(c->addr), gw = htonl(c->gateway);
	bool route_kept = false;
	struct socket *sock;
	const char *step;
	unsigned int nr_dns = 0;
	char lease[32] = "no lease end";
	int err;

	err = sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			       &sock);
	if (err) {
		pr_err("%s: no rtnetlink socket (%d): nothing configured\n",
		       c->ifname, err);
		return err;
	}
	step = "link";
	err = kn_link_up(sock, dev->ifindex, c->mac);
	if (!err) {
		step = "address";
		err = kn_add_addr(sock, dev->ifindex, c);
	}
	if (!err && c->gateway) {
		step = "default route";
		err = kn_add_route(sock, dev->ifindex, c->gateway);
		route_kept = err == -EEXIST;
		if (route_kept)
			err = 0;
	}
	sock_release(sock);
	if (err) {
		pr_err("%s: setting the %s failed (%d): configuration incomplete\n",
		       c->ifname, step, err);
		return err;
	}

	while (nr_dns < KN_DNS_MAX && c->dns[nr_dns])
		nr_dns++;
	/*
	 * 0: no end is known (a static configuration, or a boot loader that
	 * cannot tell, as U-Boot): the address stays until userspace changes
	 * it; renewing the lease is the job of a DHCP client, if any.
	 */
	if (c->lease_expires)
		snprintf(lease, sizeof(lease), "lease until %lld",
			 c->lease_expires);
	kn_applied = *c;
	if (!kn_proc)
		kn_proc = proc_create_single("kho_netcfg", 0444, init_net.proc_net,
					     kn_proc_show);
	if (route_kept)
		pr_info("%s: configured from the handover: %pM %pI4/%u, a default route exists: not replaced by one via %pI4, %u DNS server(s), %s\n",
			c->ifname, c->mac, &addr, c->prefix, &gw, nr_dns, lease);
	else if (c->gateway)
		pr_info("%s: configured from the handover: %pM %pI4/%u via %pI4, %u DNS server(s), %s\n",
			c->ifname, c->mac, &addr, c->prefix, &gw, nr_dns, lease);
	else
		pr_info("%s: configured from the handover: %pM %pI4/%u, no gateway, %u DNS server(s), %s\n",
			c->ifname, c->mac, &addr, c->prefix, nr_dns, lease);
	return 0;
}

/*
 * Apply the incoming configuration if its interface exists now: the one
 * with its name and its permanent MAC. An interface of that name with
 * another permanent MAC is logged and left alone.
 */
static bool kn_try_apply(void)
{
	struct net_device *dev;

	dev = dev_get_by_name(&init_net, kn_in.ifname);
	if (!dev)
		return false;
	if (!ether_addr_equal(dev->perm_addr, kn_in.perm_mac)) {
		pr_warn("%s: permanent MAC %pM, not the handed-over %pM: not configured\n",
			kn_in.ifname, dev->perm_addr, kn_in.perm_mac);
		dev_put(dev);
		return false;
	}
	kn_apply(dev, &kn_in);
	dev_put(dev);
	return true;
}

/*
 * An interface got the name the handover names, or the lease ended:
 * configure it, unless the lease ended or the handover finished meanwhile;
 * then stop waiting.
 */
static void kn_apply_workfn(struct work_struct *work)
{
	char why[96];

	mutex_lock(&kn_lock);
	if (!kn_waiting)
		goto unlock;
	if (kho_in_finished()) {
		pr_info("%s: the handover finished: no longer waiting for it\n",
			kn_in.ifname);
		kn_waiting = false;
	} else if (kho_netcfg_check(&kn_in, ktime_get_real_seconds(), why,
				    sizeof(why))) {
		pr_info("%s: %s: no longer waiting for it\n", kn_in.ifname, why);
		kn_waiting = false;
	} else if (kn_try_apply()) {
		kn_waiting = false;
	}
unlock:
	mutex_unlock(&kn_lock);
}

/* An interface registered or renamed after this module's init: the one? */
static int kn_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	/* Under the RTNL: configure from a work item. */
	if ((event == NETDEV_REGISTER || event == NETDEV_CHANGENAME) &&
	    dev_net(dev) == &init_net && READ_ONCE(kn_waiting) &&
	    !strcmp(dev->name, kn_in.ifname))
		schedule_work(&kn_apply_work);
	return NOTIFY_DONE;
}

static struct notifier_block kn_netdev_nb = {
	.notifier_call = kn_netdev_event,
};

static enum hrtimer_restart kn_lease_timer_fn(struct hrtimer *timer)
{
	schedule_work(&kn_apply_work);
	return HRTIMER_NORESTART;
}

/* ---- the outgoing entry ---- */

/* Bring the entry up to date with the live interface, at finalize. */
static int kn_serialize(struct khoreg_entry *entry, void *priv)
{
	u8 mac[ETH_ALEN] = {}, perm_mac[ETH_ALEN] = {};
	u32 addr = 0, gateway = 0;
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;
	u8 prefix = 0;
	int err;

	rcu_read_lock();
	dev = dev_get_by_name_rcu(&init_net, kn_out_ifname);
	in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (dev) {
		ether_addr_copy(mac, dev->dev_addr);
		ether_addr_copy(perm_mac, dev->perm_addr);
	}
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_flags & IFA_F_SECONDARY)
				continue;
			addr = ntohl(ifa->ifa_local);
			prefix = ifa->ifa_prefixlen;
			break;
		}
	}
	if (addr) {
		struct flowi4 fl4 = { .flowi4_oif = dev->ifindex };
		struct fib_result res;

		/* The default route: the longest match of 0.0.0.0 is 0/0. */
		if (!fib_lookup(&init_net, &fl4, &res, 0) &&
		    res.type == RTN_UNICAST && !res.prefixlen &&
		    res.nhc->nhc_gw_family == AF_INET &&
		    res.nhc->nhc_dev == dev)
			gateway = ntohl(res.nhc->nhc_gw.ipv4);
	}
	rcu_read_unlock();

	if (!addr)
		pr_warn("%s %s: handing over no address\n", kn_out_ifname,
			dev ? "has no IPv4 address" : "does not exist");
	if (dev && !is_valid_ether_addr(perm_mac))
		pr_warn("%s has no permanent MAC: the next kernel will not configure it\n",
			kn_out_ifname);
	err = khoreg_set_array(entry, "perm-mac", perm_mac, ETH_ALEN);
	err = err ?: khoreg_set_array(entry, "mac", mac, ETH_ALEN);
	err = err ?: khoreg_set_u32(entry, "addr", addr);
	err = err ?: khoreg_set_u8(entry, "prefix", prefix);
	return err ?: khoreg_set_u32(entry, "gateway", gateway);
}

/* Hand @ifname over; the empty string stops handing anything over. */
static int kn_declare(const char *ifname)
{
	struct khoreg_entry *entry;
	int err;

	lockdep_assert_held(&kn_lock);
	if (kn_entry) {
		err = khoreg_unregister(kn_entry);
		if (err)
			return err;
		kn_entry = NULL;
	}
	strscpy(kn_out_ifname, ifname);
	if (!*ifname)
		return 0;
	entry = khoreg_register(KN_NAME, &kn_schema, NULL);
	if (IS_ERR(entry)) {
		kn_out_ifname[0] = '\0';
		return PTR_ERR(entry);
	}
	err = khoreg_set_string(entry, "ifname", ifname);
	err = err ?: khoreg_set_array(entry, "dns", kn_dns, KN_DNS_MAX);
	err = err ?: khoreg_set_s64(entry, "lease-expires", kn_lease_expires);
	if (err) {
		khoreg_unregister(entry);
		kn_out_ifname[0] = '\0';
		return err;
	}
	kn_entry = entry;
	return 0;
}

/* ---- module parameters ---- */

static int kn_ifname_set(const char *val, const struct kernel_param *kp)
{
	char name[IFNAMSIZ];
	size_t len = strcspn(val, "\n");
	int err = 0;

	if (len >= IFNAMSIZ)
		return -EINVAL;
	memcpy(name, val, len);
	name[len] = '\0';
	if (len && !dev_valid_name(name))
		return -EINVAL;
	mutex_lock(&kn_lock);
	if (kn_ready)
		err = kn_declare(name);
	else	/* from the command line: the initcall declares it */
		strscpy(kn_out_ifname, name);
	mutex_unlock(&kn_lock);
	return err;
}

static int kn_ifname_get(char *buf, const struct kernel_param *kp)
{
	int n;

	mutex_lock(&kn_lock);
	n = sysfs_emit(buf, "%s\n", kn_out_ifname);
	mutex_unlock(&kn_lock);
	return n;
}

static const struct kernel_param_ops kn_ifname_ops = {
	.set = kn_ifname_set,
	.get = kn_ifname_get,
};
module_param_cb(ifname, &kn_ifname_ops, NULL, 0644);
MODULE_PARM_DESC(ifname,
		 "interface whose configuration is handed over at the next kexec (empty: none)");

static int kn_dns_set(const char *val, const struct kernel_param *kp)
{
	u32 dns[KN_DNS_MAX];
	int err;

	err = kho_netcfg_parse_dns(val, dns);
	if (err)
		return err;
	mutex_lock(&kn_lock);
	if (kn_entry)
		err = khoreg_set_array(kn_entry, "dns", dns, KN_DNS_MAX);
	if (!err)
		memcpy(kn_dns, dns, sizeof(dns));
	mutex_unlock(&kn_lock);
	return err;
}

static int kn_dns_get(char *buf, const struct kernel_param *kp)
{
	unsigned int i;
	int n = 0;

	mutex_lock(&kn_lock);
	for (i = 0; i < KN_DNS_MAX && kn_dns[i]; i++) {
		__be32 dns = htonl(kn_dns[i]);

		n += sysfs_emit_at(buf, n, "%s%pI4", i ? "," : "", &dns);
	}
	mutex_unlock(&kn_lock);
	return n + sysfs_emit_at(buf, n, "\n");
}

static const struct kernel_param_ops kn_dns_ops = {
	.set = kn_dns_set,
	.get = kn_dns_get,
};
module_param_cb(dns, &kn_dns_ops, NULL, 0644);
MODULE_PARM_DESC(dns, "up to 3 comma-separated IPv4 DNS servers handed over");

static int kn_lease_set(const char *val, const struct kernel_param *kp)
{
	s64 lease;
	int err;

	err = kstrtos64(val, 0, &lease);
	if (err || lease < 0)
		return -EINVAL;
	mutex_lock(&kn_lock);
	if (kn_entry)
		err = khoreg_set_s64(kn_entry, "lease-expires", lease);
	if (!err)
		kn_lease_expires = lease;
	mutex_unlock(&kn_lock);
	return err;
}

static int kn_lease_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", READ_ONCE(kn_lease_expires));
}

static const struct kernel_param_ops kn_lease_ops = {
	.set = kn_lease_set,
	.get = kn_lease_get,
};
module_param_cb(lease_expires, &kn_lease_ops, NULL, 0644);
MODULE_PARM_DESC(lease_expires,
		 "end of the DHCP lease handed over, seconds since the epoch (0: no end known)");

/* ---- restoring ---- */

/* Read the incoming entry into @c; a message in @why on failure. */
static int kn_restore(struct kho_netcfg *c, char *why, size_t len)
{
	struct khoreg_in_entry *in;
	const char *field;
	int err;

	in = khoreg_claim(KN_NAME, &kn_schema);
	if (IS_ERR(in)) {
		err = PTR_ERR(in);
		if (err == -ENOENT)
			snprintf(why, len, "nothing handed over");
		else
			snprintf(why, len, "cannot claim the entry (%d)", err);
		return err;
	}
	field = "ifname";
	err = khoreg_get_string(in, field, c->ifname, IFNAMSIZ);
	if (!err) {
		field = "perm-mac";
		err = khoreg_get_array(in, field, KHOREG_TYPE_U8, c->perm_mac,
				       ETH_ALEN);
	}
	if (!err) {
		field = "mac";
		err = khoreg_get_array(in, field, KHOREG_TYPE_U8, c->mac,
				       ETH_ALEN);
	}
	if (!err) {
		field = "addr";
		err = khoreg_get_u32(in, field, &c->addr);
	}
	if (!err) {
		field = "prefix";
		err = khoreg_get_u8(in, field, &c->prefix);
	}
	if (!err) {
		field = "gateway";
		err = khoreg_get_u32(in, field, &c->gateway);
	}
	if (!err) {
		field = "dns";
		err = khoreg_get_array(in, field, KHOREG_TYPE_U32, c->dns,
				       KN_DNS_MAX);
	}
	if (!err) {
		field = "lease-expires";
		err = khoreg_get_s64(in, field, &c->lease_expires);
	}
	if (err)
		snprintf(why, len, "field %s unusable (%d)", field, err);
	return err;
}

static int __init kn_init(void)
{
	char why[96];
	int err;

	hrtimer_init(&kn_lease_timer, CLOCK_REALTIME, HRTIMER_MODE_ABS);
	kn_lease_timer.function = kn_lease_timer_fn;
	err = register_netdevice_notifier(&kn_netdev_nb);
	if (err)
		return err;
	mutex_lock(&kn_lock);
	err = kn_restore(&kn_in, why, sizeof(why));
	err = err ?: kho_netcfg_check(&kn_in, ktime_get_real_seconds(), why,
				      sizeof(why));
	if (!err) {
		/* Hand the same interface on, with its DNS servers and lease. */
		memcpy(kn_dns, kn_in.dns, sizeof(kn_dns));
		kn_lease_expires = kn_in.lease_expires;
		if (!*kn_out_ifname)
			strscpy(kn_out_ifname, kn_in.ifname);
		kn_waiting = !kn_try_apply();
		if (kn_waiting)
			pr_info("%s (permanent MAC %pM): not present yet: configuring it when it appears\n",
				kn_in.ifname, kn_in.perm_mac);
		if (kn_waiting && kn_in.lease_expires)
			hrtimer_start(&kn_lease_timer,
				      ktime_set(kn_in.lease_expires, 0),
				      HRTIMER_MODE_ABS);
	} else if (err == -ENOENT) {
		pr_info("nothing handed over: no interface configured\n");
	} else {
		pr_warn("bad handover: %s: no interface configured\n", why);
	}
	kn_ready = true;
	err = kn_declare(kn_out_ifname);
	mutex_unlock(&kn_lock);
	if (err)
		pr_warn("cannot hand %s over (%d)\n", kn_out_ifname, err);
	return 0;
}

/* Built in: after the NIC drivers' device_initcalls, before /init. */
late_initcall(kn_init);

static void __exit kn_exit(void)
{
	unregister_netdevice_notifier(&kn_netdev_nb);
	hrtimer_cancel(&kn_lease_timer);
	cancel_work_sync(&kn_apply_work);
	mutex_lock(&kn_lock);
	/* The registry keeps the module loaded while the handover is finalized. */
	WARN_ON(khoreg_unregister(kn_entry));
	kn_entry = NULL;
	mutex_unlock(&kn_lock);
	proc_remove(kn_proc);
}
module_exit(kn_exit);

MODULE_DESCRIPTION("Kexec HandOver sample: network configuration for the next kernel");
MODULE_LICENSE("GPL");
