"""The year's ledgers of the sample district as canonical rows (DJ06–DJ12, DJ99).

Rows are dicts keyed by the forms' canonical column names; units are 单位代码. A row may carry `_tag` (a planted
finding: the writer records where it lands) and `_host_written` (DJ06: the 主办单位 written although it is the
reporting unit itself).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from yearbook.sample.world import (DEPT_CODES, TOWN_CODES, UNIT, YEARS, ZHEN_CODES, CadreYear, build_units, many,
                                   month_day, more, rng_for, row_factor, short_name, spread_dates)

FACTOR = {2020: 0.86, 2021: 0.93, 2022: 1.0}
CN_MONTH = "一二三四五六七八九十"


def n_of(year: int, v2022: float, lo: int = 1) -> int:
    """Rows of one unit in `year` (v2022 in 2022 at scale 1)."""
    return max(lo, round(v2022 * row_factor() * FACTOR[year]))


def quarter_name(q: int) -> str:
    return f"第{CN_MONTH[q - 1]}季度"


# ------------------------------------------------------------------------------------------------------------
# DJ06 会议活动台账


def _act(date: dt.date, code: str, name: str, host: str | None = None, **q: int) -> dict:
    row = {"日期": date, "活动类别代码": code, "活动名称": name, "主办单位": host, "场次": 1, "参加人次": 0,
           "受众人次": 0, "互动人次": 0, "对象数": 0, "发现问题数": 0, "整改问题数": 0, "下发文书数": 0}
    row.update(q)
    return row


def _monthly(rng: random.Random, year: int, code: str, name: str, **ranges: tuple[int, int]) -> list[dict]:
    rows = []
    for m in range(1, 13):
        q = {k: rng.randint(*v) for k, v in ranges.items()}
        if "整改问题数" in q and "发现问题数" in q and q["整改问题数"] > q["发现问题数"]:
            q["整改问题数"] = q["发现问题数"]
        rows.append(_act(month_day(rng, year, m), code, f"{name}（{m}月）", **q))
    return rows


UNIT_THEME = {2020: "“不忘初心、牢记使命”主题教育成果巩固", 2021: "党史学习教育", 2022: "学习贯彻党的二十大精神"}
LECTURE_THEME = {2020: "“四史”", 2021: "党史", 2022: "党的二十大精神"}


def dj06(year: int, cadres: CadreYear) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    f = FACTOR[year]

    # 区委办公室: 区委常委会会议, 意识形态专题研究 (the host is 区委)
    rng = rng_for("dj06", year, "B01")
    rows = []
    for i, d in enumerate(spread_dates(rng, year, {2020: 38, 2021: 44, 2022: 46}[year]), 1):
        rows.append(_act(d, "HY01", f"区委常委会{year}年第{i}次会议", "Q01", 参加人次=rng.randint(11, 16)))
    for i, d in enumerate(spread_dates(rng, year, {2020: 4, 2021: 5, 2022: 6}[year]), 1):
        rows.append(_act(d, "YS01", f"区委常委会专题研究意识形态工作（第{i}次）", "Q01", 参加人次=rng.randint(11, 15)))
    out["B01"] = rows

    # 区委组织部
    rng = rng_for("dj06", year, "B02")
    rows = []
    for i, d in enumerate(spread_dates(rng, year, {2020: 4, 2021: 5, 2022: 6}[year]), 1):
        rows.append(_act(d, "HY02", f"区委党的建设工作领导小组{year}年第{i}次会议", "Q01", 参加人次=rng.randint(18, 26)))
    talent = ["区委人才工作会议", "区委人才工作领导小组会议", "人才工作推进会", "人才引进工作专题会议", "人才工作述职评议会"]
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 12)), 1):
        rows.append(_act(d, "HY03", f"{talent[i % len(talent)]}（第{i}次）", 参加人次=rng.randint(20, 60)))
    classes = ["科级干部学习贯彻{theme}专题培训班", "年轻干部能力提升培训班", "基层党组织书记示范培训班", "发展对象培训班",
               "入党积极分子培训班", "新任科级干部任职培训班", "党务干部业务能力提升培训班",
               "村（社区）“两委”干部培训班", "机关党支部书记培训班", "统战干部业务培训班"]
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 42)), 1):
        name = classes[i % len(classes)].format(theme=UNIT_THEME[year])
        rows.append(_act(d, "PX01", f"{name}（第{math.ceil(i / len(classes))}期）", 参加人次=rng.randint(16, 42)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 6)), 1):
        rows.append(_act(d, "PX02", f"抓党建促乡村振兴现场观摩学习（第{i}次）", 参加人次=rng.randint(40, 90)))
    rows += _monthly(rng, year, "RC01", "调度各成员单位人才工作", 场次=(2, 4))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 11)), 1):
        rows.append(_act(d, "RC02", f"“千名专家服务基层”活动第{i}批", 场次=rng.choice([1, 1, 2]),
                         参加人次=rng.randint(12, 32)))
    units = [c for c in DEPT_CODES + TOWN_CODES if c not in ("B10",)]
    for c, d in zip(units, spread_dates(rng, year, len(units), dt.date(year, 1, 4), dt.date(year, 3, 31))):
        if rng.random() < 0.1 + 0.08 * (2022 - year):
            continue
        rows.append(_act(d, "ZZ01", f"督促指导{UNIT[c].name}领导班子{year - 1}年度民主生活会",
                         参加人次=rng.randint(6, 12)))
    rows += _monthly(rng, year, "ZZ03", "“三会一课”和组织生活会抽查", 场次=(int(85 * f), int(115 * f)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 20)), 1):
        rows.append(_act(d, "XC03", f"疫情防控光荣榜第{i}期", 受众人次=rng.randint(3000, 12000)))
    out["B02"] = rows

    # 区委宣传部
    rng = rng_for("dj06", year, "B03")
    rows = []
    for i, d in enumerate(spread_dates(rng, year, {2020: 12, 2021: 15, 2022: 14}[year]), 1):
        rows.append(_act(d, "XX01", f"区委理论学习中心组{year}年第{i}次集体学习", "Q01", 参加人次=rng.randint(20, 30)))
    topics = ["习近平新时代中国特色社会主义思想", UNIT_THEME[year], "铸牢中华民族共同体意识", "意识形态工作责任制",
              "优化营商环境", "生态文明建设", "乡村振兴", "全面从严治党", "统筹发展和安全", "基层治理现代化"]
    for i, d in enumerate(spread_dates(rng, year, {2020: 8, 2021: 10, 2022: 11}[year]), 1):
        rows.append(_act(d, "XX02", f"区委理论学习中心组专题研讨会：{topics[(i - 1) % len(topics)]}", "Q01",
                         参加人次=rng.randint(20, 30)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 32)), 1):
        s = rng.randint(3, 8)
        rows.append(_act(d, "XJ01", f"{LECTURE_THEME[year]}宣讲“七进”活动（第{i}批）", 场次=s,
                         受众人次=s * rng.randint(90, 260)))
    rows += _monthly(rng, year, "XC01", "“理论微课堂”节目录制刊播", 场次=(8, 12))
    for i, d in enumerate(spread_dates(rng, year, {2020: 3, 2021: 5, 2022: 6}[year]), 1):
        rows.append(_act(d, "XC02", f"“理论云讲堂”网络直播第{i}期", 受众人次=rng.randint(14000, 26000),
                         互动人次=rng.randint(1600, 2900)))
    for q in range(1, 5):
        rows.append(_act(month_day(rng, year, 3 * q), "YS02", f"意识形态联席会议暨舆情会商会（{quarter_name(q)}）",
                         参加人次=rng.randint(18, 30)))
    for i, d in enumerate(spread_dates(rng, year, more(24)), 1):
        found = rng.randint(3, 9)
        rows.append(_act(d, "YS03", f"社会面公益广告排查（第{i}次）", 对象数=rng.randint(40, 90), 发现问题数=found,
                         整改问题数=found - rng.choice([0, 0, 0, 1])))
    out["B03"] = rows

    # 区委统战部
    rng = rng_for("dj06", year, "B04")
    rows = []
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 16)), 1):
        rows.append(_act(d, "TZ01", f"民族政策宣传月系列活动（第{i}场）" if d.month == 9 else f"民族团结进步宣传活动（第{i}场）",
                         场次=rng.randint(2, 5), 受众人次=rng.randint(200, 900)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 14)), 1):
        rows.append(_act(d, "TZ02", f"“上门服务”走访调研民营企业（第{i}批）", 对象数=rng.randint(7, 14),
                         发现问题数=rng.randint(2, 8)))
    out["B04"] = rows

    # 区纪委监委
    rng = rng_for("dj06", year, "B06")
    rows = []
    rows += _monthly(rng, year, "JD01", "日常监督检查", 场次=(int(82 * f), int(112 * f)), 对象数=(30, 60),
                     发现问题数=(40, 62), 下发文书数=(12, 20))
    areas = ["惠农惠民政策落实", "涉农项目资金使用", "乡村振兴衔接资金", "农村集体“三资”管理", "低保和特困供养",
             "高标准农田建设"]
    for i, d in enumerate(spread_dates(rng, year, more(12)), 1):
        rows.append(_act(d, "JD02", f"{areas[(i - 1) % len(areas)]}重点环节监督检查", 场次=rng.randint(3, 5),
                         对象数=rng.randint(5, 15), 发现问题数=rng.randint(11, 24)))
    fields = ["教育医疗", "就业创业", "养老社保", "食品药品安全"]
    for i, d in enumerate(spread_dates(rng, year, more(8)), 1):
        found = rng.randint(15, 25)
        row = _act(d, "JD03", f"{fields[(i - 1) % 4]}领域腐败问题专项整治（第{math.ceil(i / 4)}轮）",
                   发现问题数=found, 整改问题数=found - rng.randint(0, 3))
        if year == 2021 and i == 5:  # planted DJ06-W01: rectified includes problems found in 2020
            row["整改问题数"] = found + 6
            row["_tag"] = "DJ06-W01"
        rows.append(row)
    for m in range(1, 13):
        found = rng.randint(30, 40)
        rows.append(_act(month_day(rng, year, m), "JD04", f"廉政提醒约谈（{m}月）", 场次=rng.randint(15, 20),
                         参加人次=rng.randint(85, 115), 下发文书数=rng.randint(20, 30), 发现问题数=found,
                         整改问题数=found - rng.randint(0, 5)))
    rows += _monthly(rng, year, "ZZ02", "“三重一大”事项决策会议监督", 场次=(int(110 * f), int(140 * f)))
    rows += _monthly(rng, year, "LJ01", "“清风”廉洁文化专栏内容发布", 场次=(20, 30), 受众人次=(3000, 9000))
    for i, d in enumerate(spread_dates(rng, year, more(10)), 1):
        rows.append(_act(d, "LJ02", f"“风清气正好扬帆”廉洁文化原创文艺作品展播（第{i}批）", 场次=rng.randint(4, 6),
                         受众人次=rng.randint(2000, 8000)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 22)), 1):
        rows.append(_act(d, "LJ03", f"警示教育大会暨以案促改（第{i}次）", 场次=rng.randint(3, 5),
                         参加人次=rng.randint(150, 400)))
    rows += _monthly(rng, year, "LJ04", "《廉政文摘》编发", 场次=(4, 5))
    rows += _monthly(rng, year, "LJ05", "典型案例通报", 场次=(2, 3))
    out["B06"] = rows

    # 区直机关工委
    rng = rng_for("dj06", year, "B11")
    rows = []
    for i, d in enumerate(spread_dates(rng, year, more(12)), 1):
        found = rng.randint(14, 20)
        rows.append(_act(d, "JG01", f"机关党建实地调研督查（第{i}组）", 对象数=rng.randint(8, 12), 发现问题数=found,
                         整改问题数=found))
    for i, d in enumerate(spread_dates(rng, year, more({2020: 8, 2021: 10, 2022: 12}[year])), 1):
        rows.append(_act(d, "JG02", f"机关作风建设深入一线调研（第{i}轮）", 对象数=rng.randint(3, 5),
                         发现问题数=rng.randint(4, 7), 下发文书数=1))
    out["B11"] = rows

    # 区人社局: 就业创业培训, 新型学徒制培训
    rng = rng_for("dj06", year, "C10")
    rows = []
    kinds = ["电商创业", "家政服务", "育婴员", "中式烹调", "电工", "焊工", "农机驾驶", "直播销售", "养老护理员"]
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 36)), 1):
        rows.append(_act(d, "PX03", f"{kinds[i % len(kinds)]}就业创业培训班（第{i}批）", 参加人次=rng.randint(20, 38)))
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 15)), 1):
        rows.append(_act(d, "PX04", f"企业新型学徒制培训（第{i}批）", 参加人次=rng.randint(30, 50)))
    out["C10"] = rows

    # 区农牧水利局
    rng = rng_for("dj06", year, "C12")
    rows = []
    subjects = ["设施农业", "肉羊养殖", "高标准农田", "节水灌溉", "农产品电商", "乡村振兴政策", "林下经济", "葡萄种植"]
    for i, d in enumerate(spread_dates(rng, year, n_of(year, 30)), 1):
        rows.append(_act(d, "PX02", f"{subjects[i % len(subjects)]}业务培训（第{i}场）", 场次=rng.choice([1, 1, 2]),
                         参加人次=rng.randint(30, 80)))
    out["C12"] = rows

    # towns and sub-districts
    for t in TOWN_CODES:
        rng = rng_for("dj06", year, t)
        name = UNIT[t].name
        rows = _monthly(rng, year, "XX03", f"{name}党委理论学习中心组学习" if t in ZHEN_CODES
                        else f"{name}党工委理论学习中心组学习", 场次=(1, 1))
        for i, d in enumerate(spread_dates(rng, year, n_of(year, 9)), 1):
            rows.append(_act(d, "XJ01", f"{LECTURE_THEME[year]}宣讲进村（社区）（第{i}批）", 场次=rng.randint(2, 5),
                             受众人次=rng.randint(150, 600)))
        if t in ZHEN_CODES:
            for i, d in enumerate(spread_dates(rng, year, n_of(year, 9)), 1):
                rows.append(_act(d, "PX02", f"乡村振兴政策业务培训及观摩学习（第{i}场）", 参加人次=rng.randint(30, 70)))
        for i, d in enumerate(spread_dates(rng, year, n_of(year, 5)), 1):
            rows.append(_act(d, "TZ01", f"民族团结进步宣传活动（第{i}场）", 场次=rng.randint(1, 3),
                             受众人次=rng.randint(100, 400)))
        for i, d in enumerate(spread_dates(rng, year, more(3)), 1):
            rows.append(_act(d, "LJ03", f"{name}警示教育会（第{i}次）", 场次=rng.randint(1, 3),
                             参加人次=rng.randint(60, 140)))
        out[t] = rows

    # other departments: their Party group's central study group, warning education, some lectures
    others = [c for c in DEPT_CODES if c not in out and c not in ("B05", "B07", "B08", "B09", "B12", "B13")]
    for c in others:
        rng = rng_for("dj06", year, c)
        unit = UNIT[c]
        body = "党委" if unit.category == "企事业单位" else "党组"
        n = more(rng.randint(9, 12))
        rows = [_act(d, "XX03", f"{unit.name}{body}理论学习中心组{year}年第{i}次学习", 参加人次=rng.randint(6, 15))
                for i, d in enumerate(spread_dates(rng, year, n), 1)]
        for i, d in enumerate(spread_dates(rng, year, more(rng.randint(1, 2))), 1):
            rows.append(_act(d, "LJ03", f"{unit.name}警示教育（第{i}次）", 参加人次=rng.randint(20, 80)))
        if rng.random() < 0.4:
            d = spread_dates(rng, year, 1)[0]
            rows.append(_act(d, "XJ01", f"{LECTURE_THEME[year]}进机关宣讲", 场次=rng.randint(1, 2),
                             受众人次=rng.randint(40, 150)))
        out[c] = rows

    # planted DJ06-W02: one lecture reported by the host (区委宣传部) and by the sub-district it was held in
    if year in (2020, 2022):
        town = {2020: "S01", 2022: "S02"}[year]
        date = {2020: dt.date(2020, 9, 16), 2022: dt.date(2022, 11, 9)}[year]
        name = {2020: "“四史”宣讲进社区（区委宣讲团）", 2022: "党的二十大精神宣讲进社区（区委宣讲团）"}[year]
        row = _act(date, "XJ01", name, "B03", 场次=1, 受众人次=320 if year == 2022 else 260)
        out["B03"].append(dict(row, _host_written=True, _tag="DJ06-W02"))
        out[town].append(dict(row, _tag="DJ06-W02"))  # the finding lands on the file whose name sorts later

    for c in out:
        out[c].sort(key=lambda r: (r["日期"], r["活动类别代码"], r["活动名称"]))
    return out


# ------------------------------------------------------------------------------------------------------------
# DJ07 党建联系点调研台账


def dj07(year: int, cadres: CadreYear) -> list[dict]:
    rng = rng_for("dj07", year)
    # contact points are grassroots: villages, communities, and schools, hospitals and companies
    points = [u.code for u in build_units(year) if u.category in ("村", "社区", "企事业单位")]
    leaders = [r for r in cadres.roster if r["级别"] == "县处级" and r["状态"] == "在职"]
    rows = []
    for r in leaders:
        prng = rng_for("contact-point", r["人员编号"])
        point = prng.choice(points)
        if r["是否区委班子成员"]:
            n = rng.randint(10, 14)
        else:
            n = rng.choice([0, 2, 3, 3, 4, 4, 5, 5, 6]) if rng.random() > 0.04 else 0
        for d in spread_dates(rng, year, n):
            where = point if rng.random() < 0.85 else prng.choice(points)
            rows.append({"领导人员编号": r["人员编号"], "日期": d, "联系点": where,
                         "解决问题数": rng.choice([0, 1, 1, 1, 2, 2, 3])})
    rows.sort(key=lambda r: (r["日期"], r["领导人员编号"]))
    return rows


# ------------------------------------------------------------------------------------------------------------
# DJ08 集中治理查摆整改统计表


def dj08(year: int) -> dict[str, list[dict]]:
    out = {}
    units = [c for c in DEPT_CODES + TOWN_CODES]
    for c in units:
        rng = rng_for("dj08", year, c)
        town = c in TOWN_CODES
        rate = 1.0 if year == 2022 else rng.choice([1.0, 0.96, 0.92, 0.9])
        rows = []
        if town or rng.random() < 0.75:
            found = rng.randint(8, 26) if town else rng.randint(5, 18)
            rows.append({"层面": "党组织", "参与党员干部人数": None, "查摆问题数": found,
                         "整改措施数": found + rng.randint(2, 12), "已整改问题数": math.floor(found * rate)})
        people = rng.randint(180, 330) if town else rng.randint(15, 90)
        people = round(people * {2020: 0.9, 2021: 0.95, 2022: 1.0}[year])
        found = round(people * rng.uniform(1.1, 1.5))
        rows.append({"层面": "党员干部", "参与党员干部人数": people, "查摆问题数": found,
                     "整改措施数": round(found * rng.uniform(1.1, 1.4)), "已整改问题数": math.floor(found * rate)})
        out[c] = rows
    return out


# ------------------------------------------------------------------------------------------------------------
# DJ09 巡察整改台账

ROUNDS = {2020: [(13, 9), (13, 10)], 2021: [(13, 11), (14, 1)], 2022: [(14, 2), (14, 3)]}


def dj09(year: int) -> list[dict]:
    rng = rng_for("dj09", year)
    rows = []
    candidates = DEPT_CODES + TOWN_CODES
    villages = [u.code for u in build_units(year) if u.category in ("村", "社区")]
    per_round = more({2020: 11, 2021: 12, 2022: 14}[year])
    picked = rng.sample(candidates, k=per_round * 2)
    for k, (term, rnd) in enumerate(ROUNDS[year]):
        start = dt.date(year, 3 if k == 0 else 6, 10 if k == 0 else 1)
        units = picked[k * per_round:(k + 1) * per_round] + rng.sample(villages, k=more(2))
        for ui, u in enumerate(units, 1):
            for j in range(1, more(rng.randint(7, 13)) + 1):
                feedback = start + dt.timedelta(days=rng.randint(40, 60))
                done_in = rng.randint(15, 120 if k == 0 else 190 - 6 * (year - 2020))
                done = feedback + dt.timedelta(days=done_in)
                rectified = done <= dt.date(year, 12, 31) and rng.random() < 0.985
                rows.append({"届次": term, "轮次": rnd, "被巡察单位": u,
                             "问题编号": f"XC{term}-{rnd:02d}-{ui:02d}-{j:02d}",
                             "是否点人点事": rng.random() < 0.11,
                             "整改状态": "已整改" if rectified else "整改中",
                             "整改完成日期": done if rectified else None})
    return rows


# ------------------------------------------------------------------------------------------------------------
# DJ10 问题线索与案件台账


def _leads(year: int) -> list[dict]:
    """Leads received in `year` with their whole life (filing, closing, sanctions)."""
    rng = rng_for("dj10-leads", year)
    n = many({2019: 320, 2020: 332, 2021: 351, 2022: 372}[year])
    areas = ["生态环境", "教育医疗", "就业创业", "养老社保", "食品药品安全", "惠农惠民", "其他"]
    weights = [8, 8, 5, 6, 4, 14, 55]
    leads = []
    for i, d in enumerate(spread_dates(rng, year, n), 1):
        filed = rng.random() < 0.33
        file_date = d + dt.timedelta(days=rng.randint(7, 60)) if filed else None
        close = (file_date or d) + dt.timedelta(days=rng.randint(20, 160))
        sanctions = (rng.choice([0, 1, 1, 1, 1, 1, 2]) if filed else 0)
        leads.append({"线索编号": f"XS{year}{i:04d}", "受理日期": d,
                      "问题领域": rng.choices(areas, weights)[0], "_filed": filed, "_file_date": file_date,
                      "_close": close, "_sanctions": sanctions})
    return leads


def dj10(year: int) -> list[dict]:
    end = dt.date(year, 12, 31)
    rows = []
    for y in (year - 1, year):
        for lead in _leads(y):
            if y < year and lead["_close"] <= dt.date(year - 1, 12, 31):
                continue  # closed last year: not in this year's ledger
            filed = lead["_filed"] and lead["_file_date"] <= end
            closed = lead["_close"] <= end
            rows.append({"线索编号": lead["线索编号"], "受理日期": lead["受理日期"], "问题领域": lead["问题领域"],
                         "是否立案": filed, "立案日期": lead["_file_date"] if filed else None,
                         "办结情况": "已办结" if closed else "办理中",
                         "处分人数": lead["_sanctions"] if filed and closed else 0})
    return rows


# ------------------------------------------------------------------------------------------------------------
# DJ11 “四种形态”处置台账

MEASURES = {
    "第一种形态": ["谈话提醒", "批评教育", "责令检查", "诫勉", "提醒谈话"],
    "第二种形态": ["党内警告", "党内严重警告", "政务警告", "政务记过", "政务记大过", "组织调整"],
    "第三种形态": ["撤销党内职务", "留党察看", "政务撤职", "降职"],
    "第四种形态": ["开除党籍", "政务开除", "开除党籍、政务开除并移送检察机关"],
}


def dj11(year: int) -> list[dict]:
    rng = rng_for("dj11", year)
    total = many({2020: 428, 2021: 463, 2022: 497}[year])
    shares = {2020: (0.69, 0.21, 0.06), 2021: (0.70, 0.20, 0.06), 2022: (0.71, 0.19, 0.06)}[year]
    n1, n2, n3 = (round(total * s) for s in shares)
    kinds = ["第一种形态"] * n1 + ["第二种形态"] * n2 + ["第三种形态"] * n3
    kinds += ["第四种形态"] * (total - len(kinds))
    rng.shuffle(kinds)
    rows = []
    for i, (d, k) in enumerate(zip(spread_dates(rng, year, total), kinds), 1):
        rows.append({"序号": f"{year}-{i:04d}", "处置日期": d, "人员编号": f"DX{year % 100}{rng.randint(10000, 99999)}",
                     "形态": k, "处置方式": rng.choice(MEASURES[k])})
    return rows


# ------------------------------------------------------------------------------------------------------------
# DJ12 规范性文件备案审查台账


def dj12(year: int) -> list[dict]:
    rng = rng_for("dj12", year)
    rows = []
    counters: dict[str, int] = {}

    def number(unit: str, prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + rng.randint(1, 4)
        return f"{prefix}〔{year}〕{counters[prefix]}号"

    n_up = many({2020: 24, 2021: 28, 2022: 31}[year])
    for d in spread_dates(rng, year, n_up):
        unit = rng.choice(["Q01", "Q01", "B01"])
        rows.append({"文件编号": number(unit, "区委发" if unit == "Q01" else "区委办发"), "制发单位": unit,
                     "备案类型": "上报备案", "审查日期": d})
    depts = ["B02", "B03", "B04", "B05", "B06", "B08", "B09", "B11", "B12", "B13"]
    if year == 2020:
        depts = depts[:8]
    issuers = depts * 3 + TOWN_CODES * 3 + ["C04", "C15", "C10", "C19"]
    n_down = many({2020: 98, 2021: 110, 2022: 121}[year])
    for d in spread_dates(rng, year, n_down):
        unit = rng.choice(issuers)
        short = short_name(unit)
        prefix = short + "发" if short else UNIT[unit].name.removeprefix("区")[:2] + "党组发"
        rows.append({"文件编号": number(unit, prefix), "制发单位": unit, "备案类型": "下级报备", "审查日期": d})
    rows.sort(key=lambda r: (r["审查日期"], r["文件编号"]))
    return rows


# ------------------------------------------------------------------------------------------------------------
# DJ99 综合指标填报表

# (unit, code) -> value in 2022; earlier years are derived with bounded changes (never a factor of 3 apart,
# except the planted DJ99-W02 case).
DJ99_2022: dict[str, dict[str, int]] = {
    "B02": {"Z01": 9, "Z17": 120, "Z18": 62, "Z19": 96, "Z20": 41, "Z21": 31000, "Z22": 35, "Z23": 826,
            "Z24": 36, "Z25": 71, "Z26": 318, "Z27": 28, "Z28": 12, "Z29": 5, "Z30": 9, "Z31": 3, "Z32": 32,
            "Z33": 112, "Z34": 46},
    "B03": {"Z01": 7, "Z02": 620, "Z03": 418, "Z10": 2560, "Z11": 310, "Z12": 520, "Z13": 262},
    "B04": {"Z01": 6, "Z39": 16, "Z40": 5},
    "B05": {"Z01": 5, "Z16": 152},
    "B06": {"Z01": 8, "Z04": 112, "Z05": 384},
    "B09": {"Z01": 5, "Z06": 5380, "Z07": 1020, "Z08": 2310, "Z09": 3120},
    "B11": {"Z01": 6, "Z17": 426, "Z20": 28},
    "C03": {"Z01": 5},
    "C04": {"Z01": 6, "Z36": 88},
    "C10": {"Z01": 5, "Z35": 121, "Z37": 54},
    "C15": {"Z01": 6, "Z36": 71},
    "C19": {"Z01": 4, "Z13": 183, "Z38": 60},
    "D04": {"Z01": 4, "Z10": 9120, "Z11": 1130, "Z12": 1610},
}
TOWN_DJ99 = {"Z01": 10, "Z02": 48, "Z03": 30, "Z06": 160, "Z10": 310, "Z13": 40, "Z14": 1250, "Z15": 2520,
             "Z16": 290, "Z17": 110, "Z18": 15, "Z19": 24, "Z20": 10, "Z21": 5200}
STREET_ONLY_SKIP = {"Z02"}  # sub-districts do not distribute study books themselves


def dj99(year: int) -> dict[str, list[dict]]:
    table: dict[str, dict[str, int]] = {u: dict(v) for u, v in DJ99_2022.items()}
    for t in TOWN_CODES:
        rng = rng_for("dj99-town", t)
        table[t] = {c: max(1, round(v * rng.uniform(0.75, 1.3))) for c, v in TOWN_DJ99.items()
                    if not (UNIT[t].category == "街道" and c in STREET_ONLY_SKIP)}
    out: dict[str, list[dict]] = {}
    for unit, items in table.items():
        rows = []
        for code, v2022 in items.items():
            series = _series(unit, code, v2022)
            value = series[YEARS.index(year)]
            if value is None:
                continue
            rows.append({"指标代码": code, "本年数值": value,
                         **({"_tag": "DJ99-W02"} if (unit, code, year) == ("B09", "Z06", 2022) else {})})
        out[unit] = rows
    return out


def _series(unit: str, code: str, v2022: int) -> list[int | None]:
    """Values for 2020, 2021, 2022: growth between 0.8 and 1.3 a year, so never beyond a factor of 3."""
    rng = rng_for("dj99-series", unit, code)
    if code == "Z03":  # 《习近平谈治国理政》第四卷 was published in 2022: earlier years report 0
        return [0, 0, v2022]
    if (unit, code) == ("B09", "Z06"):  # planted: a monitoring platform from 2022 (3.7 times 2021)
        return [1262, 1451, v2022]
    v21 = max(1, round(v2022 / rng.uniform(0.95, 1.3)))
    v20 = max(1, round(v21 / rng.uniform(0.9, 1.25)))
    for prev, cur in ((v20, v21), (v21, v2022)):
        assert prev / 3 <= cur <= prev * 3, (unit, code, prev, cur)
    return [v20, v21, v2022]
