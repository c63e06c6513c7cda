// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace store: a handed-over trace instance kept on flash across a
 * cold boot.
 *
 * A handover (from a boot loader, or from the previous kernel at kexec)
 * may carry the registry entry "trace-store": a trace instance handed over
 * with KHO, an MTD device (a device tree path or an MTD name), an offset
 * and a size. This kernel then writes that instance to the store when it
 * reboots, kexecs, halts or powers off (a reboot notifier): a header with
 * magic, version, length and CRC-32, an ftrace blob that describes the
 * instance and this kernel's events, and the instance's ring buffer range
 * (<linux/kho/abi/trace.h>). At panic nothing is written: the CFI driver
 * of the flash sleeps. It hands the entry on, so the next kernel stores
 * again.
 *
 * When the device shows up, the store is read and checked as untrusted
 * input (bounds against the store and the device, checksum, the ftrace
 * blob and then every CPU's ring buffer, as for a kexec handover), and its
 * trace is shown as the read-only instance NAME-stored. Anything wrong is
 * refused with one log line and boot goes on.
 */
#define pr_fmt(fmt) "trace_kho_store: " fmt

#include <linux/crc32.h>
#include <linux/kho/registry.h>
#include <linux/mtd/mtd.h>
#include <linux/of.h>
#include <linux/reboot.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "trace.h"
#include "trace_kho.h"

#define TKS_DEVICE_LEN	128

static const struct khoreg_field tks_fields[] = {
	KHOREG_STRING("instance", KHO_TRACE_NAME_LEN),
	KHOREG_STRING("device", TKS_DEVICE_LEN),
	KHOREG_FIELD("offset", U64),
	KHOREG_FIELD("size", U64),
};

static const struct khoreg_schema tks_schema = {
	.compatible = KHO_TRACE_STORE_COMPATIBLE,
	.version = 1,
	.fields = tks_fields,
	.nr_fields = ARRAY_SIZE(tks_fields),
};

/* The store the handover named, set once at late_initcall */
static struct {
	char instance[KHO_TRACE_NAME_LEN];
	char device[TKS_DEVICE_LEN];
	u64 offset;
	u64 size;
} tks;

static DEFINE_MUTEX(tks_lock);
static struct mtd_info *tks_mtd;	/* the store's device, once it is up */

static const char * const tks_reasons[] = {
	[KHO_TRACE_STORE_REBOOT] = "reboot",
	[KHO_TRACE_STORE_KEXEC] = "kexec",
	[KHO_TRACE_STORE_HALT] = "halt",
	[KHO_TRACE_STORE_POWER_OFF] = "power-off",
};

static u32 tks_crc(const void *blob, size_t blob_size, const void *range,
		   size_t range_size)
{
	return crc32_le(crc32_le(~0U, blob, blob_size), range, range_size) ^ ~0U;
}

/**
 * trace_kho_store_check() - check the header of a trace store
 * @hdr: the header, as read from the store
 * @store_size: the size of the store, header included
 *
 * Return: NULL when @hdr may describe a stored trace: magic, version,
 * reason, and lengths that fit the store (and a quarter of RAM); else why
 * it does not.
 */
const char *trace_kho_store_check(const struct kho_trace_store_header *hdr,
				  u64 store_size)
{
	u64 range_size;

	if (hdr->magic == KHO_TRACE_STORE_ERASED)
		return "empty (erased)";
	if (hdr->magic != KHO_TRACE_STORE_MAGIC)
		return "foreign contents (bad magic)";
	if (hdr->version != KHO_TRACE_STORE_VERSION)
		return "unknown version";
	if (hdr->reserved)
		return "reserved field not zero";
	if (hdr->reason >= ARRAY_SIZE(tks_reasons) || !tks_reasons[hdr->reason])
		return "unknown reason";
	if (store_size < sizeof(*hdr) || hdr->length > store_size - sizeof(*hdr))
		return "length beyond the store";
	if (hdr->length > (u64)totalram_pages() << (PAGE_SHIFT - 2))
		return "length larger than a quarter of RAM";
	if (hdr->blob_size < sizeof(struct kho_trace_header) ||
	    hdr->blob_size >= hdr->length)
		return "blob size out of range";
	range_size = hdr->length - hdr->blob_size;
	if (!PAGE_ALIGNED(range_size))
		return "trace range not page aligned";
	return NULL;
}

/**
 * trace_kho_store_parse() - check a trace store read whole
 * @hdr: its header, which trace_kho_store_check() passed
 * @blob: the @hdr->blob_size bytes after the header
 * @range: the ring buffer range after them, the rest of @hdr->length
 * @why: set to why the store is refused
 *
 * Checks the checksum, then the ftrace blob as trace_kho_blob_parse()
 * does, and that it lists one instance, without memory, whose range is
 * @range. The ring buffer code checks @range itself.
 *
 * Return: the checked copy of the blob, to be kvfree()d; NULL with *@why
 * set if the store is refused.
 */
struct kho_trace_header *
trace_kho_store_parse(const struct kho_trace_store_header *hdr,
		      const void *blob, const void *range, const char **why)
{
	u64 range_size = hdr->length - hdr->blob_size;
	const struct kho_trace_instance *inst;
	struct kho_trace_header *copy;

	if (tks_crc(blob, hdr->blob_size, range, range_size) != hdr->checksum) {
		*why = "checksum mismatch";
		return NULL;
	}
	copy = trace_kho_blob_parse(blob, hdr->blob_size, why);
	if (!copy)
		return NULL;
	inst = (const void *)(copy + 1);
	if (copy->nr_instances != 1)
		*why = "not exactly one instance";
	else if (inst->mem.total_pages)
		*why = "instance with memory";
	else if (inst->range_size != range_size)
		*why = "instance range is not the stored range";
	else
		return copy;
	kvfree(copy);
	return NULL;
}

/* Read @len bytes at @off of the store; 0, or a negative errno. */
static int tks_read_at(struct mtd_info *mtd, u64 off, size_t len, void *buf)
{
	size_t got;
	int err;

	err = mtd_read(mtd, tks.offset + off, len, &got, buf);
	if (mtd_is_bitflip(err))
		err = 0;
	return err ?: got == len ? 0 : -EIO;
}

/* Show what the store on @mtd holds as NAME-stored, or say why not. */
static void tks_show(struct mtd_info *mtd)
{
	const struct kho_trace_instance *inst;
	struct kho_trace_store_header hdr;
	struct kho_trace_header *copy;
	char name[KHO_TRACE_NAME_LEN + sizeof("-stored")];
	void *blob = NULL, *range = NULL;
	struct trace_kho_map *map;
	struct trace_array *tr;
	u64 start = local_clock();
	const char *why;
	int err;

	err = tks_read_at(mtd, 0, sizeof(hdr), &hdr);
	if (err) {
		pr_warn("%s: cannot read the store (%d)\n", mtd->name, err);
		return;
	}
	why = trace_kho_store_check(&hdr, tks.size);
	if (hdr.magic == KHO_TRACE_STORE_ERASED) {
		pr_info("%s at %#llx: no stored trace: %s\n", mtd->name,
			tks.offset, why);
		return;
	}
	if (why)
		goto refuse;
	why = "out of memory";
	blob = kvmalloc(hdr.blob_size, GFP_KERNEL);
	range = vzalloc(hdr.length - hdr.blob_size);
	if (!blob || !range)
		goto refuse;
	why = "cannot read it";
	if (tks_read_at(mtd, sizeof(hdr), hdr.blob_size, blob) ||
	    tks_read_at(mtd, sizeof(hdr) + hdr.blob_size,
			hdr.length - hdr.blob_size, range))
		goto refuse;
	copy = trace_kho_store_parse(&hdr, blob, range, &why);
	if (!copy)
		goto refuse;
	kvfree(blob);
	blob = NULL;
	inst = (const void *)(copy + 1);
	map = trace_kho_map_build((const void *)(inst + 1), copy->nr_events,
				  copy->common_hash);
	snprintf(name, sizeof(name), "%s-stored", inst->name);
	if (map) {
		/* The instance owns the range from here on */
		tr = trace_kho_show(name, range, inst->range_size, map);
		if (!IS_ERR(tr))
			pr_info("%s: restored %llu KiB of the trace stored at %s on %s at %#llx (%llu us)\n",
				name, inst->range_size >> 10,
				tks_reasons[hdr.reason], mtd->name,
				tks.offset,
				div_u64(local_clock() - start, NSEC_PER_USEC));
		kvfree(map);
	} else {
		pr_warn("%s: discarded: out of memory\n", name);
		vfree(range);
	}
	kvfree(copy);
	return;

refuse:
	pr_warn("%s at %#llx: refusing the stored trace: %s\n", mtd->name,
		tks.offset, why);
	kvfree(blob);
	vfree(range);
}

/* Write the instance to the store on @mtd; @reason says why (logged). */
static void tks_write(struct mtd_info *mtd, u32 reason)
{
	struct kho_trace_store_header hdr = {
		.magic = KHO_TRACE_STORE_MAGIC,
		.version = KHO_TRACE_STORE_VERSION,
		.reason = reason,
		.written = ktime_get_real_seconds(),
	};
	struct erase_info ei = { .addr = tks.offset };
	struct kho_trace_header *blob;
	u64 start = local_clock();
	unsigned long range_size;
	size_t blob_size, len;
	void *range;
	int err;

	blob = trace_kho_store_blob(tks.instance, &blob_size, &range,
				    &range_size);
	if (IS_ERR(blob)) {
		pr_warn("%s: nothing stored: %s\n", tks.instance,
			PTR_ERR(blob) == -ENOENT ?
			"no handed-over instance of that name" : "out of memory");
		return;
	}
	hdr.blob_size = blob_size;
	hdr.length = blob_size + range_size;
	if (hdr.length > tks.size - sizeof(hdr)) {
		pr_warn("%s: nothing stored: %llu bytes do not fit in the %llu of the store\n",
			tks.instance, hdr.length + sizeof(hdr), tks.size);
		goto free;
	}
	hdr.checksum = tks_crc(blob, blob_size, range, range_size);
	ei.len = (u64)mtd_div_by_eb(sizeof(hdr) + hdr.length + mtd->erasesize - 1,
				   mtd) * mtd->erasesize;
	err = mtd_erase(mtd, &ei);
	if (!err)
		err = mtd_write(mtd, tks.offset + sizeof(hdr), blob_size, &len,
				(const u_char *)blob);
	if (!err)
		err = mtd_write(mtd, tks.offset + sizeof(hdr) + blob_size,
				range_size, &len, range);
	/* The header last: a store cut short reads as erased */
	if (!err)
		err = mtd_write(mtd, tks.offset, sizeof(hdr), &len,
				(const u_char *)&hdr);
	if (err)
		pr_warn("%s: storing it on %s failed (%d)\n", tks.instance,
			mtd->name, err);
	else
		pr_info("%s: %lu KiB stored on %s at %#llx at %s (%llu us)\n",
			tks.instance, range_size >> 10, mtd->name, tks.offset,
			tks_reasons[reason],
			div_u64(local_clock() - start, NSEC_PER_USEC));
free:
	kvfree(blob);
}

static int tks_reboot(struct notifier_block *nb, unsigned long action,
		      void *cmd)
{
	u32 reason = KHO_TRACE_STORE_REBOOT;

	if (action == SYS_HALT)
		reason = KHO_TRACE_STORE_HALT;
	else if (action == SYS_POWER_OFF)
		reason = KHO_TRACE_STORE_POWER_OFF;
	else if (cmd && !strcmp(cmd, "kexec reboot"))
		reason = KHO_TRACE_STORE_KEXEC;
	guard(mutex)(&tks_lock);
	if (tks_mtd)
		tks_write(tks_mtd, reason);
	else
		pr_warn("%s: nothing stored: no usable device %s\n",
			tks.instance, tks.device);
	return NOTIFY_DONE;
}

/*
 * Before the flash drivers' own reboot notifiers (priority 0), which put
 * the chips into a state that refuses every write (cfi_cmdset_0001).
 */
static struct notifier_block tks_reboot_nb = {
	.notifier_call = tks_reboot,
	.priority = 1,
};

/* Is @mtd the device the handover named, by device tree path or name? */
static bool tks_is_device(struct mtd_info *mtd)
{
	struct device_node *np;
	bool match;

	if (tks.device[0] != '/')
		return !strcmp(mtd->name, tks.device);
	np = of_find_node_by_path(tks.device);
	match = np && np == mtd_get_of_node(mtd);
	of_node_put(np);
	return match;
}

static void tks_mtd_add(struct mtd_info *mtd)
{
	if (!tks_is_device(mtd))
		return;
	if (tks.offset > mtd->size || tks.size > mtd->size - tks.offset ||
	    mtd_mod_by_eb(tks.offset, mtd) || mtd_mod_by_eb(tks.size, mtd)) {
		pr_warn("%s: refusing the store at %#llx, %#llx bytes: not whole erase blocks (%#x bytes) of its %#llx\n",
			mtd->name, tks.offset, tks.size, mtd->erasesize,
			mtd->size);
		return;
	}
	tks_show(mtd);
	if (!(mtd->flags & MTD_WRITEABLE)) {
		pr_warn("%s is read-only: %s will not be stored\n", mtd->name,
			tks.instance);
		return;
	}
	guard(mutex)(&tks_lock);
	tks_mtd = mtd;
}

static void tks_mtd_remove(struct mtd_info *mtd)
{
	guard(mutex)(&tks_lock);
	if (tks_mtd == mtd)
		tks_mtd = NULL;
}

static struct mtd_notifier tks_mtd_notifier = {
	.add = tks_mtd_add,
	.remove = tks_mtd_remove,
};

/* Take the entry the handover carries into tks; NULL, or why not. */
static const char * __init tks_claim(void)
{
	struct khoreg_in_entry *in;

	in = khoreg_claim(KHO_TRACE_STORE_ENTRY, &tks_schema);
	if (IS_ERR(in))
		return PTR_ERR(in) == -ENOENT ? "" : "entry not accepted";
	if (khoreg_get_string(in, "instance", tks.instance,
			      sizeof(tks.instance)) ||
	    khoreg_get_string(in, "device", tks.device, sizeof(tks.device)) ||
	    khoreg_get_u64(in, "offset", &tks.offset) ||
	    khoreg_get_u64(in, "size", &tks.size))
		return "a field is missing or of another type";
	if (!tks.instance[0] || !tks.device[0])
		return "no instance or no device";
	if (tks.size <= sizeof(struct kho_trace_store_header) ||
	    tks.offset + tks.size < tks.offset)
		return "bad offset or size";
	return NULL;
}

/* Hand the store on to the next kernel, as this kernel received it. */
static int __init tks_hand_on(void)
{
	struct khoreg_entry *out;
	int err;

	out = khoreg_register(KHO_TRACE_STORE_ENTRY, &tks_schema, NULL);
	if (IS_ERR(out))
		return PTR_ERR(out);
	err = khoreg_set_string(out, "instance", tks.instance);
	err = err ?: khoreg_set_string(out, "device", tks.device);
	err = err ?: khoreg_set_u64(out, "offset", tks.offset);
	err = err ?: khoreg_set_u64(out, "size", tks.size);
	if (err)
		khoreg_unregister(out);
	return err;
}

/* After the flash drivers' device_initcalls, before the handover finishes */
static int __init tks_init(void)
{
	const char *why = tks_claim();
	int err;

	if (why) {
		if (*why)
			pr_warn("bad handover: %s: no trace store\n", why);
		return 0;
	}
	err = tks_hand_on();
	if (err)
		pr_warn("the store cannot be handed on (%d)\n", err);
	err = register_reboot_notifier(&tks_reboot_nb);
	if (err) {
		pr_warn("no reboot notifier (%d): no trace store\n", err);
		return 0;
	}
	pr_info("instance %s goes to %s at %#llx (%llu KiB) at reboot, kexec, halt and power-off\n",
		tks.instance, tks.device, tks.offset, tks.size >> 10);
	register_mtd_user(&tks_mtd_notifier);
	return 0;
}
late_initcall(tks_init);
