"""The HTTP endpoint, with real HTTP requests on a loopback port and real workbooks."""

from __future__ import annotations

import os

# The remote engine needs the key before xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import json
import threading
import urllib.error
import urllib.request

import openpyxl
import pytest

from addin.server import check_payload, make_server
from tests.test_addin_engine import HEADER, data_xlsx, stand_in  # noqa: F401  (fixtures)
from tests.xlwings_harness import apply_actions, payload_from_xlsx


@pytest.fixture
def serve():
    """Start a server on a free loopback port; yields its base URL maker."""
    servers = []

    def start(**kwargs) -> str:
        server = make_server("127.0.0.1", 0, **kwargs)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def post(url: str, body: bytes | dict, headers: dict | None = None,
         content_type: str = "application/json") -> tuple[int, str]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_hitung_ulang_over_http(stand_in, data_xlsx, serve, tmp_path):  # noqa: F811
    base = serve(api_key="")
    status, body = post(base + "/hitung-ulang", payload_from_xlsx(data_xlsx))
    assert status == 200
    actions = json.loads(body)["actions"]
    out = apply_actions(data_xlsx, actions, tmp_path / "hasil.xlsx")
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["Data"]["D"]] == [HEADER[3], 90, None, 125, None]
    assert wb["Validasi"]["C2"].hyperlink.location == "'Data'!B3"
    assert actions[-1]["func"] == "alert"


def test_periksa_over_http(stand_in, data_xlsx, serve, tmp_path):  # noqa: F811
    status, body = post(serve(api_key="") + "/periksa/", payload_from_xlsx(data_xlsx))
    assert status == 200
    out = apply_actions(data_xlsx, json.loads(body)["actions"], tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["Data"]["D"]] == [HEADER[3], None, None, None, None]
    assert wb["Validasi"].max_row == 3


def test_api_key(stand_in, data_xlsx, serve, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KINERJA_API_KEY", "rahasia-kantor")
    base = serve()
    payload = payload_from_xlsx(data_xlsx)
    assert post(base + "/periksa", payload)[0] == 401
    status, text = post(base + "/periksa", payload, {"Authorization": "salah"})
    assert status == 401 and "Kunci API" in text
    assert post(base + "/periksa", payload, {"Authorization": "rahasia-kantor"})[0] == 200
    assert post(base + "/periksa", payload, {"Authorization": "Bearer rahasia-kantor"})[0] == 200


@pytest.mark.parametrize("body, content_type, message", [
    (b"bukan json", "application/json", "bukan JSON"),
    (b"\xff\xfe", "application/json", "bukan JSON"),
    (b'{"version": "0.37.8"}', "text/plain", "harus JSON"),
    (b"[1, 2]", "application/json", "objek JSON"),
    (b'{"version": "0.37.8", "book": {"name": "x.xlsx", "active_sheet_index": 0}}',
     "application/json", "'sheets'"),
    (b'{"version": "0.37.8", "book": {"name": "x.xlsx", "active_sheet_index": 3},'
     b' "sheets": [{"name": "A", "values": [[1]]}]}', "application/json", "di luar"),
    (b'{"version": "0.0.1", "book": {"name": "x.xlsx", "active_sheet_index": 0},'
     b' "sheets": [{"name": "A", "values": [[1]]}]}', "application/json", "versi xlwings"),
])
def test_rejects_what_is_not_a_payload(serve, body, content_type, message):
    status, text = post(serve(api_key="") + "/hitung-ulang", body, content_type=content_type)
    assert status == 400 and text.startswith("Permintaan ditolak") and message in text


def test_body_size_is_bounded(data_xlsx, serve):  # noqa: F811
    payload = payload_from_xlsx(data_xlsx)
    payload["sheets"][0]["values"].append(["x" * 5000])
    status, text = post(serve(api_key="", max_body=4096) + "/hitung-ulang", payload)
    assert status == 413 and "terlalu besar" in text


def test_unknown_path_and_get(serve):
    base = serve(api_key="")
    assert post(base + "/hapus", {})[0] == 404
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base + "/hitung-ulang", timeout=10)
    assert err.value.code == 405


def test_entry_error_is_500_without_details(stand_in, data_xlsx, serve):  # noqa: F811
    def broken(sheets, file):
        raise RuntimeError("/rahasia/path")

    stand_in.recalc_sheets = broken
    status, text = post(serve(api_key="") + "/hitung-ulang", payload_from_xlsx(data_xlsx))
    assert status == 500 and "kesalahan di server" in text and "rahasia" not in text


def test_check_payload_defaults_optional_parts():
    p = check_payload({"version": "1", "book": {"name": "a.xlsx", "active_sheet_index": 0},
                       "sheets": [{"name": "A", "values": [[]]}]})
    assert p["names"] == [] and p["client"] == "VBA" and p["sheets"][0]["tables"] == []


@pytest.mark.parametrize("body, message", [
    (b"[" * 200_000 + b"]" * 200_000, "bersarang"),
    (b'{"version": "0.37.8", "book": {"name": "x.xlsx", "active_sheet_index": 0},'
     b' "sheets": [{"name": "A", "values": [[1, ' + b"[" * 100_000 + b"]" * 100_000
     + b"]]}]}", "bersarang"),
    (b'{"version": "0.37.8", "book": {"name": "x.xlsx", "active_sheet_index": 0},'
     b' "sheets": [{"name": "A", "values": [[1, {"a": [2]}]]}]}', "setiap sel"),
    (b'{"version": "0.37.8", "book": {"name": "x.xlsx", "active_sheet_index": 0},'
     b' "sheets": [{"name": "A", "values": [[' + b",".join([b"0"] * 2_500_000) + b"]]}]}",
     "terlalu banyak sel"),
])
def test_json_bombs_within_the_size_limit_are_refused_quickly(serve, body, message):
    """Deep nesting and huge arrays under the 20 MB limit: a clear 400, in well under a
    second or two, and the server still answers afterwards."""
    import time

    base = serve(api_key="")
    t0 = time.monotonic()
    status, text = post(base + "/hitung-ulang", body)
    assert status == 400 and message in text, text
    assert time.monotonic() - t0 < 3
    assert post(base + "/hapus", {})[0] == 404  # still serving
