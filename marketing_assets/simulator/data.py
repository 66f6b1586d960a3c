"""Deterministic campaigns and hourly metrics: the simulator's single source of numbers.

Every value derives from SHA-256 of its inputs (never Python's `hash()`, which is salted
per process), so two servers started with the same accounts serve identical numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from marketing_assets.simulator.localtime import LocalHour, local_hours
from marketing_assets.simulator.models import SimulatedAccount

CENT = Decimal("0.01")
MICROS_PER_UNIT = 1_000_000

# Share of an account's peak hourly traffic per local hour, in percent.
_DAY_CURVE = (
    8,
    5,
    3,
    2,
    2,
    4,
    9,
    18,
    32,
    46,
    57,
    65,
    70,
    72,
    71,
    69,
    68,
    71,
    79,
    88,
    86,
    66,
    38,
    18,
)

# Names exercise encoding paths: non-ASCII letters, emoji, quotes, a backslash.
_CAMPAIGN_NAMES = (
    "Brand \u2013 Search",
    "Générique FR",
    "Summer Sale ☀️",
    'Retargeting "Cart"',
    "Prospecting 🚀 Broad",
    "Müller's Shop",
    "東京 Display",
    "Ñandú Promo",
    "Back\\slash Test",
    "Always-on",
)


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    status: str


@dataclass(frozen=True)
class CampaignHour:
    """Metrics of one campaign in one local hour label, both halves of a repeated hour summed.

    `cost_micros` is the Google Ads spend; `spend` is the same money in currency units
    (exactly `cost_micros / 1e6` for Google Ads, 2 decimals for Meta). `purchases` and
    `leads` exist only for Meta; for Meta, conversions = purchases + leads.
    """

    campaign: Campaign
    day: date
    hour: int
    impressions: int
    clicks: int
    cost_micros: int
    spend: Decimal
    conversions: Decimal
    conversion_value: Decimal
    purchases: int
    leads: int


class _Draws:
    """Uniform draws in [0, 1) taken from SHA-512 of a key, 8 bytes each."""

    def __init__(self, *parts: object) -> None:
        key = "\x1f".join(str(part) for part in parts).encode()
        self._digest = hashlib.sha512(key).digest()

    def uniform(self, index: int) -> Decimal:
        chunk = self._digest[index * 8 : index * 8 + 8]
        return Decimal(int.from_bytes(chunk, "big")) / Decimal(2**64)

    def integer(self, index: int, low: int, high: int) -> int:
        """Draw an integer in [low, high]."""
        return low + int(self.uniform(index) * (high - low + 1))


def campaigns_for(account: SimulatedAccount) -> tuple[Campaign, ...]:
    """Return the account's 2-6 campaigns, ordered by campaign id."""
    draws = _Draws(account.platform, account.account_id, "campaigns")
    count = draws.integer(0, 2, 6)
    first_name = draws.integer(1, 0, len(_CAMPAIGN_NAMES) - 1)
    # Google campaign ids have about 11 digits, Meta campaign ids 18 (starting with 120).
    base = 20_000_000_000 if account.platform == "google_ads" else 120_200_000_000_000_000
    campaigns = []
    for index in range(count):
        item = _Draws(account.platform, account.account_id, "campaign", index)
        campaign_id = str(base + item.integer(0, 1, 9_999_999_999) * 7 + index)
        name = _CAMPAIGN_NAMES[(first_name + index) % len(_CAMPAIGN_NAMES)]
        status = "PAUSED" if item.uniform(1) < Decimal("0.2") else "ENABLED"
        campaigns.append(Campaign(campaign_id, name, status))
    return tuple(sorted(campaigns, key=lambda campaign: campaign.campaign_id))


def served_hours(account: SimulatedAccount, day: date, now: datetime) -> tuple[LocalHour, ...]:
    """Return the local hours of `day` that have closed at `now`; future days have none."""
    if now.tzinfo is None:
        raise ValueError(f"The simulator clock returned naive {now!r}: return an aware datetime.")
    return tuple(hour for hour in local_hours(day, account.time_zone) if hour.is_closed(now))


