"""Rule packs: the numbers of each regulation as versioned data files (kinerja/packs/*.toml).

A pack holds what a regulation fixes (the 3x3 matrix, the kurva patterns, the
angka kredit percentages, the PP 46/2011 constants) and the defaults of what
an instansi may override in its kinerja.toml (koefisien, saran bands). Which
pack scores a workbook follows its tahun and periode (``Settings.rule_pack``).

A new regulation is a new pack file, not a code change. The files are loaded
and validated when this module is imported: a broken pack is a developer
error and raises :class:`RulePackError` at once, naming the file.
"""

from __future__ import annotations

import math
import tomllib
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from kinerja.ratings import Predikat, PredikatOrganisasi, Rating

PackId = Literal["PP46_2011", "PMPANRB8_2021", "PMPANRB6_2022"]
SKP_PACK: PackId = "PMPANRB6_2022"
"""The pack the SKP workbook is laid out for (its stamp's rule_pack)."""


class RulePackError(ValueError):
    """A pack file that cannot be used: a developer error, raised on import."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Aturan(_Strict):
    """One constraint of a kurva pattern: the share of some predikat against a bound."""

    jenis: Literal["maks", "min", "mayoritas", "harus_ada"]
    predikat: tuple[Predikat, ...]
    persen: Decimal = Decimal(0)

    def batas(self, n: int) -> int:
        """The bound as a headcount of n employees (maxima floor, minima ceil)."""
        share = self.persen * n / 100
        if self.jenis == "maks":
            return math.floor(share)
        if self.jenis == "min":
            return math.ceil(share)
        return 1


class SaranRating(_Strict):
    """Bands of the non-normative rating suggestion (rules.md §1.4 DESIGN)."""

    di_atas: Decimal
    sesuai: Decimal


class AngkaKredit(_Strict):
    persen: dict[Predikat, Decimal]  # percent of the koefisien per predikat, e.g. 150
    koefisien: dict[str, Decimal]

    @field_validator("persen")
    @classmethod
    def _every_predikat(cls, v: dict) -> dict:
        if set(v) != set(Predikat):
            raise ValueError(f"persen harus untuk setiap predikat, ada {sorted(v)}")
        return v


class Batas(_Strict):
    batas: Decimal
    sebutan: str


class TugasTambahan(_Strict):
    paling_sedikit: int
    nilai: Decimal


class Pp46(_Strict):
    nt: Decimal
    batas_efisiensi: Decimal
    bobot_skp: Decimal
    bobot_perilaku: Decimal
    tugas_tambahan: tuple[TugasTambahan, ...]
    sebutan: tuple[Batas, ...]
    sebutan_terendah: str
    aspek_perilaku: tuple[str, ...]
    aspek_struktural: str


class RulePack(_Strict):
    id: PackId
    versi: int
    nama: str
    berlaku: str
    sumber: tuple[str, ...]
    matriks: dict[Rating, dict[Rating, Predikat]] | None = None
    kurva: dict[PredikatOrganisasi, tuple[Aturan, ...]] | None = None
    angka_kredit: AngkaKredit | None = None
    saran_rating: SaranRating | None = None
    pp46: Pp46 | None = None

    @model_validator(mode="after")
    def _complete(self) -> RulePack:
        if not self.sumber:
            raise ValueError("sumber (dasar hukum) wajib diisi")
        if self.matriks is not None and (set(self.matriks) != set(Rating) or any(
                set(row) != set(Rating) for row in self.matriks.values())):
            raise ValueError("matriks harus berisi 3 x 3 rating")
        if self.kurva is not None and set(self.kurva) != set(PredikatOrganisasi):
            raise ValueError("kurva harus berisi pola untuk setiap predikat organisasi")
        return self

    @property
    def scores_skp(self) -> bool:
        """Whether the SKP workbook (ratings, predikat) can be scored under this pack."""
        return self.matriks is not None

    @property
    def sumber_teks(self) -> str:
        return "; ".join(self.sumber)


PACK_DIR = files("kinerja").joinpath("packs")


def load_pack_file(path: Path | object) -> RulePack:
    """One pack file, validated; RulePackError naming the file when it is broken."""
    name = getattr(path, "name", str(path))
    try:
        return RulePack.model_validate(tomllib.loads(path.read_text("utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError, OSError) as exc:
        raise RulePackError(f"paket aturan {name} rusak: {exc}") from None


def _load_all() -> dict[str, RulePack]:
    packs = {}
    for entry in sorted(PACK_DIR.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            pack = load_pack_file(entry)
            if f"{pack.id}.toml" != entry.name:
                raise RulePackError(f"paket aturan {entry.name} berisi id {pack.id}")
            packs[pack.id] = pack
    return packs


PACKS: dict[str, RulePack] = _load_all()


def rule_pack(pack_id: str) -> RulePack:
    """The pack with this id (KeyError for an unknown id: a developer error)."""
    return PACKS[pack_id]
