"""The intake API: 112, 119, disaster rooms and carriers report incidents.

One module per operation (``incidents``, ``carrier``, ``event_types``) on the
one ``router`` of ``common``; ``fields`` holds the value types they share.
Each operation names its ``operation_id`` explicitly, as it was when the API
was one module, so clients generated from the document keep working.

Mounted on the project's one ``NinjaAPI`` (``config/api.py``) under
``/api/operations/``, so it is in ``/api/openapi.json``.

* **Authentication**: each sending system has a key (``X-Api-Key``), issued
  per tenant with ``smartcity operations issue-key``; it decides the tenant
  and which event types the system may send.
* **Idempotency**: ``Idempotency-Key`` is required. The same key with the same
  body returns the same incident (200, ``Idempotent-Replayed: true``); with
  another body, 409. Senders retry safely after a timeout.
* **Acknowledgement after commit**: the response is written after the
  transaction committed; a 2xx means the incident is stored.
* **Carriers** (vulnerable people) post to ``/carrier-events``: one request
  opens or updates the incident and its case (photo, guardian contact, trail)
  and alerts 112/119; the personal data is kept only on the case.
* **Errors** (all in the OpenAPI document with their bodies): 422 with field
  paths (``["body", "payload", "latitude"]``) and a code for input that cannot
  be accepted — including times before 1970 or more than five minutes ahead of
  the server's clock (``time_out_of_range``, ``time_in_future``) and control
  characters (``control_character``, with the position); 409 for a change the
  incident's state does not allow or a reused key; 401 for a missing or wrong
  key; 400 for a body that is not JSON.

The operation is a plain (sync) view: under uvicorn Django runs it in its
sync thread, so the ORM is used the ordinary, thread-safe way.
"""

from __future__ import annotations

# isort: off
# The operations register on the router in this order (the OpenAPI document's order).
from smartcity.operations.api import incidents, batch, carrier, event_types  # noqa: F401

# isort: on
from smartcity.operations.api.common import router

__all__ = ["router"]
