"""Meta Marketing API client: hourly campaign insights and ad account details."""

from marketing_assets.platforms.meta.records import MetaAdAccount, MetaCampaignHour
from marketing_assets.platforms.meta.resource import MetaResource

__all__ = ["MetaAdAccount", "MetaCampaignHour", "MetaResource"]
