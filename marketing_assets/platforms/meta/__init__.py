"""Meta Marketing API client: hourly and daily campaign insights and ad account details."""

from marketing_assets.platforms.meta.records import MetaAdAccount, MetaCampaignDay, MetaCampaignHour
from marketing_assets.platforms.meta.resource import MetaResource

__all__ = ["MetaAdAccount", "MetaCampaignDay", "MetaCampaignHour", "MetaResource"]
