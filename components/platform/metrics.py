"""The web process's Prometheus registry: RED by route template, logins, queue depth, and collectors that
components add. A component whose figures come from the database registers an async refresher, which the
/metrics route awaits before it renders (collectors themselves are synchronous)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "chongmu_http_requests_total",
    "HTTP requests by route template, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "chongmu_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["route", "method"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LOGINS = Counter("chongmu_logins_total", "Login attempts by outcome", ["outcome"], registry=REGISTRY)
REGISTRATIONS = Counter("chongmu_registrations_total", "New accounts", registry=REGISTRY)
QUEUE_DEPTH = Gauge("chongmu_queue_depth", "Jobs waiting in the SAQ queue", registry=REGISTRY)

REFRESHERS: list[Callable[[], Awaitable[None]]] = []


def register_refresher(refresh: Callable[[], Awaitable[None]]) -> None:
    if refresh not in REFRESHERS:
        REFRESHERS.append(refresh)


async def refresh_all() -> None:
    for refresh in REFRESHERS:
        await refresh()
