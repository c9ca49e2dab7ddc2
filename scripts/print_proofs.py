"""Proofs of the printed files, to look at: PDF pages as PNG contact sheets, the Word files through LibreOffice.

    .venv/bin/python scripts/print_proofs.py [site/2022] [/tmp/yearbook-proofs]

Needs Debian's poppler-utils (pdftoppm) and libreoffice-writer (soffice). LibreOffice is given a fontconfig file
that adds the project's Noto fonts (pylopdf-fonts-zh-cn), so a machine without Chinese system fonts still shows
the text (the 公文 fonts themselves, 仿宋_GB2312 …, are those of an office PC; here they fall back to Noto).
Writes <OUT>/book-NN.png (six pages a sheet), <OUT>/summary.pdf, <OUT>/tables.pdf and their first pages as PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def contact_sheets(pdf: Path, out: Path, stem: str, dpi: int = 50, per_sheet: int = 6) -> list[Path]:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p"], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"))
        sheets = []
        for i in range(0, len(pages), per_sheet):
            images = [Image.open(p) for p in pages[i:i + per_sheet]]
            w, h = images[0].size
            sheet = Image.new("RGB", (w * per_sheet, h), "white")
            for k, im in enumerate(images):
                sheet.paste(im, (k * w, 0))
            target = out / f"{stem}-{i // per_sheet + 1:02d}.png"
            sheet.save(target)
            sheets.append(target)
        return sheets


def libreoffice_pdf(docx: Path, out: Path) -> Path:
    import pylopdf_fonts_zh_cn

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice 未安装（apt-get install libreoffice-writer）")
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                        f'<dir>{Path(pylopdf_fonts_zh_cn.sans_path()).parent}</dir>'
                        f'<cachedir>{tmp}/cache</cachedir></fontconfig>', encoding="utf-8")
        env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": tmp}
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", str(out), str(docx)], check=True, env=env, capture_output=True)
    return out / f"{docx.stem}.pdf"


def main(argv: list[str]) -> int:
    year_dir = Path(argv[0]) if argv else Path("site/2022")
    out = Path(argv[1]) if len(argv) > 1 else Path("/tmp/yearbook-proofs")
    out.mkdir(parents=True, exist_ok=True)
    year = year_dir.name
    written = contact_sheets(year_dir / f"yearbook-{year}.pdf", out, "book")
    for name in ("summary", "tables"):
        pdf = libreoffice_pdf(year_dir / f"{name}-{year}.docx", out)
        written += contact_sheets(pdf, out, name, dpi=60, per_sheet=2)[:2]
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
