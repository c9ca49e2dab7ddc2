"""Screenshots of the published yearbook at 1366×768 with headless Chromium, to look at what readers see.

    .venv/bin/python scripts/screenshots.py [--site site] [--year 2022] [--out build/screenshots] [--tall]

Takes the index, one chapter (组织建设), the narrative and the glossary. Chromium is Debian's `chromium`
(/usr/bin/chromium). The machine may have no Chinese system font; the script then points fontconfig at the
chart font the project already depends on (Noto Sans SC), so the pages are shown as a reader's machine with a
Chinese font would show them — nothing is installed and nothing is loaded from the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = [
    ("index", ["index.html"]),
    ("chapter", ["03_organization.html", "03_organization/index.html"]),
    ("narrative", ["narrative.html"]),
    ("glossary", ["glossary.html"]),
]
WIDTH, HEIGHT = 1366, 768


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    raise SystemExit("没有找到 chromium：请先安装（apt-get install chromium）。")


def font_config(tmp: Path) -> Path | None:
    """A fontconfig file that adds the project's Noto Sans SC to the system fonts (None when not needed)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    if out.strip():
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from yearbook.content.style import font_path

    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_path().parent}</dir>\n"
        f"  <cachedir>{tmp / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n", encoding="utf-8")
    return conf


def shoot(chromium: str, url: str, out: Path, height: int, env: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="yb-chromium-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={WIDTH},{height}",
               "--virtual-time-budget=3000", f"--screenshot={out}", url]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, env=env)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, default=Path("site"))
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--out", type=Path, default=Path("build/screenshots"))
    p.add_argument("--tall", action="store_true", help="also take 1366×3000 shots of each page")
    p.add_argument("--page", action="append", default=[], help="extra page (path relative to the year folder)")
    args = p.parse_args(argv)

    if args.year is None:
        years = sorted(int(d.name) for d in args.site.iterdir() if d.is_dir() and d.name.isdigit())
        if not years:
            raise SystemExit(f"{args.site} 下没有已生成的年度。")
        args.year = years[-1]
    year_dir = (args.site / str(args.year)).resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    pages = PAGES + [(Path(extra).stem, [extra]) for extra in args.page]
    taken = []
    with tempfile.TemporaryDirectory(prefix="yb-shots-") as tmp:
        env = dict(os.environ)
        conf = font_config(Path(tmp))
        if conf is not None:
            env["FONTCONFIG_FILE"] = str(conf)
        for name, candidates in pages:
            page = next((year_dir / c for c in candidates if (year_dir / c).is_file()), None)
            if page is None:
                matches = sorted(year_dir.glob(f"*{Path(candidates[0]).stem}*.html"))
                page = matches[0] if matches else None
            if page is None:
                print(f"跳过 {name}：没有找到 {candidates[0]}")
                continue
            sizes = [("", HEIGHT)] + ([("-tall", 3000)] if args.tall else [])
            for suffix, height in sizes:
                out = (args.out / f"{args.year}-{name}{suffix}.png").resolve()
                shoot(chromium, page.as_uri(), out, height, env)
                taken.append(out)
                print(out)
    return 0 if taken else 1


if __name__ == "__main__":
    sys.exit(main())
