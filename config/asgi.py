"""ASGI entry point, served by uvicorn."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# --- Scale-out: with NATS configured, this process also relays committed
# outbox rows to JetStream (one relay is active per database; see
# smartcity/realtime/relay.py). Does nothing without SMARTCITY_REALTIME_NATS_URL.
from smartcity.realtime.relay import start_relay_thread  # noqa: E402

start_relay_thread()
