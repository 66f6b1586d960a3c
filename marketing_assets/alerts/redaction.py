"""Keep the PagerDuty routing key and the Slack webhook URL out of logs and messages."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

REDACTED = "[redacted]"
# httpx logs every request's full URL at INFO, and a Slack webhook URL is itself the secret.
_LOGGERS_THAT_PRINT_URLS = ("httpx",)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in `text`, longest secret first."""
    for secret in sorted((secret for secret in secrets if secret), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def webhook_secrets(url: str) -> tuple[str, ...]:
    """Return the webhook URL and its path, since an error page may echo either alone."""
    path = urlsplit(url).path
    return (url, path) if len(path) > 1 else (url,)


class SecretRedactingFilter(logging.Filter):
    """Rewrite log records that contain a registered secret, keeping the rest of the text."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._secrets.update(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            secrets = tuple(self._secrets)
        if not secrets:
            return True
        message = record.getMessage()
        redacted = redact(message, secrets)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


_FILTER = SecretRedactingFilter()
_installed = False
_install_lock = threading.Lock()


def protect_in_logs(secrets: Iterable[str]) -> None:
    """Redact `secrets` from the records of the HTTP client's loggers from now on."""
    global _installed
    with _install_lock:
        if not _installed:
            for name in _LOGGERS_THAT_PRINT_URLS:
                logging.getLogger(name).addFilter(_FILTER)
            _installed = True
    _FILTER.add(secrets)
