"""Benchmarks of the Union KPI Board and the synthetic national-scale data generator (make bench)."""
