"""Pure rules of the integrated platform: no Django, no other smartcity package.

They run in the request path of the 112/119 linkage services (which cameras
show this place?) and in importers, so they are tested without a database and
benchmarked on their own (``benchmarks/bench_camera_selection.py``).
"""
