"""Microsoft Advertising report time zones and the IANA zone each one follows.

A report states its zone in the "Time Zone" header row, as a display name like
"(GMT-05:00) Eastern Time (US & Canada)" or as the ReportTimeZone value "EasternTimeUSCanada".
The hours follow that zone, which has been reported to differ from the zone requested, so the
parser reads it from every report.

NOTE: the names follow Microsoft's ReportTimeZone values, but neither they nor the exact
header text were checked against a real report. A report whose zone is missing here
fails with a message that names it, so add the entry then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportTimeZone:
    """One report time zone: its ReportTimeZone value, display name and IANA zone."""

    name: str
    display_name: str
    iana: str


REPORT_TIME_ZONES = (
    ReportTimeZone("Hawaii", "Hawaii", "Pacific/Honolulu"),
    ReportTimeZone("Alaska", "Alaska", "America/Anchorage"),
    ReportTimeZone(
        "PacificTimeUSCanadaTijuana", "Pacific Time (US & Canada); Tijuana", "America/Los_Angeles"
    ),
    ReportTimeZone("Arizona", "Arizona", "America/Phoenix"),
    ReportTimeZone("MountainTimeUSCanada", "Mountain Time (US & Canada)", "America/Denver"),
    ReportTimeZone("CentralTimeUSCanada", "Central Time (US & Canada)", "America/Chicago"),
    ReportTimeZone("EasternTimeUSCanada", "Eastern Time (US & Canada)", "America/New_York"),
    ReportTimeZone("AtlanticTimeCanada", "Atlantic Time (Canada)", "America/Halifax"),
    ReportTimeZone("Brasilia", "Brasilia", "America/Sao_Paulo"),
    ReportTimeZone(
        "GreenwichMeanTimeDublinEdinburghLisbonLondon",
        "Greenwich Mean Time: Dublin, Edinburgh, Lisbon, London",
        "Europe/London",
    ),
    ReportTimeZone(
        "AmsterdamBerlinBernRomeStockholmVienna",
        "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
        "Europe/Berlin",
    ),
    ReportTimeZone(
        "BrusselsCopenhagenMadridParis", "Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"
    ),
    ReportTimeZone(
        "HelsinkiKyivRigaSofiaTallinnVilnius",
        "Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius",
        "Europe/Helsinki",
    ),
    ReportTimeZone("AbuDhabiMuscat", "Abu Dhabi, Muscat", "Asia/Dubai"),
    ReportTimeZone(
        "ChennaiKolkataMumbaiNewDelhi", "Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"
    ),
    ReportTimeZone("Kathmandu", "Kathmandu", "Asia/Kathmandu"),
    ReportTimeZone("BangkokHanoiJakarta", "Bangkok, Hanoi, Jakarta", "Asia/Bangkok"),
    ReportTimeZone(
        "BeijingChongqingHongKongUrumqi", "Beijing, Chongqing, Hong Kong, Urumqi", "Asia/Shanghai"
    ),
    ReportTimeZone("KualaLumpurSingapore", "Kuala Lumpur, Singapore", "Asia/Singapore"),
    ReportTimeZone("OsakaSapporoTokyo", "Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
    ReportTimeZone("CanberraMelbourneSydney", "Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ReportTimeZone("AucklandWellington", "Auckland, Wellington", "Pacific/Auckland"),
)

# Display names start with the zone's standard offset, "(GMT-05:00) " or "(GMT) ".
_OFFSET_PREFIX = re.compile(r"\(GMT(?:[+-]\d{2}:\d{2})?\)\s*", re.ASCII)
_BY_LABEL = {
    label.casefold(): zone for zone in REPORT_TIME_ZONES for label in (zone.name, zone.display_name)
}


def iana_zone_of(header_value: str) -> str | None:
    """Return the IANA zone of a "Time Zone" header value, or None when it is not listed."""
    label = _OFFSET_PREFIX.sub("", header_value.strip(), count=1).strip()
    zone = _BY_LABEL.get(label.casefold())
    return zone.iana if zone else None
