"""HTTP endpoint for xlwings' remote clients: the buttons without Python on the clerk's PC.

The VBA client (``RunRemotePython``) and the Office.js client POST the
workbook's values as JSON; we run the entry point on ``xw.Book(json=payload)``
and answer the queued actions (``book.json()``), which the client applies.

    POST /hitung-ulang   -> addin.entry.hitung_ulang
    POST /periksa        -> addin.entry.periksa

Standard library only (``http.server``). Guards: a JSON body of the payload's
shape only (400: nesting bombs, cells that are not scalars, more than
``MAX_CELLS`` cells), at most ``max_body`` bytes (413), and, when an API key is
set (env ``KINERJA_API_KEY``), the ``Authorization`` header must carry it
(401). Errors are plain Indonesian text, which both clients show to the clerk
as is. Run it inside the office network only, behind HTTPS if it leaves the
machine.

The instansi's settings are ``kinerja.toml`` in the working directory of the
server process, read once at start-up (a broken file stops the start, not a
clerk's request); restart the server after changing it.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kinerja.settings import Settings, load_settings

log = logging.getLogger("kinerja.addin.server")

MAX_BODY = 20 * 1024 * 1024  # a big SKP workbook is well under 1 MB of JSON
MAX_CELLS = 2_000_000  # an SKP of 1,000 employees is about 100,000 cells
SCALAR = (str, int, float, bool, type(None))  # what a cell of the payload may hold
ROUTES = {"/hitung-ulang": "HitungUlang", "/periksa": "Periksa"}
API_KEY_ENV = "KINERJA_API_KEY"


class PayloadError(ValueError):
    """Raised when a request body is not an xlwings remote payload."""


def check_payload(payload: object) -> dict:
    """The payload, with the optional parts the engine needs defaulted; raises PayloadError."""
    if not isinstance(payload, dict):
        raise PayloadError("isi permintaan harus objek JSON")
    book, sheets = payload.get("book"), payload.get("sheets")
    if not isinstance(payload.get("version"), str):
        raise PayloadError("kolom 'version' (versi xlwings) tidak ada")
    if not (isinstance(book, dict) and isinstance(book.get("name"), str)
            and isinstance(book.get("active_sheet_index"), int)):
        raise PayloadError("kolom 'book' harus berisi 'name' dan 'active_sheet_index'")
    if not isinstance(sheets, list) or not sheets:
        raise PayloadError("kolom 'sheets' harus daftar sheet yang tidak kosong")
    if not 0 <= book["active_sheet_index"] < len(sheets):
        raise PayloadError("'active_sheet_index' di luar daftar sheet")
    cells = 0
    for sheet in sheets:
        if not (isinstance(sheet, dict) and isinstance(sheet.get("name"), str)
                and isinstance(sheet.get("values"), list)
                and all(isinstance(row, list) for row in sheet["values"])):
            raise PayloadError("setiap sheet harus berisi 'name' dan 'values' (daftar baris)")
        cells += sum(len(row) for row in sheet["values"])
        if cells > MAX_CELLS:
            raise PayloadError(f"terlalu banyak sel (lebih dari {MAX_CELLS:,})".replace(",", "."))
        if not all(isinstance(v, SCALAR) for row in sheet["values"] for v in row):
            raise PayloadError("setiap sel pada 'values' harus teks, angka, logika atau kosong")
        for key in ("tables", "pictures"):
            if not isinstance(sheet.setdefault(key, []), list):
                raise PayloadError(f"kolom '{key}' pada sheet harus daftar")
    if not isinstance(payload.setdefault("names", []), list):
        raise PayloadError("kolom 'names' harus daftar")
    if not isinstance(payload.setdefault("client", "VBA"), str):
        raise PayloadError("kolom 'client' harus teks")
    return payload


def run(control_id: str, payload: dict, settings: Settings | None = None) -> dict:
    """Run a button's entry point on a payload with ``settings``; the actions for the client."""
    import xlwings as xw

    from addin.entry import dispatch

    book = xw.Book(json=payload)
    try:
        dispatch(control_id, book, settings)
        return book.json()
    finally:
        book.close()


