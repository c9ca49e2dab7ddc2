"""The yearbook's apparatus: who publishes it and for which district (the imprint), and the 编辑说明 page.

    imprint(cfg) -> Imprint(district="青禾区", publisher="中共青禾区委组织部", origin="yearbook.yml")
    Imprint().title -> "区委党建统计年鉴"; imprint(cfg).title -> "青禾区委党建统计年鉴"
    notes_html(cfg, imprint) -> the body of 编辑说明 (scope, 统计时点, sources, symbols, rounding, 以本年鉴为准)

The district's name comes from a small configuration file, else from the data:

1. ``RAW/<YEAR>/yearbook.yml``, else ``RAW/yearbook.yml`` — ``district: 某某区`` and ``publisher: 中共某某区委组织部``
   (both optional; UTF-8 YAML). A year's own file wins, key by key.
2. The 区委 row of the year's processed DJ00 (单位类别 区委): its 单位名称, else one of its 别名, read as
   中共某某区委员会 / 中共某某区委 / 某某区委 → 某某区 (县, 市, 旗 likewise).
3. Neither: no district (the title stays the book's title, 区委党建统计年鉴).

The publisher (编印单位) defaults to 中共<district>委组织部; without a district, to the owner of DJ00 (区委组织部,
reporting.forms). `Imprint` is the one record of the imprint: the site's chrome, 编辑说明, the printed book's cover
and running head and the Word files' titles all take it; `Imprint()` (no district) is the default of each.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from yearbook.config import Config

CONFIG_FILE = "yearbook.yml"  # = rawtree.SETTINGS (a year's own file is hashed by the walk, never reported)
INTERNAL = "内部资料　注意保存"
_PARTY = re.compile(r"^(?:中国共产党|中共)")
_COMMITTEE = re.compile(r"^(.+?[区县市旗])(?:委员会|委)$")


def unnamed_publisher() -> str:
    """The publisher when no district is known: the owner of DJ00 (单位名录, kept by the organisation department)."""
    from yearbook.reporting.forms import FORMS

    return FORMS["DJ00"].owner


@dataclass(frozen=True)
class Imprint:
    district: str = ""  # 某某区, "" when unknown
    publisher: str = field(default_factory=unnamed_publisher)  # 编印单位
    origin: str = ""  # where the district's name came from: the config file's path under RAW, "DJ00" or ""

    @property
    def title(self) -> str:
        """book.yml's title with the district's name: 青禾区委党建统计年鉴 (区委党建统计年鉴 without a district)."""
        from yearbook.book import book

        return titled(book().title, self.district)

    def as_dict(self) -> dict:
        return {"district": self.district, "publisher": self.publisher, "origin": self.origin}


def titled(book_title: str, district: str) -> str:
    """The book's title with the district's name: 青禾区 + 区委党建统计年鉴 → 青禾区委党建统计年鉴."""
    if not district:
        return book_title
    if book_title and district.endswith(book_title[0]):
        return district + book_title[1:]
    return district + book_title


class ConfigError(ValueError):
    """RAW's yearbook.yml is not what it should be (Chinese message)."""


def read_config(path: Path) -> dict[str, str]:
    """{district, publisher} of one yearbook.yml ({} when it does not exist)."""
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name} 无法读取（应为 UTF-8 编码的 YAML）：{exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} 应为“键: 值”的形式，如 district: 某某区")
    out = {}
    for key in ("district", "publisher"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise ConfigError(f"{path.name} 的 {key} 应为一行文字")
        out[key] = value.strip()
    return out


def district_from_name(name: str) -> str:
    """中共某某区委员会 / 某某区委 → 某某区; "" when the name carries no district (区委, 中共区委)."""
    match = _COMMITTEE.match(_PARTY.sub("", re.sub(r"\s+", "", str(name or ""))))
    return match.group(1) if match else ""


def district_from_dj00(processed_year: Path) -> str:
    """The district named by the 区委 row of the processed DJ00 (its name, else an alias); "" if none does."""
    path = Path(processed_year) / "DJ00.parquet"
    if not path.is_file():
        return ""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["单位名称", "单位类别", "别名"]).to_pylist()
    for row in table:
        if row["单位类别"] != "区委":
            continue
        candidates = [row["单位名称"], *re.split(r"[、,，;；/]", row["别名"] or "")]
        for name in candidates:
            found = district_from_name(name)
            if found:
                return found
    return ""


