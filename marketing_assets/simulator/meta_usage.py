"""Meta's rate-limit usage headers, in the shape the Marketing API sends them."""

from __future__ import annotations

import json
import math

# The simulator measures calls only, so CPU time and total time are reported as fixed shares
# of call_count, which keeps call_count the figure that reaches 100% first.
_CPU_TIME_SHARE = 0.35
_TOTAL_TIME_SHARE = 0.5


def usage_headers(
    business_id: str,
    *,
    account_percent: float,
    app_percent: float,
    reset_seconds: int,
    regain_access_minutes: int = 0,
) -> dict[str, str]:
    """Build the four usage headers of one ad account's insights response.

    Percentages are shares of each limit. Meta sends the business use case and app figures as
    whole numbers and acc_id_util_pct with decimals. `business_id` is the key of
    x-business-use-case-usage, and since simulated accounts have no business, callers pass the
    ad account id. `reset_seconds` is reset_time_duration and `regain_access_minutes` is
    estimated_time_to_regain_access, which Meta sets only while it rejects calls.
    """
    business_usage = {
        business_id: [
            {
                "type": "ads_insights",
                **_time_figures(account_percent),
                "estimated_time_to_regain_access": regain_access_minutes,
            }
        ]
    }
    ad_account_usage = {
        "acc_id_util_pct": round(account_percent, 2),
        "reset_time_duration": reset_seconds,
    }
    throttle = {
        "app_id_util_pct": round(app_percent, 2),
        "acc_id_util_pct": round(account_percent, 2),
    }
    return {
        "x-business-use-case-usage": json.dumps(business_usage),
        "x-ad-account-usage": json.dumps(ad_account_usage),
        "x-app-usage": json.dumps(_time_figures(app_percent)),
        "x-fb-ads-insights-throttle": json.dumps(throttle),
    }


def _time_figures(percent: float) -> dict[str, int]:
    # Rounding down never reports 100% before the limit is really reached.
    return {
        "call_count": math.floor(percent),
        "total_cputime": math.floor(percent * _CPU_TIME_SHARE),
        "total_time": math.floor(percent * _TOTAL_TIME_SHARE),
    }
