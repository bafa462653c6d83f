#!/usr/bin/env python3
"""Rewrites the two pieces of CUDA syntax that C++ cannot spell, so a .cu file compiles with g++
against the SIMT emulator (simt.hpp); everything else stays as written:

  callee<<<grid, block[, shared[, stream]]>>>(arguments)
      -> ::optiloop::simt::launcher(callee, grid, block, shared, stream)(arguments)
  extern __shared__ [__align__(n)] T name[];
      -> T* const name = reinterpret_cast<T*>(::optiloop::simt::detail::dynamic_shared());
  __shared__ T a[N][M], b;   (inside a function body)
      -> the same, then ::optiloop::simt::detail::static_shared(&a, sizeof a); ... for each
         variable, so that it starts as 0xFF bytes in every block, as dynamic shared memory does

The output starts with #line 1 "INPUT", so compiler messages name the original file; CUDA's
headers come from shim/ on the include path. The kernel may be a function, a pointer to one or a
template with its arguments given; a kernel template whose arguments a launch would deduce
fails to compile, naming the line.

usage: translate.py INPUT OUTPUT
"""
import re
import sys

EXTERN_SHARED = re.compile(
    r"extern\s+__shared__\s+(?:__align__\s*\(\s*\d+\s*\)\s+)?([A-Za-z_][\w:<>, ]*?)\s+(?:__align__\s*\(\s*\d+\s*\)\s+)?"
    r"([A-Za-z_]\w*)\s*\[\s*\]\s*;")

STATIC_SHARED = re.compile(r"\b__shared__\b([^;{}=]*);")
# What opens a brace that is not a function body (or a block inside one).
NOT_A_BODY = re.compile(r"(\bnamespace\b[\w:\s]*|\b(?:struct|class|union|enum)\b[^;{}()]*|extern\s*\"C\"\s*|=\s*|\[\s*\]\s*)$")


def in_function_body(text):
    """For each offset of `text`, whether it lies inside a function body, by the kind of every
    open brace (comments and string literals skipped)."""
    inside = bytearray(len(text) + 1)
    stack = []  # True for a function body or a block within one
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            before = text[max(0, i - 200):i].rstrip()
            stack.append(any(stack) or not NOT_A_BODY.search(before))
        elif c == "}" and stack:
            stack.pop()
        inside[i] = any(stack)
        i += 1
    return inside


def split_declarators(declaration):
    """`float a[N][M], b` into its declarators, at commas outside brackets."""
    parts, depth, current = [], 0, ""
    for c in declaration:
        depth += c in "[(<"
        depth -= c in "])>"
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    return parts + [current]


def mark_static_shared(text):
    inside = in_function_body(text)

    def poison_calls(match):
        if not inside[match.start()]:
            return match.group(0)
        calls = ""
        for declarator in split_declarators(match.group(1)):
            name = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^;]*)?$", declarator.strip())
            if name:
                calls += f" ::optiloop::simt::detail::static_shared(&{name.group(1)}, sizeof {name.group(1)});"
        return match.group(0) + calls

    return STATIC_SHARED.sub(poison_calls, text)


def callee_start(text, end):
    """Where the kernel expression that ends at `end` (just before <<<) begins: identifiers,
    ::, and balanced template argument lists, with any white space (line breaks too) before <<<."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    depth = 0
    while i > 0:
        c = text[i - 1]
        if c == ">":
            depth += 1
        elif c == "<" and depth > 0:
            depth -= 1
        elif depth == 0 and not (c.isalnum() or c in "_:"):
            break
        i -= 1
    return i


def split_top_level(config):
    parts, depth, current = [], 0, ""
    for c in config:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    parts.append(current.strip())
    return parts


def rewrite_launches(text, path):
    out = []
    position = 0
    while True:
        start = text.find("<<<", position)
        if start < 0:
            out.append(text[position:])
            return "".join(out)
        end = text.find(">>>", start)
        if end < 0:
            line = text.count("\n", 0, start) + 1
            sys.exit(f"{path}:{line}: <<< without >>>")
        begin = callee_start(text, start)
        callee = text[begin:start].strip()
        if not callee:
            line = text.count("\n", 0, start) + 1
            sys.exit(f"{path}:{line}: a launch without a kernel name before <<<")
        config = split_top_level(text[start + 3:end])
        if len(config) < 2 or len(config) > 4:
            line = text.count("\n", 0, start) + 1
            sys.exit(f"{path}:{line}: a launch takes 2 to 4 configuration arguments, not {len(config)}")
        while len(config) < 4:
            config.append("0" if len(config) == 2 else "nullptr")
        out.append(text[position:begin])
        out.append(f"::optiloop::simt::launcher({callee}, {config[0]}, {config[1]}, {config[2]}, {config[3]})")
        # The line breaks of a launch written over several lines, kept so the #line numbers hold.
        out.append("\n" * text.count("\n", begin, end + 3))
        position = end + 3


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: translate.py INPUT OUTPUT")
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    text = EXTERN_SHARED.sub(
        lambda m: f"{m.group(1)}* const {m.group(2)} = "
                  f"reinterpret_cast<{m.group(1)}*>(::optiloop::simt::detail::dynamic_shared());", text)
    text = mark_static_shared(text)
    text = rewrite_launches(text, source)
    escaped = source.replace("\\", "\\\\").replace('"', '\\"')
    with open(target, "w", encoding="utf-8") as f:
        f.write(f'#include "simt.hpp"\n#line 1 "{escaped}"\n{text}')


if __name__ == "__main__":
    main()
