"""Publishing a year: build beside the published folder, then swap it in with one rename; the manifest.

The new `<SITE>/<YEAR>` is assembled in `<SITE>/.staging-<YEAR>-<pid>-<random>/<YEAR>` (unique per build, same
file system, so a rename is atomic; see `locks`). When every step succeeded it is exchanged with the published
folder in one `renameat2(RENAME_EXCHANGE)` (Linux), so there is no moment without a yearbook; elsewhere two renames.
A failed or interrupted build removes its staging folder (a killed one leaves it to the next build, which removes
it); the published year is never touched before the swap. The processed layer is replaced the same way
(`processed.replace_layer`). The build runs with umask 077 (PROCESSED and build/ hold personal data); what is
published is made readable by all (`make_readable`) before it is swapped in.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from yearbook.pipeline import locks
from yearbook.pipeline.digest import tree
from yearbook.pipeline.layout import repo_root

MANIFEST = "manifest.json"
MAIN_PACKAGES = ("pandas", "numpy", "pyarrow", "matplotlib", "papermill", "nbclient", "nbconvert", "nbformat",
                 "ipykernel", "jinja2", "openpyxl", "python-calamine", "xlsxwriter", "pylopdf-fonts-zh-cn")


def fresh_staging(site: Path, year: int) -> Path:
    """A staging root of this build (the writers write `<root>/<YEAR>/…`), with `<YEAR>` created."""
    root = locks.staging(site, year)
    (root / str(year)).mkdir()
    return root


def discard(root: Path | None) -> None:
    locks.discard(root)


def make_readable(path: Path) -> None:
    """Folders 0755 and files 0644 under `path` (itself included): the published site is for every reader."""
    path = Path(path)
    os.chmod(path, 0o755 if path.is_dir() else 0o644)
    for folder, dirs, files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def site_root(site: Path) -> Path:
    """`<SITE>`, created readable by all when missing (the build's umask would make it private)."""
    site = Path(site)
    if not site.is_dir():
        site.mkdir(parents=True, exist_ok=True)
        os.chmod(site, 0o755)
    return site


def swap_in(new: Path, target: Path) -> None:
    """Make `new` the published `target`; the old published folder is removed afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now holds the previous yearbook
        return
    old = target.with_name(f".old-{target.name}")
    discard(old)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


# ------------------------------------------------------------------------------------------------------------
# Manifest
# ------------------------------------------------------------------------------------------------------------

def code_revision() -> str:
    """The git revision of the checkout the package runs from, else the package version.

    Deterministic for a given checkout: two clean builds from the same commit record the same revision.
    """
    import yearbook

    root = repo_root()
    if (root / ".git").exists():
        try:
            out = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty", "--abbrev=40"],
                                 capture_output=True, text=True, timeout=10, check=True).stdout.strip()
            if out:
                return f"git {out}"
        except (OSError, subprocess.SubprocessError):
            pass
    return f"yearbook {yearbook.__version__}"


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in MAIN_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def matches_manifest(year_dir: Path, files: dict[str, str]) -> bool:
    """Whether a published year's files (`files`: its tree) are exactly the outputs its manifest lists."""
    try:
        recorded = json.loads((Path(year_dir) / MANIFEST).read_text(encoding="utf-8")).get("outputs")
    except (OSError, ValueError, AttributeError):
        return False
    return recorded == {k: v for k, v in files.items() if k != MANIFEST}


def write_manifest(year_dir: Path, *, year: int, inputs: dict[str, str], draft: dict | None,
                   code_sha256: str) -> dict:
    """manifest.json: sha256 of every raw input and every output, the code's revision, package versions."""
    outputs = {k: v for k, v in tree(year_dir).items() if k != MANIFEST}
    manifest = {
        "year": year,
        "draft": bool(draft),
        "rows_left_out": (draft or {}).get("rows_left_out", 0),
        "code": {"revision": code_revision(), "sha256": code_sha256},
        "packages": package_versions(),
        "inputs": dict(sorted(inputs.items())),
        "outputs": outputs,
    }
    (year_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
    return manifest
