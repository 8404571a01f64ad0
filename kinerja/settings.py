"""Settings: the shipped defaults in ``kinerja.toml``, overridden per instansi.

What rules.md marks CONFIRMED is rule-pack data (kinerja/packs, see
:mod:`kinerja.rulepack`); what it leaves open is here. The defaults of the
saran bands and the angka kredit koefisien come from the PermenPANRB 6/2022
pack; an instansi overrides them in its kinerja.toml.

Library calls never read the working directory on their own: a rule given no
settings uses :func:`current_settings`, which is the shipped defaults unless
an entry point (the CLI, the add-in, the sync's workers) has activated the
instansi's settings with :func:`activate`. The active settings are one
process-wide value, not a ContextVar, because the server's handler threads and
the rules they call must all see what was activated at start-up.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from kinerja.ratings import Predikat, PredikatOrganisasi, Rating
from kinerja.rulepack import SKP_PACK, PackId, SaranRating, rule_pack


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulePackPeriod(_Strict):
    pack: PackId
    from_year: int
    from_month: int = 1


class CapaianSettings(_Strict):
    cap_skp: Decimal | None = Decimal(120)
    cap_pk: Decimal | None = Decimal(120)

    @field_validator("cap_skp", "cap_pk", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v == "" else v


class PredikatOrganisasiSettings(_Strict):
    """Lower bounds (capaian organisasi %, compared at 2 decimals) of the suggested predikat
    kinerja organisasi. SE MenPANRB 3/2023 leaves the bands to the instansi (rules.md §3.5):
    these defaults are a setting, not a rule."""

    istimewa: Decimal = Decimal(110)
    baik: Decimal = Decimal(90)
    butuh_perbaikan: Decimal = Decimal(76)
    kurang: Decimal = Decimal(51)

    @model_validator(mode="after")
    def _descending(self) -> PredikatOrganisasiSettings:
        if not self.istimewa >= self.baik >= self.butuh_perbaikan >= self.kurang:
            raise ValueError("batas harus menurun: istimewa >= baik >= butuh_perbaikan >= kurang")
        return self


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
    saran_rating: SaranRating  # default from the 6/2022 pack
    rating_pimpinan: dict[PredikatOrganisasi, Rating]
    kurva: KurvaSettings = KurvaSettings()
    predikat_organisasi: PredikatOrganisasiSettings = PredikatOrganisasiSettings()
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
    """kinerja.toml over the overridable defaults of the 6/2022 pack."""
    pack = rule_pack(SKP_PACK)
    defaults = {"saran_rating": pack.saran_rating.model_dump(),
                "angka_kredit": {"koefisien": pack.angka_kredit.koefisien}}
    return _merge(defaults, tomllib.loads(
        files("kinerja").joinpath("kinerja.toml").read_text("utf-8")))


LOCAL_FILE = "kinerja.toml"  # the instansi's overrides, looked for in the working directory


class SettingsError(ValueError):
    """A local settings file that cannot be used; the message is for the clerk."""


def load_settings(path: str | Path | None = None) -> Settings:
    """Shipped defaults, overridden by ``path`` (or ./kinerja.toml when it exists).

    Raises :class:`SettingsError` naming the file and the problem when the file
    cannot be read, is not TOML, or has an unknown key or a wrong value.
    """
    local = Path(path) if path else Path(LOCAL_FILE)
    if not (path or local.exists()):
        return default_settings()
    where = f"Berkas pengaturan {local.resolve()}"
    try:
        text = local.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(_bad(where, f"berkas tidak dapat dibaca ({exc})")) from None
    return settings_from_text(text, where)


def settings_from_text(text: str, where: str) -> Settings:
    """Shipped defaults overridden by the TOML ``text``; ``where`` names it in errors
    ("Berkas pengaturan ...", "Sheet kinerja.conf"). Raises :class:`SettingsError`."""
    try:
        return Settings.model_validate(_merge(_shipped(), tomllib.loads(text)))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(_bad(where, _toml_problem(exc))) from None
    except ValidationError as exc:
        raise SettingsError(_bad(where, "; ".join(_problem(e) for e in exc.errors()[:5]))) from None


def _bad(where: str, problem: str) -> str:
    return (f"{where} tidak dapat dipakai: {problem}. "
            f"Perbaiki isinya; contoh setiap kunci ada di kinerja.toml bawaan.")


def _toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    where = re.search(r" \(at line (\d+), column (\d+)\)", str(exc))
    at = f" pada baris {where[1]}, kolom {where[2]}" if where else ""
    return f"penulisan TOML salah{at} ({str(exc).replace(where[0], '') if where else exc})"


def _problem(error: dict) -> str:
    """One pydantic error in the clerk's words: which key, what is wrong with it."""
    key = ".".join(str(p) for p in error["loc"] if p != "[key]")  # pydantic marks dict keys
    kind, given = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return f"kunci '{key}' tidak dikenal"
    if kind == "missing":
        return f"kunci '{key}' wajib ada"
    if kind.startswith(("decimal_", "int_", "float_")):
        return f"'{key}' harus angka, tertulis {given!r}"
    if kind in ("literal_error", "enum"):
        choices = str(error.get("ctx", {}).get("expected")).replace(" or ", " atau ")
        return f"'{key}' harus salah satu dari {choices}, tertulis {given!r}"
    if kind.endswith("_type"):
        return f"'{key}' salah jenis, tertulis {given!r}"
    if kind == "value_error":  # our own validators word their message in Indonesian
        reason = str(error.get("ctx", {}).get("error", ""))
        return f"'{key}' tidak sah ({reason}), tertulis {given!r}"
    return f"'{key}' tidak sah, tertulis {given!r}"


@cache
def default_settings() -> Settings:
    """The shipped defaults only (no local file): what library calls use by default."""
    return Settings.model_validate(_shipped())


_active: Settings | None = None  # set by entry points only; see the module docstring


def activate(settings: Settings | None) -> Settings | None:
    """Make ``settings`` what rules use when given none (None: the shipped defaults).

    Returns the settings active before, so a caller can put them back. Also the
    initializer of the sync's worker processes, which works under spawn as under fork.
    """
    global _active
    previous, _active = _active, settings
    return previous


def current_settings() -> Settings:
    """The activated settings, else the shipped defaults."""
    return _active if _active is not None else default_settings()


@contextmanager
def activated(settings: Settings | None) -> Iterator[Settings]:
    """Activate ``settings`` for a block, then put back what was active before."""
    previous = activate(settings)
    try:
        yield current_settings()
    finally:
        activate(previous)


def fingerprint(settings: Settings) -> str:
    """A short hash of everything in ``settings``: tells whether stored results were
    computed with the settings in force now."""
    return hashlib.sha1(settings.model_dump_json().encode()).hexdigest()[:16]
