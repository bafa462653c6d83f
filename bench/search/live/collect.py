#!/usr/bin/env python3
"""Turns a --paste-dir of a finished run into answers a replay hands out in the same places.

    bench/search/live/collect.py PASTE_DIR > answers.jsonl

Writes {"task", "round", "answer"} lines, per task and round in request order (cN) and answer
order (J): `--provider replay` deals a round's answers out in that order (each request from its
first sample on), so the same search over the same answers asks the same questions.
"""
import json
import os
import re
import sys

folder = sys.argv[1]
pattern = re.compile(r"^(?P<task>.+)-r(?P<round>\d+)-c(?P<request>\d+)-answer-(?P<j>\d+)\.md$")
found = []
for name in os.listdir(folder):
    m = pattern.match(name)
    if m:
        found.append((m["task"], int(m["round"]), int(m["request"]), int(m["j"]), name))
for task, rnd, _, _, name in sorted(found):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        print(json.dumps({"task": task, "round": rnd, "answer": f.read()}))
