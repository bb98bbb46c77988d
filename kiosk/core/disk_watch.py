"""Free space under the data folder, and the store's growth: below the configured threshold the
terminal takes no new sessions (a resident is never asked to retry a commit the disk cannot
hold), and it serves again by itself once space returns.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.availability import Availability

CHECK = "disk_space"
MB = 1024 * 1024
DAY = 86_400.0
HYSTERESIS = 1.1  # back in service only with a tenth more than the threshold free (no flapping)


@dataclass(frozen=True)
class DiskReading:
    """One look at the disk."""

    folder: str
    free_bytes: int
    min_free_bytes: int
    store_bytes: int  # the store file with its WAL
    growth_bytes_per_day: float | None  # since the first reading; None until an hour has passed
    low: bool

    @property
    def days_left(self) -> float | None:
        """At the store's growth, days until the threshold (None: not growing, or not known yet)."""
        if not self.growth_bytes_per_day or self.growth_bytes_per_day <= 0:
            return None
        return max(0.0, (self.free_bytes - self.min_free_bytes) / self.growth_bytes_per_day)

    def staff_words(self) -> str:
        """The reading in plain words for the admin screen."""
        free = f"剩余 {self.free_bytes / MB:.0f} 兆字节（最低 {self.min_free_bytes / MB:.0f} 兆字节）"
        if self.low:
            return f"磁盘空间不足，已暂停服务：{free}"
        days = self.days_left
        return free + (f"，按目前增长约可用 {days:.0f} 天" if days is not None else "")


class DiskWatch:
    """Reads the free space and reports to `availability`; `clock` is replaceable for tests."""

    def __init__(
        self,
        data_dir: Path,
        store_path: Path,
        min_free_bytes: int,
        availability: Availability,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._data_dir = data_dir
        self._store_path = store_path
        self._min_free = min_free_bytes
        self._availability = availability
        self._clock = clock
        self._first: tuple[float, int] | None = None
        self._lock = threading.Lock()
        self.latest: DiskReading | None = None

    def check(self) -> DiskReading:
        """Look now; open or clear the disk fault."""
        with self._lock:
            stats = os.statvfs(self._data_dir)
            free = stats.f_bavail * stats.f_frsize
            size = sum(
                path.stat().st_size
                for path in (self._store_path, self._store_path.with_name(self._store_path.name + "-wal"))
                if path.exists()
            )
            now = self._clock()
            if self._first is None:
                self._first = (now, size)
            elapsed = now - self._first[0]
            growth = (size - self._first[1]) / (elapsed / DAY) if elapsed >= 3600 else None
            was_low = self.latest is not None and self.latest.low
            low = free < self._min_free * (HYSTERESIS if was_low else 1.0)
            reading = DiskReading(str(self._data_dir), free, self._min_free, size, growth, low)
            self.latest = reading
        if low:
            self._availability.report(
                CHECK,
                f"{free} bytes free under {self._data_dir}, threshold {self._min_free} (store {size} bytes)",
                f"磁盘空间不足（{self._data_dir} 剩余 {free / MB:.1f} 兆字节，"
                f"最低 {self._min_free / MB:.0f} 兆字节）：终端暂停受理新业务，空间恢复后自动恢复服务。"
                "请技术人员清理空间。",
            )
        else:
            self._availability.clear(CHECK)
        return reading
