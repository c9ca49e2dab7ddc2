"""What one build of a year owns while it runs: its locks, its staging folders, its kernels' connection files.

- **Locks belong to what is written.** A build of YEAR holds `flock`s on `<PROCESSED>/.lock-<YEAR>`,
  `<SITE>/.lock-<YEAR>` and `<build>/<YEAR>/.lock`, taken in that order (the same order in every build, so two
  builds never wait for each other in a circle), whatever folder it was started from. A second build of the same
  year into the same SITE or PROCESSED waits for the first, saying so in one line.
- **Staging folders are unique per build**: `<ROOT>/.staging-<YEAR>-<pid>-<random>`, beside what they replace
  (same file system: the swap is one rename), never published (hidden, and skipped by every walk).
- **Leftovers of a killed build** are removed by the next one: staging folders whose build (the pid in the name)
  is dead, and kernel connection files `<build>/<YEAR>/runtime/kernel-<pid>-<id>.json` of a dead build, with the
  kernel processes still running on them.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

_STAGING = re.compile(r"\.staging-(\d{4})-(\d+)-[^/]+")
_CONNECTION = re.compile(r"(?:kernel-(\d+)-[0-9a-f]+\.json|k(\d+)-[0-9a-f]+-\d)")  # a connection file, a socket


def lock_file(root: Path, year: int) -> Path:
    return Path(root) / f".lock-{year}"


@contextmanager
def hold(paths: list[Path], on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Exclusive flocks on `paths`, in the order given (the same file once); `on_wait` is called once if any of
    them is held by another process, before waiting for it."""
    seen: set[str] = set()
    with ExitStack() as stack:
        told = False
        for path in paths:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            key = os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
            f = stack.enter_context(open(path, "a"))  # noqa: SIM115 - closed (and unlocked) by the stack
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None and not told:
                    on_wait()
                    told = True
                fcntl.flock(f, fcntl.LOCK_EX)
        yield


def staging(root: Path, year: int) -> Path:
    """A new, empty, private staging folder beside `<root>/<year>`."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".staging-{year}-{os.getpid()}-", dir=root))


def discard(path: Path | None) -> None:
    if path is not None and path.exists():
        shutil.rmtree(path, ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # not Linux: kill(pid, 0) said it exists


def remove_stale_staging(root: Path, year: int) -> list[Path]:
    """Staging folders under `root` of builds that died (their pid is not alive), and the fixed-name folders of
    earlier versions for `year` (`.staging-<YEAR>`, `.old-<YEAR>`: the caller holds that year's lock)."""
    removed = []
    try:
        entries = list(Path(root).iterdir())
    except OSError:
        return removed
    for path in entries:
        m = _STAGING.fullmatch(path.name)
        stale = (m is not None and int(m.group(2)) != os.getpid() and not alive(int(m.group(2)))) or \
            path.name in (f".staging-{year}", f".old-{year}")
        if stale and path.is_dir() and not path.is_symlink():
            discard(path)
            removed.append(path)
    return removed


# ------------------------------------------------------------------------------------------------------------
# Kernel connection files
# ------------------------------------------------------------------------------------------------------------

def connection_file(runtime: Path, ident: str) -> Path:
    """Where a kernel started by this process writes its connection file (the pid names its build)."""
    return Path(runtime) / f"kernel-{os.getpid()}-{ident}.json"


def socket_prefix(runtime: Path, ident: str) -> Path:
    """The path prefix of a kernel's Unix sockets (`<prefix>-<n>`, n = 1 … 5): short, as a socket's path must be."""
    return Path(runtime) / f"k{os.getpid()}-{ident}"


def remove_stale_kernels(runtime: Path) -> list[Path]:
    """Connection files of builds that died, and the kernels still running on them (killed)."""
    try:
        stale = [p for p in Path(runtime).iterdir()
                 if (m := _CONNECTION.fullmatch(p.name)) and int(m.group(1) or m.group(2)) != os.getpid()
                 and not alive(int(m.group(1) or m.group(2)))]
    except OSError:
        return []
    if stale:
        kill_kernels([str(p) for p in stale if p.suffix == ".json"])
        for path in stale:
            path.unlink(missing_ok=True)
    return stale


def kill_kernels(connection_files: list[str]) -> list[int]:
    """SIGKILL the processes whose command line names one of these connection files (`-f <file>`)."""
    if not connection_files:
        return []
    wanted = [os.fsencode(f) for f in connection_files]
    killed = []
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:  # not Linux
        return killed
    for entry in entries:
        pid = int(entry)
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if any(w in args for w in wanted):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
    return killed
