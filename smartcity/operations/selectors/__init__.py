"""Reads of the integrated platform, one module per subject."""
