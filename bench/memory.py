"""Peak memory of a process tree without psutil: sample /proc, and getrusage.

``ru_maxrss`` of RUSAGE_CHILDREN is the largest single descendant, not the
sum of workers alive at once, so a sampler thread adds up the RSS of this
process and all its descendants every few milliseconds and keeps the peak.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            out += [int(x) for x in text.split()]
    except OSError:
        pass
    return out


def tree_rss_kb(pid: int | None = None) -> int:
    pid = pid or os.getpid()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total


class PeakSampler:
    """``with PeakSampler() as s: ...``; then ``s.peak_mb`` (process tree, sampled): of
    this process, or of ``pid`` (sampled from outside: the thread then takes no time from
    the measured process's own threads)."""

    def __init__(self, interval: float = 0.02, pid: int | None = None):
        self.interval = interval
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        if self.pid is None:
            self.peak_kb = max(self.peak_kb, tree_rss_kb())

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def maxrss_mb() -> tuple[float, float]:
    """(this process, largest child) peak RSS in MB, from getrusage."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its reaped children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# Started by a small Python process, not by the benchmark itself: a child forked from a
# large parent carries the parent's resident pages until it execs, and ru_maxrss keeps that
# peak (kinerja recalc read 319 MB that way, 176 MB measured on its own).
_LAUNCH = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"wall": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "exit": os.waitstatus_to_exitcode(status)}))
"""


def run_measured(cmd: list[str]) -> dict:
    """Run a command; its wall time, its own peak memory (max RSS, MB) and exit code."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _LAUNCH, *cmd], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)
