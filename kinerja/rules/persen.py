"""A percent stored as a fraction: 87% typed into a percent-formatted cell is 0.87.

Where the cell's format is known (an .xlsx read from disk) the loader reads it
as shown. Where it is not (the add-in's values, .xls/.ods) or where a clerk typed
0,87 for 87 %, a row may mix the two scales, and capaian comes out a hundred
times off (0.87 against 90 is 0.97 %). This rule names such cells, never
rescales them (a warning, not a guess). It is conservative:

* a **percent row** (satuan "%", "persen", "prosen", "persentase"): a target or
  realisasi in (0, 1.5] while another of the row's values is above 1.5 is named
  (both on one scale, 0.9 and 0.87, give the right capaian and are left alone);
* **any other row**: only a realisasi that is a fraction in (0, 1) against a
  plain target of 10 or more is named (capaian under 10 % from a fraction; a
  count of 1 against 4 documents is not a fraction and stays silent).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

SMALL = Decimal("1.5")  # 150 % typed into a percent cell is 1.5
_PERCENT_UNIT = re.compile(r"%|(persen|prosen|persentase)\b")


@functools.lru_cache(maxsize=1024)  # asked for every target row; a workbook repeats its units
def is_percent_unit(satuan: str | None) -> bool:
    return bool(satuan and _PERCENT_UNIT.search(satuan.casefold()))


def fraction_cells(satuan: str | None, targets: list[tuple[str, Decimal]],
                   realisasi: list[tuple[str, Decimal]]) -> list[tuple[str, str]]:
    """(key of a suspect value, the value on the other scale that it disagrees with)."""
    values = [*targets, *realisasi]
    if is_percent_unit(satuan):
        big = next((k for k, v in values if v > SMALL), None)
        if big is None:
            return []
        return list(dict.fromkeys((k, big) for k, v in values if 0 < v <= SMALL))
    if len(targets) != 1 or targets[0][1] < 10:
        return []
    return [(k, targets[0][0]) for k, v in realisasi if 0 < v < 1]
