"""The test kit, shared by every app's tests (not imported by product code).

- ``plugin``: the fixtures (the root conftest loads it): ``city_2023``,
  ``persona_city_population``, ``console``, ``console_on_empty_database``;
- ``call_calendar``: the call calendar, ``KST``, ``PDF`` (no Django);
- ``certification``: calls and applications through the services
  (``open_call``, ``submit``, ``reported``, ``approved``);
- ``console``: the ``smartcity`` console script on its own SQLite file;
- ``factories``, ``personas``: factory_boy factories and the test personas;
- ``journey``, ``journey_review``: page steps of a whole round in Chromium,
  one browser context per person (``tests/test_browser_e2e.py``).
"""
