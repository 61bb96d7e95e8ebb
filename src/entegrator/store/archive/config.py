"""Settings of the archive: where content lives, how long it is kept, how it is compressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from entegrator.errors import ConfigurationError

__all__ = ["MIN_RETENTION_YEARS", "ArchiveConfig"]

#: VUK 253 and GİB's Saklama Kılavuzu: documents are kept ten years after the issue year.
MIN_RETENTION_YEARS = 10


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    """How the archive stores documents.

    ``backend`` is ``"database"`` (default: compressed content in the archive's own table,
    partitioned by month on PostgreSQL) or ``"directory"`` (content-addressed files under
    ``directory``, fsync'd before the caller's transaction commits). ``retention_years`` may
    only be raised above the legal ten. ``timezone`` fixes the calendar day of the daily hash
    chain and of dates derived from timestamps (Turkey's, by default).
    """

    backend: Literal["database", "directory"] = "database"
    directory: Path | None = None
    retention_years: int = MIN_RETENTION_YEARS
    timezone: str = "Europe/Istanbul"
    zstd_level: int = 6
    part_min_bytes: int = 1024
    dictionary_size: int = 32 * 1024
    dictionary_min_samples: int = 200
    dictionary_max_samples: int = 2000
    dictionary_retrain_after: timedelta = timedelta(days=30)
    orphan_grace: timedelta = timedelta(days=1)
    seal_grace: timedelta = timedelta(minutes=30)
    partitions_ahead: int = 3

    def __post_init__(self) -> None:
        if self.backend not in ("database", "directory"):
            raise ConfigurationError(
                f"bilinmeyen arşiv deposu: {self.backend!r} (database ya da directory)"
            )
        if self.backend == "directory" and self.directory is None:
            raise ConfigurationError("dizin deposu için arşiv dizini (directory) verilmeli")
        if self.retention_years < MIN_RETENTION_YEARS:
            raise ConfigurationError(
                f"saklama süresi {MIN_RETENTION_YEARS} yıldan kısa olamaz "
                f"(verilen: {self.retention_years})"
            )
        if not 1 <= self.zstd_level <= 22:
            raise ConfigurationError("zstd_level 1 ile 22 arasında olmalı")
        if self.part_min_bytes < 64:
            raise ConfigurationError("part_min_bytes en az 64 olmalı")
        if self.dictionary_min_samples < 10 or self.dictionary_size < 1024:
            raise ConfigurationError("sözlük ayarları çok küçük")
        if self.partitions_ahead < 0:
            raise ConfigurationError("partitions_ahead negatif olamaz")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigurationError(f"bilinmeyen saat dilimi: {self.timezone!r}") from exc

    @property
    def zone(self) -> ZoneInfo:
        """The archive's calendar time zone."""
        return ZoneInfo(self.timezone)
