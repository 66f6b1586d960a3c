"""TikTok Business API client: hourly campaign reports of one advertiser."""

from marketing_assets.platforms.tiktok.records import TikTokAdvertiser, TikTokCampaignHour
from marketing_assets.platforms.tiktok.resource import TikTokResource

__all__ = ["TikTokAdvertiser", "TikTokCampaignHour", "TikTokResource"]
