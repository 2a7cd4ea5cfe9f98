"""Normalisers: pure functions that turn staged source values into the store's canonical values.

Each module applies reviewed knowledge files under ``data/`` (roles.yaml, seniority.yaml,
skills.yaml, regions.csv, pay.yaml, fields.yaml); none of them does I/O beyond loading those.
"""
