#!/usr/bin/env python3
"""The CPU attention kernel's per-path objects define nothing outside their own namespace.

Each attention_cpu_PATH.cpp compiles the same tile code with its own -march. Any global or weak
symbol it defined outside optiloop::kernels::cpu::PATH (an inline function or template instance
from a library header) could be merged by the linker with another path's copy, so that code
built for AVX-512 would run on a CPU without it. Usage: check_cpu_paths.py NM ARCHIVE.
"""
import re
import subprocess
import sys


def main() -> int:
    nm, archive = sys.argv[1], sys.argv[2]
    listing = subprocess.run([nm, "--defined-only", "-C", archive], check=True, capture_output=True, text=True).stdout
    member = None
    members = set()
    problems = []
    for line in listing.splitlines():
        header = re.fullmatch(r"(\S+\.o):", line.strip())
        if header:
            member = re.fullmatch(r"attention_cpu_(portable|x86_64_v\d)\.cpp\.o", header.group(1))
            if member:
                members.add(member.group(1))
            continue
        if not member or not line.strip():
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2]
        # Local symbols (lower case, except the weak kinds v and w) are the object's own.
        if kind.islower() and kind not in "vw":
            continue
        if not name.startswith(f"optiloop::kernels::cpu::{member.group(1)}::"):
            problems.append(f"{member.group(0)}: {kind} {name}")
    if "portable" not in members:
        print(f"{archive}: no attention_cpu_portable.cpp.o member", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"defined outside its path's namespace: {problem}", file=sys.stderr)
    print(f"paths checked: {', '.join(sorted(members))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
