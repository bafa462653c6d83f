#!/usr/bin/env python3
"""The table of a live comparison of search variants, from their results databases.

    bench/search/live/table.py population=A.db,B.db islands=C.db,D.db elites=E.db,F.db

Each VARIANT=DB,DB,... names one run (one repetition) per database. Per task and variant: the
best verified speedup of each run (1.00x where none). Per variant: tasks solved, the geometric
mean of the best speedups in each run, the same after round 1 only (before the search strategy
differs in anything but the first prompt), the gain of rounds 2 and 3 over round 1, and the model
answers used.
"""
import math
import sqlite3
import sys


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else 1.0


def best_by_round(db, task, last_round):
    v = db.execute("SELECT MAX(speedup) FROM candidates WHERE task_id = ? AND round <= ? AND verdict = 'OK' AND contradicted = 0",
                   (task, last_round)).fetchone()[0]
    return v if v and v > 1.0 else 1.0


variants = []
for arg in sys.argv[1:]:
    name, paths = arg.split("=", 1)
    variants.append((name, paths.split(",")))
cells, summary = {}, {}
for name, paths in variants:
    runs = []
    for path in paths:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        final, first, answers, solved, failed = [], [], 0, 0, 0
        for task, status, speedup, n in db.execute("SELECT task_id, status, best_speedup, answers FROM tasks ORDER BY task_id"):
            s = speedup if status == "done" and speedup and speedup > 1.0 else 1.0
            final.append(s)
            first.append(best_by_round(db, task, 1))
            answers += n
            solved += s > 1.0
            failed += status != "done"
            cells.setdefault(task, {}).setdefault(name, []).append(s)
        wrong = db.execute("SELECT COUNT(*) FROM candidates WHERE verdict NOT IN ('OK', 'skipped') AND polish = 0").fetchone()[0]
        runs.append({"tasks": len(final), "solved": solved, "failed": failed, "final": geomean(final), "first": geomean(first),
                     "gain": geomean([f / r for f, r in zip(final, first)]), "answers": answers, "wrong": wrong})
    summary[name] = runs
names = [name for name, _ in variants]
print("| task | " + " | ".join(names) + " |")
print("|---" * (len(names) + 1) + "|")
for task in sorted(cells):
    print(f"| {task} | " + " | ".join(" / ".join(f"{s:.1f}x" for s in cells[task].get(n, [])) or "-" for n in names) + " |")
print()
print("| variant | tasks solved | geomean speedup | after round 1 | gain of rounds 2-3 | answers | failed answers |")
print("|---|---|---|---|---|---|---|")
for name in names:
    runs = summary[name]
    join = lambda key, fmt: " / ".join(fmt.format(r[key]) for r in runs)
    print(f"| {name} | {join('solved', '{}')} of {runs[0]['tasks']} | {join('final', '{:.1f}x')} | {join('first', '{:.1f}x')} | "
          f"{join('gain', '{:.2f}x')} | {join('answers', '{}')} | {join('wrong', '{}')} |")