def imprint(cfg: Config) -> Imprint:
    raw = Path(cfg.raw)
    settings: dict[str, str] = {}
    origin = ""
    for path in (raw / CONFIG_FILE, cfg.raw_year / CONFIG_FILE):  # the year's own file last: it wins
        found = read_config(path)
        if "district" in found:
            origin = path.relative_to(raw).as_posix()
        settings.update(found)
    district = settings.get("district", "")
    if not district:
        district = district_from_dj00(cfg.processed_year)
        origin = "DJ00" if district else ""
    publisher = settings.get("publisher") or (f"中共{district}委组织部" if district else unnamed_publisher())
    return Imprint(district, publisher, origin)


# ---------------------------------------------------------------------------------------------------------------
# 编辑说明
# ---------------------------------------------------------------------------------------------------------------


def symbols() -> list[tuple[str, str]]:
    """(symbol, meaning) of every empty-cell symbol the tables use, from content.tables (one line per symbol)."""
    from yearbook.content import tables

    meanings: dict[str, list[str]] = {}
    for value in vars(tables).values():
        if isinstance(value, tables.Empty) and value.symbol and value.meaning:
            seen = meanings.setdefault(value.symbol, [])
            if value.meaning not in seen:
                seen.append(value.meaning)
    return [(symbol, "；".join(m)) for symbol, m in meanings.items()]


def _scope(cfg: Config) -> str:
    path = cfg.processed_year / "DJ00.parquet"
    if not path.is_file():
        return ""
    import pyarrow.parquet as pq

    kinds: dict[str, int] = {}
    for kind in pq.read_table(path, columns=["单位类别"]).column(0).to_pylist():
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    total = sum(kinds.values())
    parts = "、".join(f"{kind}{n}个" for kind, n in kinds.items())
    return f"单位名录（DJ00）共列{total}个单位：{parts}。"


def notes_html(cfg: Config, imp: Imprint) -> str:
    from yearbook.reporting.forms import FORMS

    esc = html.escape
    year = cfg.year
    committee = titled("区委", imp.district)  # 青禾区委
    title = imp.title
    forms = "".join(f"<tr><td>{esc(code)}</td><td>{esc(form.name)}</td><td>{esc(form.owner)}</td></tr>"
                    for code, form in FORMS.items())
    legend = "".join(f"<tr><td class=\"ybc-sym\">{esc(s)}</td><td>{esc(m)}</td></tr>" for s, m in symbols())
    out = [
        '<div class="ybc-notes">',
        "<h2>一、收录范围</h2>",
        f"<p>《{esc(title)}（{year}年度）》收录{esc(committee)}及所属各单位{year}年度党的建设主要统计数据。"
        f"{esc(_scope(cfg))}</p>",
        "<h2>二、统计时点</h2>",
        f"<p>时点指标为截至{year}年12月31日的数，时期指标为{year}年1月1日至12月31日的累计数。“上年”为{year - 1}年度按同一"
        "口径计算的数值。</p>",
        "<h2>三、资料来源</h2>",
        "<p>本年鉴数据来源于各单位按《报表制度》报送的党建统计报表，经审核、汇总整理。各报表如下：</p>",
        '<table class="ybc-notes-table"><thead><tr><th>表号</th><th>表名</th><th>报送单位</th></tr></thead>'
        f"<tbody>{forms}</tbody></table>",
        "<p>各指标的含义、计算方法和来源报表见本年鉴“主要统计指标解释”；审核发现的问题见“数据质量”。</p>",
        "<h2>四、符号说明</h2>",
        '<table class="ybc-notes-table"><thead><tr><th>符号</th><th>含义</th></tr></thead>'
        f"<tbody>{legend}</tbody></table>",
        "<h2>五、数值修约</h2>",
        "<p>数值按四舍五入修约；百分比和增幅保留1位小数，百分比指标的增减以百分点表示。因修约，合计与分项之和可能存在尾差。</p>",
        "<h2>六、其他</h2>",
        "<p>本年鉴数据与各单位此前报送或公布的数据不一致的，以本年鉴为准。</p>",
        f'<p class="ybc-imprint">编印单位：{esc(imp.publisher)}<br>{esc(INTERNAL)}</p>',
        "</div>",
    ]
    return "\n".join(out)
