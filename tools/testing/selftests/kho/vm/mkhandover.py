#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Craft a KHO handover as a boot loader would pass it, for arm64 guests.

mkhandover.py CASE BOOT_DTB OUTDIR

BOOT_DTB is the device tree QEMU's virt machine would boot with (dumped
with -machine dumpdtb=...). Writes OUTDIR/handover.bin, a kho-v4 root FDT,
a scratch array and the radix tree of preserved blocks, to be placed in
guest RAM by QEMU's loader device, and OUTDIR/kho.dtb, BOOT_DTB with
/chosen naming the handover. Prints the QEMU arguments that boot with both.

CASE says what is wrong with the preserved-memory map:
  accept    nothing: two disjoint blocks in one leaf, the map is taken
  overlap   blocks (P, order 1) and (P + 4 KiB, order 0)
  shared    two table slots naming one leaf
  cycle     a table slot naming the root
  leaf      a leaf inside a preserved block
  initrd    a block over the initrd
  nomap     a block in memory the DTB marks no-map
  nomapnode the tree's nodes in memory the DTB marks no-map
  wide      blocks naming more memory than the machine has
"""

import os
import struct
import subprocess
import sys

PAGE = 4096
TOP_LEVEL = 5              # a kho-v4 tree with 4 KiB pages has levels 5..0
LEAF_BITS_LOG2 = 15
TABLE_BITS_LOG2 = 9
MIB = 1 << 20

# Guest physical layout, inside the RAM QEMU's virt machine gives (1 GiB at
# 1 GiB by default), away from the kernel, the initrd and the boot DTB.
SCRATCH_OFF = 256 * MIB    # scratch: 256 MiB at RAM + 256 MiB
HANDOVER_OFF = 640 * MIB   # the root FDT, the scratch array, the tree
BLOCKS_OFF = 704 * MIB     # preserved blocks (never written)
NOMAP_OFF = 768 * MIB      # the no-map region of the "nomap" case


def key(phys, order):
    shift = 12 + order
    return (1 << (64 - shift)) | (phys >> shift)


def slot(k, level):
    return (k >> (LEAF_BITS_LOG2 + (level - 1) * TABLE_BITS_LOG2)) & 511


class Tree:
    """Radix tree pages laid out one after another from address base."""

    def __init__(self, base):
        self.base = base
        self.pages = []
        self.root = self.node()

    def node(self):
        self.pages.append(bytearray(PAGE))
        return self.base + (len(self.pages) - 1) * PAGE

    def page(self, phys):
        return self.pages[(phys - self.base) // PAGE]

    def get(self, node, i):
        return struct.unpack_from("<Q", self.page(node), i * 8)[0]

    def put(self, node, i, val):
        struct.pack_into("<Q", self.page(node), i * 8, val)

    def path(self, k):
        """The table nodes from the root down to level 1, creating them."""
        nodes, node = [], self.root
        for level in range(TOP_LEVEL, 0, -1):
            nodes.append(node)
            child = self.get(node, slot(k, level))
            if not child:
                child = self.node()
                self.put(node, slot(k, level), child)
            node = child
        return nodes, node

    def add(self, phys, order):
        k = key(phys, order)
        _, leaf = self.path(k)
        bit = k & ((1 << LEAF_BITS_LOG2) - 1)
        word = self.get(leaf, bit // 64)
        self.put(leaf, bit // 64, word | (1 << (bit % 64)))
        return k


def fdtget(dtb, node, prop):
    out = subprocess.run(["fdtget", "-t", "x", dtb, node, prop], check=True,
                         capture_output=True, text=True).stdout.split()
    cells = [int(c, 16) for c in out]
    if len(cells) % 2:
        return cells
    return [(cells[i] << 32) | cells[i + 1] for i in range(0, len(cells), 2)]


def cells(*vals):
    return ["%x" % c for v in vals for c in (v >> 32, v & 0xffffffff)]


def nomap(start, size):
    """fdtput arguments of a /reserved-memory node marking a range no-map."""
    return [["-c", "/reserved-memory"],
            ["-t", "x", "/reserved-memory", "#address-cells", "2"],
            ["-t", "x", "/reserved-memory", "#size-cells", "2"],
            ["-t", "x", "/reserved-memory", "ranges"],
            ["-c", "/reserved-memory/khoreg-nomap"],
            ["-t", "x", "/reserved-memory/khoreg-nomap", "reg",
             *cells(start, size)],
            ["-t", "x", "/reserved-memory/khoreg-nomap", "no-map"]]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    case, boot_dtb, out = sys.argv[1:]
    ram, _ = fdtget(boot_dtb, "/memory@40000000", "reg")
    fdt_addr = ram + HANDOVER_OFF
    scratch = (ram + SCRATCH_OFF, 256 * MIB)
    blocks = ram + BLOCKS_OFF
    # Page 0: the root FDT, page 1: the scratch array, then the tree.
    tree = Tree(fdt_addr + 2 * PAGE)
    extra = []

    if case == "accept":
        tree.add(blocks, 1)
        tree.add(blocks + 2 * MIB, 1)
    elif case == "overlap":
        tree.add(blocks, 1)
        tree.add(blocks + PAGE, 0)
    elif case in ("shared", "cycle"):
        k = tree.add(blocks, 0)
        nodes, leaf = tree.path(k)
        l1 = nodes[-1]
        tree.put(l1, slot(k, 1) ^ 1, leaf if case == "shared" else tree.root)
    elif case == "leaf":
        k = tree.add(blocks, 0)
        _, leaf = tree.path(k)
        tree.add(leaf, 0)
    elif case == "initrd":
        initrd = fdtget(boot_dtb, "/chosen", "linux,initrd-start")[-1]
        tree.add(initrd & ~(PAGE - 1), 0)
    elif case == "nomap":
        tree.add(ram + NOMAP_OFF + 2 * MIB, 0)
        extra = nomap(ram + NOMAP_OFF, 4 * MIB)
    elif case == "nomapnode":
        # Reading the root would fault: the linear map leaves it out.
        tree.add(blocks, 0)
        extra = nomap(tree.base, len(tree.pages) * PAGE)
    elif case == "wide":
        # 512 + 256 + 256 + 128 MiB of a 1 GiB machine, all in RAM.
        tree.add(ram + 512 * MIB, 17)
        tree.add(ram + 512 * MIB, 16)
        tree.add(ram + 768 * MIB, 16)
        tree.add(ram + 512 * MIB, 15)
    else:
        sys.exit(f"mkhandover.py: unknown case {case}")

    dts = ("/dts-v1/;\n/ {\n\tcompatible = \"kho-v4\";\n"
           "\tpreserved-memory-map = [%s];\n};\n" %
           " ".join("%02x" % b for b in struct.pack("<Q", tree.root)))
    fdt = subprocess.run(["dtc", "-I", "dts", "-O", "dtb"], input=dts.encode(),
                         check=True, capture_output=True).stdout
    image = bytearray(2 * PAGE)
    image[:len(fdt)] = fdt
    struct.pack_into("<QQ", image, PAGE, *scratch)
    for page in tree.pages:
        image += page
    with open(os.path.join(out, "handover.bin"), "wb") as f:
        f.write(image)

    dtb = os.path.join(out, "kho.dtb")
    with open(boot_dtb, "rb") as src, open(dtb, "wb") as dst:
        dst.write(src.read())
    for args in extra + [
            ["-t", "x", "/chosen", "linux,kho-fdt", *cells(fdt_addr, PAGE)],
            ["-t", "x", "/chosen", "linux,kho-scratch",
             *cells(fdt_addr + PAGE, 16)]]:
        subprocess.run(["fdtput", dtb, *args], check=True)
    print(f"-dtb {dtb} -device loader,file={out}/handover.bin,"
          f"addr={fdt_addr:#x},force-raw=on")


if __name__ == "__main__":
    main()
