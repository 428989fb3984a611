"""Cohort: progress, exports (CSV, JSON, xAPI), the report and LRS push, built from saves alone."""