def campaign_hours(
    account: SimulatedAccount, day: date, now: datetime, *, revision: int = 0
) -> list[CampaignHour]:
    """Generate metrics for every closed hour of `day` and every campaign.

    Rows with zero impressions are included; the API handlers decide how to show them.
    `revision` changes the numbers so later versions can simulate restatements.
    """
    rows = []
    for local_hour in served_hours(account, day, now):
        for campaign in campaigns_for(account):
            rows.append(_campaign_hour(account, campaign, local_hour, revision))
    return rows


def _campaign_hour(
    account: SimulatedAccount, campaign: Campaign, local_hour: LocalHour, revision: int
) -> CampaignHour:
    totals = [0, 0, 0, 0, 0, 0, 0]
    for part in local_hour.parts:
        values = _part_values(account, campaign, local_hour, part.fold, part.minutes, revision)
        totals = [total + value for total, value in zip(totals, values, strict=True)]
    impressions, clicks, cost_micros, spend_cents, conversion_cents, value_cents, leads = totals

    if account.platform == "google_ads":
        spend = Decimal(cost_micros) / MICROS_PER_UNIT
        conversions = Decimal(conversion_cents) / 100
        purchases = leads = 0
    else:
        spend = Decimal(spend_cents) / 100
        purchases = conversion_cents // 100
        conversions = Decimal(purchases + leads)
        cost_micros = 0
    return CampaignHour(
        campaign=campaign,
        day=local_hour.day,
        hour=local_hour.hour,
        impressions=impressions,
        clicks=clicks,
        cost_micros=cost_micros,
        spend=spend,
        conversions=conversions,
        conversion_value=Decimal(value_cents) / 100,
        purchases=purchases,
        leads=leads,
    )


def _part_values(
    account: SimulatedAccount,
    campaign: Campaign,
    local_hour: LocalHour,
    fold: int,
    minutes: int,
    revision: int,
) -> tuple[int, int, int, int, int, int, int]:
    """Draw one hour part's integers: impressions, clicks, cost micros, spend cents,
    conversions in hundredths (Meta: purchases x 100), conversion value cents, leads."""
    profile = _Draws(account.platform, account.account_id, "profile", campaign.campaign_id)
    draws = _Draws(
        account.platform,
        account.account_id,
        local_hour.day.isoformat(),
        local_hour.hour,
        fold,
        campaign.campaign_id,
        revision,
    )
    peak = profile.integer(0, 150, 2500)
    curve = _DAY_CURVE[local_hour.hour]
    if curve < 5 and draws.uniform(0) < Decimal("0.5"):
        return (0, 0, 0, 0, 0, 0, 0)
    jitter = Decimal("0.6") + draws.uniform(1) * Decimal("0.8")
    impressions = int(peak * curve * jitter * minutes / (100 * 60))
    if impressions == 0:
        return (0, 0, 0, 0, 0, 0, 0)

    click_rate = Decimal("0.005") + profile.uniform(1) * Decimal("0.05") * draws.uniform(2)
    clicks = min(impressions, int(impressions * click_rate))
    cpc_micros = profile.integer(2, 150_000, 2_500_000)
    cost_micros = clicks * cpc_micros + draws.integer(3, 0, 999) * min(clicks, 1)
    cpm_cents = profile.integer(3, 150, 1800)
    spend_cents = impressions * cpm_cents // 1000

    conversion_rate = profile.uniform(4) * Decimal("0.12")
    conversion_hundredths = int(clicks * conversion_rate * 100 * draws.uniform(4) * 2)
    if account.platform == "meta":
        conversion_hundredths -= conversion_hundredths % 100
    average_value_cents = profile.integer(5, 1500, 25000)
    value_cents = conversion_hundredths * average_value_cents // 100
    leads = int(clicks * profile.uniform(6) * Decimal("0.05") * draws.uniform(5) * 2)
    return (
        impressions,
        clicks,
        cost_micros,
        spend_cents,
        conversion_hundredths,
        value_cents,
        leads,
    )
