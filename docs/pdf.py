"""docs/panduan.md → HTML (markdown-it-py, which rich already brings) → PDF (LibreOffice).

No new dependency: markdown-it-py is installed with rich, and LibreOffice
Writer turns the HTML, with its pictures from docs/img, into docs/panduan.pdf.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

from docs.render import RenderError, run

DOCS = Path(__file__).resolve().parent
PANDUAN = DOCS / "panduan.md"
PDF = DOCS / "panduan.pdf"

CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; } h3 { font-size: 11.5pt; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; }
pre { background: #f2f2f2; padding: 4pt; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2pt 4pt; }
"""
PAGE_WIDTH_PX = 640  # pictures are scaled to the text width of an A4 page


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def markdown_html(text: str, title: str, base: Path = DOCS) -> str:
    """The guide as one HTML page, each picture sized to fit the page width."""
    body = MarkdownIt("commonmark").enable("table").render(text)

    def sized(m: re.Match) -> str:
        path = base / m[1]
        if not path.exists():
            return m[0]
        w, h = png_size(path)
        scale = min(1.0, PAGE_WIDTH_PX / w)
        return f'<img src="{m[1]}" width="{round(w * scale)}" height="{round(h * scale)}"'

    body = re.sub(r'<img src="([^"]+)"', sized, body)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>")


def write_panduan_pdf(source: Path = PANDUAN, out: Path = PDF) -> Path:
    """Convert the guide to PDF next to it (pictures resolved from the guide's folder)."""
    text = source.read_text(encoding="utf-8")
    title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), "Panduan")
    with tempfile.TemporaryDirectory(prefix="kinerja-pdf-") as tmp:
        work = Path(tmp)
        html_path = source.parent / f".{source.stem}.html"  # beside docs/img, for the pictures
        html_path.write_text(markdown_html(text, title, source.parent), encoding="utf-8")
        try:
            run(["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                 "--writer", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work),
                 str(html_path)], timeout=300)
        finally:
            html_path.unlink(missing_ok=True)
        made = work / f"{html_path.stem}.pdf"
        if not made.exists():
            raise RenderError(f"LibreOffice made no PDF of {source.name}; the HTML import "
                              "needs LibreOffice Writer (apt-get install libreoffice-writer)")
        shutil.move(made, out)
    return out
