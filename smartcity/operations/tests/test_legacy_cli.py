"""``smartcity linkage serve`` and ``simulate`` as an operator runs them: the
real console script, a fresh SQLite file, the packaged scenarios."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SMARTCITY = Path(sys.executable).parent / "smartcity"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SMARTCITY), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def fresh_db(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env["SMARTCITY_DATA_DIR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.mark.slow
def test_serve_and_simulate_on_an_empty_database(tmp_path: Path, fresh_db: dict[str, str]) -> None:
    assert run("migrate", "-v0", env=fresh_db).returncode == 0
    assert run("operations", "add-tenant", "41280", env=fresh_db).returncode == 0
    for source in ("112", "119"):
        issued = run("operations", "issue-key", "--tenant", "41280", "--source", source,
                     "--name", f"link-{source}", env=fresh_db)  # fmt: skip
        assert issued.returncode == 0, issued.stderr
    peers = tmp_path / "peers.yaml"
    peers.write_text(
        "peers:\n  - {sender: '112', tenant: '41280', client: link-112, charset: utf-8,"
        " addresses: [127.0.0.1]}\n",
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [str(SMARTCITY), "linkage", "serve", "--host", "127.0.0.1", "--port", "0",
         "--peers", str(peers), "--peer", "119:41280:link-119:cp949:127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=fresh_db,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), (line, server.poll())
        port = line.strip().rsplit(":", 1)[1]

        robbery = run("linkage", "simulate", "--port", port, "--scenario", "112_robbery",
                      env=fresh_db)  # fmt: skip
        assert robbery.returncode == 0, robbery.stdout + robbery.stderr
        assert robbery.stdout.count("ok   #") == 6
        fire = run("linkage", "simulate", "--port", port, "--scenario", "119_fire",
                   "--charset", "cp949", env=fresh_db)  # fmt: skip
        assert fire.returncode == 0, fire.stdout + fire.stderr
        malformed = run("linkage", "simulate", "--port", port, "--scenario", "malformed",
                        "--format", "json", env=fresh_db)  # fmt: skip
        assert malformed.returncode == 0, malformed.stdout + malformed.stderr
        report = json.loads(malformed.stdout)
        assert report["ok"] and len(report["steps"]) == 12
        assert report["steps"][-1]["reply"]["result"] == "00"

        wrong = tmp_path / "wrong.json"
        wrong.write_text(json.dumps({"sender": "112", "steps": [
            {"codes": "99/99", "fields": ["x"], "expect": {"result": "rejected"}}]}),
            encoding="utf-8")  # fmt: skip
        failed = run("linkage", "simulate", "--port", port, "--scenario", str(wrong),
                     env=fresh_db)  # fmt: skip
        assert failed.returncode != 0
        assert "FAIL #0" in failed.stdout and "result 00 (expected rejected)" in failed.stdout
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "legacy frame refused" in err and "length_not_digits" in err

    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
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
