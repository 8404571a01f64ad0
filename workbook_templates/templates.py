"""The standard templates by id: their layouts and their committed .xlsx files."""

from __future__ import annotations

from pathlib import Path

from workbook_templates.layout import Layout, LayoutError
from workbook_templates.pk_layout import PK
from workbook_templates.skp_layout import SKP

LAYOUTS: dict[str, Layout] = {"SKP": SKP, "PK": PK}
FOLDER = Path(__file__).parent


def layout_for(template_id: str) -> Layout:
    """The layout of a template id ("SKP" or "PK", any case)."""
    try:
        return LAYOUTS[template_id.upper()]
    except KeyError:
        raise LayoutError(f"unknown template {template_id!r}") from None


def template_path(template_id: str) -> Path:
    """The committed template file, e.g. workbook_templates/skp.xlsx."""
    return FOLDER / f"{layout_for(template_id).template_id.lower()}.xlsx"


def write_all(folder: Path = FOLDER) -> list[Path]:
    """Regenerate every committed template (``python -m workbook_templates.templates``)."""
    from workbook_templates.builder import write_template

    return [write_template(layout, folder / f"{tid.lower()}.xlsx")
            for tid, layout in LAYOUTS.items()]


if __name__ == "__main__":
    for path in write_all():
        print(path)
