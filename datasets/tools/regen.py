#!/usr/bin/env python3
"""Regenerates a built-in task's expected outputs and stress inputs, and checks the task.

For each task folder given:
  1. builds gen/gen.cpp (-O2), baseline and reference (with the task's flags, default -O3);
  2. writes stress/NAME.in from each line "NAME ARGS..." of gen/stress.args (gen prints the input);
  3. writes every tests/NAME.out and stress/NAME.out from the reference's output;
  4. checks the baseline gives the same answers (token-wise, or within 1e-6 for float checkers);
  5. with --count, counts instructions of baseline and reference on the stress inputs with
     valgrind (cachegrind, no cache simulation) and checks the reference is >= 1.5x cheaper.
This is a maintainer tool; optiloop itself never runs it.
"""
import json, os, subprocess, sys, tempfile, re, pathlib

def sh(args, **kw):
    return subprocess.run(args, check=True, **kw)

def build(task, role, tmp):
    spec = json.loads((task / "task.json").read_text())
    out = pathlib.Path(tmp) / role
    if role == "gen":
        srcs = [task / "gen" / "gen.cpp"]
        incs = []
    else:
        srcs = sorted((task / role).glob("*.cpp"))
        incs = []
        if spec.get("kind") == "function":
            h = task / "harness"
            srcs += sorted(h.glob("*.cpp"))
            incs = ["-I", str(h)]
    flags = spec.get("build", {}).get("flags", ["-std=c++17", "-O3"]) if role != "gen" else ["-std=c++17", "-O2"]
    sh(["g++", *flags, *incs, "-o", str(out), *map(str, srcs)])
    return out

def run(binary, inp, extra=None):
    with open(inp, "rb") as f:
        r = subprocess.run([str(binary)], stdin=f, stdout=subprocess.PIPE, check=True, timeout=120)
    return r.stdout

def same(a, b, checker):
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    if checker.get("type") != "float":
        return ta == tb
    tol = checker.get("abs", 1e-6), checker.get("rel", 1e-6)
    for x, y in zip(ta, tb):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if abs(fx - fy) > max(tol[0], tol[1] * abs(fy)):
            return False
    return True

def count(binary, inp):
    with tempfile.NamedTemporaryFile() as o, open(inp, "rb") as f:
        subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=" + o.name,
                        str(binary)], stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        text = pathlib.Path(o.name).read_text()
    m = re.search(r"^summary:\s+(\d+)", text, re.M)
    return int(m.group(1))

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    do_count = "--count" in sys.argv
    ok = True
    for t in args:
        task = pathlib.Path(t)
        spec = json.loads((task / "task.json").read_text())
        checker = spec.get("checker", {"type": "tokens"})
        with tempfile.TemporaryDirectory() as tmp:
            base = build(task, "baseline", tmp)
            ref = build(task, "reference", tmp)
            (task / "stress").mkdir(exist_ok=True)
            argsfile = task / "gen" / "stress.args"
            if argsfile.exists():
                gen = build(task, "gen", tmp)
                for line in argsfile.read_text().splitlines():
                    if not line.strip() or line.startswith("#"):
                        continue
                    name, *gargs = line.split()
                    with open(task / "stress" / f"{name}.in", "wb") as f:
                        sh([str(gen), *gargs], stdout=f)
            for d in ("tests", "stress"):
                for inp in sorted((task / d).glob("*.in")):
                    want = run(ref, inp)
                    (inp.with_suffix(".out")).write_bytes(want)
                    got = run(base, inp)
                    if not same(got.decode(), want.decode(), checker):
                        print(f"{task}: baseline differs from reference on {inp}")
                        ok = False
            if do_count:
                for inp in sorted((task / "stress").glob("*.in")):
                    b, r = count(base, inp), count(ref, inp)
                    ratio = b / max(r, 1)
                    flag = "ok" if ratio >= 1.5 else "TOO CLOSE"
                    print(f"{task.name} {inp.name}: baseline {b} reference {r} ratio {ratio:.2f} {flag}")
                    ok &= ratio >= 1.5
        print(f"{task}: regenerated")
    sys.exit(0 if ok else 1)

if __name__ == "__main__":
    main()
