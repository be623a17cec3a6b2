"""Reads behind the dashboard, the city pages, the map, the annual report and
the open data.

Two audiences, one rule: the public (and every applicant) sees **published**
results only — a committee result whose application's status is
``announced``; the Ministry and the operating bodies (``full=True``) also see
results reported and approved but not yet announced. The registry's
decisions are public in full either way.

One module per screen or report: ``results`` (the committee results every
screen reads, and who may see which), ``dashboard``, ``city``, ``maps``,
``report`` (the annual results report) and ``open_data``.
"""
