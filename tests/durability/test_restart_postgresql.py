"""Restart PostgreSQL under load: 503 while it is away, nothing acknowledged lost.

The test runs its own PostgreSQL 15 cluster (``PgCluster``), the application
on it, and a sending system streaming incidents. Mid-stream PostgreSQL is
restarted (``pg_ctl -m fast restart``: sessions terminated), later crashed
(``-m immediate stop``: no checkpoint, recovery from WAL at start) and started
again. While it is away every request gets a 503 with problem JSON and
``Retry-After`` — never a 500, never an acknowledgement; once it is back the
server's next connections work, and every acknowledged message exists exactly
once, in order.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.durability.harness import (
    AppServer,
    PgCluster,
    Sender,
    Stream,
    app_env,
    audit_chain_intact,
    check_exactly_once,
    check_unavailable_response,
    provision,
    resend_some_acknowledged,
    scenario,
    wait_for,
)

INCIDENTS = 16


@pytest.mark.slow
def test_postgresql_restart_and_crash_answer_503_and_lose_nothing() -> None:
    import psycopg

    cluster = PgCluster()
    tmp = Path(tempfile.mkdtemp(prefix="smartcity-durability-"))
    server: AppServer | None = None
    try:
        cluster.start()
        with psycopg.connect(cluster.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE smartcity")
        url = cluster.url.rsplit("/", 1)[0] + "/smartcity"
        env = app_env(tmp, url)
        api_key = provision(env)
        server = AppServer(env, tmp / "server.log")
        server.start()
        occurred = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
        plan = scenario(f"P{uuid.uuid4().hex[:6]}", INCIDENTS, occurred)
        stream = Stream(server.port, api_key, plan, workers=4, pause_s=0.02).start()

        wait_for(lambda: stream.acked() >= 0.25 * stream.total, 90, "acks before the restart")
        cluster.restart_fast()
        after_restart = stream.acked()

        wait_for(lambda: stream.acked() >= after_restart + 10, 90, "acks after the restart")
        cluster.stop("immediate")
        # The outage, seen by a sender: an already acknowledged message sent
        # again must not be answered from anywhere but the database.
        probe_key = sorted(stream.acks)[0]
        probe_body = next(m.body for ms in plan for m in ms if m.key == probe_key)
        probe = Sender(server.port, api_key).post(probe_key, probe_body)
        check_unavailable_response(probe)
        ready = Sender(server.port, api_key).get("/readyz")
        assert ready.status == 503, ready
        assert ready.json()["database"]["status"] == "unavailable", ready
        outage_began = stream.acked()
        time.sleep(1.5)
        assert stream.acked() == outage_began, "acknowledged while the database was down"
        cluster.start()

        stream.join()
        assert not stream.unexpected, stream.unexpected[:5]
        assert stream.outcomes["503"] > 0, stream.outcomes
        for sample in stream.unavailable_samples:
            check_unavailable_response(sample)
        assert Sender(server.port, api_key).get("/readyz").status == 200
        resent = resend_some_acknowledged(server.port, api_key, stream)
        server.stop()
        log = server.log_text()
        assert "Traceback" not in log, server.log_tail()
        assert "database unavailable" in log
        figures = check_exactly_once(url, stream)
        chain = audit_chain_intact(env)
        print(
            f"\n{stream.total} messages; PostgreSQL fast restart and crash; responses "
            f"{dict(stream.outcomes)}; {resent} re-sent and replayed; {figures}; {chain}"
        )
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
