"""A throwaway PostgreSQL server for tests: initdb in a temp dir, start on a free port.

Runs the server as an unprivileged user when the tests run as root (initdb
refuses root). Binaries come from /usr/lib/postgresql/*/bin or the PATH.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, newest version first; None when absent."""
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
                    reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runas() -> tuple[list[str], int | None, int | None]:
    """The command prefix, uid and gid to run PostgreSQL as (root cannot)."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], pw.pw_uid, pw.pw_gid
    raise RuntimeError("no unprivileged user to run PostgreSQL as")


class PgServer:
    """A running server; ``url(db)`` gives a SQLAlchemy URL, ``stop()`` ends it."""

    def __init__(self) -> None:
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL binaries not found")
        self.bindir = bindir
        self.tmp = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
        self.data = self.tmp / "data"
        self.sock = self.tmp / "sock"
        self.sock.mkdir()
        self.port = _free_port()
        self.prefix, uid, gid = _runas()
        if uid is not None:
            os.chmod(self.tmp, 0o755)
            for p in (self.tmp, self.sock):
                os.chown(p, uid, gid)
        self.user = "kinerja"
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l",
                  str(self.tmp / "log"), "-o",
                  f"-p {self.port} -k {self.sock} -c listen_addresses='' -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off", "start")
        self.running = True

    def _run(self, tool: str, *args: str) -> None:
        cmd = [*self.prefix, str(self.bindir / tool), *args]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=self.tmp)
        if out.returncode != 0:
            raise RuntimeError(f"{tool} failed: {out.stdout}\n{out.stderr}")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@/{db}?host={self.sock}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host=str(self.sock), port=self.port, user=self.user,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False
        time.sleep(0.05)
        shutil.rmtree(self.tmp, ignore_errors=True)
