"""Screenshots of the published yearbook with headless Chromium, to look at what readers see.

    .venv/bin/python scripts/screenshots.py [--site site] [--year 2022] [--out build/screenshots] [--tall]
                                            [--no-fonts] [--size 1366x768 --size 390x844] [--pdf]

Takes every page of the year (index.html and every other page in the folder) at 1366×768 (desktop) and 390×844
(phone): <out>/<year>-<page>-<width>.png. Chromium is Debian's `chromium` (/usr/bin/chromium). The machine may have
no Chinese system font; the script then points fontconfig at the chart font the project already depends on (Noto
Sans SC), so the pages are shown as a reader's machine with a Chinese font would show them. `--no-fonts` does the
opposite: fontconfig gets Latin fonts only (DejaVu, Liberation: Chromium needs one), so what shows Chinese is the site's own web font
(assets/yb-sans.woff2) — the proof that a reader without Chinese fonts sees the same pages. `--pdf` also prints
each page to <out>/<year>-<page>.pdf (A4, the site's print stylesheet). Nothing is installed, nothing is loaded
from the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = ((1366, 768), (390, 844))


def year_pages(year_dir: Path) -> list[Path]:
    """index.html first, then every other page of the year folder in name order."""
    pages = sorted(p for p in year_dir.glob("*.html") if p.name != "index.html")
    return ([year_dir / "index.html"] if (year_dir / "index.html").is_file() else []) + pages


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


def no_fonts_config(tmp: Path) -> Path:
    """A fontconfig file with Latin fonts only (Chromium aborts with none at all): no system font can draw
    Chinese, so only the site's web font can."""
    latin = [d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
             if Path(d).is_dir()]
    conf = tmp / "no-fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    + "".join(f"  <dir>{d}</dir>\n" for d in latin)
                    + f"  <cachedir>{tmp / 'fc-cache-latin'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return conf


def shoot(chromium: str, url: str, out: Path, size: tuple[int, int], env: dict, pdf: bool = False) -> None:
    width, height = size
    with tempfile.TemporaryDirectory(prefix="yb-chromium-") as profile:
        action = [f"--print-to-pdf={out}", "--no-pdf-header-footer"] if pdf else [f"--screenshot={out}"]
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
               "--virtual-time-budget=3000", *action, url]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, env=env)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, default=Path("site"))
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--out", type=Path, default=Path("build/screenshots"))
    p.add_argument("--tall", action="store_true", help="also take 3000 px tall shots of each page")
    p.add_argument("--page", action="append", default=[], help="only these pages (paths relative to the year folder)")
    p.add_argument("--size", action="append", default=[], help="WIDTHxHEIGHT (default 1366x768 and 390x844)")
    p.add_argument("--no-fonts", action="store_true", help="hide every system font: only the web font draws")
    p.add_argument("--pdf", action="store_true", help="also print each page to PDF (A4)")
    args = p.parse_args(argv)

    if args.year is None:
        years = sorted(int(d.name) for d in args.site.iterdir() if d.is_dir() and d.name.isdigit())
        if not years:
            raise SystemExit(f"{args.site} 下没有已生成的年度。")
        args.year = years[-1]
    year_dir = (args.site / str(args.year)).resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    pages = [year_dir / extra for extra in args.page] or year_pages(year_dir)
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in args.size] or list(SIZES)
    suffix = "-nofonts" if args.no_fonts else ""
    taken = []
    with tempfile.TemporaryDirectory(prefix="yb-shots-") as tmp:
        env = dict(os.environ)
        conf = no_fonts_config(Path(tmp)) if args.no_fonts else font_config(Path(tmp))
        if conf is not None:
            env["FONTCONFIG_FILE"] = str(conf)
        for page in pages:
            if not page.is_file():
                print(f"跳过：没有找到 {page}")
                continue
            for width, height in sizes:
                for tall, h in [("", height)] + ([("-tall", 3000)] if args.tall else []):
                    out = (args.out / f"{args.year}-{page.stem}-{width}{tall}{suffix}.png").resolve()
                    shoot(chromium, page.as_uri(), out, (width, h), env)
                    taken.append(out)
                    print(out)
            if args.pdf:
                out = (args.out / f"{args.year}-{page.stem}{suffix}.pdf").resolve()
                shoot(chromium, page.as_uri(), out, SIZES[0], env, pdf=True)
                taken.append(out)
                print(out)
    return 0 if taken else 1


if __name__ == "__main__":
    sys.exit(main())
