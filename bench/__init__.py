"""Benchmarks: scripts that print timings and ratios against baselines (not tests)."""
