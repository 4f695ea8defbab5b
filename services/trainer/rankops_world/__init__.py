"""The demo's synthetic world, kept out of the production trainer: the search-log world with a
known ground truth (`synthetic`), seeding its events into object storage (`seed_events`) and its
simulated buyers against the ranker (`simulate_traffic`).

It depends on rankops_trainer (feature spec, stack settings, object storage); rankops_trainer
never imports it, so the worker and its image run without it (tests/test_world_isolation.py).
"""
