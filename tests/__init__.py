"""Tests of kinerja. xlwings' remote engine runs here under its noncommercial licence key
(PolyForm Noncommercial permits government use); it must be set before xlwings loads."""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