class Handler(BaseHTTPRequestHandler):
    server_version = "kinerja"
    timeout = 60  # seconds a client may take to send its request

    def _reply(self, status: HTTPStatus, body: str | bytes, json_body: bool = False) -> None:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if json_body
                         else "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        key = self.server.api_key
        if not key:
            return True
        given = self.headers.get("Authorization", "")
        if given.lower().startswith("bearer "):
            given = given[7:]
        return hmac.compare_digest(given.strip().encode(), key.encode())

    def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
        self._reply(HTTPStatus.METHOD_NOT_ALLOWED,
                    "Gunakan POST ke /hitung-ulang atau /periksa.")

    def do_POST(self) -> None:  # noqa: N802
        control_id = ROUTES.get(self.path.split("?", 1)[0].rstrip("/"))
        if control_id is None:
            self._reply(HTTPStatus.NOT_FOUND, "Alamat tidak dikenal. "
                        "Gunakan /hitung-ulang atau /periksa.")
            return
        if not self._authorized():
            self._reply(HTTPStatus.UNAUTHORIZED, "Kunci API salah atau tidak ada. "
                        "Periksa isian AUTH pada konfigurasi add-in.")
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._reply(HTTPStatus.LENGTH_REQUIRED, "Permintaan tanpa Content-Length ditolak.")
            return
        if int(length) > self.server.max_body:
            self.close_connection = True  # the body stays unread
            self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"Berkas terlalu besar untuk dikirim (batas "
                        f"{self.server.max_body // (1024 * 1024)} MB).")
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = self.rfile.read(int(length))
        try:
            if content_type != "application/json":
                raise PayloadError("isi permintaan harus JSON (Content-Type: application/json)")
            try:
                payload = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise PayloadError("isi permintaan bukan JSON yang sah") from None
            except RecursionError:  # [[[[...]]]]: the C parser stops at the recursion limit
                raise PayloadError("JSON terlalu bersarang") from None
            payload = check_payload(payload)
            import xlwings as xw

            if payload["version"] != xw.__version__ and payload["client"] != "Office.js":
                raise PayloadError(f"versi xlwings di Excel ({payload['version']}) berbeda "
                                   f"dengan di server ({xw.__version__})")
        except PayloadError as exc:
            self._reply(HTTPStatus.BAD_REQUEST, f"Permintaan ditolak: {exc}.")
            return
        try:
            with self.server.lock:  # the remote engine keeps books in one global app
                result = run(control_id, payload, self.server.settings)
        except Exception:
            log.exception("%s gagal untuk %r", control_id, payload["book"].get("name"))
            self._reply(HTTPStatus.INTERNAL_SERVER_ERROR,
                        "Terjadi kesalahan di server saat memproses berkas. "
                        "Hubungi admin TI dan sebutkan jam kejadiannya.")
            return
        self._reply(HTTPStatus.OK, json.dumps(result, default=str), json_body=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)


class KinerjaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], api_key: str | None, max_body: int,
                 settings: Settings):
        super().__init__(address, Handler)
        self.api_key = api_key
        self.max_body = max_body
        self.settings = settings
        self.lock = threading.Lock()


def make_server(host: str = "127.0.0.1", port: int = 8000, api_key: str | None = None,
                max_body: int = MAX_BODY, settings: Settings | None = None) -> KinerjaServer:
    """A server bound to (host, port), not yet serving; port 0 picks a free port.

    ``api_key`` defaults to env KINERJA_API_KEY, ``settings`` to ./kinerja.toml over
    the shipped defaults. Raises RuntimeError when the xlwings remote engine has no
    licence key (env XLWINGS_LICENSE_KEY), SettingsError when ./kinerja.toml is broken.
    """
    import xlwings as xw

    if not xw.__pro__:
        raise RuntimeError("Mesin remote xlwings butuh kunci lisensi: set XLWINGS_LICENSE_KEY="
                           "noncommercial (instansi pemerintah) sebelum menjalankan server.")
    if api_key is None:
        api_key = os.environ.get(API_KEY_ENV) or None
    return KinerjaServer((host, port), api_key, max_body, settings or load_settings())


def serve(host: str = "127.0.0.1", port: int = 8000, api_key: str | None = None,
          max_body: int = MAX_BODY, settings: Settings | None = None) -> None:
    """Serve until interrupted."""
    server = make_server(host, port, api_key, max_body, settings)
    try:
        server.serve_forever()
    finally:
        server.server_close()
