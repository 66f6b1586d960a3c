"""Fetch the ECB reference-rate XML over HTTP."""

from __future__ import annotations

import logging

import dagster as dg
import httpx
from pydantic import Field

from marketing_assets.fx.ecb import EuroRate, parse_eurofxref

logger = logging.getLogger(__name__)

# The 90-day history covers every lookback window, and the ECB serves it as one small file.
ECB_90_DAY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"


class FxRatesFetchError(RuntimeError):
    """The rates document could not be fetched."""


class EcbRatesResource(dg.ConfigurableResource):
    """The URL of a document in the ECB eurofxref XML format, and how long to wait for it."""

    url: str = Field(default=ECB_90_DAY_URL, description="eurofxref XML document to read.")
    timeout_seconds: float = Field(default=30.0, description="Whole-request timeout, seconds.")

    def fetch_rates(self) -> list[EuroRate]:
        try:
            response = httpx.get(self.url, timeout=self.timeout_seconds, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise FxRatesFetchError(
                f"Fetching ECB reference rates from {self.url} failed: {error}. Check FX_RATES_URL "
                "and network access; spend in reporting currencies waits for these rates."
            ) from error
        rates = parse_eurofxref(response.content, source=self.url)
        logger.info("Fetched %d ECB reference rates from %s", len(rates), self.url)
        return rates
