"""`kinerja validate` and `kinerja recalc`: check and compute workbooks without Excel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinerja.cli.base import app, console
from kinerja.cli.paths import require_inputs, require_output
from kinerja.findings import Finding, Report

SHOWN = 50  # findings a terminal shows; a thousand-employee file can carry hundreds


def findings_table(findings: list[Finding], title: str = "Temuan") -> Table:
    """Findings as a rich table, the way every clerk command shows them: errors first, at
    most SHOWN rows (the rest are named in the caption: the Validasi sheet and --json hold
    all; a terminal of hundreds of rows is read by nobody, and took a quarter second)."""
    shown = sorted(findings, key=lambda f: not f.is_error)[:SHOWN]
    caption = (f"Ditampilkan {len(shown)} dari {len(findings)} temuan (kesalahan lebih dulu); "
               "semuanya ada di sheet Validasi berkas dan di `kinerja validate --json`."
               if len(findings) > len(shown) else None)
    table = Table(title=title, caption=caption, show_lines=False)
    for header in ("Tingkat", "Kode", "Berkas", "Sheet", "Sel", "Pesan"):
        table.add_column(header, overflow="fold")
    for f in shown:
        level = f"[{'red' if f.is_error else 'yellow'}]{f.severity.label}[/]"
        table.add_row(level, f.code, f.file or "", f.sheet or "", f.cell or "", f.message)
    return table


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Berkas SKP atau PK (.xlsx).")],
    as_json: Annotated[bool, typer.Option("--json", help="Cetak laporan sebagai JSON.")] = False,
) -> None:
    """Periksa berkas tanpa mengubahnya. Kode keluar 1 bila ada kesalahan."""
    from addin.recalc import evaluate
    from workbook_templates.reader import load_checked

    require_inputs(files)
    report = Report()
    for path in files:
        merged: dict = {}
        sheets, noted = load_checked(path, file=path.name, merged=merged)
        report.extend(noted)  # an unreadable file is a finding; the others go on
        if not any(f.is_error for f in noted):
            report.extend(evaluate(sheets, file=path.name, outputs=False,
                                   merged=merged)[0].findings)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json") | {
            "valid": report.valid, "counts": report.counts}, ensure_ascii=False, indent=2))
    else:
        if report.findings:
            console.print(findings_table(report.findings))
        c = report.counts
        console.print(f"{len(files)} berkas: {c['error']} kesalahan, {c['warning']} peringatan.")
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def recalc(
    file: Annotated[Path, typer.Argument(help="Berkas SKP atau PK (.xlsx).")],
    out: Annotated[Path | None, typer.Option(help="Tulis hasil ke berkas baru.")] = None,
) -> None:
    """Hitung ulang seperti tombol Hitung Ulang: isi sheet hasil dan Validasi.

    Sel isian tidak pernah diubah; bagian lain berkas (gambar, komentar, pengaturan
    cetak) disalin apa adanya. Berkas yang ditolak tidak ditulis sama sekali.
    Kode keluar 1 bila ada kesalahan, 2 bila ditolak.
    """
    from zipfile import BadZipFile

    from addin.headless import RecalcRefused, recalc_file

    require_inputs([file])
    if out:
        require_output(out)
    try:
        report, patch = recalc_file(file, out)
    except RecalcRefused as refused:  # nothing was written, in place or to --out
        if refused.report.findings:
            console.print(findings_table(refused.report.findings,
                                         title="Temuan yang menghentikan Hitung Ulang"))
        console.print(f"[red]Ditolak:[/] {refused}")
        raise typer.Exit(2) from None
    except BadZipFile:
        console.print(f"[red]Ditolak:[/] {file.name} bukan workbook Excel (.xlsx); tidak ada "
                      "yang ditulis.")
        raise typer.Exit(2) from None
    if report.findings:
        console.print(findings_table(report.findings))
    console.print(patch.summary)
    console.print(f"Ditulis ke {out or file}.")
    raise typer.Exit(0 if report.valid else 1)
