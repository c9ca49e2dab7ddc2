"""One walk of RAW/<YEAR>: every entry of a year folder, what it is and what happens to it.

Discovery (which returns the audit reads), the digest of RAW (the build's cache keys, ``inputs_sha256``) and the
manifest's list of raw inputs all come from ``walk``, so what is read is exactly what is hashed and listed.

The walk is two levels deep and fixed: ``<YEAR>/<FORM>/<file>`` and ``<YEAR>/核实说明.csv``. A symbolic link is
followed (to a folder or a file, wherever it points: a form folder may live on a shared drive) and classified by
what it points to; as the depth is fixed, a link back to a parent cannot make the walk loop. Only regular files are
read, and only up to ``readers.MAX_FILE_BYTES``; everything else is reported:

- ``folder``: a form folder (its entries follow);
- ``return``: a .xlsx/.csv file of a form folder, read as a return of ``form``;
- ``acknowledgements``: ``核实说明.csv``;
- ``reported``: not read, one finding ``rule`` (Chinese ``detail`` says why);
- ``record``: the collection round's own records (``yearbook.collect``): ``收表登记.csv``, the receipt log, and
  the files of ``.history/<FORM>/``, the replaced versions of returns; and ``yearbook.yml``, the year's district
  name and publisher (``content.apparatus``). Not read as returns, not reported, but hashed: the submission board
  and the feedback (what a resubmission corrected) are made from them;
- ``ignored``: files the operating system or Excel leave behind (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``,
  ``._*``, ``~$*`` lock files of an open workbook): not read, not reported, not hashed.

A form folder whose name differs from a form code only by case, width or spaces (``dj08``, ``DJ06 ``, ``ＤＪ０８``)
is read as that form and reported (G-W03 "疑为 DJ08"), unless a folder of the exact name exists too.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from yearbook.ingest.readers import MAX_FILE_BYTES, UnreadableFile, open_regular
from yearbook.reporting.forms import FORMS

ACKNOWLEDGEMENTS = "核实说明.csv"
HISTORY = ".history"  # <YEAR>/.history/<FORM>/: every replaced return, kept by `yearbook receive`
RECEIPTS = "收表登记.csv"  # <YEAR>/收表登记.csv: the receipt log of `yearbook receive`
SETTINGS = "yearbook.yml"  # <YEAR>/yearbook.yml: the year's district name and publisher (content.apparatus)
RETURN_SUFFIXES = (".xlsx", ".csv")
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}

RETURN = "return"
FOLDER = "folder"
ACK = "acknowledgements"
REPORTED = "reported"
IGNORED = "ignored"
RECORD = "record"


@dataclass(frozen=True)
class Entry:
    rel: str  # POSIX path under RAW/<YEAR> as written ("DJ06/红旗镇.xlsx", "dj08/新华街道.csv", "DJ06.zip")
    path: Path  # the path to open
    action: str  # RETURN, ACK, REPORTED, RECORD or IGNORED
    form: str | None = None  # RETURN: the form it is read as; REPORTED: the form it belongs to or probably means
    rule: str | None = None  # REPORTED: the finding's rule id
    detail: str = ""  # REPORTED: why, in Chinese

    @property
    def name(self) -> str:
        return self.rel.rstrip("/").rsplit("/", 1)[-1]

    @property
    def read(self) -> bool:
        return self.action in (RETURN, ACK)


def is_junk(name: str) -> bool:
    """Files left by the operating system or an open Excel workbook: neither read nor reported."""
    return name.lower() in _JUNK_NAMES or name.startswith(("~$", "._"))


def loose(name: str) -> str:
    """A name compared loosely: NFKC (full width → ASCII), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", name).split()).upper()


def near_form(name: str) -> str | None:
    """The form code a name probably means (``dj08``, ``DJ06 ``, ``DJ06.zip`` → DJ08/DJ06), else None."""
    key = loose(name)
    for candidate in (key, key.rsplit(".", 1)[0]):
        if candidate in FORMS:
            return candidate
    return None


