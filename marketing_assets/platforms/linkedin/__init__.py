"""LinkedIn Marketing API client: daily campaign analytics of one ad account."""

from marketing_assets.platforms.linkedin.records import LinkedInAdAccount, LinkedInCampaignDay
from marketing_assets.platforms.linkedin.resource import LinkedInResource

__all__ = ["LinkedInAdAccount", "LinkedInCampaignDay", "LinkedInResource"]
