"""Writes of the integrated platform: the only path for a state change.

One module per subject; every function is keyword-only, runs in a
transaction, writes the timeline and the audit log, and publishes live
events through the outbox (delivered after commit).
"""