def kind_of(path: Path) -> str:
    """What a path is once links are followed: file, dir, fifo, socket, device, dangling, loop or other."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else "dangling" if os.path.islink(path) else "unreadable"
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "other"


KIND_NAMES = {"fifo": "命名管道", "socket": "套接字", "device": "设备文件", "other": "特殊文件",
              "dangling": "链接指向的位置不存在", "loop": "链接循环", "unreadable": "无法访问"}


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def walk(raw_year: Path) -> list[Entry]:
    """Every entry of RAW/<YEAR>, in order of names (Unicode code points); [] when the folder does not exist."""
    raw_year = Path(raw_year)
    if not raw_year.is_dir():
        return []
    names = _listing(raw_year)
    kinds = {name: kind_of(raw_year / name) for name in names}
    exact = {name for name in names if name in FORMS and kinds[name] == "dir"}
    taken = set(exact)
    entries: list[Entry] = []
    for name in names:
        path, kind = raw_year / name, kinds[name]
        if is_junk(name):
            entries.append(Entry(name, path, IGNORED))
            continue
        if (name, kind) in ((RECEIPTS, "file"), (SETTINGS, "file"), (HISTORY, "dir")):
            entries.extend(_records(raw_year, name))
            continue
        if name == ACKNOWLEDGEMENTS and kind == "file":
            entries.append(Entry(name, path, ACK))
            continue
        guess = near_form(name)
        if kind == "dir" and name in exact:
            entries.append(Entry(name + "/", path, FOLDER, name))
            entries.extend(_form_folder(raw_year, name, name))
            continue
        if kind == "dir" and guess is not None and not name.startswith("."):
            if guess in taken:
                entries.append(Entry(name + "/", path, REPORTED, guess, "G-W03",
                                     f"文件夹名疑为 {guess}，但已有 {guess} 文件夹，本文件夹未读取"))
                continue
            taken.add(guess)
            entries.append(Entry(name + "/", path, REPORTED, guess, "G-W03",
                                 f"文件夹名疑为 {guess}（表号应为大写、无空格），已按 {guess} 读取，请改正文件夹名"))
            entries.append(Entry(name + "/", path, FOLDER, guess))
            entries.extend(_form_folder(raw_year, name, guess))
            continue
        entries.append(Entry(name + ("/" if kind == "dir" else ""), path, REPORTED, guess, "G-W03",
                             _top_level_detail(name, kind, guess)))
    return entries


def _records(raw_year: Path, name: str) -> list[Entry]:
    """收表登记.csv, or the regular files of .history/<FORM>/ (anything else there is not the project's: skipped)."""
    if name in (RECEIPTS, SETTINGS):
        return [Entry(name, raw_year / name, RECORD)]
    out = []
    for folder in _listing(raw_year / name):
        if kind_of(raw_year / name / folder) != "dir":
            continue
        out += [Entry(f"{name}/{folder}/{f}", raw_year / name / folder / f, RECORD)
                for f in _listing(raw_year / name / folder) if kind_of(raw_year / name / folder / f) == "file"]
    return out


def _top_level_detail(name: str, kind: str, guess: str | None) -> str:
    if name.startswith("."):
        return "隐藏文件或文件夹，未读取"
    if kind in KIND_NAMES:
        return f"不是普通文件或文件夹（{KIND_NAMES[kind]}），未读取"
    if kind == "dir":
        if loose(name).startswith("DJ"):
            return "报表制度中没有此表号，未读取"
        return "不是表号文件夹，未读取"
    if guess is not None:
        return f"疑为 {guess} 的报表，报表应放在 {guess} 文件夹中（压缩包请先解压），未读取"
    if loose(name) != loose(ACKNOWLEDGEMENTS) and loose(name).startswith(loose(ACKNOWLEDGEMENTS)[:4]):
        return f"疑为 {ACKNOWLEDGEMENTS}（文件名应恰为“{ACKNOWLEDGEMENTS}”），未读取"
    return "报表应放在表号文件夹中（如 DJ06/单位名称.xlsx），未读取"


def _form_folder(raw_year: Path, folder: str, form: str) -> list[Entry]:
    entries = []
    for name in _listing(raw_year / folder):
        path, rel = raw_year / folder / name, f"{folder}/{name}"
        if is_junk(name):
            entries.append(Entry(rel, path, IGNORED, form))
            continue
        kind = kind_of(path)
        is_return = Path(name).suffix.lower() in RETURN_SUFFIXES
        if name.startswith("."):
            entries.append(Entry(rel, path, REPORTED, form, "G-W03", "隐藏文件，未读取"))
        elif kind == "dir":
            entries.append(Entry(rel + "/", path, REPORTED, form, "G-W03", "表号文件夹中的子文件夹不读取"))
        elif is_return and kind == "file":
            size = os.stat(path).st_size
            if size > MAX_FILE_BYTES:
                entries.append(Entry(rel, path, REPORTED, form, "G-E08",
                                     f"文件“{name}”无法读取：文件大小 {size / 2**20:.0f} MB，超过上限 "
                                     f"{MAX_FILE_BYTES // 2**20} MB"))
            else:
                entries.append(Entry(rel, path, RETURN, form))
        elif is_return:
            entries.append(Entry(rel, path, REPORTED, form, "G-E08",
                                 f"文件“{name}”无法读取：不是普通文件（{KIND_NAMES[kind]}）"))
        elif kind == "file":
            entries.append(Entry(rel, path, REPORTED, form, "G-W02"))
        else:
            entries.append(Entry(rel, path, REPORTED, form, "G-W03",
                                 f"不是普通文件（{KIND_NAMES[kind]}），未读取"))
    return entries


def file_sha256(path: Path) -> str:
    """sha256 of a regular file within the size limit, read through the same guard as the reader."""
    h = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except UnreadableFile as exc:
        return f"unreadable:{exc.message}"
    return h.hexdigest()


def digest(entries: list[Entry]) -> dict[str, str]:
    """{relative path: sha256} of what is read, {relative path: "reported:<rule>"} of what is reported.

    Reported entries are part of the digest because they are findings: a file appearing beside the returns
    changes validation.csv; records because the board and the feedback are made from them. Ignored entries are
    not.
    """
    out = {}
    for e in entries:
        if e.read or e.action == RECORD:
            out[e.rel] = file_sha256(e.path)
        elif e.action == REPORTED:
            out[e.rel] = f"reported:{e.rule}"
    return dict(sorted(out.items()))


def tree(raw_year: Path) -> dict[str, str]:
    """The digest of RAW/<YEAR> (the build's keys and the manifest's inputs)."""
    return digest(walk(raw_year))
