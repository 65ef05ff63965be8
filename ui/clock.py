"""The store's ISO-8601 UTC times in the browser's time zone, and local dates back to UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def zone() -> dt.tzinfo:
    """The browser's time zone, else the server's."""
    name = st.context.timezone
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def local_time(at: str, tz: dt.tzinfo | None = None) -> str:
    """``2026-11-27T08:42:10.123456Z`` as ``2026-11-27 16:42:10`` in ``tz`` (the browser's zone)."""
    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return moment.astimezone(tz or zone()).strftime("%Y-%m-%d %H:%M:%S")


def day_start_utc(day: dt.date, tz: dt.tzinfo) -> str:
    """The start of ``day`` in ``tz`` as the store's ISO-8601 UTC text (what its times compare with)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    return start.isoformat(timespec="microseconds").replace("+00:00", "Z")
