# support.py: shared helpers of the Python binding tests: paths from the environment ctest sets,
# running the real `truce` CLI for expected values, corpus scenarios that skip when absent.
"""Helpers for the truce binding tests (run by ctest: bindings/python/tests/CMakeLists.txt)."""

import json
import math
import os
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BINARY = os.environ.get("TRUCE_BINARY", os.path.join(ROOT, "build", "truce"))
EXAMPLES = os.environ.get("TRUCE_EXAMPLES", os.path.join(ROOT, "examples"))
SCENARIOS = os.environ.get("TRUCE_SCENARIOS", os.path.join(ROOT, "..", "shared", "scenarios"))
CEASEFIRE = os.path.join(EXAMPLES, "genius", "ceasefire")
SEED = os.path.join(EXAMPLES, "seed", "truce-talks.yaml")


def run_cli(*args):
    """Run the truce binary; (exit status, stdout, stderr)."""
    p = subprocess.run([BINARY] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    rc, out, err = run_cli(*args)
    if rc != 0:
        raise AssertionError("truce %s failed (%d): %s" % (" ".join(map(str, args)), rc, err))
    return json.loads(out)


def corpus(relative):
    """A scenario of the shared ANAC corpus, or skip the test with a message."""
    path = os.path.join(SCENARIOS, relative)
    if not os.path.exists(path):
        raise unittest.SkipTest("corpus scenario %s absent (../shared/scenarios): skipped" % path)
    return path


def assert_same(test, got, want, path="", tol=1e-12):
    """Equal JSON-like values, floats within tol (relative or absolute)."""
    if isinstance(want, float) or isinstance(got, float):
        test.assertIsInstance(got, (int, float), path)
        test.assertTrue(math.isclose(got, want, rel_tol=tol, abs_tol=tol),
                        "%s: %r != %r" % (path, got, want))
    elif isinstance(want, dict):
        test.assertIsInstance(got, dict, path)
        test.assertEqual(sorted(got), sorted(want), path)
        for k in want:
            assert_same(test, got[k], want[k], "%s.%s" % (path, k), tol)
    elif isinstance(want, list):
        test.assertIsInstance(got, (list, tuple), path)
        test.assertEqual(len(got), len(want), path)
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(test, g, w, "%s[%d]" % (path, i), tol)
    else:
        test.assertEqual(got, want, path)
