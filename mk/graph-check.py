#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
#
# graph-check.py [--ktap] [--edges] DIR...: report every include/call cycle
# among the C files of each DIR (and its subdirectories); exit 1 when there
# is one, 2 on a usage error.
#
# The graph has one node per .c file; a header counts as the .c file of the
# same name (x.h is x.c) and stands alone only when there is none. An edge
# a -> b is
#   - a local '#include "x.h"' (or "x.c") in a, when x.c is b;
#   - a naming a function defined in b: a call, or its address taken (an
#     ops table, a callback), outside comments and strings, not after '.',
#     '->', struct, union or enum, and not in a prototype (declaring is no
#     use).
# A name resolves to a's own definition first, then to the files that define
# it with external linkage, then to the headers that define it (static
# inline), as the compiler would; the definitions are found by Debian's
# universal-ctags. A strongly connected component of more than one file is
# reported with the edges inside it and the functions that make them, so
# every cycle among those files is covered.
#
# --ktap prints one test line per DIR ("ok N no include/call cycle in DIR"),
# the cycles as diagnostics; --edges also prints every edge of the graph.

import json
import os
import re
import subprocess
import sys

CTAGS = "ctags-universal"

# Comments, string and character literals (skipped), or one identifier with
# what comes before it: '.' or '->' makes it a member, struct, union or enum
# a type (struct khoreg_blob is not khoreg_blob()).
TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|'
                   r'(?:(\.|->|\b(?:struct|union|enum)\b)\s*)?\b([A-Za-z_]\w*)', re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def c_files(top):
    """Every .c and .h file under top, as paths relative to it, sorted."""
    found = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for f in files:
            if f.endswith((".c", ".h")):
                found.append(os.path.relpath(os.path.join(root, f), top))
    return sorted(found)


def unit_of(path, files):
    """The node a file counts as: x.h is x.c when there is one."""
    if path.endswith(".h") and path[:-2] + ".c" in files:
        return path[:-2] + ".c"
    return path


def definitions(top, files):
    """{name: [(file, static)]} of the functions defined in files, and the
    set of (file, line, name) of their prototypes, which are no use."""
    cmd = [CTAGS, "-f", "-", "--output-format=json", "--languages=C",
           "--langmap=C:.c.h", "--kinds-C=fp", "--fields=+nfK"] + files
    try:
        out = subprocess.run(cmd, cwd=top, check=True, capture_output=True,
                             text=True).stdout
    except FileNotFoundError:
        sys.exit(f"graph-check: {CTAGS} not found (Debian package universal-ctags)")
    defs, protos = {}, set()
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("_type") != "tag":
            continue
        if tag["kind"] == "function":
            defs.setdefault(tag["name"], []).append((tag["path"], bool(tag.get("file"))))
        else:
            protos.add((tag["path"], tag["line"], tag["name"]))
    return defs, protos


def resolve(name, unit, defs, files):
    """The nodes a use of name in unit refers to (none when its own)."""
    where = defs.get(name, [])
    if any(unit_of(f, files) == unit for f, _ in where):
        return set()
    targets = {unit_of(f, files) for f, static in where if not static and f.endswith(".c")}
    if not targets:
        targets = {unit_of(f, files) for f, _ in where if f.endswith(".h")}
    return targets


def graph(top):
    """{(a, b): set of reasons} of the edges among the files under top."""
    files = c_files(top)
    fileset = set(files)
    defs, protos = definitions(top, files) if files else ({}, set())
    edges = {}
    for path in files:
        unit = unit_of(path, fileset)
        with open(os.path.join(top, path), errors="replace") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = os.path.normpath(os.path.join(os.path.dirname(path), inc))
            if target.endswith(".h"):
                target = target[:-2] + ".c"
            if target in fileset and target != unit:
                edges.setdefault((unit, target), set()).add(f'#include "{inc}"')
        for m in TOKEN.finditer(text):
            name = m.group(2)
            if not name or m.group(1) or name not in defs:
                continue
            line = text.count("\n", 0, m.start(2)) + 1
            if (path, line, name) in protos:
                continue
            for target in resolve(name, unit, defs, fileset):
                edges.setdefault((unit, target), set()).add(name + "()")
    return edges


def cycles(edges):
    """The strongly connected components of more than one node (Tarjan)."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index, low, stack, on_stack, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in sorted(succ):
        if v not in index:
            visit(v)
    return sorted(comps)


def report(edges, comps, show_edges):
    """The lines that describe the cycles (and with show_edges the graph)."""
    lines = []
    for comp in comps:
        lines.append("cycle among " + " ".join(comp) + ":")
        for (a, b), why in sorted(edges.items()):
            if a in comp and b in comp:
                lines.append(f"  {a} -> {b}: " + ", ".join(sorted(why)))
    if show_edges:
        for (a, b), why in sorted(edges.items()):
            lines.append(f"edge {a} -> {b}: " + ", ".join(sorted(why)))
    return lines


def main(argv):
    ktap = "--ktap" in argv
    show_edges = "--edges" in argv
    dirs = [a for a in argv if not a.startswith("--")]
    if not dirs or len(dirs) + ktap + show_edges != len(argv):
        print("usage: graph-check.py [--ktap] [--edges] DIR...", file=sys.stderr)
        return 2
    for d in dirs:
        if not os.path.isdir(d):
            print(f"graph-check: {d}: not a directory", file=sys.stderr)
            return 2
    failed = False
    if ktap:
        print("KTAP version 1")
        print(f"1..{len(dirs)}")
    for n, d in enumerate(dirs, 1):
        edges = graph(d)
        comps = cycles(edges)
        failed |= bool(comps)
        lines = report(edges, comps, show_edges)
        if ktap:
            print(f"{'not ok' if comps else 'ok'} {n} no include/call cycle in {d}")
            for line in lines:
                print("# " + line)
        else:
            print(f"{d}: {len(comps)} cycle(s), {len(edges)} edge(s)")
            for line in lines:
                print("  " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
