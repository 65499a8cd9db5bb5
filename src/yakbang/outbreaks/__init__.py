"""Outbreak watch: counts per day, area and syndrome, detectors, calibrated alerts."""
