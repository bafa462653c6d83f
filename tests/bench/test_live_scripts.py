#!/usr/bin/env python3
"""bench/search/live's helpers: next-prompt.sh hands each prompt of a paste folder to one
answerer only and says DONE at the end; collect.py records a run's answers in the order a replay
deals them out (by round, then request cN numerically, then answer J)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

LIVE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "search", "live")


def prompt(folder, stem, wanted):
    with open(os.path.join(folder, f"{stem}-prompt.md"), "w") as f:
        plural = "" if wanted == 1 else "s"
        f.write(f"<!-- optiloop prompt: task t, round 1, request 1; {wanted} answer{plural} wanted, each in {stem}-answer-J.md (J = 1..{wanted}) -->\n")


class NextPrompt(unittest.TestCase):
    def next(self, folder):
        return subprocess.run([os.path.join(LIVE, "next-prompt.sh"), folder, "3"], capture_output=True, text=True, check=True).stdout.split()

    def test_each_prompt_goes_to_one_answerer_then_done(self):
        with tempfile.TemporaryDirectory() as folder:
            prompt(folder, "t-r1-c1", 2)
            prompt(folder, "t-r1-c2", 1)
            first, second = self.next(folder), self.next(folder)
            self.assertEqual({first[1], second[1]}, {os.path.join(folder, "t-r1-c1-prompt.md"), os.path.join(folder, "t-r1-c2-prompt.md")})
            two = first if first[1].endswith("c1-prompt.md") else second
            self.assertEqual(two[2:], ["2", os.path.join(folder, "t-r1-c1-answer-1.md"), os.path.join(folder, "t-r1-c1-answer-2.md")])
            self.assertEqual(self.next(folder), ["WAIT"])  # both claimed, the run not over
            open(os.path.join(folder, "DONE"), "w").close()
            self.assertEqual(self.next(folder), ["DONE"])

    def test_an_answered_prompt_is_not_handed_out(self):
        with tempfile.TemporaryDirectory() as folder:
            prompt(folder, "t-r2-c1", 1)
            open(os.path.join(folder, "t-r2-c1-answer-1.md"), "w").close()
            open(os.path.join(folder, "DONE"), "w").close()
            self.assertEqual(self.next(folder), ["DONE"])


class Collect(unittest.TestCase):
    def test_answers_come_in_the_order_a_replay_deals_them(self):
        with tempfile.TemporaryDirectory() as folder:
            for name in ["b-r1-c1-answer-1.md", "a-r2-c10-answer-1.md", "a-r2-c2-answer-2.md", "a-r2-c2-answer-1.md", "a-r1-c1-answer-1.md", "a-r1-c1-prompt.md"]:
                with open(os.path.join(folder, name), "w") as f:
                    f.write(name)
            out = subprocess.run([sys.executable, os.path.join(LIVE, "collect.py"), folder], capture_output=True, text=True, check=True).stdout
            got = [(r["task"], r["round"], r["answer"]) for r in map(json.loads, out.splitlines())]
            self.assertEqual(got, [("a", 1, "a-r1-c1-answer-1.md"), ("a", 2, "a-r2-c2-answer-1.md"), ("a", 2, "a-r2-c2-answer-2.md"),
                                   ("a", 2, "a-r2-c10-answer-1.md"), ("b", 1, "b-r1-c1-answer-1.md")])


if __name__ == "__main__":
    unittest.main()
