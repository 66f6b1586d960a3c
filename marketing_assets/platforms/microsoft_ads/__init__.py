"""Microsoft Advertising Reporting client: hourly and daily campaign performance reports."""

from marketing_assets.platforms.microsoft_ads.records import (
    MicrosoftAdsCampaignDay,
    MicrosoftAdsCampaignHour,
)
from marketing_assets.platforms.microsoft_ads.resource import MicrosoftAdsResource

__all__ = ["MicrosoftAdsCampaignDay", "MicrosoftAdsCampaignHour", "MicrosoftAdsResource"]
