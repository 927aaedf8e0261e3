"""Fault and load tests: concurrency, malformed input, leaks, broken rules, fuzzing."""
