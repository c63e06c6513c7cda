// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the few facts every other file of the core asks about.
 *
 *  enabled     whether this kernel hands over at all ("kho=" on the
 *              command line, KEXEC_HANDOVER_ENABLE_DEFAULT);
 *  the gate    whether the outgoing handover is idle, so that preserved
 *              memory and sub-blobs may change; finalizing, so that only
 *              the task running finalize may change them; or finalized,
 *              so that every change is refused with -EBUSY;
 *  finished    whether the incoming handover is finished, after which
 *              nothing more may be restored;
 *  last error  why the handover was last refused, for
 *              /sys/kernel/kho/last_error.
 *
 * They live here, below everything else, so that mem.c, in.c and out.c can
 * ask without calling up into one another.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "internal.h"

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

static int __init kho_parse_enable(char *p)
{
	return kstrtobool(p, &kho_enable);
}
early_param("kho", kho_parse_enable);

/**
 * kho_is_enabled() - is handing over to the next kernel possible?
 *
 * Return: true if KHO is on and its scratch memory is reserved.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * kho_disable() - turn handing over off: for want of scratch memory, or in
 *		   a kdump kernel
 */
void __init kho_disable(void)
{
	kho_enable = false;
}

/*
 * kho_state_sem is read by every change to the outgoing set and written by
 * the transitions between idle, finalizing and finalized, which out.c
 * serialises. While finalize runs, kho_finalizer is the task running it:
 * its hooks may still preserve memory and add sub-blobs, every other task
 * is refused, so that what the validators approve is what is handed over.
 */
static DECLARE_RWSEM(kho_state_sem);
static enum kho_state kho_state = KHO_IDLE;
static struct task_struct *kho_finalizer;

/**
 * kho_out_may_change() - may the current task change the handover now?
 *
 * For state kept outside the gate (the registry's values), checked under
 * that state's own lock: false while another task finalizes the handover
 * or once it is finalized.
 *
 * Return: true if a change is allowed.
 */
bool kho_out_may_change(void)
{
	struct task_struct *finalizer = READ_ONCE(kho_finalizer);

	return READ_ONCE(kho_state) == KHO_IDLE &&
	       (!finalizer || finalizer == current);
}

/**
 * kho_out_begin() - start a change to the outgoing handover
 *
 * Return: 0 with the state held until kho_out_end(); -EOPNOTSUPP if KHO is
 * disabled; -EBUSY if the handover is finalized, or is being finalized by
 * another task.
 */
int kho_out_begin(void)
{
	if (!kho_enable)
		return -EOPNOTSUPP;
	down_read(&kho_state_sem);
	if (!kho_out_may_change()) {
		up_read(&kho_state_sem);
		return -EBUSY;
	}
	return 0;
}

/**
 * kho_out_end() - end a change begun by a successful kho_out_begin()
 */
void kho_out_end(void)
{
	up_read(&kho_state_sem);
}

/**
 * kho_out_state() - is the outgoing handover idle or finalized?
 *
 * While finalize runs the state is still %KHO_IDLE; kho_out_begin() and
 * kho_out_may_change() tell the finalizing task apart.
 *
 * Return: %KHO_IDLE or %KHO_FINALIZED; out.c tells %KHO_LOADED apart.
 */
enum kho_state kho_out_state(void)
{
	return READ_ONCE(kho_state);
}

/**
 * kho_out_finalizing() - let only the current task change the handover
 *
 * Waits for the changes in progress to end. Until kho_out_set_state(),
 * every other task's change is refused with -EBUSY.
 */
void kho_out_finalizing(void)
{
	down_write(&kho_state_sem);
	WARN_ON_ONCE(kho_state != KHO_IDLE || kho_finalizer);
	WRITE_ONCE(kho_finalizer, current);
	up_write(&kho_state_sem);
}

/**
 * kho_out_set_state() - move the outgoing handover to @state
 * @state: %KHO_IDLE or %KHO_FINALIZED
 *
 * Waits for the changes in progress to end and ends finalizing.
 */
void kho_out_set_state(enum kho_state state)
{
	down_write(&kho_state_sem);
	WRITE_ONCE(kho_state, state);
	WRITE_ONCE(kho_finalizer, NULL);
	up_write(&kho_state_sem);
}

static enum kho_finish_how kho_finished;

/**
 * kho_in_finished() - has the incoming handover been finished?
 *
 * A driver that holds on to state from the handover to apply later (when
 * a device appears, say) asks this before it does: once the handover is
 * finished, what it carried is stale. See kho_finish_timeout= in
 * Documentation/kho/admin-guide.rst.
 *
 * Return: true once unrestored incoming memory is being, or has been,
 * returned to the page allocator; restores fail from then on. False
 * before, and on a boot without a handover.
 */
bool kho_in_finished(void)
{
	return READ_ONCE(kho_finished) != KHO_FINISH_PENDING;
}
EXPORT_SYMBOL_GPL(kho_in_finished);

/**
 * kho_in_finish_how() - how the incoming handover was finished
 *
 * Return: %KHO_FINISH_PENDING until it is.
 */
enum kho_finish_how kho_in_finish_how(void)
{
	return READ_ONCE(kho_finished);
}

/**
 * kho_in_set_finished() - mark the incoming handover finished
 * @how: %KHO_FINISH_TIMEOUT or %KHO_FINISH_WRITE
 */
void kho_in_set_finished(enum kho_finish_how how)
{
	WRITE_ONCE(kho_finished, how);
}

static DEFINE_SPINLOCK(kho_error_lock);
static char kho_last_error[KHO_REASON_LEN];

/**
 * kho_set_error() - record why the handover was refused
 * @fmt: printf format of the reason
 *
 * The reason is logged and shown in /sys/kernel/kho/last_error.
 */
void kho_set_error(const char *fmt, ...)
{
	va_list args;

	spin_lock(&kho_error_lock);
	va_start(args, fmt);
	vsnprintf(kho_last_error, sizeof(kho_last_error), fmt, args);
	va_end(args);
	spin_unlock(&kho_error_lock);
	pr_err("%s\n", kho_last_error);
}

/**
 * kho_clear_error() - forget the last refusal, once a finalize succeeded
 */
void kho_clear_error(void)
{
	spin_lock(&kho_error_lock);
	kho_last_error[0] = '\0';
	spin_unlock(&kho_error_lock);
}

/**
 * kho_get_error() - copy the last refusal
 * @buf: destination
 * @len: its size, at least 1
 *
 * Return: true if there is one.
 */
bool kho_get_error(char *buf, size_t len)
{
	spin_lock(&kho_error_lock);
	strscpy(buf, kho_last_error, len);
	spin_unlock(&kho_error_lock);
	return buf[0];
}
