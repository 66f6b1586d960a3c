"""The hourly platforms built from a spec (see hourly_platform.py), one line per platform.

Google Ads and Meta predate the spec and are defined in raw.py, unified.py and checks.py.
"""

from marketing_assets.assets.hourly_platform import HourlyPlatformDefinitions
from marketing_assets.assets.microsoft_ads import MICROSOFT_ADS
from marketing_assets.assets.tiktok import TIKTOK

SPEC_PLATFORMS: tuple[HourlyPlatformDefinitions, ...] = (TIKTOK, MICROSOFT_ADS)

SPEC_PLATFORM_ASSETS = tuple(asset for platform in SPEC_PLATFORMS for asset in platform.assets)
SPEC_PLATFORM_CHECKS = tuple(check for platform in SPEC_PLATFORMS for check in platform.checks)
