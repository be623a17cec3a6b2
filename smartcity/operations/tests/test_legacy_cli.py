"""``smartcity linkage serve`` and ``simulate`` as an operator runs them: the
real console script, a freshly migrated SQLite file, the packaged scenarios."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest

from smartcity.testing.console import ConsoleScript


@pytest.mark.slow
def test_serve_and_simulate_on_an_empty_database(tmp_path: Path, console: ConsoleScript) -> None:
    assert console.run("operations", "add-tenant", "41280").returncode == 0
    for source in ("112", "119"):
        issued = console.run(
            "operations", "issue-key", "--tenant", "41280", "--source", source, "--name",
            f"link-{source}",
        )  # fmt: skip
        assert issued.returncode == 0, issued.stderr
    peers = tmp_path / "peers.yaml"
    peers.write_text(
        "peers:\n  - {sender: '112', tenant: '41280', client: link-112, charset: utf-8,"
        " addresses: [127.0.0.1]}\n",
        encoding="utf-8",
    )
    server = console.popen(
        "linkage", "serve", "--host", "127.0.0.1", "--port", "0",
        "--peers", str(peers), "--peer", "119:41280:link-119:cp949:127.0.0.1",
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), (line, server.poll())
        port = line.strip().rsplit(":", 1)[1]

        robbery = console.run("linkage", "simulate", "--port", port, "--scenario", "112_robbery",
                             "--timeout", "30")  # fmt: skip
        assert robbery.returncode == 0, robbery.stdout + robbery.stderr
        assert robbery.stdout.count("ok   #") == 6
        fire = console.run("linkage", "simulate", "--port", port, "--scenario", "119_fire",
                           "--charset", "cp949", "--timeout", "30")  # fmt: skip
        assert fire.returncode == 0, fire.stdout + fire.stderr
        malformed = console.run("linkage", "simulate", "--port", port, "--scenario",
                                "malformed", "--format", "json", "--timeout", "30")  # fmt: skip
        assert malformed.returncode == 0, malformed.stdout + malformed.stderr
        report = json.loads(malformed.stdout)
        assert report["ok"] and len(report["steps"]) == 12
        assert report["steps"][-1]["reply"]["result"] == "00"

        wrong = tmp_path / "wrong.json"
        wrong.write_text(json.dumps({"sender": "112", "steps": [
            {"codes": "99/99", "fields": ["x"], "expect": {"result": "rejected"}}]}),
            encoding="utf-8")  # fmt: skip
        failed = console.run("linkage", "simulate", "--port", port, "--scenario", str(wrong))
        assert failed.returncode != 0
        assert "FAIL #0" in failed.stdout and "result 00 (expected rejected)" in failed.stdout
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "legacy frame refused" in err and "length_not_digits" in err

    with sqlite3.connect(console.database) as db:
        rows = db.execute(
            "SELECT sender, event_type_id, status_id, latitude, longitude FROM "
            "operations_incident ORDER BY sender, status_id"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("112", "112UC001", "10"),  # the malformed scenario's good request
        ("112", "112UC001", "91"),  # the robbery, closed
        ("119", "119UC001", "91"),
    ]
    fire_row = rows[2]
    assert (float(fire_row[3]), float(fire_row[4])) == (37.6584, 126.832)
