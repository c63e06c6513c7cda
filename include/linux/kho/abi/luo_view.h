/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoreg's registry view of the Live Update sessions: the schemas of the
 * entries kernel/liveupdate/luo_view.c declares. Shared by the kernel, the
 * BPF validators and userspace tools, so it holds only constants.
 *
 *   liveupdate                     LUO_VIEW_ROOT_COMPATIBLE
 *     sessions, files, bytes       u64: the totals of the outgoing sessions
 *     session-<n>                  LUO_VIEW_SESSION_COMPATIBLE
 *       name                       string: the session's name
 *       files, bytes               u64: its files, the sum of their sizes
 *       file-<token in hex>        LUO_VIEW_FILE_COMPATIBLE
 *         token                    u64
 *         handler                  string: the file handler's compatible
 *         bytes                    u64: the file's size when preserved
 *
 * Every field is root only (KHOREG_FIELD_SECRET). The entries describe;
 * the sessions themselves are in the LUO sub-blob (luo.h).
 */
#ifndef _LINUX_KHO_ABI_LUO_VIEW_H
#define _LINUX_KHO_ABI_LUO_VIEW_H

#define LUO_VIEW_ROOT_NAME		"liveupdate"
#define LUO_VIEW_ROOT_COMPATIBLE	"khoreg,liveupdate-v1"
#define LUO_VIEW_SESSION_COMPATIBLE	"khoreg,liveupdate-session-v1"
#define LUO_VIEW_FILE_COMPATIBLE	"khoreg,liveupdate-file-v1"

#endif /* _LINUX_KHO_ABI_LUO_VIEW_H */
