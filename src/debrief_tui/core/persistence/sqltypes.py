"""Column types shared by the models and the migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, overload

import sqlalchemy as sa


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back time-zone aware.

    SQLite has no time-zone type and hands back naive datetimes; PostgreSQL keeps the zone. Both
    paths end up as aware UTC datetimes here, and a naive datetime is refused on the way in
    rather than silently taken as local time.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: debrief stores only aware times")
        utc = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@overload
def utc_value(value: datetime | str) -> datetime: ...
@overload
def utc_value(value: datetime | str | None) -> datetime | None: ...
def utc_value(value: datetime | str | None) -> datetime | None:
    """A UTC column as the driver gives it (PostgreSQL: a datetime; SQLite: its text, naive)
    as an aware UTC time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
