#!/usr/bin/env python3
"""Tests kernels/check-tasks.py's parts that need no GPU: the float checker (the same rules as
runner/src/checker.cpp) and the architecture flags."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import expect, finish, load  # noqa: E402

check_tasks = load("kernels/check-tasks.py", "check_tasks")
check = check_tasks.check_float

expect("equal tokens pass", check("3 values\n1.0\n", "3 values\n1.0\n", 0, 0) == "")
expect("within abs passes", check("1.0005", "1.0", 1e-3, 0) == "")
expect("past abs fails, naming the token", "token 0" in check("1.01", "1.0", 1e-3, 0))
expect("within rel passes", check("101", "100", 0, 0.02) == "")
expect("past rel fails", check("103", "100", 0, 0.02) != "")
expect("NaN matches only NaN", check("nan", "nan", 0, 0) == "" and check("nan", "1", 1, 1) != "")
expect("an unwritten output (NaN) fails", check("1 nan", "1 0.5", 1, 1) != "")
expect("infinities must be equal", check("inf", "inf", 0, 0) == "" and check("inf", "-inf", 1, 1) != "")
expect("words must be equal", check("values", "value", 1, 1) != "")
expect("a missing token fails", "tokens, expected" in check("1 2", "1 2 3", 0, 0))
expect("arch flags replace the task's", check_tasks.arch_flags(
    ["-O3", "-std=c++17", "-gencode=arch=compute_80,code=[sm_80,compute_80]", "-arch=sm_80"], "sm_90") == ["-O3", "-std=c++17", "-arch=sm_90"])

finish("test_check_tasks")
