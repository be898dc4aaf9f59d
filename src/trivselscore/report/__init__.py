"""The evaluation report: ``trivselscore report DATA --study STUDY.toml -o report.html``."""
