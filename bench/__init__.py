"""Benchmarks for debrief (`make bench`): each figure is a ratio to a floor from the same run."""
