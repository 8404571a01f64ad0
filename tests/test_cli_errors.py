"""Every command, fed each bad input a user can give it, ends in an Indonesian message and exit 2.

The commands and their parameters are read from the typer app, so a new command or
option is covered as soon as it exists: a parameter whose role below is unknown fails
the test until someone says what kind of input it takes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.cli.errors import KinerjaGroup
from tests.conftest import BAIK, make_skp, nip
from tests.test_docs_cli import english_words

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ROOT = os.geteuid() == 0  # root reads a chmod 000 file; other unreadable cases stand in

# what each parameter takes; (command, parameter) first, then the parameter's name alone
ROLES = {("dokumen", "out"): "folder_out", ("addin build", "out"): "folder_out",
         ("demo", "folder"): "source"}
ROLE_BY_NAME = {
    "db": "db", "sources": "source", "files": "workbook", "file": "workbook",
    "units": "input_file", "out": "file_out", "rekap": "file_out",
    "what": "choice", "fmt": "choice", "jenis": "choice",
    "workers": "number", "lock_wait": "number", "port": "number", "max_mb": "number",
    "as_json": "flag", "describe": "flag", "nip": "text", "unit": "text", "host": "host",
    "interpreter_win": "text", "interpreter_mac": "text",
    "berkas": "workbook", "pengaturan": "input_file", "lite": "flag", "tahun": "number",
}


@dataclass
class Bad:
    label: str
    value: str
    expect: str  # a fragment the message must hold: it names what was wrong
    env: dict[str, str] | None = None


def roles(command: str, params) -> dict[str, str]:
    found = {}
    for p in params:
        role = ROLES.get((command, p.name)) or ROLE_BY_NAME.get(p.name)
        assert role, (f"`kinerja {command}`: parameter {p.name} has no role in "
                      "tests/test_cli_errors.py; add it so its bad inputs are tried")
        found[p.name] = role
    return found


def commands(group=None, prefix: str = ""):
    """(name, click command) of every leaf command of the app, sub-apps included."""
    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


@pytest.fixture
def immutable(tmp_path):
    """A file nobody may change, root included; None where chattr does not work."""
    path = tmp_path / "tetap.xlsx"
    path.write_bytes(b"lama")
    if not ROOT or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        yield None
        return
    yield path
    subprocess.run(["chattr", "-i", str(path)], check=True)  # or pytest cannot clean up
    assert path.read_bytes() == b"lama"


@pytest.fixture
def world(tmp_path, monkeypatch, immutable):
    """Good inputs to fill the other parameters, and the bad ones per role."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("KINERJA_DEBUG", raising=False)
    good = tmp_path / "baik"
    make_skp(good / "skp.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    empty = tmp_path / "kosong"
    empty.mkdir()
    text = tmp_path / "catatan.txt"
    text.write_text("bukan workbook\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    locked = tmp_path / "terkunci.xlsx"
    locked.write_bytes((good / "skp.xlsx").read_bytes())
    locked.chmod(0)
    blank_db = tmp_path / "kosong.db"
    blank_db.touch()
    dangling = tmp_path / "tautan.xlsx"
    dangling.symlink_to(tmp_path / "hilang" / "x.xlsx")
    unreadable = [] if ROOT else [Bad("chmod 000", str(locked), "izin")]
    # root writes through chmod; an immutable file (chattr +i) refuses even root
    unwritable = [Bad("immutable", str(immutable), "izin")] if immutable else []
    files = [Bad("missing", str(tmp_path / "hilang.xlsx"), "hilang.xlsx"),
             Bad("folder", str(folder), "adalah folder"),
             Bad("fifo", str(fifo), "bukan berkas biasa"), *unreadable]
    return {
        "good": {"db": f"sqlite:///{tmp_path / 'm.db'}", "source": str(empty),
                 "workbook": str(good / "skp.xlsx"), "choice": None, "nip": nip(1),
                 "folder": str(EXAMPLES)},
        "db": [Bad("server down", "postgresql+psycopg://127.0.0.1:1/x", "127.0.0.1 port 1"),
               Bad("unknown scheme", "foo://x", "'foo'"),
               Bad("no folder", "sqlite:////nonexistent/dir/m.db", "/nonexistent/dir"),
               Bad("text file", f"sqlite:///{text}", "bukan basis data SQLite"),
               Bad("folder", f"sqlite:///{folder}", "adalah folder"),
               Bad("read-only", f"sqlite:///file:{blank_db}?mode=ro&uri=true",
                   "hanya dapat dibaca")],
        "workbook": files,
        "input_file": files,
        "source": [Bad("missing", str(tmp_path / "hilang"), "hilang"),
                   Bad("fifo", str(fifo), "bukan berkas biasa"), *unreadable],
        "file_out": [Bad("no folder", str(tmp_path / "hilang" / "x.xlsx"), "tidak ada"),
                     Bad("folder", str(folder), "adalah folder"),
                     Bad("under a file", str(text / "x.xlsx"), "bukan folder"),
                     Bad("dangling link", str(dangling), "tautan"), *unwritable],
        "folder_out": [Bad("a file", str(text), "bukan folder"),
                       Bad("under a file", str(text / "sub"), "catatan.txt")],
        "choice": [Bad("unknown", "bogus", "pilih salah satu")],
        "number": [Bad("not a number", "abc", "tidak sah")],
        "host": [Bad("no such address", "256.1.1.1", "256.1.1.1",
                     env={"XLWINGS_LICENSE_KEY": "noncommercial"})],
        "flag": [], "text": [],
    }


def good_args(name: str, command, role_of: dict[str, str], world, skip: str) -> list[str]:
    """Arguments that make the command valid apart from the parameter under test."""
    args: list[str] = []
    for p in command.params:
        if p.name == skip:
            continue
        role = role_of[p.name]
        value = world["good"].get(p.name) or world["good"].get(role)
        if role == "choice":
            value = str(_first_choice(p))
        if p.param_type_name == "argument":
            if p.required or p.name == "nip":
                args.append(value)
        elif role == "db" or (role == "source" and p.name == "folder"):
            args += [p.opts[0], value]
    return args


def _first_choice(p):
    for holder in (getattr(p, "type_descriptor", None), getattr(p, "type", None)):
        if choices := getattr(holder, "choices", None):
            return getattr(choices[0], "value", choices[0])
    raise AssertionError(f"{p.name}: no choices")


def cases():
    """(command, parameter, role) for every parameter of every command."""
    for name, command in commands():
        role_of = roles(name, [p for p in command.params if p.name != "help"])
        for p in command.params:
            if p.name != "help":
                yield name, p.name, role_of[p.name]


def assert_indonesian_error(output: str, tmp_path: Path, expect: str) -> None:
    assert "Traceback" not in output and "Error:" not in output, output
    assert re.search(r"^(Gagal|Ditolak):", output, re.M), output
    assert expect in output, f"the message does not name the problem ({expect!r}):\n{output}"
    said = "\n".join(line for line in output.replace(str(tmp_path), "").splitlines()
                     if not line.startswith(("Rincian:", "Cara pakai:")))
    assert not english_words(said), f"English in the message: {said}"


@pytest.mark.parametrize(("name", "param", "role"), list(cases()))
def test_each_bad_input_is_an_indonesian_error(world, tmp_path, monkeypatch, name, param, role):
    command = dict(commands())[name]
    role_of = roles(name, [p for p in command.params if p.name != "help"])
    if not world[role]:
        pytest.skip(f"a {role} has no bad value")
    p = next(p for p in command.params if p.name == param)
    for bad in world[role]:
        for key, value in (bad.env or {}).items():
            monkeypatch.setenv(key, value)
        given = [bad.value] if p.param_type_name == "argument" else [p.opts[0], bad.value]
        args = [*name.split(), *given, *good_args(name, command, role_of, world, skip=param)]
        r = runner.invoke(app, args)
        assert r.exit_code == 2, f"kinerja {' '.join(args)} ({bad.label}): {r.output}"
        assert_indonesian_error(r.output, tmp_path, bad.expect)


@pytest.mark.parametrize("name", [name for name, _ in commands()])
def test_unknown_option_is_an_indonesian_error(name, tmp_path):
    r = runner.invoke(app, [*name.split(), "--tidak-ada"])
    assert r.exit_code == 2
    assert_indonesian_error(r.output, tmp_path, "Opsi tidak dikenal: --tidak-ada")


def test_recalc_of_a_non_workbook_is_refused_untouched(tmp_path):
    notes = tmp_path / "catatan.xlsx"
    notes.write_text("bukan workbook\n")
    r = runner.invoke(app, ["recalc", str(notes)])
    assert r.exit_code == 2 and "bukan workbook Excel" in r.output, r.output
    assert notes.read_text() == "bukan workbook\n"


# --- the real console script: no CliRunner between the user and the exception --------


def kinerja(*args: str, cwd: Path, env: dict[str, str] | None = None):
    script = Path(sys.executable).parent / "kinerja"
    return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "XDG_STATE_HOME": str(cwd / "state"),
                                            **(env or {})})


