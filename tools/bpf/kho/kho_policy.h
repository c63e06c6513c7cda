/* SPDX-License-Identifier: GPL-2.0-only */
/* The configuration of kho_policy.bpf.c, shared with khobpf. */
#ifndef KHO_POLICY_H
#define KHO_POLICY_H

#define KHO_POLICY_PREFIXES	4
#define KHO_POLICY_PREFIX_MAX	32

struct kho_policy_config {
	__u64 max_bytes;
	__u64 max_session_bytes;
	__u32 nr_prefixes;
	char prefixes[KHO_POLICY_PREFIXES][KHO_POLICY_PREFIX_MAX];
};

#endif
