#!/usr/bin/env python
"""Kept for habit; ``smartcity`` is the same entry point."""

from smartcity.cli import main

if __name__ == "__main__":
    main()