@pytest.mark.parametrize(("args", "expect"), [
    (["status", "--db", "postgresql+psycopg://127.0.0.1:1/x"], "127.0.0.1 port 1"),
    (["recalc", "catatan.txt"], "bukan workbook Excel"),
    (["validate", "hilang.xlsx"], "Berkas tidak ditemukan: hilang.xlsx"),
    (["export", "--db", "sqlite:///catatan.txt"], "bukan basis data SQLite"),
    (["sync", "--workers", "0", "."], "--workers"),
])
def test_console_script(tmp_path, args, expect):
    (tmp_path / "catatan.txt").write_text("bukan workbook\n")
    r = kinerja(*args, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert_indonesian_error(r.stdout + r.stderr, tmp_path, expect)


# --- what nobody foresaw --------------------------------------------------------------


def _broken_app() -> typer.Typer:
    """An app on kinerja's root group whose one command fails in a way nobody handles."""
    broken = typer.Typer(cls=KinerjaGroup)

    @broken.command()
    def pecah() -> None:
        {}["kunci"]  # noqa: B018  a KeyError from deep inside, as a bug would raise it

    @broken.command()
    def lain() -> None:
        pass

    return broken


def test_unexpected_error_is_logged_not_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("KINERJA_DEBUG", raising=False)
    r = runner.invoke(_broken_app(), ["pecah"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "Terjadi kesalahan tak terduga: KeyError" in r.output
    log = tmp_path / "state" / "kinerja" / "galat.log"
    assert str(log) in r.output
    assert "Traceback" in log.read_text() and "KeyError: 'kunci'" in log.read_text()


def test_kinerja_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("KINERJA_DEBUG", "1")
    r = runner.invoke(_broken_app(), ["pecah"])
    assert r.exit_code == 2 and "Traceback" in r.output and "tak terduga" in r.output
