#!/usr/bin/env python3
"""Builds and runs the cuda-kernel tasks of datasets/kernels without optiloop, for a bare GPU
machine (nvcc and Python, none of optiloop's Debian dependencies): each task's harness with its
baseline (and reference, when it has one) compiled by nvcc, every test and stress input run,
the output compared with the expected one the way optiloop's `float` checker does, and the
cost the harness writes (CUDA-event median, microseconds) collected.

    kernels/check-tasks.py [--arch sm_90] [--out DIR] [--timeout S] [--build-only] [TASK_DIR ...]

Prints one line per task and solution and writes check-tasks.json under --out. Exit 0 when every
solution built and passed every test (with --build-only, for a machine without a GPU: built),
1 otherwise, 2 on bad arguments.
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tokens(text):
    return text.split()


def number(token):
    try:
        return float(token)
    except ValueError:
        return None


def check_float(output, expected, abs_tol, rel_tol):
    """optiloop's float checker (runner/src/checker.cpp): tokens equal, or numbers within abs or
    rel of the expected value; NaN only matches NaN. Returns '' or why it failed."""
    got, want = tokens(output), tokens(expected)
    for i, (g_text, w_text) in enumerate(zip(got, want)):
        if g_text == w_text:
            continue
        g, w = number(g_text), number(w_text)
        if g is None or w is None:
            return f"token {i}: got {g_text!r}, expected {w_text!r}"
        if math.isnan(g) or math.isnan(w) or math.isinf(g) or math.isinf(w):
            if (math.isnan(g) and math.isnan(w)) or g == w:
                continue
            return f"token {i}: got {g_text}, expected {w_text}"
        diff = abs(g - w)
        if diff <= abs_tol or diff <= rel_tol * abs(w):
            continue
        return f"token {i}: got {g_text}, expected {w_text} (difference {diff:.3g})"
    if len(got) != len(want):
        return f"{len(got)} tokens, expected {len(want)}"
    return ""


def arch_flags(flags, arch):
    """The task's flags with its -arch/-gencode choices replaced by the one GPU at hand: building
    for every architecture the task names would only cost time here."""
    kept = [f for f in flags if not f.startswith(("-arch", "-gencode", "--generate-code"))]
    return kept + [f"-arch={arch}"]


TRANSLATION_UNITS = (".cpp", ".cc", ".cxx", ".c", ".cu")  # as core::is_translation_unit


def nvcc():
    """$NVCC, else nvcc on PATH, else the toolkit's usual place."""
    for candidate in (os.environ.get("NVCC", ""), shutil.which("nvcc") or "", "/usr/local/cuda/bin/nvcc"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return "nvcc"


def build(task_dir, solution, flags, arch, workdir):
    harness = os.path.join(task_dir, "harness")
    sources = []
    for folder in (harness, os.path.join(task_dir, solution)):
        sources += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(TRANSLATION_UNITS)]
    binary = os.path.join(workdir, f"{solution}.bin")
    command = [nvcc(), *arch_flags(flags, arch), "-I", harness, "-o", binary, *sources]
    started = time.time()
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as e:
        return None, f"build failed: {command[0]}: {e.strerror}", time.time() - started
    if done.returncode != 0:
        return None, f"build failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}", time.time() - started
    return binary, "", time.time() - started


