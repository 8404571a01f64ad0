"""kinerja: pengelolaan kinerja ASN di Excel (domain core)."""

__version__ = "0.1.0"
