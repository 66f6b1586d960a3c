"""Parsers of the Submit and Poll bodies of the Microsoft Advertising Reporting API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from marketing_assets.platforms.field_reader import FieldReader, decode_json
from marketing_assets.platforms.microsoft_ads import settings
from marketing_assets.platforms.microsoft_ads.settings import PLATFORM


@dataclass(frozen=True, slots=True)
class PollResult:
    """Status of a submitted report, and its download URL once it succeeded with rows.

    Microsoft leaves ReportDownloadUrl null for a successful report without rows.
    """

    status: str
    download_url: str | None


def parse_submit(
    text: str, *, account_id: str, day: dt.date, last_day: dt.date | None = None
) -> str:
    """Return the ReportRequestId of a Submit response."""
    reader = FieldReader(PLATFORM, account_id, day, last_day=last_day)
    body = reader.mapping(_decode(text, account_id, day, last_day), "the body")
    return reader.key_string(body, "ReportRequestId", "the body")


def parse_poll(
    text: str, *, account_id: str, day: dt.date, last_day: dt.date | None = None
) -> PollResult:
    """Read ReportRequestStatus of a Poll response."""
    reader = FieldReader(PLATFORM, account_id, day, last_day=last_day)
    body = reader.mapping(_decode(text, account_id, day, last_day), "the body")
    status_object = reader.mapping(body.get("ReportRequestStatus"), "ReportRequestStatus")
    status = reader.key_string(status_object, "Status", "ReportRequestStatus")
    known = (settings.STATUS_PENDING, settings.STATUS_SUCCESS, settings.STATUS_ERROR)
    if status not in known:
        raise reader.malformed(f"ReportRequestStatus.Status is {status!r}, expected one of {known}")
    url = status_object.get("ReportDownloadUrl")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("https://", "http://"))
    ):
        # The URL carries a signature, so only its type goes into the message.
        raise reader.malformed(
            f"ReportRequestStatus.ReportDownloadUrl is {type(url).__name__}, expected a URL"
        )
    return PollResult(status, url or None)


def _decode(text: str, account_id: str, day: dt.date, last_day: dt.date | None) -> object:
    return decode_json(text, platform=PLATFORM, account_id=account_id, day=day, last_day=last_day)
