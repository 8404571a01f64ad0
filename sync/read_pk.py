"""A read Perjanjian Kinerja workbook (PkData) as the rows of the master's PK tables.

The same checks as an SKP (:mod:`sync.read`): a file failing the template check or
lacking its unit or year is quarantined; capaian are recomputed with
:func:`kinerja.scoring.score_pk` and never taken from the Capaian sheet. A PK is an
agreement for a year, so its kiriman's periode is ``Tahunan`` (PK_PERIODE); one
unit-year has one agreement that counts (:func:`sync.store.resolve_pk`).
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.settings import current_settings, fingerprint
from sync.discover import Candidate
from sync.read import (
    Outcome,
    _clean,
    _target,
    _text,
    balance,
    quarantined,
    unbalanced,
)
from sync.schema import PK_PERIODE, temuan_row


def outcome_from_pk(c: Candidate, sha: str, size: int, data) -> Outcome:
    """Check, score and flatten a read PK workbook."""
    from kinerja.scoring import score_pk

    ident = data.identitas
    stamp = data.stamp
    head = {"template_id": stamp.template_id, "layout_version": stamp.layout_version,
            "rule_pack": stamp.rule_pack, "instansi": _clean(ident.instansi),
            "unit_kerja": _clean(ident.unit_kerja), "tahun": ident.tahun,
            "periode": PK_PERIODE}
    unusable = quarantined(c, sha, size, data.findings, head,
                           {"unit_kerja": "Unit Kerja", "tahun": "Tahun"})  # no periode
    if unusable:
        return unusable

    result = score_pk(data)
    findings = [f.at(file=c.berkas) for f in result.findings]
    key = {"unit_kerja": head["unit_kerja"], "tahun": head["tahun"], "status": "aktif"}
    indikator = [{**key, "sasaran": i.sasaran, "indikator": i.indikator, "satuan": i.satuan,
                  "polaritas": i.polaritas, "agregasi": i.agregasi,
                  "target_tahunan": _target(i.target_tahunan),
                  **_quarters("target", i.target_tw), **_quarters("realisasi", i.realisasi_tw),
                  **_quarters("capaian", cap.capaian_tw),
                  "capaian_tahunan": cap.capaian_tahunan, "penjelasan": cap.penjelasan,
                  "sheet": i.sheet, "baris": i.row}
                 for i, cap in zip(data.indikator, result.indikator, strict=True)]
    anggaran = [{**key, "program": a.program, "pagu": a.pagu,
                 **_quarters("realisasi", a.realisasi_tw), "sheet": a.sheet, "baris": a.row}
                for a in data.anggaran]
    stored = {"pk_indikator": indikator, "pk_anggaran": anggaran}
    neraca = balance(data, stored, findings)
    findings += unbalanced(neraca, c.berkas)
    return Outcome(berkas=c.berkas, sha256=sha, size=size, mtime_ns=c.mtime_ns,
                   pengaturan=fingerprint(current_settings()), kiriman=head,
                   pk=[{**key, **_agreement(ident), **_organisasi(result, data.anggaran)}],
                   pk_indikator=indikator, pk_anggaran=anggaran,
                   temuan=[temuan_row(f) for f in findings],
                   baris_ditolak=sum(r for _, _, r in neraca.values()), neraca=neraca)


def _quarters(name: str, values: list) -> dict:
    return {f"{name}_tw{q}": v for q, v in enumerate(values, start=1)}


def _agreement(ident) -> dict:
    """Who agreed with whom, where and when (PK layout 1 leaves instansi, tempat, tanggal
    and the pangkat empty)."""
    parties = {f"pihak_{p}_{f}": _clean(getattr(ident, f"pihak_{p}_{f}"))
               for p in ("pertama", "kedua") for f in ("nama", "nip", "jabatan", "pangkat")}
    return {"instansi": _clean(ident.instansi), "tempat": _clean(ident.tempat),
            "tanggal": ident.tanggal, **parties}


def _organisasi(result, anggaran: list) -> dict:
    """The unit's capaian organisasi per triwulan and tahunan, and its budget absorbed."""
    pagu = [a.pagu for a in anggaran if a.pagu is not None]
    spent = [x for a in anggaran for x in a.realisasi_tw if x is not None]
    return {**_quarters("capaian", result.organisasi_tw),
            "capaian_tahunan": result.organisasi, "sementara": result.sementara,
            "predikat_saran": _text(result.predikat_saran),
            "pagu": sum(pagu, Decimal(0)) if pagu else None,
            "realisasi_anggaran": sum(spent, Decimal(0)) if spent else None,
            "serapan_anggaran": result.serapan_anggaran}
