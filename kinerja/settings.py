"""Settings: the shipped defaults in ``kinerja.toml``, overridden per instansi.

What rules.md marks CONFIRMED is code; what it leaves open is here.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from kinerja.ratings import Predikat, PredikatOrganisasi, Rating


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulePackPeriod(_Strict):
    pack: Literal["PP46_2011", "PMPANRB8_2021", "PMPANRB6_2022"]
    from_year: int
    from_month: int = 1


class CapaianSettings(_Strict):
    cap_skp: Decimal | None = Decimal(120)
    cap_pk: Decimal | None = Decimal(120)

    @field_validator("cap_skp", "cap_pk", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v == "" else v


class SaranRating(_Strict):
    di_atas: Decimal = Decimal(110)
    sesuai: Decimal = Decimal(90)


class KurvaSettings(_Strict):
    small_n: int = 10
    mayoritas: Literal["terbanyak", "lebih_dari_setengah"] = "terbanyak"


class TalentaSettings(_Strict):
    tinggi: Decimal = Decimal(90)
    menengah: Decimal = Decimal(78)
    kinerja: dict[Predikat, Rating]


class AngkaKreditSettings(_Strict):
    koefisien: dict[str, Decimal]


class RekomendasiSettings(_Strict):
    """Wording of the development recommendation (kinerja.rules.rekomendasi), per instansi."""

    nilai: dict[str, str] = {}  # BerAKHLAK value -> how to develop it
    bimbingan: str = "Bimbingan kinerja (coaching) oleh atasan langsung"
    konseling: str = "Konseling kinerja"
    bimbingan_kotak: tuple[int, ...] = (2, 3, 5, 6, 8)
    konseling_kotak: tuple[int, ...] = (1, 3, 6)
    tanpa_catatan: str = "Tidak ada catatan pengembangan khusus; pertahankan kinerja."


class Settings(_Strict):
    rule_packs: list[RulePackPeriod]
    capaian: CapaianSettings = CapaianSettings()
    saran_rating: SaranRating = SaranRating()
    rating_pimpinan: dict[PredikatOrganisasi, Rating]
    kurva: KurvaSettings = KurvaSettings()
    talenta: TalentaSettings
    angka_kredit: AngkaKreditSettings
    rekomendasi: RekomendasiSettings = RekomendasiSettings()

    def rule_pack(self, year: int, month: int = 12) -> str:
        """The rule pack in force for a period ending in (year, month)."""
        chosen = None
        for p in sorted(self.rule_packs, key=lambda p: (p.from_year, p.from_month)):
            if (year, month) >= (p.from_year, p.from_month):
                chosen = p.pack
        if chosen is None:
            raise ValueError(f"Tidak ada paket aturan untuk tahun {year}")
        return chosen


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _shipped() -> dict:
    return tomllib.loads(files("kinerja").joinpath("kinerja.toml").read_text("utf-8"))


def load_settings(path: str | Path | None = None) -> Settings:
    """Shipped defaults, overridden by ``path`` (or ./kinerja.toml when it exists)."""
    data = _shipped()
    local = Path(path) if path else Path("kinerja.toml")
    if path or local.exists():
        data = _merge(data, tomllib.loads(local.read_text("utf-8")))
    return Settings.model_validate(data)


@cache
def default_settings() -> Settings:
    """The shipped defaults only (no local file): what library calls use by default."""
    return Settings.model_validate(_shipped())
