"""Benchmarks of the write path, the hourly cycle, backfills and peak memory.

`marketing-assets bench` runs them side by side against an embedded PostgreSQL and the
simulator, and writes the figures to docs/benchmarks.md.
"""
