"""Quote the start of an unreadable response body without the credentials it may carry."""

from __future__ import annotations

import re

EXCERPT_CHARACTERS = 200
# Query parameters that grant access by themselves: a signed download URL's signature (Azure
# `sig`, S3 and Cloud Storage signatures, as in Microsoft Advertising's ReportDownloadUrl) and
# tokens some APIs accept in the query string.
_CREDENTIAL_PARAMETER = re.compile(
    r"(?i)([?&](?:sig|signature|x-amz-signature|x-goog-signature|access_token|token|key)=)"
    r"[^&\"'\s\\]*"
)


def body_excerpt(text: str) -> str:
    """Return the body's first characters, quoted, with credential query values redacted.

    The redaction runs before the cut, so a value cut in half is still removed whole.
    """
    redacted = _CREDENTIAL_PARAMETER.sub(r"\1[redacted]", text)
    return repr(redacted[:EXCERPT_CHARACTERS])
