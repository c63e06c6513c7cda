#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the khoreg test guest: mount the pseudo filesystems, then run
# the stage of the scenario named on the kernel command line.
mount -t proc none /proc
mount -t sysfs none /sys
mount -t devtmpfs none /dev
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
mkdir -p /tmp
. /khoreg/lib.sh
khoreg_main
