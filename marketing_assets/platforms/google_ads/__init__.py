"""Google Ads client: hourly and daily campaign metrics through googleAds:searchStream."""

from marketing_assets.platforms.google_ads.records import (
    GoogleAdsCampaignDay,
    GoogleAdsCampaignHour,
)
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource

__all__ = ["GoogleAdsCampaignDay", "GoogleAdsCampaignHour", "GoogleAdsResource"]
