"""Benchmarks of the planning engine: every backend, the greedy office baseline and a
PuLP+CBC peer on the same instances, the same time limit and the same objective.

``python -m bench.run --quick`` (``make bench``) or ``--full`` (``make bench-full``).
"""
