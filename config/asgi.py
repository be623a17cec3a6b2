"""ASGI entry point, served by uvicorn."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

# --- Live streams (SSE) are answered beside Django's request stack, so that an
# open board costs a coroutine, not a thread (smartcity/realtime/streams.py);
# what they refuse, Django answers.
from smartcity.operations.views.agency_live import agency_channels  # noqa: E402
from smartcity.operations.views.incidents import board_channels  # noqa: E402
from smartcity.realtime.streams import LiveStreams  # noqa: E402

application = LiveStreams(
    django_application,
    {"operations:board_stream": board_channels, "operations:agency_stream": agency_channels},
)

# --- Scale-out: with NATS configured, this process also relays committed
# outbox rows to JetStream (one relay is active per database; see
# smartcity/realtime/relay.py). Does nothing without SMARTCITY_REALTIME_NATS_URL.
from smartcity.realtime.relay import start_relay_thread  # noqa: E402

start_relay_thread()
