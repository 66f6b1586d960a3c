"""Microsoft Advertising Reporting client: hourly campaign performance reports."""

from marketing_assets.platforms.microsoft_ads.records import MicrosoftAdsCampaignHour
from marketing_assets.platforms.microsoft_ads.resource import MicrosoftAdsResource

__all__ = ["MicrosoftAdsCampaignHour", "MicrosoftAdsResource"]