def run_tests(binary, task_dir, checker, timeout, workdir):
    results = []
    for folder in ("tests", "stress"):
        path = os.path.join(task_dir, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(f for f in os.listdir(path) if f.endswith(".in")):
            stem = name[:-3]
            cost_file = os.path.join(workdir, "cost.json")
            if os.path.exists(cost_file):
                os.remove(cost_file)
            with open(os.path.join(path, name)) as stdin:
                try:
                    done = subprocess.run([binary], stdin=stdin, capture_output=True, text=True, timeout=timeout, cwd=workdir)
                except subprocess.TimeoutExpired:
                    results.append({"test": f"{folder}/{stem}", "verdict": "TLE", "detail": f"over {timeout} s"})
                    continue
            if done.returncode != 0:
                detail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
                results.append({"test": f"{folder}/{stem}", "verdict": "RE", "detail": detail})
                continue
            with open(os.path.join(path, stem + ".out")) as f:
                why = check_float(done.stdout, f.read(), checker.get("abs", 0.0), checker.get("rel", 0.0))
            cost = None
            if os.path.exists(cost_file):
                with open(cost_file) as f:
                    cost = json.loads(f.read().strip().splitlines()[-1]).get("cost")
            results.append({"test": f"{folder}/{stem}", "verdict": "WA" if why else "OK", "detail": why, "cost_us": cost})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="sm_90", help="the GPU's architecture (default sm_90, the H100/H200)")
    parser.add_argument("--out", default="", help="folder for check-tasks.json")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per test run")
    parser.add_argument("--build-only", action="store_true",
                        help="build every solution and run nothing (a machine without a GPU)")
    parser.add_argument("tasks", nargs="*", help="task folders (default: every cuda-kernel task in datasets/kernels)")
    args = parser.parse_args()
    if not re.fullmatch(r"sm_\d+a?", args.arch):
        print(f"check-tasks: --arch {args.arch}: expected sm_NN, e.g. sm_90", file=sys.stderr)
        return 2
    tasks = args.tasks
    if not tasks:
        base = os.path.join(ROOT, "datasets", "kernels")
        tasks = [os.path.join(base, d) for d in sorted(os.listdir(base)) if os.path.isfile(os.path.join(base, d, "task.json"))]
    jobs = []
    for task_dir in tasks:
        spec_path = os.path.join(task_dir, "task.json")
        try:
            with open(spec_path) as f:
                spec = json.load(f)
        except (OSError, ValueError) as e:
            print(f"check-tasks: {spec_path}: {e}", file=sys.stderr)
            return 2
        if spec.get("kind") != "cuda-kernel":
            continue
        for solution in ("baseline", "reference"):
            if os.path.isdir(os.path.join(task_dir, solution)):
                jobs.append((task_dir, spec, solution))

    # nvcc runs for every solution at once (one process each, the machine's cores in parallel);
    # the tests then run one solution at a time, so their timings do not disturb each other.
    report, ok = [], True
    workdirs = [tempfile.mkdtemp(prefix="optiloop-check-tasks.") for _ in jobs]
    try:
        def build_job(job, workdir):
            task_dir, spec, solution = job
            return build(task_dir, solution, spec.get("build", {}).get("flags", []), args.arch, workdir)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
            builds = list(pool.map(build_job, jobs, workdirs))
        for (task_dir, spec, solution), workdir, (binary, problem, build_s) in zip(jobs, workdirs, builds):
            if args.build_only:
                report.append({"task": spec["id"], "solution": solution, "build_seconds": round(build_s, 1),
                               "problem": problem, "tests": [], "passed": 0, "total": 0})
                ok = ok and not problem
                print(f"{spec['id']:<28} {solution:<9} {problem or 'built (tests not run: --build-only)'} "
                      f"(build {build_s:.0f} s)", flush=True)
                continue
            tests = run_tests(binary, task_dir, spec.get("checker", {}), args.timeout, workdir) if binary else []
            passed = sum(t["verdict"] == "OK" for t in tests)
            costs = [t["cost_us"] for t in tests if t["verdict"] == "OK" and t.get("cost_us") is not None]
            entry = {"task": spec["id"], "solution": solution, "build_seconds": round(build_s, 1), "problem": problem,
                     "tests": tests, "passed": passed, "total": len(tests)}
            report.append(entry)
            ok = ok and not problem and tests and passed == len(tests)
            first_failure = next((f"{t['test']}: {t['verdict']} {t['detail']}" for t in tests if t["verdict"] != "OK"), "")
            cost_text = f", median cost {statistics.median(costs):.1f} us" if costs else ""
            print(f"{spec['id']:<28} {solution:<9} {problem or f'{passed}/{len(tests)} tests OK'}{cost_text}"
                  f"{'  first failure: ' + first_failure if first_failure else ''} (build {build_s:.0f} s)", flush=True)
    finally:
        for workdir in workdirs:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "check-tasks.json"), "w") as f:
            json.dump({"arch": args.arch, "build_only": args.build_only, "tasks": report}, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
