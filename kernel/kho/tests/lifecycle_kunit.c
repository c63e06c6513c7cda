// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the outgoing handover's lifecycle: while one task
 * finalizes, every other task's change is refused; memory that is still
 * preserved is leaked, never freed; a hook cannot leave a finalized
 * handover; and the handover cannot be aborted while kexec_file_load()
 * holds it. They finalize and abort this kernel's own handover, so they
 * skip when KHO is disabled.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/kexec.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

#include "../internal.h"
#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
#include "../registry_internal.h"
#endif

/* Wait at most this long for the finalizing thread, so a bug fails, not hangs. */
#define KT_WAIT		(30 * HZ)

/**
 * struct kt_finalizer - a finalize run by another task, held in prepare
 * @hook: the test's hook
 * @in_prepare: completed once the hook's prepare runs
 * @go: completed by the test to let finalize go on
 * @done: completed once kho_finalize() returned
 * @err: what kho_finalize() returned
 * @own: a folio the hook preserves from the finalizing task
 * @own_err: what that returned
 * @aborts: calls of the hook's abort
 */
struct kt_finalizer {
	struct kho_hook hook;
	struct completion in_prepare, go, done;
	int err;
	struct folio *own;
	int own_err;
	unsigned int aborts;
};

static int kt_prepare(struct kho_hook *hook, char *reason, size_t len)
{
	struct kt_finalizer *f = container_of(hook, struct kt_finalizer, hook);

	if (f->own)
		f->own_err = kho_preserve_folio(f->own);
	complete(&f->in_prepare);
	wait_for_completion_timeout(&f->go, KT_WAIT);
	return 0;
}

static void kt_abort(struct kho_hook *hook)
{
	struct kt_finalizer *f = container_of(hook, struct kt_finalizer, hook);

	if (f->own && !f->own_err)
		kho_unpreserve_folio(f->own);
	f->aborts++;
}

static int kt_finalize_thread(void *arg)
{
	struct kt_finalizer *f = arg;

	f->err = kho_finalize();
	complete(&f->done);
	return 0;
}

static void kt_finalizer_init(struct kt_finalizer *f)
{
	memset(f, 0, sizeof(*f));
	f->hook.name = "kunit";
	f->hook.prepare = kt_prepare;
	f->hook.abort = kt_abort;
	init_completion(&f->in_prepare);
	init_completion(&f->go);
	init_completion(&f->done);
}

static void kt_need_kho(struct kunit *test)
{
	if (!kho_is_enabled())
		kunit_skip(test, "KHO is disabled");
	KUNIT_ASSERT_EQ(test, kho_get_state(), KHO_IDLE);
}

#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
static const struct khoreg_field kt_reg_fields[] = {
	{ .name = "n", .type = KHOREG_TYPE_U32 },
};

static const struct khoreg_schema kt_reg_schema = {
	.compatible = "kunit,lifecycle-v1",
	.version = 1,
	.fields = kt_reg_fields,
	.nr_fields = ARRAY_SIZE(kt_reg_fields),
};
#endif

/*
 * While another task finalizes, this one can neither preserve nor
 * unpreserve memory, add sub-blobs or change a handed-over registry; the
 * finalizing task can. What the test freed meanwhile is leaked, not freed.
 */
static void kho_test_finalizing(struct kunit *test)
{
	struct kt_finalizer *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct folio *folio, *own;
	struct kho_vmalloc pv;
	struct task_struct *t;
	unsigned long leaked;
	void *mem, *area;
	int err;
#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
	struct khoreg_registry *reg = kunit_kzalloc(test, sizeof(*reg),
						    GFP_KERNEL);
	struct khoreg_entry *e;
#endif

	kt_need_kho(test);
	KUNIT_ASSERT_NOT_NULL(test, f);
#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
	/* A registry handed over, as khoreg_registry is. */
	KUNIT_ASSERT_NOT_NULL(test, reg);
	khoreg_registry_init(reg);
	reg->outgoing = true;
	e = khoreg_entry_add(reg, NULL, "kt", &kt_reg_schema, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
#endif
	kt_finalizer_init(f);
	folio = folio_alloc(GFP_KERNEL, 0);
	own = folio_alloc(GFP_KERNEL, 0);
	area = vmalloc(4 * PAGE_SIZE);
	mem = kho_alloc_preserve(PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, folio && own && area && !IS_ERR(mem));
	KUNIT_ASSERT_EQ(test, kho_preserve_vmalloc(area, &pv), 0);
	f->own = own;
	KUNIT_ASSERT_EQ(test, kho_register_hook(&f->hook), 0);

	t = kthread_run(kt_finalize_thread, f, "kho-kunit-fin");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&f->in_prepare,
							  KT_WAIT), 0);

	/* The finalizing task itself preserved its folio. */
	KUNIT_EXPECT_EQ(test, f->own_err, 0);
	/* Everyone else is refused. */
	err = kho_preserve_folio(folio);
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	if (!err)
		kho_unpreserve_folio(folio);
	err = kho_add_subtree("kunit-lifecycle", mem, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	if (!err)
		kho_remove_subtree("kunit-lifecycle");
	/* Unpreserving returns nothing (as in mainline): nothing changes. */
	kho_unpreserve_vmalloc(&pv);
	KUNIT_EXPECT_TRUE(test, kho_mem_out_covered(page_to_phys(vmalloc_to_page(area)),
						    PAGE_SIZE));
#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
	KUNIT_EXPECT_EQ(test, khoreg_set_u32(e, "n", 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_entry_add(reg, NULL, "late",
						       &kt_reg_schema, NULL,
						       NULL)), -EBUSY);
#endif
	/* Freeing memory the handover holds leaks it instead. */
	leaked = kho_mem_out_leaked();
	kho_unpreserve_free(mem);
	KUNIT_EXPECT_EQ(test, kho_mem_out_leaked(), leaked + 1);
	KUNIT_EXPECT_TRUE(test, kho_mem_out_covered(virt_to_phys(mem), PAGE_SIZE));

	complete(&f->go);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&f->done, KT_WAIT), 0);
	KUNIT_EXPECT_EQ(test, f->err, 0);
	if (!f->err)
		KUNIT_EXPECT_EQ(test, kho_abort(), 0);
	KUNIT_EXPECT_EQ(test, kho_unregister_hook(&f->hook), 0);

	/* Idle again: everything may change. */
