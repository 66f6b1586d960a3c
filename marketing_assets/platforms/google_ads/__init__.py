"""Google Ads client: hourly campaign metrics through googleAds:searchStream."""

from marketing_assets.platforms.google_ads.records import GoogleAdsCampaignHour
from marketing_assets.platforms.google_ads.resource import GoogleAdsResource

__all__ = ["GoogleAdsCampaignHour", "GoogleAdsResource"]
