"""Benchmarks: each stage of the pipeline at 10k, 100k and 1M tickets, against a peer in the same run.

Not tests: nothing here asserts on wall-clock time. `python -m bench.run` (or `python -m sla_core bench`)
prints a table and writes `bench/out/results.json`. See bench/README.md.
"""