#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
	KUNIT_EXPECT_EQ(test, khoreg_set_u32(e, "n", 2), 0);
	khoreg_entry_remove(e);
#endif
	kho_unpreserve_vmalloc(&pv);
	KUNIT_EXPECT_FALSE_MSG(test,
			       kho_mem_out_covered(page_to_phys(vmalloc_to_page(area)),
						   PAGE_SIZE),
			       "the vmalloc area stays preserved after abort");
	/* The leaked page is still preserved, and now goes. */
	if (kho_mem_out_covered(virt_to_phys(mem), PAGE_SIZE))
		kho_unpreserve_free(mem);
	vfree(area);
	folio_put(folio);
	folio_put(own);
}

/*
 * A hook cannot unregister while the handover holds what it prepared, and
 * its owner module is pinned meanwhile; one that is unloading cannot
 * take part.
 */
static void kho_test_hook_finalized(struct kunit *test)
{
	static struct module kt_mod = { .name = "kho_kunit_fake" };
	struct kt_finalizer *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	kt_need_kho(test);
	KUNIT_ASSERT_NOT_NULL(test, f);
	kt_finalizer_init(f);
	f->hook.prepare = NULL;
	f->hook.owner = &kt_mod;
	kt_mod.state = MODULE_STATE_LIVE;
	atomic_set(&kt_mod.refcnt, 1);
	KUNIT_ASSERT_EQ(test, kho_register_hook(&f->hook), 0);

	KUNIT_ASSERT_EQ(test, kho_finalize(), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod), 1);
	KUNIT_EXPECT_EQ(test, kho_unregister_hook(&f->hook), -EBUSY);
	KUNIT_EXPECT_EQ(test, f->aborts, 0);
	KUNIT_EXPECT_EQ(test, kho_abort(), 0);
	KUNIT_EXPECT_EQ(test, f->aborts, 1);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod), 0);

	/* An owner that is going refuses the finalize. */
	kt_mod.state = MODULE_STATE_GOING;
	KUNIT_EXPECT_EQ(test, kho_finalize(), -EBUSY);
	KUNIT_EXPECT_EQ(test, kho_get_state(), KHO_IDLE);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod), 0);
	KUNIT_EXPECT_EQ(test, kho_unregister_hook(&f->hook), 0);
}

/*
 * From kexec_file_load() attaching the handover to an image until the
 * image is freed, abort is refused, even before the image is installed.
 */
static void kho_test_abort_loading(struct kunit *test)
{
	struct kimage *image = kunit_kzalloc(test, sizeof(*image), GFP_KERNEL);

	kt_need_kho(test);
	KUNIT_ASSERT_NOT_NULL(test, image);
	image->file_mode = 1;
	image->type = KEXEC_TYPE_DEFAULT;
	INIT_LIST_HEAD(&image->control_pages);
	INIT_LIST_HEAD(&image->dest_pages);
	INIT_LIST_HEAD(&image->unusable_pages);

	KUNIT_ASSERT_EQ(test, kho_fill_kimage(image), 0);
	KUNIT_EXPECT_EQ(test, image->nr_segments, 1);
	KUNIT_EXPECT_EQ(test, kho_abort(), -EBUSY);
	KUNIT_EXPECT_NE(test, kho_get_state(), KHO_IDLE);
	kho_kimage_free(image);
	KUNIT_EXPECT_EQ(test, kho_abort(), 0);
	KUNIT_EXPECT_EQ(test, kho_get_state(), KHO_IDLE);
}

static struct kunit_case kho_lifecycle_test_cases[] = {
	KUNIT_CASE(kho_test_finalizing),
	KUNIT_CASE(kho_test_hook_finalized),
	KUNIT_CASE(kho_test_abort_loading),
	{}
};

static struct kunit_suite kho_lifecycle_test_suite = {
	.name = "kho_lifecycle",
	.test_cases = kho_lifecycle_test_cases,
};

kunit_test_suite(kho_lifecycle_test_suite);

MODULE_DESCRIPTION("KUnit tests of the lifecycle of the outgoing KHO handover");
MODULE_LICENSE("GPL");
