"""Python's cyclic garbage collector held off while bulk work makes objects without cycles.

The collector runs after every few hundred new container objects and now and then walks
every live one. Work that builds hundreds of thousands of tuples, rows and small records
that never refer back to one another (a recalculation, a check over the whole master)
pays for those walks again and again and frees nothing by them: reference counting frees
its objects. Measured: a quarter of a headless recalc, two thirds of the cascade check's
judging (bench/RESULTS.md).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector off inside the block, as it was after it (also when it raises)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
