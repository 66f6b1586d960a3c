"""Unreadable bodies are quoted in errors without the credentials they may carry."""

import datetime as dt

import pytest

from marketing_assets.platforms.body_excerpt import body_excerpt
from marketing_assets.platforms.errors import PlatformUnreadableBodyError
from marketing_assets.platforms.microsoft_ads.parse import parse_poll

SIGNED_URL = (
    "https://download.example.net/r/1.zip?sv=2019-02-02&sr=b&sig=SECRETSIG123abc%3D"
    "&se=2026-12-05T00%3A00%3A00Z&sp=r"
)


def test_cut_poll_body_hides_download_signature():
    cut_body = '{"ReportRequestStatus":{"Status":"Success","ReportDownloadUrl":"' + SIGNED_URL

    with pytest.raises(PlatformUnreadableBodyError) as raised:
        parse_poll(cut_body, account_id="151000001", day=dt.date(2026, 12, 3))

    message = str(raised.value)
    assert "SECRETSIG123abc" not in message
    assert "sig=[redacted]" in message
    assert "151000001" in message


def test_excerpt_redacts_before_cutting():
    # The signature starts inside the first 200 characters and ends after them.
    text = "x" * 190 + "?sig=" + "A" * 40

    excerpt = body_excerpt(text)

    assert "AAAA" not in excerpt
    assert "?sig=[reda" in excerpt


@pytest.mark.parametrize(
    "parameter", ["sig", "signature", "X-Amz-Signature", "access_token", "token", "key"]
)
def test_excerpt_redacts_each_credential_parameter(parameter):
    excerpt = body_excerpt(f"https://host/path?a=1&{parameter}=s3cr3t&b=2")

    assert "s3cr3t" not in excerpt
    assert "a=1" in excerpt
    assert "b=2" in excerpt
