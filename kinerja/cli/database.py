"""The --db URL checked before any work, and database failures explained with its host or path."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from kinerja.cli.errors import CliError

EXAMPLES = "Contoh: sqlite:///kinerja.db atau postgresql+psycopg://pengguna@server/nama_db."
SQLITE_MAGIC = b"SQLite format 3\x00"
_current: ContextVar[str | None] = ContextVar("kinerja_db", default=None)


def check_db_url(url: str) -> str:
    """``url`` when it can name a master; a CliError saying what is wrong otherwise.

    Remembered for this command, so a failure met later (a server that does not
    answer) names the host and port the user gave.
    """
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise CliError(f"URL basis data --db tidak dapat dibaca: {url!r}. {EXAMPLES}") from None
    shown = safe(url)
    try:
        sa.create_engine(parsed).dispose()  # loads the dialect and its driver, connects not
    except sa.exc.NoSuchModuleError:
        raise CliError(f"Jenis basis data '{parsed.drivername}' di --db {shown} tidak dikenal. "
                       f"{EXAMPLES}") from None
    except ImportError as exc:
        raise CliError(f"Driver untuk {parsed.drivername} belum terpasang ({exc.name}). Untuk "
                       "PostgreSQL: pip install 'kinerja[postgres]'.") from None
    except (sa.exc.ArgumentError, TypeError, ValueError) as exc:
        raise CliError(f"URL basis data --db {shown} tidak sah. {EXAMPLES}\nRincian: {exc}"
                       ) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed)
    _current.set(url)
    return url


def forget_db() -> None:
    _current.set(None)


def safe(url: str) -> str:
    """The URL as it may be printed: without its password."""
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def sqlite_path(parsed) -> Path | None:
    """The file of a SQLite URL; None for memory and for URI-style names."""
    name = parsed.database
    if not name or name == ":memory:" or name.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(name)


def _check_sqlite_file(parsed) -> None:
    path = sqlite_path(parsed)
    if path is None:
        return
    if path.is_dir():
        raise CliError(f"{path} adalah folder; --db harus menunjuk berkas master, mis. "
                       f"sqlite:///{path / 'kinerja.db'}.")
    if not path.parent.is_dir():
        raise CliError(f"Folder {path.parent} untuk berkas master {path.name} tidak ada. Buat "
                       "folder itu dulu, atau perbaiki jalur di --db.")
    if path.exists():
        if not path.is_file():
            raise CliError(f"{path} bukan berkas biasa, jadi tidak dapat menjadi master.")
        try:
            with open(path, "rb") as f:
                head = f.read(len(SQLITE_MAGIC))
        except OSError:
            return  # said better by the database's own failure, explained below
        if head and head != SQLITE_MAGIC:
            raise CliError(f"{path} bukan basis data SQLite (mungkin berkas lain yang diberi "
                           "nama .db). Periksa --db.")


def database_message(exc: BaseException) -> str | None:
    """A SQLAlchemy failure in Indonesian, naming the server or the file; None if not one."""
    import sqlalchemy as sa

    url = _current.get()
    if isinstance(exc, sa.exc.DBAPIError):
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if url is not None:
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() == "sqlite":
                return f"{_sqlite_problem(parsed, detail)}\nRincian: {detail}"
            if parsed.get_backend_name() == "postgresql":
                return f"{_server_problem(parsed, detail)}\nRincian: {detail}"
        return f"Basis data master menolak permintaan.\nRincian: {detail}"
    if isinstance(exc, sa.exc.SQLAlchemyError):
        where = f" {safe(url)}" if url else ""
        return f"Kesalahan pada basis data master{where}.\nRincian: {exc}"
    return None


def _sqlite_problem(parsed, detail: str) -> str:
    path = sqlite_path(parsed)
    name = str(path) if path else parsed.database
    low = detail.lower()
    if "readonly" in low or "read-only" in low:
        return (f"Master {name} hanya dapat dibaca, jadi tidak dapat ditulisi. Beri izin tulis "
                "pada berkas itu dan foldernya, atau salin master ke tempat yang dapat ditulisi.")
    if "not a database" in low:
        return f"{name} bukan basis data SQLite (mungkin berkas lain yang diberi nama .db)."
    if "malformed" in low or "corrupt" in low:
        return f"Berkas master {name} rusak. Pulihkan dari cadangan terakhir."
    if "locked" in low or "busy" in low:
        from sync.db import BUSY_MESSAGE

        return BUSY_MESSAGE
    if "unable to open" in low:
        if path is not None and not path.parent.is_dir():
            return f"Folder {path.parent} untuk berkas master {path.name} tidak ada."
        return (f"Berkas master {name} tidak dapat dibuka. Periksa hak akses berkas dan "
                "foldernya.")
    if "disk" in low or "i/o" in low:
        return f"Gagal membaca atau menulis berkas master {name} (disk penuh atau rusak?)."
    return f"Kesalahan pada berkas master {name}."


def _server_problem(parsed, detail: str) -> str:
    host = parsed.host or "localhost"
    port = parsed.port or 5432
    at = f"server PostgreSQL {host} port {port}"
    low = detail.lower()
    if "password" in low or "authentication" in low:
        return (f"{at} menolak pengguna '{parsed.username}'. Periksa nama pengguna dan kata "
                "sandi di --db (atau di ~/.pgpass).")
    if "does not exist" in low and "database" in low:
        return (f"Basis data '{parsed.database}' belum ada di {at}. Buat dulu (mis. createdb "
                f"{parsed.database}) atau perbaiki namanya di --db.")
    if "translate host name" in low or "name or service not known" in low or \
            "nodename nor servname" in low:
        return f"Nama server '{host}' di --db tidak dikenal. Periksa ejaan alamat server."
    if "connection" in low or "timeout" in low or "timed out" in low or "refused" in low:
        return (f"Tidak dapat terhubung ke {at}. Periksa bahwa server PostgreSQL berjalan, "
                "alamat dan port di --db benar, dan firewall mengizinkan koneksi ke port itu.")
    return f"{at} menolak permintaan (basis data '{parsed.database}')."
