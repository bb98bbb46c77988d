"""Dates as Chinese documents write them."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2026年11月23日."""
    return f"{day.year}年{day.month}月{day.day}日"
