"""`kinerja sync`, `kinerja export`, `kinerja status`: the consolidation at the centre."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kinerja.cli.base import app, console
from kinerja.cli.database import check_db_url
from kinerja.cli.errors import err_console
from kinerja.cli.paths import require_inputs, require_output

DEFAULT_DB = "sqlite:///kinerja.db"

DbOption = Annotated[str, typer.Option(
    "--db", help="URL basis data master (SQLAlchemy), mis. sqlite:///kinerja.db atau "
                 "postgresql+psycopg://user@host/db.")]

_STAGES = {"periksa": "Memeriksa sidik berkas", "baca": "Membaca dan menghitung ulang",
           "simpan": "Menyimpan ke master"}


class What(StrEnum):
    pegawai = "pegawai"
    rhk = "rhk"
    hasil = "hasil"
    kegiatan = "kegiatan"
    temuan = "temuan"
    kiriman = "kiriman"
    perubahan = "perubahan"
    pk = "pk"
    pk_indikator = "pk-indikator"
    pk_anggaran = "pk-anggaran"


class Format(StrEnum):
    csv = "csv"
    csv_polos = "csv-polos"
    parquet = "parquet"
    xlsx = "xlsx"


@app.command()
def sync(
    sources: Annotated[list[Path], typer.Argument(
        metavar="SUMBER", help="Folder (beserta subfolder), berkas .xlsx, arsip .zip, atau "
                                  "master lain (.db/.sqlite).")],
    db: DbOption = DEFAULT_DB,
    rekap: Annotated[Path | None, typer.Option(
        "--rekap", help="Tulis workbook rekap (.xlsx) setelah sinkronisasi.")] = None,
    units: Annotated[Path | None, typer.Option(
        "--units", help="Daftar unit yang wajib mengirim: satu nama per baris, atau CSV "
                        "dengan kolom unit_kerja.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Jumlah proses pembaca (bawaan: jumlah CPU).")] = None,
    lock_wait: Annotated[float, typer.Option(
        "--lock-wait", min=0, help="Berapa detik menunggu bila master sedang dipakai "
                                   "sinkronisasi lain.")] = 30.0,
    tahun: Annotated[int | None, typer.Option(
        "--tahun", help="Tahun penilaian yang diharapkan; berkas bertahun lain diberi "
                        "peringatan (bawaan: tahun kebanyakan berkas).")] = None,
) -> None:
    """Gabungkan workbook SKP dan Perjanjian Kinerja dari banyak unit ke satu master dan
    (opsional) rekap."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from sync.db import MasterError, SyncBusy
    from sync.read import neraca_text
    from sync.run import run_sync

    check_db_url(db)
    require_inputs(sources, folder_ok=True)
    if units:
        require_inputs([units])
    if rekap:
        require_output(rekap)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            summary = run_sync(sources, db, rekap=rekap, units=units, workers=workers,
                               progress=progress, lock_wait=lock_wait, tahun=tahun)
        except (SyncBusy, MasterError) as exc:
            console.print(f"[red]Gagal:[/red] {exc}")
            raise typer.Exit(2) from exc
    table = Table(title="Ringkasan sinkronisasi")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    for label, value in summary.rows():
        table.add_row(label, value)
    console.print(table)
    for berkas, alasan in summary.ditolak:
        # names are text, not markup: "SKP [final].xlsx" must print as it is
        console.print(f"[yellow]Karantina[/yellow] {escape(berkas)}: {escape(alasan)}",
                      soft_wrap=True)
    for berkas, neraca in summary.baris:
        console.print(f"[yellow]Baris ditolak[/yellow] {escape(berkas)}: "
                      f"{neraca_text(neraca)}", soft_wrap=True)
    if summary.baris:
        console.print("Setiap baris yang ditolak disebut temuannya (berkas, sheet, sel): "
                      "kinerja export --what temuan, atau sheet Temuan di rekap.",
                      soft_wrap=True)
    for berkas, pesan in summary.tahun_lain:
        console.print(f"[yellow]Tahun berbeda[/yellow] {escape(berkas)}: {escape(pesan)}",
                      soft_wrap=True)
    if summary.belum_mengirim:
        console.print("Unit belum mengirim: " + ", ".join(summary.belum_mengirim),
                      soft_wrap=True)
    if summary.rekap:
        console.print(f"Rekap ditulis ke {summary.rekap}")
    console.print(f"Selesai dalam {summary.detik:.1f} detik.")


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    what: Annotated[What, typer.Option(
        "--what", help="Tabel yang diekspor: pegawai, rhk, hasil, kegiatan (log harian), "
                       "temuan, kiriman, perubahan (riwayat), pk (Perjanjian Kinerja per "
                       "unit-tahun), pk-indikator, pk-anggaran.")]
        = What.hasil,
    fmt: Annotated[Format, typer.Option("--format", help=(
        "Format: csv (NIP ditulis =\"...\" agar tetap utuh saat dibuka di Excel), csv-polos "
        "(angka apa adanya, untuk pandas/R), parquet, xlsx."))] = Format.csv,
    out: Annotated[Path, typer.Option("--out", "-o", help="Berkas keluaran.")] = Path(
        "ekspor.csv"),
) -> None:
    """Ekspor satu tabel master (dengan asal berkas) ke CSV, Parquet atau Excel."""
    from sync.export import export as do_export
    from sync.output import is_stream

    check_db_url(db)
    require_output(out, stream_ok=True)
    n = do_export(db, what.value, fmt.value, out)
    # beside data sent to /dev/stdout the note goes to stderr, so a pipe gets the data only
    (err_console if is_stream(out) else console).print(
        f"{n} baris {what.value} diekspor ke {out}")


@app.command()
def status(db: DbOption = DEFAULT_DB) -> None:
    """Tampilkan keadaan master: kiriman, karantina, konflik, Perjanjian Kinerja, unit belum
    mengirim."""
    from sync.export import status as master_status
    from sync.read import neraca_text

    s = master_status(check_db_url(db))
    console.print(f"Kiriman diterima: {s.diterima}")
    console.print(f"Kiriman dikarantina: {s.karantina}")
    console.print(f"Pegawai aktif: {s.pegawai_aktif}")
    console.print(f"Konflik (NIP-periode): {s.konflik}")
    console.print(f"Kiriman terakhir: {s.terakhir or '-'}")
    for berkas, alasan in s.ditolak:
        console.print(f"  Karantina {escape(berkas)}: {escape(alasan or '')}", soft_wrap=True)
    console.print(f"Kiriman dengan baris ditolak: {len(s.baris)}")
    for berkas, neraca in s.baris:
        console.print(f"  {escape(berkas)}: {neraca_text(neraca)}", soft_wrap=True)
    print_pk(s.pk)
    if s.belum_mengirim:
        console.print(f"Unit belum mengirim ({len(s.belum_mengirim)}): "
                      + ", ".join(s.belum_mengirim), soft_wrap=True)
    else:
        console.print("Unit belum mengirim: 0")


def print_pk(lines) -> None:
    """The stored Perjanjian Kinerja (sync.export.PkLine), the counting ones first."""
    counting = [line for line in lines if line.status == "aktif"]
    console.print(f"Perjanjian Kinerja diterima (unit-tahun): {len(counting)}")
    for line in lines:
        mark = "" if line.status == "aktif" else "digantikan: "
        console.print(f"  {mark}{escape(line.text())}", soft_wrap=True)
