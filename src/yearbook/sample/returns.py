"""The returns of one year: which unit sends which file, in which layout and with which value conventions.

Every layout and value convention of docs/architecture.md (values.py, readers.py) appears somewhere (see `tests/test_sample.py` and the module
docstring of `yearbook.sample`). Units keep their "house style" from year to year, as clerks do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yearbook.reporting.codes import codes
from yearbook.sample import conventions as cv
from yearbook.sample import ledgers as L
from yearbook.sample import names as N
from yearbook.sample.render import Number, ReturnTable, XlsxLayout
from yearbook.sample.world import (TOWN_CODES, UNIT, ZHEN_CODES, District, Unit, build_units, rng_for, town_style,
                                   village_rows)


@dataclass
class ReturnFile:
    rel: str  # path relative to <RAW>/<YEAR>, e.g. "DJ03/红旗镇党委.xlsx"
    table: ReturnTable
    layout: XlsxLayout | None = None  # xlsx
    encoding: str | None = None  # csv
    blank_style: str = "commas"

    @property
    def form(self) -> str:
        return self.rel.split("/")[0]

    @property
    def unit(self) -> str:
        return self.rel.split("/")[1].rsplit(".", 1)[0]


@dataclass
class Ack:
    rule: str
    form: str
    unit: str
    tag: str  # the tag of the planted row (its row number is known once written)
    text: str


@dataclass
class YearReturns:
    year: int
    files: list[ReturnFile] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------------------
# shared bits of layout


def meta(form: str, unit: str, year: int, style: str = "one", ncol: int = 6) -> list[list[tuple[int, str]]]:
    if style == "one":
        return [[(0, f"表号：{form}　　填报单位：{unit}　　统计年度：{year}年")]]
    if style == "split":
        c2, c3 = min(2, ncol - 1), min(4, ncol - 1)
        return [[(0, f"表号：{form}"), (c2, f"填报单位：{unit}"), (c3, f"统计年度：{year}年")]]
    if style == "unit-only":
        return [[(0, f"填报单位（盖章）：{unit}")]]
    if style == "two-lines":
        return [[(0, f"表    号：{form}")], [(0, f"填报单位：{unit}"), (min(3, ncol - 1), f"统计年度：{year}年度")]]
    raise ValueError(style)


def footer(rng: random.Random, year: int, style: str = "one") -> list[list[tuple[int, str]]]:
    head = N.person_name(rng, rng.choice("男女"))
    clerk = N.person_name(rng, rng.choice("男女"))
    phone = f"{rng.randint(8000, 8999)}（内线）"
    date = f"{year + 1}年1月{rng.randint(5, 16)}日"
    if style == "one":
        return [[(0, f"单位负责人：{head}　　填表人：{clerk}　　联系电话：{phone}　　报出日期：{date}")]]
    if style == "cells":
        return [[(0, f"单位负责人：{head}"), (2, f"填表人：{clerk}"), (3, f"报出日期：{date}")]]
    if style == "note":
        return [[(0, f"填表人：{clerk}　　联系电话：{phone}　　报出日期：{date}")],
                [(0, "注：本表数据截至当年12月31日；数量单位见表头括号。")]]
    raise ValueError(style)


def blanks(rng: random.Random, n_rows: int, k: int) -> set[int]:
    if n_rows < 4 or k <= 0:
        return set()
    return set(rng.sample(range(2, n_rows), k=min(k, n_rows - 2)))


def party_suffix(u: Unit) -> str:
    if u.category == "镇":
        return "党委"
    if u.category == "街道":
        return "党工委"
    if u.category in ("区直机关",):
        return "党组"
    if u.category == "企事业单位":
        return "党委"
    return ""


def unit_cell(rng: random.Random, code: str, units: dict[str, Unit], weights: tuple[int, int, int] = (8, 1, 1)) -> str:
    u = units[code]
    styles = ["name", "alias", "suffix"]
    style = rng.choices(styles, weights)[0]
    if style == "alias" and u.aliases:
        return u.aliases[0]
    if style == "suffix" and party_suffix(u):
        return u.name + party_suffix(u)
    return u.name


# file stems that are not the plain unit name (aliases and Party-organ suffixes resolve through DJ00)
FILE_STEMS = {
    ("DJ03", "T01"): "红旗镇党委", ("DJ03", "S01"): "新华街道党工委",
    ("DJ06", "T01"): "红旗镇党委", ("DJ06", "C10"): "区人社局", ("DJ06", "C15"): "区卫健委党组",
    ("DJ06", "C03"): "区发改委", ("DJ06", "S01"): "新华街道党工委",
    ("DJ08", "C04"): "区教育局党组", ("DJ08", "C10"): "区人社局", ("DJ08", "D05"): "区城投公司",
    ("DJ08", "T02"): "团结镇党委",
    ("DJ99", "C03"): "区发改委", ("DJ99", "C10"): "区人社局党组", ("DJ99", "T03"): "胜利镇党委",
}


def stem(form: str, code: str) -> str:
    return FILE_STEMS.get((form, code), UNIT[code].name)


# ------------------------------------------------------------------------------------------------------------
# house styles of the many-unit forms (DJ06, DJ08, DJ99)


@dataclass(frozen=True)
class House:
    name: str
    fmt: str  # xlsx or csv
    encoding: str | None = None
    date: str = "cell"
    qty: str = "num"  # integer style
    zero: str | None = None  # how a zero optional quantity is written (None: the number itself)
    title: bool = False
    merge: bool = True
    meta: str | None = None
    foot: str | None = None
    n_blank: int = 0
    blank_style: str = "commas"
    sheet: str = "Sheet1"
    sheets_before: tuple[str, ...] = ()
    host_written: bool = False  # writes its own name as 主办单位


HOUSES = {
    "formal": House("formal", "xlsx", date="cell", qty="num", zero="", title=True, meta="one", foot="one",
                    sheet="Sheet1"),
    "plain": House("plain", "xlsx", date="iso", qty="num", zero=None, sheet="Sheet1"),
    "utf8": House("utf8", "csv", "utf-8", date="slash", qty="text", zero="—"),
    "gbk": House("gbk", "csv", "gbk", date="dot", qty="measure", zero="-", n_blank=1, blank_style="empty"),
    "bom": House("bom", "csv", "utf-8-sig", date="cn", qty="full", zero="/", n_blank=1),
    "messy": House("messy", "xlsx", date="serial", qty="comma", zero="－", title=True, merge=False, meta="split",
                   foot="note", n_blank=2, sheet="DJ06", sheets_before=("封面",)),
    "cn-xlsx": House("cn-xlsx", "xlsx", date="cellcn", qty="text", zero="0", title=True, meta="two-lines",
                     foot="cells", n_blank=1, host_written=True),
}

HOUSE_OF = {"B01": "formal", "B02": "formal", "B03": "messy", "B04": "bom", "B05": "plain", "B06": "cn-xlsx",
            "B09": "utf8", "B11": "plain", "C10": "utf8", "C12": "gbk", "T01": "formal", "T02": "bom",
            "T03": "gbk", "S01": "plain", "S02": "messy", "D04": "formal"}


def house_of(code: str) -> House:
    if code in HOUSE_OF:
        return HOUSES[HOUSE_OF[code]]
    rng = rng_for("house", code)
    return HOUSES[rng.choice(["formal", "plain", "utf8", "gbk", "bom", "plain", "cn-xlsx", "utf8"])]


def house_file(form: str, code: str, house: House, title: str, table: ReturnTable, year: int,
               rng: random.Random) -> ReturnFile:
    ext = "xlsx" if house.fmt == "xlsx" else "csv"
    rel = f"{form}/{stem(form, code)}.{ext}"
    if house.fmt == "csv":
        return ReturnFile(rel, table, encoding=house.encoding, blank_style=house.blank_style)
    ncol = len(table.headers)
    layout = XlsxLayout(
        title=title if house.title else None, merge_title=house.merge,
        meta=meta(form, stem(form, code), year, house.meta, ncol) if house.meta else [],
        footer=footer(rng, year, house.foot) if house.foot else [],
        sheet_name=form if house.sheets_before else house.sheet,
        sheets_before=[(s, [f"{year}年度党建统计报表", stem(form, code), "（封面）"]) for s in house.sheets_before])
    return ReturnFile(rel, table, layout=layout)


# ------------------------------------------------------------------------------------------------------------
# DJ00 单位名录


def dj00(year: int) -> list[ReturnFile]:
    units = build_units(year)
    rng = rng_for("dj00-render", year)
    rows = []
    for i, u in enumerate(units):
        sep = ["；", ";", "、"][i % 3]
        rows.append([u.code, u.name, u.category, u.parent or None, sep.join(u.aliases) or None])
    table = ReturnTable(["单位代码", "单位名称", "单位类别", "上级单位\n代码（村、社区填写）", "别名（多个用“；”分隔）"], rows,
                        blank_before=blanks(rng, len(rows), 1))
    layout = XlsxLayout(title="单位名录", meta=meta("DJ00", "区委组织部", year, "one"),
                        footer=[[(0, "注：村、社区的上级单位代码填写所属镇（街道）的单位代码。")]])
    return [ReturnFile("DJ00/区委组织部.xlsx", table, layout=layout)]


# ------------------------------------------------------------------------------------------------------------
# DJ01 干部名册, DJ02 干部调整任用台账


def dj01(year: int, d: District) -> list[ReturnFile]:
    cy = d.cadres.years[year]
    rng = rng_for("dj01-render", year)
    units = {u.code: u for u in build_units(year)}
    planted_w01 = planted_w02 = None
    if year == 2020:
        planted_w01 = sorted(r["人员编号"] for r in cy.roster if r["级别"] == "科员级" and r["状态"] == "在职")[17]
    if year == 2022:
        planted_w02 = sorted(r["人员编号"] for r in cy.roster if r["级别"] == "副科级" and r["状态"] == "在职"
                             and r["出生年月"][1] <= 8)[41]
    order = {
        2020: ["人员编号", "姓名", "性别", "民族", "出生年月", "公民身份号码", "政治面貌", "所在单位", "级别", "是否区委班子成员",
               "状态"],
        2021: ["人员编号", "姓名", "公民身份号码", "性别", "出生年月", "民族", "政治面貌", "级别", "所在单位", "状态",
               "是否区委班子成员"],
        2022: ["人员编号", "所在单位", "姓名", "性别", "民族", "出生年月", "公民身份号码", "政治面貌", "级别",
               "是否区委班子成员", "状态"],
    }[year]
    headers = {"人员编号": "人员编号", "姓名": "姓  名", "公民身份号码": "公民身份号码（18位）", "性别": "性别",
               "民族": "民族", "出生年月": "出生\n年月", "政治面貌": "政治\n面貌", "级别": "级别",
               "所在单位": "所在单位", "是否区委班子成员": "是否区委\n班子成员（是/否）", "状态": "状态（在职/退休/调离）"}
    ym_styles = {2020: {"dot2": 6, "cn": 2, "six": 1, "num": 1},
                 2021: {"dot2": 4, "cn": 2, "six": 2, "num": 2, "cell": 2, "dash": 1},
                 2022: {"dot2": 4, "cn": 3, "six": 2, "sixnum": 1, "num": 2, "cell": 2, "dot1": 1, "dash": 1}}[year]
    rows, tags = [], []
    for r in cy.roster:
        idno = r["公民身份号码"]
        ym = r["出生年月"]
        tag = None
        if idno.endswith("X") and rng.random() < 0.4:
            idno = idno[:-1] + "x"
        if r["人员编号"] == planted_w01:
            idno = idno[:10] + idno[11:]  # a digit lost while typing: 17 characters
            tag = "DJ01-W01"
        if r["人员编号"] == planted_w02:
            ym = (ym[0], ym[1] + 3)  # 出生年月 typed wrong; the ID number is right
            tag = "DJ01-W02"
        style = rng.choices(list(ym_styles), list(ym_styles.values()))[0]
        level = r["级别"]
        if rng.random() < {2020: 0.0, 2021: 0.3, 2022: 0.5}[year]:
            level = {"县处级": "处级", "正科级": "正科", "副科级": "副科", "科员级": "科员"}[level]
        party = r["政治面貌"]
        if party in ("中共党员", "中共预备党员") and rng.random() < 0.25:
            party = party.removeprefix("中共")
        status = r["状态"]
        if status == "调离" and year == 2022:
            status = "调出"
        cells = {
            "人员编号": r["人员编号"], "姓名": r["姓名"], "公民身份号码": idno, "性别": r["性别"], "民族": r["民族"],
            "出生年月": cv.ym_as(style, ym), "政治面貌": party, "级别": level,
            "所在单位": unit_cell(rng, r["所在单位"], units, (12, 1, 1) if year > 2020 else (1, 0, 0)),
            "是否区委班子成员": cv.bool_as("是否", r["是否区委班子成员"], blank_false=rng.random() < 0.8),
            "状态": status,
        }
        rows.append([cells[k] for k in order])
        tags.append(tag)
    table = ReturnTable([headers[k] for k in order], rows, tags)
    title = f"干部名册（截至{year}年12月31日）"
    if year == 2020:
        layout = XlsxLayout(sheet_name="Sheet1", sheets_after=[("说明", ["数据来源：干部综合管理系统导出"])])
    elif year == 2021:
        layout = XlsxLayout(title=title, meta=meta("DJ01", "区委组织部", year, "one"), sheet_name="干部名册",
                            footer=footer(rng, year, "one"))
    else:
        layout = XlsxLayout(title=title, meta=meta("DJ01", "区委组织部", year, "split", len(order)),
                            sheet_name="DJ01", footer=footer(rng, year, "note"),
                            sheets_before=[("填表说明", [
                                "填表说明：",
                                "1. 本表填报截至统计年度12月31日的在册干部，当年退休、调离的干部填写状态。",
                                "2. 出生年月按“1985.03”格式填写；公民身份号码填写18位。",
                                "3. 数据请填写在“DJ01”工作表。"])])
    return [ReturnFile("DJ01/区委组织部.xlsx", table, layout=layout)]


def dj02(year: int, d: District) -> list[ReturnFile]:
    cy = d.cadres.years[year]
    rng = rng_for("dj02-render", year)
    headers = ["批次号", "日期", "人员编号", "调整类型", "是否基层一线或急难险重岗位（Y/N）"]
    rows = []
    for m in cy.moves:
        date = cv.d_slash(m["日期"]) if year != 2020 else cv.d_iso(m["日期"])
        rows.append([m["批次号"], date, m["人员编号"], m["调整类型"],
                     cv.bool_as("YN" if rng.random() < 0.9 else "yn", m["是否基层一线或急难险重岗位"])])
    table = ReturnTable(headers, rows)
    enc = "utf-8-sig" if year == 2020 else "utf-8"
    return [ReturnFile("DJ02/区委组织部.csv", table, encoding=enc)]


# ------------------------------------------------------------------------------------------------------------
# DJ03 两新组织党组织情况


def dj03(year: int, d: District) -> list[ReturnFile]:
    data = d.orgs.rows(year)
    files = []
    for t in TOWN_CODES:
        rng = rng_for("dj03-render", year, t)
        rows = [dict(r) for r in data[t]]
        tags: list[str | None] = [None] * len(rows)
        if year == 2022 and t == "S02":  # planted DJ03-W02: three members, organisation not yet set up
            i = next(i for i, r in enumerate(rows) if r["党组织建立情况"] == "未建立" and r["从业人员数"] >= 8)
            rows[i]["党员人数"] = 3
            tags[i] = "DJ03-W02"
        if year == 2020 and t == "T03":  # planted DJ03-W01: 未建立 with a founding date
            i = next(i for i, r in enumerate(rows) if r["党组织建立情况"] == "未建立")
            rows[i]["党组织成立日期"] = dt.date(2020, 6, 30)
            tags[i] = "DJ03-W01"
        files.append(_dj03_file(year, t, rows, tags, rng))
    return files


def _syn(rng: random.Random, value: str, synonyms: dict[str, str], p: float) -> str:
    return synonyms[value] if value in synonyms and rng.random() < p else value


def _dj03_file(year: int, t: str, rows: list[dict], tags: list[str | None], rng: random.Random) -> ReturnFile:
    kind_syn = {"非公有制企业": "非公企业"}
    est_syn = {"单独建立": "单独组建", "联合建立": "联合组建", "未建立": "未建"}
    total = [sum(r["从业人员数"] for r in rows), sum(r["党员人数"] for r in rows)]
    unit_stem = stem("DJ03", t)
    style = town_style(t)
    if style == "T01":  # formal xlsx: merged title, metadata line, total row, footer
        headers = ["统一社会\n信用代码", "组织名称", "组织类型", "从业人员数（人）", "党员人数（人）", "党组织建立情况",
                   "党组织\n成立日期", "是否新就业群体（是/否）"]
        out = [[r["统一社会信用代码"], r["组织名称"], _syn(rng, r["组织类型"], kind_syn, 0.3),
                cv.int_as("comma" if r["从业人员数"] >= 1000 else "num", r["从业人员数"]), Number(r["党员人数"]),
                _syn(rng, r["党组织建立情况"], est_syn, 0.3), cv.date_as("cell", r["党组织成立日期"]),
                cv.bool_as("是否", r["是否新就业群体"])] for r in rows]
        table = ReturnTable(headers, out, tags, blank_before=blanks(rng, len(out), 1),
                            total=["合　计", None, None, Number(total[0]), Number(total[1]), None, None, None])
        layout = XlsxLayout(title="两新组织党组织情况表", meta=meta("DJ03", unit_stem, year, "one"),
                            footer=footer(rng, year, "one"))
        return ReturnFile(f"DJ03/{unit_stem}.xlsx", table, layout=layout)
    if style == "T02":  # columns in another order, text dates, 有/无; an unknown column in 2022 (G-W01)
        order = ["组织名称", "统一社会信用代码", "组织类型", "党组织建立情况", "党组织成立日期", "从业人员数", "党员人数",
                 "是否新就业群体"]
        headers = ["组织名称", "统一社会信用代码", "组织类型", "党组织建立情况", "党组织成立日期", "从业人员数",
                   "党员人数", "是否新就业群体（有/无）"]
        out = []
        for r in rows:
            cells = {**r, "组织类型": _syn(rng, r["组织类型"], kind_syn, 0.5),
                     "党组织建立情况": _syn(rng, r["党组织建立情况"], est_syn, 0.5),
                     "党组织成立日期": cv.date_as("cn", r["党组织成立日期"]),
                     "从业人员数": cv.int_as("text", r["从业人员数"]), "党员人数": cv.int_as("text", r["党员人数"]),
                     "是否新就业群体": cv.bool_as("有无", r["是否新就业群体"])}
            out.append([cells[k] for k in order])
        if year == 2022:
            headers.append("备注")
            for i, r in enumerate(rows):
                out[i].append("新就业群体党建示范点" if r["是否新就业群体"] and r["党组织建立情况"] != "未建立" else None)
        table = ReturnTable(headers, out, [None] * len(out), blank_before=blanks(rng, len(out), 2))
        if year == 2022:
            table.tags[0] = "G-W01"
        layout = XlsxLayout(title=f"{year}年两新组织党组织情况统计表", merge_title=False)
        return ReturnFile(f"DJ03/{unit_stem}.xlsx", table, layout=layout)
    if style == "T03":  # GBK CSV: 12人, full-width digits, dotted dates, synonyms
        headers = ["统一社会信用代码", "组织名称", "组织类型", "从业人员数（人）", "党员人数（人）", "党组织建立情况",
                   "党组织成立日期", "是否新就业群体"]
        out = []
        for r in rows:
            out.append([r["统一社会信用代码"], r["组织名称"], _syn(rng, r["组织类型"], kind_syn, 0.6),
                        cv.mixed_int(rng, r["从业人员数"], {"measure": 2, "text": 3, "full": 1}, "人"),
                        cv.mixed_int(rng, r["党员人数"], {"measure": 1, "text": 3, "full": 2}, "人"),
                        _syn(rng, r["党组织建立情况"], est_syn, 0.7), cv.date_as("dot", r["党组织成立日期"]),
                        cv.bool_as("是否", r["是否新就业群体"])])
        table = ReturnTable(headers, out, tags, blank_before=blanks(rng, len(out), 1))
        return ReturnFile(f"DJ03/{unit_stem}.csv", table, encoding="gbk", blank_style="empty")
    if style == "S01":  # xlsx: metadata split over cells, serial-number and date cells, native booleans
        headers = ["统一社会信用代码", "组织名称", "组织类型", "从业人员数（人）", "党员人数（人）", "党组织建立情况",
                   "党组织成立日期", "是否新就业群体"]
        out = []
        for r in rows:
            date = r["党组织成立日期"]
            out.append([r["统一社会信用代码"], r["组织名称"], r["组织类型"], Number(r["从业人员数"]),
                        Number(r["党员人数"]), r["党组织建立情况"],
                        None if date is None else (cv.d_serial(date) if rng.random() < 0.5 else cv.d_cell(date)),
                        cv.bool_as("native", r["是否新就业群体"])])
        table = ReturnTable(headers, out, tags, blank_before=blanks(rng, len(out), 2))
        layout = XlsxLayout(title="两新组织党组织情况表", meta=meta("DJ03", unit_stem, year, "split", len(headers)),
                            footer=footer(rng, year, "cells"))
        return ReturnFile(f"DJ03/{unit_stem}.xlsx", table, layout=layout)
    # S02: UTF-8 with BOM; thousands separators, ISO dates, TRUE/FALSE
    headers = ["统一社会信用代码", "组织名称", "组织类型", "从业人员数", "党员人数", "党组织建立情况", "党组织成立日期",
               "是否新就业群体（TRUE/FALSE）"]
    out = []
    for r in rows:
        out.append([r["统一社会信用代码"], r["组织名称"], r["组织类型"], cv.int_as("comma", r["从业人员数"]),
                    str(r["党员人数"]), r["党组织建立情况"], cv.date_as("iso", r["党组织成立日期"]),
                    cv.bool_as("TF", r["是否新就业群体"])])
    table = ReturnTable(headers, out, tags)
    return ReturnFile(f"DJ03/{unit_stem}.csv", table, encoding="utf-8-sig")


# ------------------------------------------------------------------------------------------------------------
# DJ04 村级党组织情况


def dj04(year: int, d: District) -> list[ReturnFile]:
    data = village_rows(year, d.cadres.years[year])
    units = {u.code: u for u in build_units(year)}
    files = []
    for t in ZHEN_CODES:
        rng = rng_for("dj04-render", year, t)
        rows = data[t]
        tags: list[str | None] = [None] * len(rows)
        if year == 2021 and t == "T03":  # planted DJ04-W01: a land-compensation windfall above 500 万元
            rows[3] = dict(rows[3], 村集体经济收入=518.6)
            tags[3] = "DJ04-W01"
        total = sum(Decimal(str(r["村集体经济收入"])) for r in rows)
        name = units[t].name
        style = town_style(t)
        if style == "T01":
            headers = ["村　名", "星级", "是否最强党支部（是/否）", "包联县处级领导\n人员编号", "村集体经济收入（万元）"]
            out = [[units[r["村名"]].name, Number(r["星级"]), cv.bool_as("是否", r["是否最强党支部"]),
                    r["包联县处级领导人员编号"], cv.dec_as("num", r["村集体经济收入"])] for r in rows]
            table = ReturnTable(headers, out, tags, total=["合计", None, None, None, Number(float(total), "0.00")])
            layout = XlsxLayout(title="村级党组织情况表", meta=meta("DJ04", name, year, "one"),
                                footer=footer(rng, year, "one"))
            files.append(ReturnFile(f"DJ04/{name}.xlsx", table, layout=layout))
        elif style == "T02":
            headers = ["村名", "星级", "是否最强党支部", "包联县处级领导人员编号", "村集体经济收入"]
            out = [[units[r["村名"]].name, cv.int_as("full" if i % 3 == 0 else "text", r["星级"]),
                    cv.bool_as("√×", r["是否最强党支部"]), r["包联县处级领导人员编号"],
                    cv.dec_as("wan", r["村集体经济收入"])] for i, r in enumerate(rows)]
            table = ReturnTable(headers, out, tags, blank_before=blanks(rng, len(out), 1))
            layout = XlsxLayout(title=f"{name}村级党组织情况", meta=meta("DJ04", name + "党委", year, "split", 5),
                                blank_after_meta=True, footer=footer(rng, year, "note"))
            files.append(ReturnFile(f"DJ04/{name}.xlsx", table, layout=layout))
        else:
            headers = ["村名", "包联县处级领导人员编号", "星级", "是否最强党支部", "村集体经济收入（万元）"]
            out = [[units[r["村名"]].name, r["包联县处级领导人员编号"], str(r["星级"]),
                    cv.bool_as("YN", r["是否最强党支部"]), cv.dec_as("text", r["村集体经济收入"])] for r in rows]
            table = ReturnTable(headers, out, tags, total=["总　计", None, None, None, format(total, "f")],
                                blank_before_total=True)
            files.append(ReturnFile(f"DJ04/{name}.csv", table, encoding="gb18030"))
    return files


# ------------------------------------------------------------------------------------------------------------
# DJ05 网格化管理人员名册


def dj05(year: int, d: District) -> list[ReturnFile]:
    files = []
    syn = {"专职网格员": "专职", "兼职网格员": "兼职", "网格民警": "民警"}
    for t in TOWN_CODES:
        rng = rng_for("dj05-render", year, t)
        rows = d.grids.staff[year][t]
        name = UNIT[t].name
        style = town_style(t)

        def typ(v: str, p: float) -> str:
            return _syn(rng, v, syn, p)

        if style == "T01":
            out = [[r["网格编号"], r["人员编号"], r["姓名"], typ(r["人员类型"], 0.6)] for r in rows]
            files.append(ReturnFile(f"DJ05/{name}.csv", ReturnTable(["网格编号", "人员编号", "姓名", "人员类型"], out),
                                    encoding="utf-8-sig"))
        elif style == "T02":
            out = [[r["姓名"], r["人员编号"], typ(r["人员类型"], 0.3), r["网格编号"]] for r in rows]
            files.append(ReturnFile(f"DJ05/{name}.csv", ReturnTable(["姓名", "人员编号", "人员类型", "网格编号"], out,
                                                                    blank_before=blanks(rng, len(out), 2)),
                                    encoding="gbk"))
        elif style == "T03":
            out = [[r["网格编号"], r["人员类型"], r["人员编号"], r["姓名"]] for r in rows]
            layout = XlsxLayout(title="网格化管理人员名册", meta=meta("DJ05", name, year, "one"),
                                footer=footer(rng, year, "one"))
            files.append(ReturnFile(f"DJ05/{name}.xlsx", ReturnTable(["网格\n编号", "人员类型", "人员编号", "姓　名"], out),
                                    layout=layout))
        elif style == "S01":
            out = [[r["网格编号"], r["人员编号"], r["姓名"], typ(r["人员类型"], 0.2)] for r in rows]
            files.append(ReturnFile(f"DJ05/{name}.xlsx", ReturnTable(["网格编号", "人员编号", "姓名", "人员类型"], out,
                                                                     blank_before=blanks(rng, len(out), 1)),
                                    layout=XlsxLayout()))
        else:
            out = [[r["网格编号"], r["人员编号"], r["姓名"], typ(r["人员类型"], 0.5)] for r in rows]
            files.append(ReturnFile(f"DJ05/{name}.csv", ReturnTable(["网格编号", "人员编号", "姓名", "人员类型（专职/兼职/网格长/民警）"],
                                                                    out), encoding="utf-8"))
    return files


# ------------------------------------------------------------------------------------------------------------
# DJ06 会议活动台账

DJ06_QTY = ["场次", "参加人次", "受众人次", "互动人次", "对象数", "发现问题数", "整改问题数", "下发文书数"]
DJ06_MEASURE = {"参加人次": "人次", "受众人次": "人次", "互动人次": "人次", "对象数": "个", "发现问题数": "个",
                "整改问题数": "个", "下发文书数": "份"}
DJ06_HEAD = {
    "formal": {"日期": "日期", "活动类别代码": "活动类别代码", "活动名称": "活动名称", "主办单位": "主办单位（本单位可不填）",
               "场次": "场次", "参加人次": "参加人次（人次）", "受众人次": "受众人次（人次）", "互动人次": "互动人次（人次）",
               "对象数": "对象数（个）", "发现问题数": "发现问题数（个）", "整改问题数": "整改问题数（个）",
               "下发文书数": "下发文书数（份）"},
    "messy": {"日期": "日　期", "活动类别代码": "活动类别\n代码", "活动名称": "活动名称", "主办单位": "主办\n单位",
              "场次": "场次\n（次/期/批）", "参加人次": "参加\n人次", "受众人次": "受众\n人次", "互动人次": "互动\n人次",
              "对象数": "对象数", "发现问题数": "发现\n问题数", "整改问题数": "整改\n问题数", "下发文书数": "下发\n文书数"},
    "cn-xlsx": {"日期": "日期", "活动类别代码": "活动类别代码（见代码表）", "活动名称": "活动名称",
                "主办单位": "主办单位", "场次": "场次（次）", "参加人次": "参加人次", "受众人次": "受众人次",
                "互动人次": "互动人次", "对象数": "对象数（个/家）", "发现问题数": "发现问题数", "整改问题数": "整改问题数",
                "下发文书数": "下发文书数（份）"},
}


def dj06(year: int, d: District) -> list[ReturnFile]:
    data = L.dj06(year, d.cadres.years[year])
    units = {u.code: u for u in build_units(year)}
    dj06_units = codes("DJ06")
    files = []
    for code, rows in data.items():
        house = house_of(code)
        rng = rng_for("dj06-render", year, code)
        used = [q for q in DJ06_QTY if q == "场次" or any(r[q] for r in rows)]
        host = house.host_written or any(r["主办单位"] for r in rows)
        canon = ["日期", "活动类别代码", "活动名称"] + (["主办单位"] if host else []) + used
        if house.name in ("plain", "bom"):  # another column order
            canon = ["活动名称", "日期", "活动类别代码"] + (["主办单位"] if host else []) + used
        heads = DJ06_HEAD.get(house.name, {})
        headers = [heads.get(k, k) for k in canon]
        with_total = code == "C10"
        out, tags = [], []
        for r in rows:
            cells: dict[str, Any] = {"日期": cv.date_as(house.date, r["日期"]), "活动类别代码": r["活动类别代码"],
                                     "活动名称": r["活动名称"]}
            if host:
                h = r["主办单位"] or (code if house.host_written else None)
                cells["主办单位"] = None if h is None else (
                    unit_cell(rng, h, units, (6, 1, 1)) if h != code or r.get("_host_written") else units[h].name)
            for q in used:
                v = r[q]
                measure = DJ06_MEASURE.get(q) or dj06_units[r["活动类别代码"]].unit
                if with_total:
                    cells[q] = str(v)
                elif q == "场次" and v == 1 and house.zero in ("", "—", "-", "/", "－") and rng.random() < 0.5:
                    cells[q] = house.zero or None  # an empty 场次 means one session
                elif v == 0 and house.zero is not None:
                    cells[q] = house.zero or None
                else:
                    cells[q] = cv.int_as(house.qty, v, measure)
            out.append([cells[k] for k in canon])
            tags.append(r.get("_tag"))
        total = None
        if with_total:
            total = ["合计"] + [None] * (len(canon) - 1)
            for q in used:
                total[canon.index(q)] = str(sum(r[q] for r in rows))
        table = ReturnTable(headers, out, tags, blank_before=blanks(rng, len(out), house.n_blank), total=total)
        files.append(house_file("DJ06", code, house, "会议活动台账", table, year, rng))
    return files


# ------------------------------------------------------------------------------------------------------------
# DJ07 党建联系点调研台账


def dj07(year: int, d: District) -> list[ReturnFile]:
    rows = L.dj07(year, d.cadres.years[year])
    rng = rng_for("dj07-render", year)
    units = {u.code: u for u in build_units(year)}
    out = []
    for r in rows:
        date = r["日期"]
        date_cell = {2020: cv.d_cell(date), 2021: cv.d_serial(date) if rng.random() < 0.5 else cv.d_cell(date),
                     2022: cv.d_serial(date)}[year]
        solved = r["解决问题数"]
        solved_cell = rng.choice(["—", "-", "/", None, Number(0)]) if solved == 0 else (
            f"{solved}个" if rng.random() < 0.3 else Number(solved))
        out.append([r["领导人员编号"], date_cell, unit_cell(rng, r["联系点"], units, (8, 1, 2)), solved_cell])
    table = ReturnTable(["领导人员编号", "日期", "联系点", "解决问题数（个）"], out, blank_before=blanks(rng, len(out), 2))
    layout = XlsxLayout(title="党建联系点调研台账", meta=meta("DJ07", "区委组织部", year, "one"),
                        footer=footer(rng, year, "one"))
    return [ReturnFile("DJ07/区委组织部.xlsx", table, layout=layout)]


# ------------------------------------------------------------------------------------------------------------
# DJ08 集中治理查摆整改统计表

DJ08_CANON = ["层面", "参与党员干部人数", "查摆问题数", "整改措施数", "已整改问题数"]
DJ08_MEASURE = {"参与党员干部人数": "人", "查摆问题数": "个", "整改措施数": "条", "已整改问题数": "个"}


def dj08(year: int, d: District) -> list[ReturnFile]:
    data = L.dj08(year)
    files = []
    for code, rows in data.items():
        house = house_of(code)
        rng = rng_for("dj08-render", year, code)
        canon = list(DJ08_CANON)
        if house.name in ("plain", "bom"):
            canon = ["层面", "查摆问题数", "整改措施数", "已整改问题数", "参与党员干部人数"]
        headers = [{"参与党员干部人数": "参与党员干部人数（人）", "查摆问题数": "查摆问题数（个）",
                    "整改措施数": "整改措施数（条）", "已整改问题数": "已整改问题数（个）"}.get(k, k)
                   if house.name in ("formal", "cn-xlsx", "messy") else k for k in canon]
        out = []
        for r in rows:
            cells = {"层面": r["层面"]}
            for q in canon[1:]:
                v = r[q]
                if v is None:
                    cells[q] = {"bom": "/", "gbk": "-", "messy": "—"}.get(house.name)
                else:
                    cells[q] = cv.int_as(house.qty, v, DJ08_MEASURE[q])
            out.append([cells[k] for k in canon])
        if year == 2021 and code == "C07":  # planted G-W01: a 序号 column
            headers = ["序号"] + headers
            out = [[str(i)] + row for i, row in enumerate(out, 1)]
        table = ReturnTable(headers, out, ["G-W01" if year == 2021 and code == "C07" else None] * len(out))
        house8 = House(**{**house.__dict__, "n_blank": 0, "sheets_before": (), "sheet": "Sheet1"})
        files.append(house_file("DJ08", code, house8, "集中治理查摆整改统计表", table, year, rng))
    return files


# ------------------------------------------------------------------------------------------------------------
# DJ09 巡察整改台账


def dj09(year: int, d: District) -> list[ReturnFile]:
    rows = L.dj09(year)
    rng = rng_for("dj09-render", year)
    units = {u.code: u for u in build_units(year)}
    out = []
    term_style = {2020: "di_cn", 2021: "cn", 2022: "di_cn"}[year]
    round_styles = ["di_num", "di_cn", "cn", "num"]
    status_syn = {"已整改": ["已整改", "已完成", "整改完成"], "整改中": ["整改中", "未完成"]}
    for r in rows:
        term = cv.ordinal_as(term_style if rng.random() < 0.85 else "num", r["届次"], "届")
        rnd = cv.ordinal_as(round_styles[(r["轮次"] + year) % 4], r["轮次"], "轮")
        done = r["整改完成日期"]
        out.append([term, rnd, unit_cell(rng, r["被巡察单位"], units, (6, 2, 2)), r["问题编号"],
                    cv.bool_as("√×", r["是否点人点事"], blank_false=rng.random() < 0.5),
                    rng.choice(status_syn[r["整改状态"]]), cv.date_as("cn", done)])
    headers = ["届次", "轮次", "被巡察单位", "问题编号", "是否点人点事（√/×）", "整改状态", "整改完成日期"]
    table = ReturnTable(headers, out, blank_before=blanks(rng, len(out), 1))
    layout = XlsxLayout(title="巡察整改台账", meta=meta("DJ09", "区委巡察办", year, "one"),
                        footer=footer(rng, year, "one"))
    return [ReturnFile("DJ09/区委巡察办.xlsx", table, layout=layout)]


# ------------------------------------------------------------------------------------------------------------
# DJ10 问题线索与案件台账


def dj10(year: int, d: District) -> list[ReturnFile]:
    rows = L.dj10(year)
    rng = rng_for("dj10-render", year)
    bool_style = {2020: "10", 2021: "是否", 2022: "是否"}[year]
    date_style = {2020: "iso", 2021: "dot", 2022: "dot"}[year]
    out, tags = [], []
    planted = None
    if year == 2022:  # planted DJ10-W01: a 立案日期 on a lead that was not filed (the case was not opened)
        planted = next(i for i, r in enumerate(rows) if not r["是否立案"] and r["受理日期"].year == 2022
                       and r["受理日期"].month == 5)
    for i, r in enumerate(rows):
        filed_date = r["立案日期"]
        tag = None
        if i == planted:
            filed_date = r["受理日期"] + dt.timedelta(days=12)
            tag = "DJ10-W01"
        sanctions = r["处分人数"]
        out.append([r["线索编号"], cv.date_as(date_style, r["受理日期"]), r["问题领域"],
                    cv.bool_as(bool_style, r["是否立案"]), cv.date_as(date_style, filed_date), r["办结情况"],
                    (rng.choice(["—", "/", "", "0"]) if sanctions == 0 else f"{sanctions}人" if rng.random() < 0.2
                     else str(sanctions))])
        tags.append(tag)
    headers = ["线索编号", "受理日期", "问题领域", "是否立案", "立案日期", "办结情况", "处分人数（人）"]
    return [ReturnFile("DJ10/区纪委监委.csv", ReturnTable(headers, out, tags), encoding="gb18030")]


# ------------------------------------------------------------------------------------------------------------
# DJ11 “四种形态”处置台账


def dj11(year: int, d: District) -> list[ReturnFile]:
    rows = L.dj11(year)
    rng = rng_for("dj11-render", year)
    syn = {"第一种形态": ["第一种形态", "第一种", "一", Number(1)], "第二种形态": ["第二种形态", "第二种", "二", Number(2)],
           "第三种形态": ["第三种形态", "第三种", "三", "3"], "第四种形态": ["第四种形态", "第四种", "四", "4"]}
    out = []
    for r in rows:
        form = syn[r["形态"]][rng.choices(range(4), [6, 2, 1, 1])[0]]
        date = cv.d_iso(r["处置日期"]) if rng.random() < 0.7 else cv.d_cell(r["处置日期"])
        out.append([r["序号"], date, r["人员编号"], form, r["处置方式"]])
    table = ReturnTable(["序号", "处置日期", "人员编号", "形态", "处置方式"], out)
    layout = XlsxLayout(title="“四种形态”处置台账", footer=footer(rng, year, "cells"))
    return [ReturnFile("DJ11/区纪委监委.xlsx", table, layout=layout)]


# ------------------------------------------------------------------------------------------------------------
# DJ12 规范性文件备案审查台账


def dj12(year: int, d: District) -> list[ReturnFile]:
    rows = L.dj12(year)
    rng = rng_for("dj12-render", year)
    units = {u.code: u for u in build_units(year)}
    out = [[r["文件编号"], unit_cell(rng, r["制发单位"], units, (5, 2, 3)), r["备案类型"], cv.d_cell_cn(r["审查日期"])]
           for r in rows]
    table = ReturnTable(["文件编号", "制发单位", "备案类型", "审查日期"], out)
    layout = XlsxLayout(title="规范性文件备案审查台账", meta=meta("DJ12", "区委办公室", year, "two-lines", 4),
                        footer=footer(rng, year, "one"))
    return [ReturnFile("DJ12/区委办公室.xlsx", table, layout=layout)]


# ------------------------------------------------------------------------------------------------------------
# DJ99 综合指标填报表


def dj99(year: int, d: District) -> tuple[list[ReturnFile], list[Ack]]:
    data = L.dj99(year)
    items = codes("DJ99")
    files, acks = [], []
    for code, rows in data.items():
        house = house_of(code)
        rng = rng_for("dj99-render", year, code)
        if house.name == "formal":
            canon = ["指标名称", "指标代码", "计量单位", "本年数值"]
            headers = ["指标名称", "指标代码", "计量\n单位", "本年数值"]
        elif house.name == "plain":
            canon = ["指标代码", "本年数值"]
            headers = canon
        elif house.name == "messy":
            canon = ["指标代码", "指标名称", "本年数值", "计量单位"]
            headers = ["指标\n代码", "指标名称", "本年\n数值", "计量单位"]
        else:
            canon = ["指标代码", "指标名称", "计量单位", "本年数值"]
            headers = canon if house.name != "cn-xlsx" else ["指标代码", "指标名称", "计量单位", "本年数值（整数）"]
        out, tags = [], []
        for r in rows:
            item = items[r["指标代码"]]
            style = house.qty if house.qty != "measure" else ("measure" if rng.random() < 0.6 else "text")
            cells = {"指标代码": r["指标代码"], "指标名称": item.name, "计量单位": item.unit,
                     "本年数值": cv.int_as(style, r["本年数值"], item.unit)}
            out.append([cells[k] for k in canon])
            tags.append(r.get("_tag"))
        table = ReturnTable(headers, out, tags)
        house99 = House(**{**house.__dict__, "n_blank": 0, "sheets_before": (), "sheet": "DJ99"})
        f = house_file("DJ99", code, house99, "综合指标填报表", table, year, rng)
        files.append(f)
        if "DJ99-W02" in tags:
            acks.append(Ack("DJ99-W02", "DJ99", f.unit, "DJ99-W02",
                            "2022年起启用网络舆情监测平台，监看范围由重点网站扩大至全网，数据属实。"))
    return files, acks


# ------------------------------------------------------------------------------------------------------------


def year_returns(year: int, d: District) -> YearReturns:
    yr = YearReturns(year)
    for build in (dj00,):
        yr.files += build(year)
    for build in (dj01, dj02, dj03, dj04, dj05, dj06, dj07, dj08, dj09, dj10, dj11, dj12):
        yr.files += build(year, d)
    files, acks = dj99(year, d)
    yr.files += files
    yr.acks += acks
    if year == 2021:
        yr.acks.append(Ack("DJ06-W01", "DJ06", stem("DJ06", "B06"), "DJ06-W01",
                           "本次专项整治整改完成数含2020年发现、本年完成整改的问题6个，数据属实。"))
    if year == 2020:
        yr.acks.append(Ack("DJ06-W02", "DJ06", stem("DJ06", "S01"), "DJ06-W02",
                           "该场宣讲由区委宣讲团在本街道举办，街道重复报送，已知悉按一次统计。"))
    return yr

