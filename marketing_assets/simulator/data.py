"""Deterministic campaigns and hourly metrics: the simulator's single source of numbers.

Every value derives from SHA-512 of its inputs (see `draws.Draws`), so two servers started with
the same accounts and clock serve identical numbers. A past day's numbers also depend on its age
at the clock's "now", because the platforms restate them (see `restatement`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from marketing_assets.simulator.draws import Draws
from marketing_assets.simulator.localtime import LocalHour, local_hours
from marketing_assets.simulator.models import SimulatedAccount
from marketing_assets.simulator.restatement import PartCounts, restate, revision_age

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


# Google campaign ids have about 11 digits, Meta campaign ids 18 (starting with 120) and TikTok
# campaign ids 19 (starting with 17 or 18). Microsoft Advertising and LinkedIn ids are shorter.
_CAMPAIGN_ID_BASES = {
    "google_ads": 20_000_000_000,
    "meta": 120_200_000_000_000_000,
    "tiktok": 1_790_000_000_000_000_000,
    "microsoft_ads": 500_000_000,
    "linkedin": 600_000_000,
}
# Platforms whose past days change with their age at the clock's "now" (see `restatement`).
# NOTE: TikTok, Microsoft Advertising and LinkedIn numbers are served final from the first
# request; their restatements are not simulated yet.
_RESTATED_PLATFORMS = frozenset({"google_ads", "meta"})


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
    `leads` exist only for Meta; for Meta, conversions = purchases + leads, the on-Meta
    conversions that hourly insights return. The `offsite_*` fields are Meta's pixel purchases,
    pixel leads and pixel purchase value, which only daily insights (no hourly breakdown) return.
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
    offsite_purchases: int = 0
    offsite_leads: int = 0
    offsite_conversion_value: Decimal = Decimal(0)


def campaigns_for(account: SimulatedAccount) -> tuple[Campaign, ...]:
    """Return the account's 2-6 campaigns, ordered by campaign id."""
    draws = Draws(account.platform, account.account_id, "campaigns")
    count = draws.integer(0, 2, 6)
    first_name = draws.integer(1, 0, len(_CAMPAIGN_NAMES) - 1)
    base = _CAMPAIGN_ID_BASES[account.platform]
    campaigns = []
    for index in range(count):
        item = Draws(account.platform, account.account_id, "campaign", index)
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
    """Generate metrics for every closed hour of `day` and every campaign, as served at `now`.

    Rows with zero impressions are included; the API handlers decide how to show them. The
    numbers follow the platform's restatements up to the age of `day` at `now`, and `revision`
    shifts the seed of every number.
    """
    age_days = revision_age(account, day, now)
    rows = []
    for local_hour in served_hours(account, day, now):
        for campaign in campaigns_for(account):
            rows.append(_campaign_hour(account, campaign, local_hour, revision, age_days))
    return rows


def _campaign_hour(
    account: SimulatedAccount,
    campaign: Campaign,
    local_hour: LocalHour,
    revision: int,
    age_days: int,
) -> CampaignHour:
    counts = PartCounts()
    for part in local_hour.parts:
        seed = (account.platform, account.account_id, local_hour.day.isoformat(), local_hour.hour)
        seed += (part.fold, campaign.campaign_id, revision)
        final = _final_part_counts(account, campaign, local_hour.hour, part.minutes, Draws(*seed))
        if account.platform in _RESTATED_PLATFORMS:
            counts += restate(account, final, seed, age_days)
        else:
            counts += final

    if account.platform == "google_ads":
        return _google_hour(campaign, local_hour, counts)
    if account.platform == "meta":
        return _meta_hour(campaign, local_hour, counts)
    return _cents_hour(campaign, local_hour, counts)


def _google_hour(campaign: Campaign, local_hour: LocalHour, counts: PartCounts) -> CampaignHour:
    return CampaignHour(
        campaign=campaign,
        day=local_hour.day,
        hour=local_hour.hour,
        impressions=counts.impressions,
        clicks=counts.clicks,
        cost_micros=counts.cost_micros,
        spend=Decimal(counts.cost_micros) / MICROS_PER_UNIT,
        conversions=Decimal(counts.conversion_hundredths) / 100,
        conversion_value=Decimal(counts.value_cents) / 100,
        purchases=0,
        leads=0,
    )


def _cents_hour(campaign: Campaign, local_hour: LocalHour, counts: PartCounts) -> CampaignHour:
    """Build the row of a platform that reports spend in cents and whole conversions.

    TikTok, Microsoft Advertising and LinkedIn draw the same counts as Google Ads. Spend is
    the drawn cost cut to whole cents, so hourly spends add up exactly to the daily spend.
    """
    cents = counts.cost_micros // 10_000
    return CampaignHour(
        campaign=campaign,
        day=local_hour.day,
        hour=local_hour.hour,
        impressions=counts.impressions,
        clicks=counts.clicks,
        cost_micros=cents * 10_000,
        spend=Decimal(cents) / 100,
        conversions=Decimal(counts.conversion_hundredths // 100),
        conversion_value=Decimal(counts.value_cents) / 100,
        purchases=0,
        leads=0,
    )


def _meta_hour(campaign: Campaign, local_hour: LocalHour, counts: PartCounts) -> CampaignHour:
    purchases = counts.conversion_hundredths // 100
    return CampaignHour(
        campaign=campaign,
        day=local_hour.day,
        hour=local_hour.hour,
        impressions=counts.impressions,
        clicks=counts.clicks,
        cost_micros=0,
        spend=Decimal(counts.spend_cents) / 100,
        conversions=Decimal(purchases + counts.leads),
        conversion_value=Decimal(counts.value_cents) / 100,
        purchases=purchases,
        leads=counts.leads,
        offsite_purchases=counts.offsite_purchases,
        offsite_leads=counts.offsite_leads,
        offsite_conversion_value=Decimal(counts.offsite_value_cents) / 100,
    )


def _final_part_counts(
    account: SimulatedAccount, campaign: Campaign, hour: int, minutes: int, draws: Draws
) -> PartCounts:
    """Draw the fully restated metrics of one stretch of a local hour lasting `minutes`."""
    profile = Draws(account.platform, account.account_id, "profile", campaign.campaign_id)
    peak = profile.integer(0, 150, 2500)
    curve = _DAY_CURVE[hour]
    if curve < 5 and draws.uniform(0) < Decimal("0.5"):
        return PartCounts()
    jitter = Decimal("0.6") + draws.uniform(1) * Decimal("0.8")
    impressions = int(peak * curve * jitter * minutes / (100 * 60))
    if impressions == 0:
        return PartCounts()

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
    if account.platform != "meta":
        return PartCounts(impressions, clicks, cost_micros, 0, conversion_hundredths, value_cents)

    # Pixel rates are drawn above the on-Meta ones, so the daily report clearly exceeds hourly sums.
    offsite_purchases = int(clicks * profile.uniform(7) * Decimal("0.15") * draws.uniform(6) * 2)
    offsite_leads = int(clicks * profile.uniform(6) * Decimal("0.08") * draws.uniform(7) * 2)
    return PartCounts(
        impressions=impressions,
        clicks=clicks,
        spend_cents=spend_cents,
        conversion_hundredths=conversion_hundredths,
        value_cents=value_cents,
        leads=leads,
        offsite_purchases=offsite_purchases,
        offsite_leads=offsite_leads,
        offsite_value_cents=offsite_purchases * average_value_cents,
    )
