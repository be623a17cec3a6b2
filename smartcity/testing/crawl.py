"""The hostile crawl (issue 13, "Everyone"): every URL pattern of the URL map,
filled with hostile path values and hostile query strings and form bodies.

A page may refuse such input (400, 403, 404, 405, a form with errors), but it
may never answer 5xx. ``tests/test_crawl.py`` runs it for every persona.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter

import smartcity

#: Hostile values for a path segment. The int converter only matches digits, so
#: the negative and non-numeric ones reach int routes as a 404 from the resolver.
HOSTILE_INTS = ("0", "99999999999999999999")
HOSTILE_STRS = ("0", "-1", "99999999999999999999", "가" * 300, "x" * 3000, "서울\x00", "..")

#: Hostile values for every query and form field name the product reads.
HOSTILE_VALUES = (
    "abc",
    "-1",
    "99999999999999999999",
    "99999-01-01",
    "가" * 1000 + "\x00",
)
#: Names read from ``request.GET``/``request.POST`` directly, beside the forms' fields.
RAW_PARAMETERS = (
    "page", "year", "date", "valid_on", "on", "q", "lang", "target", "csv", "next",
    "after", "month", "actor", "object", "since", "until", "kind", "track", "size_class",
    "format", "sort", "action", "reason", "call", "submit", "attested", "cameras",
    "minutes", "area_km2",
)  # fmt: skip


@dataclass(frozen=True)
class Route:
    route: str  # the pattern, e.g. "applications/<int:application_id>/"
    name: str
    converters: Mapping[str, object]

    def fill(self, values: Mapping[str, str]) -> str:
        """The URL with each ``<conv:name>`` replaced by ``values[name]`` (quoted)."""
        url = self.route
        for key, converter in self.converters.items():
            kind = _converter_name(converter)
            url = url.replace(f"<{kind}:{key}>", quote(values[key], safe=""))
            url = url.replace(f"<{key}>", quote(values[key], safe=""))
        return "/" + url


def _converter_name(converter: object) -> str:
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, SlugConverter):
        return "slug"
    return "str"


def routes() -> list[Route]:
    """Every URL pattern of ``ROOT_URLCONF``, with its converters."""

    def walk(patterns: list[object], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                converters = dict(getattr(pattern.pattern, "converters", {}))
                yield Route(
                    prefix + str(pattern.pattern), namespace + (pattern.name or ""), converters
                )

    return list(walk(get_resolver().url_patterns, "", ""))


def form_field_names() -> set[str]:
    """The field names of every form in the product's ``forms`` modules."""
    names: set[str] = set()
    for module_info in pkgutil.walk_packages(smartcity.__path__, "smartcity."):
        leaf = module_info.name.rsplit(".", 1)[-1]
        if not leaf.startswith("forms") or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
    return names


def hostile_queries(
    names: set[str], values: Sequence[str] = HOSTILE_VALUES
) -> list[dict[str, str]]:
    """One query (or form body) per hostile value, every name set to it."""
    every = sorted(names | set(RAW_PARAMETERS))
    return [dict.fromkeys(every, value) for value in values]


def path_variants(route: Route, real: Mapping[str, str]) -> list[str]:
    """The route with real values (``real["ns:name.param"]`` before
    ``real["param"]``), then with each hostile value in one slot at a time."""
    base = {key: real.get(f"{route.name}.{key}", real.get(key, "1")) for key in route.converters}
    urls = [route.fill(base)]
    for key, converter in route.converters.items():
        pool = HOSTILE_INTS if isinstance(converter, IntConverter) else HOSTILE_STRS
        for value in pool:
            urls.append(route.fill({**base, key: value}))
    return urls


@dataclass(frozen=True)
class Failure:
    method: str
    url: str
    status: int
    error: str

    def __str__(self) -> str:
        return f"{self.method} {self.url[:160]} -> {self.status}\n{self.error}"


def crawl(
    client: Client,
    real: Mapping[str, str],
    *,
    skip: tuple[str, ...] = (),
    values: Sequence[str] = HOSTILE_VALUES,
) -> tuple[list[str], list[Failure]]:
    """GET every route's variants, then GET and POST its real URL with a
    hostile query/body per value of ``values``. Returns the URLs crawled and
    the 5xx answers."""
    queries = hostile_queries(form_field_names(), values)
    crawled: list[str] = []
    failures: list[Failure] = []

    def hit(method: str, url: str, data: Mapping[str, str] | None = None) -> None:
        def shown() -> str:  # only for a failure: encoding ~270 KB of query costs
            return url if method == "POST" or not data else f"{url}?{urlencode(data)[:60]}…"

        try:
            send = client.get if method == "GET" else client.post
            response = send(url, data or {})
        except Exception:  # the crawl reports every failure, it does not stop
            failures.append(Failure(method, shown(), 500, traceback.format_exc(limit=-4)))
            return
        if response.status_code >= 500:
            failures.append(Failure(method, shown(), response.status_code, ""))

    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # thousands of expected 4xx warnings
    try:
        for route in routes():
            if route.name in skip:
                continue
            crawled.append(route.route)
            crawl_route(route, real, queries, hit)
    finally:
        quiet.setLevel(level)
    return crawled, failures


def crawl_route(route: Route, real: Mapping[str, str], queries: list[dict[str, str]], hit) -> None:  # type: ignore[no-untyped-def]
    variants = path_variants(route, real)
    for url in variants:
        hit("GET", url)
    for query in queries:
        hit("GET", variants[0], query)
        hit("POST", variants[0], query)
