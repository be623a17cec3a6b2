"""``scripts/serve`` runs without Django's debug pages unless asked
(``SMARTCITY_DEBUG=1``): a missing page is the product's own 404 in Korean, and
the static files are still served (ServeStatic), so the page keeps its style."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UVICORN = str(Path(sys.executable).parent / "uvicorn")


def test_scripts_serve_leaves_debug_off_unless_asked() -> None:
    serve = (REPO / "scripts" / "serve").read_text()
    assert 'export SMARTCITY_DEBUG="${SMARTCITY_DEBUG:-0}"' in serve


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("SMARTCITY_DEBUG", "DATABASE_URL")}
    env.update(SMARTCITY_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    process = subprocess.Popen(
        [UVICORN, "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "ko"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_without_smartcity_debug_a_missing_page_is_the_products_korean_404(server: str) -> None:
    status, body = get(f"{server}/no-such-page/")
    assert status == 404
    assert "페이지를 찾을 수 없습니다" in body
    assert "Using the URLconf" not in body and "DEBUG = True" not in body
    css_status, css = get(f"{server}/static/css/site.css")
    assert css_status == 200 and ".error-page" in css
