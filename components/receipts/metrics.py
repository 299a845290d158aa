"""Receipts on the web's /metrics: receipts by status and the queue depth, read from the database.

Prometheus collectors are synchronous, so the snapshot is refreshed by an async refresher that the web's
/metrics route awaits before rendering (two COUNT queries per scrape).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from loguru import logger
from piccolo.querystring import QueryString
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from components.platform.metrics import register_refresher
from components.platform.queue import QUEUE_NAME
from components.receipts import services
from components.receipts.tables import ReceiptStatus


class ReceiptCollector(Collector):
    def __init__(self, queue_gauge: Any = None) -> None:
        self.snapshot: dict[str, int] = {}
        self.queued_jobs: int | None = None
        self.queue_gauge = queue_gauge

    async def refresh(self) -> None:
        try:
            self.snapshot = await services.global_status_counts()
            rows = await services._db().run_querystring(
                QueryString(
                    "SELECT count(*) AS n FROM saq_jobs WHERE queue = {} AND status = 'queued'", QUEUE_NAME
                )
            )
            self.queued_jobs = int(rows[0]["n"]) if rows else 0
            if self.queue_gauge is not None:
                self.queue_gauge.set(self.queued_jobs)
        except Exception as exc:  # metrics must never break the scrape
            logger.debug("receipt metrics refresh failed: {}", exc)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "chongmu_receipts", "Receipts by status (from the database)", labels=["status"]
        )
        yield GaugeMetricFamily("chongmu_receipts_failed_ratio", "Share of receipts whose OCR failed")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "chongmu_receipts", "Receipts by status (from the database)", labels=["status"]
        )
        for status in ReceiptStatus:
            family.add_metric([status.value], self.snapshot.get(status.value, 0))
        yield family
        total = sum(self.snapshot.values())
        failed = GaugeMetricFamily("chongmu_receipts_failed_ratio", "Share of receipts whose OCR failed")
        failed.add_metric([], self.snapshot.get(ReceiptStatus.failed.value, 0) / total if total else 0.0)
        yield failed


_installed: dict[int, ReceiptCollector] = {}


def install(registry: CollectorRegistry, queue_gauge: Any = None) -> ReceiptCollector:
    """Register once per registry (several apps in one process share it)."""
    collector = _installed.get(id(registry))
    if collector is None:
        collector = ReceiptCollector(queue_gauge)
        registry.register(collector)
        _installed[id(registry)] = collector
        register_refresher(collector.refresh)
    return collector
