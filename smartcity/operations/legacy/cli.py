"""``smartcity linkage serve | simulate``: the adapter's two subcommands
(``linkage.py`` only declares them and delegates here)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.management.base import CommandError

from smartcity.operations.domain.legacy_dialect import DialectError
from smartcity.operations.domain.legacy_peers import ANY_ADDRESS, PeersError
from smartcity.operations.legacy.intake import (
    LegacyConfigError,
    configured_dialect,
    configured_peers,
    link_peers,
)
from smartcity.operations.legacy.server import LegacyServer, serve_forever
from smartcity.operations.legacy.simulator import (
    ScenarioError,
    load_scenario,
    run_scenario,
    scenario_names,
)


class _Out(Protocol):
    def write(self, msg: str = ..., /) -> Any: ...
    def flush(self) -> Any: ...


def add_serve_parser(sub: Any) -> None:
    serve = sub.add_parser(
        "serve", help="run the legacy linkage adapter (112/119/carrier socket dialect)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, required=True, help="0: any free port")
    serve.add_argument("--peers", default="", help="peers file (default OPERATIONS_LEGACY_PEERS)")
    serve.add_argument(
        "--peer", action="append", default=[], metavar="SENDER:TENANT:CLIENT:CHARSET:ADDRESS",
        help="a peer besides the file's (repeat); ADDRESS: IPs separated by commas, * any host",
    )  # fmt: skip
    serve.add_argument(
        "--dialect", default="", help="dialect file (default OPERATIONS_LEGACY_DIALECT)"
    )
    serve.add_argument("--workers", type=int, default=0, help="database threads")
    serve.add_argument("--frame-timeout", type=float, default=0.0, help="seconds")
    serve.add_argument("--idle-timeout", type=float, default=-1.0, help="seconds (0: never)")


def add_simulate_parser(sub: Any) -> None:
    simulate = sub.add_parser("simulate", help="replay a scenario against the adapter")
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, required=True)
    simulate.add_argument(
        "--scenario", required=True, help=f"a file or one of: {', '.join(scenario_names())}"
    )
    simulate.add_argument("--charset", default="", help="utf-8, cp949 or euc-kr")
    simulate.add_argument("--dialect", default="")
    simulate.add_argument("--timeout", type=float, default=5.0, help="seconds to wait per answer")
    simulate.add_argument("--format", choices=["text", "json"], default="text")


def serve(options: dict[str, Any], stdout: _Out) -> None:
    try:
        dialect = configured_dialect(options["dialect"])
        config = configured_peers(dialect, path=options["peers"], flags=options["peer"])
        peers = link_peers(config, dialect)
    except (DialectError, PeersError, LegacyConfigError) as exc:
        raise CommandError(str(exc)) from exc
    if not peers:
        raise CommandError("no peers configured (--peers FILE, --peer or OPERATIONS_LEGACY_PEERS)")
    config = dataclasses.replace(
        config,
        frame_timeout_s=options["frame_timeout"] or config.frame_timeout_s,
        idle_timeout_s=(
            options["idle_timeout"] if options["idle_timeout"] >= 0 else config.idle_timeout_s
        ),
    )
    for peer in config.peers:
        if ANY_ADDRESS in peer.addresses:
            logging.getLogger("smartcity.operations.legacy").warning(
                "legacy peer %s accepts any host (addresses: ['*'])", peer.label
            )
    workers = options["workers"] or int(getattr(settings, "OPERATIONS_LEGACY_WORKERS", 4))
    logging.getLogger("smartcity.operations.legacy").setLevel(logging.INFO)

    def ready(host: str, port: int) -> None:
        stdout.write(f"listening on {host}:{port}\n")
        stdout.flush()

    async def main() -> None:
        server = LegacyServer(dialect=dialect, config=config, peers=peers, workers=workers)
        await serve_forever(server, options["host"], options["port"], ready=ready)

    asyncio.run(main())


def simulate(options: dict[str, Any], stdout: _Out) -> None:
    try:
        dialect = configured_dialect(options["dialect"])
        scenario = load_scenario(options["scenario"])
        results = run_scenario(
            host=options["host"], port=options["port"], scenario=scenario, dialect=dialect,
            charset=options["charset"], timeout=options["timeout"],
        )  # fmt: skip
    except (DialectError, PeersError, ScenarioError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    if options["format"] == "json":
        data = {
            "scenario": scenario.name,
            "ok": all(r.ok for r in results),
            "steps": [r.as_dict() for r in results],
        }
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in results:
            mark = "ok  " if r.ok else "FAIL"
            reply = r.reply or {}
            answer = (
                f"{reply.get('codes')} {reply.get('result')} {reply.get('reason') or '-'} "
                f"{reply.get('reference') or '-'}"
                if r.reply
                else ("(no answer expected)" if r.expected is None else "(none)")
            )
            stdout.write(f"{mark} #{r.index} {r.note or r.codes}\n")
            stdout.write(f"     -> {r.sent_text}\n     <- {answer}\n")
            if r.problem:
                stdout.write(f"     !! {r.problem}\n")
    failed = [r for r in results if not r.ok]
    if failed:
        raise CommandError(
            f"scenario {scenario.name}: {len(failed)} of {len(results)} step(s) not as expected"
        )
