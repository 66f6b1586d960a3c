"""Restatements: how a past day's numbers change as the simulator's clock moves on.

Meta revises spend, clicks and conversions for up to 28 days, most of it in the first 3. Google
credits invalid clicks, which lowers cost and clicks, for 3 days, and keeps counting late
conversions (and their value) for the account's conversion window of 1-90 days.

The simulator models each revision as a step at a fixed age in days, where the age is the local
date of "now" in the account's time zone minus the reported day. Each row's final numbers are
drawn first. Its preliminary numbers (age 0) add the invalid traffic that will be credited later
and leave out the conversions that will arrive late. Every step applies a fixed cumulative share
of those differences, reaching all of it at the last step. Each row rounds its applied amount
with its own random offset, so small amounts still move at early steps while the expected
applied share stays exact. A served number therefore depends only on its seed and on how many
steps have passed, so it stays fixed between steps and never changes after the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from math import floor

from marketing_assets.simulator.draws import Draws
from marketing_assets.simulator.localtime import local_today
from marketing_assets.simulator.models import SimulatedAccount


@dataclass(frozen=True)
class RevisionSchedule:
    """Ages in days at which a metric is revised, with the cumulative share applied by each."""

    ages: tuple[int, ...]
    cumulative_shares: tuple[Fraction, ...]

    def share_applied(self, age_days: int) -> Fraction:
        """Return the share of the total revision that has been applied at `age_days`."""
        applied = Fraction(0)
        for age, share in zip(self.ages, self.cumulative_shares, strict=True):
            if age_days >= age:
                applied = share
        return applied


def _schedule(weights: dict[int, int]) -> RevisionSchedule:
    total = sum(weights.values())
    shares = tuple(Fraction(running, total) for running in accumulate(weights.values()))
    return RevisionSchedule(tuple(weights), shares)


META_SCHEDULE = _schedule({1: 50, 2: 22, 3: 13, 7: 8, 14: 4, 28: 3})
GOOGLE_TRAFFIC_SCHEDULE = _schedule({1: 60, 2: 30, 3: 10})
# Weight of each standard Google conversion revision age. A conversion window shorter than 90
# days drops the later ages. The window's own age takes the weight of the next standard age.
_GOOGLE_CONVERSION_WEIGHTS = {1: 35, 2: 15, 3: 10, 7: 14, 14: 10, 30: 8, 60: 5, 90: 3}

# Upper bounds of the revised amount, as a share of the final value of one row.
_MAX_INVALID_CLICKS = {"google_ads": Decimal("0.10"), "meta": Decimal("0.08")}
_MAX_META_INVALID_SPEND = Decimal("0.05")
_MAX_LATE_CONVERSIONS = Decimal("0.40")
_MAX_LATE_LEADS = Decimal("0.30")
_MAX_LATE_OFFSITE = Decimal("0.45")


@dataclass(frozen=True)
class PartCounts:
    """Integer metrics of one campaign in one continuous stretch of a local hour.

    `conversion_hundredths` is Google's conversions x 100 and, for Meta, purchases x 100.
    `value_cents` is the matching conversion value. The `leads` and `offsite_*` fields are Meta's
    on-Meta leads and its pixel purchases and leads; Google leaves them 0.
    """

    impressions: int = 0
    clicks: int = 0
    cost_micros: int = 0
    spend_cents: int = 0
    conversion_hundredths: int = 0
    value_cents: int = 0
    leads: int = 0
    offsite_purchases: int = 0
    offsite_leads: int = 0
    offsite_value_cents: int = 0

    def __add__(self, other: PartCounts) -> PartCounts:
        return PartCounts(
            *(getattr(self, item.name) + getattr(other, item.name) for item in fields(self))
        )


def google_conversion_schedule(conversion_window_days: int) -> RevisionSchedule:
    """Return the conversion revision schedule of a Google Ads account's conversion window."""
    weights = {
        age: weight
        for age, weight in _GOOGLE_CONVERSION_WEIGHTS.items()
        if age < conversion_window_days
    }
    next_standard_age = min(
        age for age in _GOOGLE_CONVERSION_WEIGHTS if age >= conversion_window_days
    )
    weights[conversion_window_days] = _GOOGLE_CONVERSION_WEIGHTS[next_standard_age]
    return _schedule(weights)


def revision_ages(account: SimulatedAccount) -> tuple[int, ...]:
    """Return the ages in days at which any of the account's numbers change, ascending."""
    if account.platform == "meta":
        return META_SCHEDULE.ages
    conversions = google_conversion_schedule(account.conversion_window_days)
    return tuple(sorted(set(GOOGLE_TRAFFIC_SCHEDULE.ages) | set(conversions.ages)))


def revision_age(account: SimulatedAccount, day: date, now: datetime) -> int:
    """Return the age of `day` at `now` in days, counted in the account's time zone."""
    return (local_today(account.time_zone, now) - day).days


