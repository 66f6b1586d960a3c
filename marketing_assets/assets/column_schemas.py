"""Column schemas shown in the Dagster UI, derived from the pandera schemas the checks run.

Each column lists its PostgreSQL type, whether it may be null, and the rules the blocking
check enforces, so the asset page describes exactly what a passing partition contains.
"""

from __future__ import annotations

import dagster as dg
import pandera.polars as pa
import polars as pl

from marketing_assets.tables import (
    CAMPAIGN_PERFORMANCE_HOURLY,
    GOOGLE_ADS_RAW,
    META_RAW,
    MICROSOFT_ADS_RAW,
    TIKTOK_RAW,
)
from marketing_assets.validation import (
    CampaignPerformanceHourlySchema,
    GoogleAdsRawSchema,
    MetaRawSchema,
    MicrosoftAdsRawSchema,
    TikTokRawSchema,
)

# The column types the migrations create for each polars type in tables.py.
POSTGRES_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "text",
    pl.Int16: "smallint",
    pl.Int64: "bigint",
    pl.Date: "date",
    pl.Datetime: "timestamptz",
}

CHECK_WORDING = {
    "greater_than_or_equal_to": lambda statistics: f">= {statistics['min_value']}",
    "less_than_or_equal_to": lambda statistics: f"<= {statistics['max_value']}",
    "str_matches": lambda statistics: f"matches {statistics['pattern']}",
    "isin": lambda statistics: "one of " + ", ".join(statistics["allowed_values"]),
    "iso_4217_currency_code": lambda statistics: "an ISO 4217 currency code",
}


def postgres_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"numeric({dtype.precision}, {dtype.scale})"
    return POSTGRES_TYPES[type(dtype)]


def check_rules(column: pa.Column) -> list[str]:
    """Describe a column's pandera checks in words; a check without wording keeps its name."""
    rules = []
    for check in column.checks:
        wording = CHECK_WORDING.get(check.name)
        rules.append(wording(check.statistics) if wording else str(check.name))
    return rules


def column_schema(
    model: type[pa.DataFrameModel], columns: dict[str, pl.DataType]
) -> dg.TableSchema:
    """Build the table schema of ``model`` in the table's column order from ``columns``."""
    schema = model.to_schema()
    missing = sorted(set(columns) ^ set(schema.columns))
    if missing:
        raise ValueError(
            f"{model.__name__} and the table columns differ in {missing}; "
            "make validation.py and tables.py list the same columns."
        )
    unique_key = ", ".join(schema.unique or [])
    table_columns = []
    for name, dtype in columns.items():
        column = schema.columns[name]
        table_columns.append(
            dg.TableColumn(
                name=name,
                type=postgres_type(dtype),
                constraints=dg.TableColumnConstraints(
                    nullable=column.nullable, unique=column.unique, other=check_rules(column)
                ),
            )
        )
    return dg.TableSchema(
        columns=table_columns,
        constraints=dg.TableConstraints(other=[f"unique ({unique_key})"]),
    )


def column_schema_metadata(
    model: type[pa.DataFrameModel], columns: dict[str, pl.DataType]
) -> dict[str, dg.TableSchema]:
    return {"dagster/column_schema": column_schema(model, columns)}


GOOGLE_ADS_RAW_COLUMNS = column_schema_metadata(GoogleAdsRawSchema, GOOGLE_ADS_RAW)
META_RAW_COLUMNS = column_schema_metadata(MetaRawSchema, META_RAW)
TIKTOK_RAW_COLUMNS = column_schema_metadata(TikTokRawSchema, TIKTOK_RAW)
MICROSOFT_ADS_RAW_COLUMNS = column_schema_metadata(MicrosoftAdsRawSchema, MICROSOFT_ADS_RAW)
CAMPAIGN_PERFORMANCE_HOURLY_COLUMNS = column_schema_metadata(
    CampaignPerformanceHourlySchema, CAMPAIGN_PERFORMANCE_HOURLY
)
