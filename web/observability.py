"""Prometheus metrics (RED by route template) and the request log line."""

from __future__ import annotations

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