def revision_steps_passed(account: SimulatedAccount, day: date, now: datetime) -> int:
    """Count the revision steps of `day` that have happened by `now`."""
    age = revision_age(account, day, now)
    return sum(1 for step_age in revision_ages(account) if age >= step_age)


class _Revision:
    """The rounding of one row's revisions: each metric gets its own offset in [0, 1)."""

    def __init__(self, seed: tuple[object, ...], share_applied: Fraction) -> None:
        self._offsets = Draws(*seed, "restatement-rounding")
        self._share = share_applied

    def pending(self, amount: int, metric: int) -> int:
        """Return the part of `amount` not applied yet; `metric` (0-7) picks the rounding offset."""
        offset = Fraction(self._offsets.uniform(metric))
        return amount - floor(amount * self._share + offset)


def restate(
    account: SimulatedAccount, final: PartCounts, seed: tuple[object, ...], age_days: int
) -> PartCounts:
    """Return the numbers the platform serves at `age_days` for a row with `final` numbers.

    `seed` identifies the row; the same seed and age always give the same numbers.
    """
    draws = Draws(*seed, "restatement")
    if account.platform == "google_ads":
        return _restate_google(account, final, draws, seed, age_days)
    return _restate_meta(final, draws, seed, age_days)


def _restate_google(
    account: SimulatedAccount,
    final: PartCounts,
    draws: Draws,
    seed: tuple[object, ...],
    age_days: int,
) -> PartCounts:
    conversion_schedule = google_conversion_schedule(account.conversion_window_days)
    traffic = _Revision(seed, GOOGLE_TRAFFIC_SCHEDULE.share_applied(age_days))
    conversions = _Revision(seed, conversion_schedule.share_applied(age_days))
    invalid_clicks = _invalid_clicks(final, draws.uniform(0) * _MAX_INVALID_CLICKS["google_ads"])
    invalid_cost = _proportional(final.cost_micros, invalid_clicks, final.clicks)
    late = int(final.conversion_hundredths * draws.uniform(1) * _MAX_LATE_CONVERSIONS)
    conversion_hundredths = final.conversion_hundredths - conversions.pending(late, 2)
    return replace(
        final,
        clicks=final.clicks + traffic.pending(invalid_clicks, 0),
        cost_micros=final.cost_micros + traffic.pending(invalid_cost, 1),
        conversion_hundredths=conversion_hundredths,
        # Each conversion keeps its value, so the value grows with the count.
        value_cents=_proportional(
            final.value_cents, conversion_hundredths, final.conversion_hundredths
        ),
    )


def _restate_meta(
    final: PartCounts, draws: Draws, seed: tuple[object, ...], age_days: int
) -> PartCounts:
    revision = _Revision(seed, META_SCHEDULE.share_applied(age_days))
    invalid_clicks = _invalid_clicks(final, draws.uniform(0) * _MAX_INVALID_CLICKS["meta"])
    invalid_spend = int(final.spend_cents * draws.uniform(1) * _MAX_META_INVALID_SPEND)

    final_purchases = final.conversion_hundredths // 100
    late_purchases = int(final_purchases * draws.uniform(2) * _MAX_LATE_CONVERSIONS)
    purchases = final_purchases - revision.pending(late_purchases, 2)
    late_leads = int(final.leads * draws.uniform(3) * _MAX_LATE_LEADS)

    final_offsite = final.offsite_purchases
    late_offsite_purchases = int(final_offsite * draws.uniform(4) * _MAX_LATE_OFFSITE)
    offsite_purchases = final_offsite - revision.pending(late_offsite_purchases, 5)
    late_offsite_leads = int(final.offsite_leads * draws.uniform(5) * _MAX_LATE_OFFSITE)
    return replace(
        final,
        clicks=final.clicks + revision.pending(invalid_clicks, 0),
        spend_cents=final.spend_cents + revision.pending(invalid_spend, 1),
        conversion_hundredths=purchases * 100,
        value_cents=_proportional(final.value_cents, purchases, final_purchases),
        leads=final.leads - revision.pending(late_leads, 4),
        offsite_purchases=offsite_purchases,
        offsite_leads=final.offsite_leads - revision.pending(late_offsite_leads, 6),
        offsite_value_cents=_proportional(
            final.offsite_value_cents, offsite_purchases, final_offsite
        ),
    )


def _invalid_clicks(final: PartCounts, share: Decimal) -> int:
    """Draw the clicks a platform will credit; the preliminary clicks never exceed impressions."""
    return min(final.impressions - final.clicks, int(final.clicks * share))


def _proportional(total: int, part: int, whole: int) -> int:
    """Return the integer share `part / whole` of `total`, or 0 when `whole` is 0."""
    return total * part // whole if whole else 0
