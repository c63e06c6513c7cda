/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * counter.h - the CPU's free-running counter for the guest programs of the
 * benchmarks: the x86 time stamp counter, arm64's virtual counter. Under
 * QEMU TCG it keeps counting across kexec, so it times a handover from
 * kexec -e in one kernel to a point in the next.
 */
#ifndef KHO_GUEST_COUNTER_H
#define KHO_GUEST_COUNTER_H

#ifdef __x86_64__
#include <x86intrin.h>
#endif

static inline unsigned long long guest_counter(void)
{
#ifdef __x86_64__
	return __rdtsc();
#else
	unsigned long long v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
#endif
}

#endif
