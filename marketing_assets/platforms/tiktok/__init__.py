"""TikTok Business API client: hourly and daily campaign reports of one advertiser."""

from marketing_assets.platforms.tiktok.records import (
    TikTokAdvertiser,
    TikTokCampaignDay,
    TikTokCampaignHour,
)
from marketing_assets.platforms.tiktok.resource import TikTokResource

__all__ = ["TikTokAdvertiser", "TikTokCampaignDay", "TikTokCampaignHour", "TikTokResource"]
