# SPDX-License-Identifier: GPL-2.0-only
#
# registry-import: what khoctl import adds can be taken back. khoctl
# unimport NAME (/sys/kernel/kho/registry_unimport) removes every entry of
# the import that has the top-level entry NAME, root only, not while the
# handover is finalized; at most 16 imports are pending at once; a driver
# that registers a name an import took gets EEXIST and a log line naming
# the import.

reg=/sys/kernel/kho/registry

logged() { dmesg | grep -qF "$1"; }

# blob_json NAME...: a registry description with one top-level entry per
# NAME, each with a u32 field.
blob_json() {
	local n sep=

	printf '{ "registry": { "entries": ['
	for n; do
		printf '%s{ "name": "%s", "compatible": "acme,imp-v1", "version": 1,' "$sep" "$n"
		printf ' "fields": [ { "name": "n", "type": "u32", "value": 7 } ] }'
		sep=,
	done
	printf '] } }\n'
}

# exits STATUS CMD...: CMD exits with STATUS.
exits() {
	local want=$1

	shift
	"$@"
	[ $? -eq "$want" ]
}

stage1() {
	local i n

	blob_json one two > /tmp/pair.json
	check "import a blob of two entries" khoctl import /tmp/pair.json
	check "both are pending" [ -d $reg/one -a -d $reg/two ]
	check "nobody cannot remove an import" \
		fails_with 'permission denied' as_nobody khoctl unimport one
	check "an unknown name is refused (exit 1)" \
		exits 1 khoctl unimport three
	check "khoctl unimport two" khoctl unimport two
	check "the whole import went" [ -d $reg -a ! -e $reg/one -a ! -e $reg/two ]
	check "one log line says so" logged 'KHO registry: removed the import of two: 2 entries'

	n=0
	for i in $(seq 16); do
		blob_json imp$i > /tmp/imp.json
		khoctl import /tmp/imp.json && n=$((n + 1))
	done
	check "16 imports are taken" [ $n = 16 -a "$(ls $reg | grep -c '^imp')" = 16 ]
	blob_json imp17 > /tmp/imp17.json
	check "a 17th is refused (exit 1)" exits 1 khoctl import /tmp/imp17.json
	check "last_error says why" grep -q \
		'registry import refused (-28): 16 imports are pending' /sys/kernel/kho/last_error
	check "unimport one" khoctl unimport imp1
	check "then the 17th is taken" khoctl import /tmp/imp17.json
	n=0
	for i in $(seq 2 17); do
		khoctl unimport imp$i && n=$((n + 1))
	done
	check "unimport the other 16" [ $n = 16 -a "$(ls $reg | grep -c '^imp')" = 0 ]

	blob_json khoreg-test > /tmp/taken.json
	check "import an entry named khoreg-test" khoctl import /tmp/taken.json
	# busybox modprobe takes EEXIST from init_module for "loaded already"
	modprobe khoreg_test action=declare
	check "khoreg_test cannot declare khoreg-test (EEXIST)" \
		logged 'khoreg_test: action=declare failed (-17)'
	check "and is not loaded" [ -d /sys/module -a ! -e /sys/module/khoreg_test ]
	taken='the name is taken by an import'
	check "the log names the import" \
		logged "KHO registry: cannot register entry khoreg-test: $taken"
	check "finalize" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "no unimport while finalized (exit 3)" exits 3 khoctl unimport khoreg-test
	check "the entry stays" [ -d $reg/khoreg-test ]
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "unimport khoreg-test" khoctl unimport khoreg-test
	check "khoreg_test declares it now" modprobe khoreg_test action=declare
	check "its own entry" [ "$(cat $reg/khoreg-test/compatible)" = khoreg,test-v1 ]
	check "khoreg_test's entry is no import" exits 1 khoctl unimport khoreg-test
	say "imports removed again, at most 16 pending, a taken name logged"
}
