"""The 6/2022 ratings and predikat (rules.md §1.4, §1.5); the matrix itself is pack data."""

from __future__ import annotations

import re
from enum import StrEnum

from kinerja.text import clean


def _squash(text: str) -> str:
    """Lower case, no spaces, dots, dashes, slashes or invisible characters: how clerks'
    spellings compare."""
    return re.sub(r"[\s./\-_]+", "", clean(text).strip().lower())


_ALIASES: dict[type, dict] = {}


class _Label(StrEnum):
    """A string enum whose values are the official labels and that parses clerks' spellings."""

    @classmethod
    def parse(cls, text: object):
        """The member for an official label or a common spelling; ValueError otherwise."""
        if isinstance(text, cls):
            return text
        key = _squash(str(text)) if text is not None else ""
        aliases = _ALIASES.get(cls)
        if aliases is None:  # built once per class: the sync parses millions of ratings
            aliases = _ALIASES[cls] = cls._aliases()
        member = aliases.get(key)
        if member is None:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"{text!r} bukan pilihan yang sah ({allowed})")
        return member

    @classmethod
    def _aliases(cls) -> dict:
        return {_squash(m.value): m for m in cls}


class Rating(_Label):
    DI_ATAS = "Di Atas Ekspektasi"
    SESUAI = "Sesuai Ekspektasi"
    DI_BAWAH = "Di Bawah Ekspektasi"

    @property
    def level(self) -> int:
        """1 bawah, 2 sesuai, 3 atas: the key of the 9-box and of sorting."""
        return {"Di Bawah Ekspektasi": 1, "Sesuai Ekspektasi": 2, "Di Atas Ekspektasi": 3}[self]

    @classmethod
    def _aliases(cls) -> dict:
        aliases = super()._aliases()
        for member, short in ((cls.DI_ATAS, "diatas"), (cls.SESUAI, "sesuai"),
                              (cls.DI_BAWAH, "dibawah")):
            aliases[short] = member
        return aliases


class Predikat(_Label):
    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"

    @property
    def order(self) -> int:
        """Ordinal of the Lampiran 4 curve: Sangat Kurang 1 .. Sangat Baik 5."""
        return _PREDIKAT_ORDER[self]

    @classmethod
    def _aliases(cls) -> dict:
        aliases = super()._aliases()
        aliases.update({"kurang": cls.KURANG, "misconduct": cls.KURANG,
                        "kurangmisconduct": cls.KURANG, "cukup": cls.BUTUH_PERBAIKAN})
        return aliases


_PREDIKAT_ORDER = {
    Predikat.SANGAT_KURANG: 1, Predikat.KURANG: 2, Predikat.BUTUH_PERBAIKAN: 3,
    Predikat.BAIK: 4, Predikat.SANGAT_BAIK: 5,
}


class PredikatOrganisasi(_Label):
    """Capaian kinerja organisasi (SE MenPANRB 3/2023)."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"

    @classmethod
    def _aliases(cls) -> dict:
        aliases = super()._aliases()
        aliases["cukup"] = cls.BUTUH_PERBAIKAN
        return aliases


def predikat(rating_hasil: Rating | str, rating_perilaku: Rating | str) -> Predikat:
    """Predikat kinerja pegawai from the two ratings (the kuadran kinerja): the matrix of
    the PermenPANRB 6/2022 rule pack (kinerja/packs/PMPANRB6_2022.toml)."""
    from kinerja.rulepack import SKP_PACK, rule_pack  # the pack validates with these enums

    return rule_pack(SKP_PACK).matriks[Rating.parse(rating_hasil)][Rating.parse(rating_perilaku)]
