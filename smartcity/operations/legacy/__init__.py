"""The legacy linkage adapter: a TCP server speaking the integrated platform's
fixed-header socket dialect (platform.md §4), its intake path and a simulator.

See docs/adr/0009-legacy-linkage-adapter.md.
"""
