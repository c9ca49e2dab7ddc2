"""A small hand-made district as *processed* tables (the shape of `yearbook.processed.load_table`), for the
content tests: two or three years, every form, a handful of units. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pandas as pd

from yearbook.processed import SOURCE_COLUMNS, schema
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import FORMS

TOWNS = [("T01", "红旗镇", "镇"), ("T02", "东风镇", "镇"), ("T03", "向阳镇", "镇"), ("S01", "新华街道", "街道"),
         ("S02", "团结街道", "街道")]
DEPTS = [("Q00", "区委", "区委"), ("D01", "区委办公室", "区委部门"), ("D02", "区委组织部", "区委部门"),
         ("D03", "区委宣传部", "区委部门"), ("D04", "区委统战部", "区委部门"), ("D05", "区纪委监委", "区直机关"),
         ("D06", "区教育局", "区直机关"), ("D07", "区卫生健康委", "区直机关"), ("D08", "区城投公司", "企事业单位")]


def _frame(form: str, rows: list[dict]) -> pd.DataFrame:
    cols = [f.name for f in schema(FORMS[form])]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for f in schema(FORMS[form]):
        if str(f.type) == "int64":
            df[f.name] = df[f.name].astype("Int64")
    return df


def make_year(year: int, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    rnd = random.Random(year)
    day = lambda: dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))  # noqa: E731
    src = lambda unit, i: {"报送单位": unit, "source_file": f"X/{unit}.xlsx", "source_row": i + 4}  # noqa: E731
    t: dict[str, pd.DataFrame] = {}

    units = [{"单位代码": c, "单位名称": n, "单位类别": k, "上级单位代码": None, "别名": None} for c, n, k in TOWNS + DEPTS]
    villages = []
    for town, _, kind in TOWNS:
        for k in range(1, 5 if kind == "镇" else 3):
            code = f"{town}V{k:02d}" if kind == "镇" else f"{town}C{k:02d}"
            units.append({"单位代码": code, "单位名称": f"{town}{'村' if kind == '镇' else '社区'}{k}",
                          "单位类别": "村" if kind == "镇" else "社区", "上级单位代码": town, "别名": None})
            if kind == "镇":
                villages.append((town, code))
    t["DJ00"] = _frame("DJ00", [{**u, "报送单位": None, "source_file": "DJ00/名录.xlsx", "source_row": i + 4}
                                for i, u in enumerate(units)])

    cadres = []
    for i in range(int(120 * scale)):
        born = rnd.choice([1965, 1968, 1972, 1975, 1978, 1983, 1986, 1989, 1992, 1995, 1998]) + (year - 2022) * 0
        level = rnd.choice(["正科级", "副科级", "副科级", "科员级"]) if i >= 8 else "县处级"
        cadres.append({"人员编号": f"P{i:04d}", "性别": rnd.choice("男女"), "民族": "汉族",
                       "出生年月": f"{born + (1 if (year % 2 and i % 5 == 0) else 0)}-0{rnd.randint(1, 9)}",
                       "政治面貌": "中共党员", "级别": level, "所在单位": rnd.choice(DEPTS)[0],
                       "是否区委班子成员": i < 5, "状态": "在职" if i % 17 else "退休", **src("D02", i)})
    t["DJ01"] = _frame("DJ01", cadres)
    t["DJ02"] = _frame("DJ02", [{"批次号": f"{year}-{k % 4 + 1}", "日期": day(), "人员编号": f"P{k:04d}",
                                 "调整类型": rnd.choice(["职务调整", "职级晋升", "事业职员等级晋升", "提拔交流"]),
                                 "是否基层一线或急难险重岗位": k % 3 == 0, **src("D02", k)} for k in range(30)])
    two_new = []
    for town, _, _ in TOWNS:
        for k in range(rnd.randint(6, 14)):
            est = rnd.choice(["单独建立", "联合建立", "联合建立", "未建立"])
            two_new.append({"统一社会信用代码": f"91{town}{k:04d}", "组织名称": f"组织{town}{k}",
                            "组织类型": rnd.choice(["非公有制企业", "非公有制企业", "社会组织"]),
                            "从业人员数": rnd.randint(5, 200), "党员人数": rnd.randint(0, 12),
                            "党组织建立情况": est,
                            "党组织成立日期": None if est == "未建立" else dt.date(rnd.choice([2018, year]), 5, 1),
                            "是否新就业群体": k % 4 == 0, **src(town, k)})
    t["DJ03"] = _frame("DJ03", two_new)
    t["DJ04"] = _frame("DJ04", [{"村名": v, "星级": rnd.choice([9, 9, 9, 8, 7, 6]), "是否最强党支部": k % 2 == 0,
                                 "包联县处级领导人员编号": f"P{k % 5:04d}" if k % 2 == 0 else None,
                                 "村集体经济收入": Decimal(rnd.randint(50, 15000)) / 100, **src(town, k)}
                                for k, (town, v) in enumerate(villages)])
    grid = []
    for town, _, _ in TOWNS:
        for k in range(rnd.randint(8, 16)):
            grid.append({"网格编号": f"{town}-G{k // 3}", "人员编号": f"G{town}{k:03d}",
                         "人员类型": rnd.choice(["专职网格员", "专职网格员", "兼职网格员", "网格长", "网格民警"]),
                         **src(town, k)})
    t["DJ05"] = _frame("DJ05", grid)
    acts = []
    for k, code in enumerate(codes("DJ06")):
        for n in range(rnd.randint(1, 6)):
            unit = rnd.choice(TOWNS + DEPTS)[0]
            acts.append({"日期": day(), "活动类别代码": code, "活动名称": f"活动{code}{n}", "主办单位": unit,
                         "场次": rnd.randint(1, 4), "参加人次": rnd.randint(0, 300), "受众人次": rnd.randint(0, 9000),
                         "互动人次": rnd.randint(0, 30000), "对象数": rnd.randint(0, 20),
                         "发现问题数": rnd.randint(0, 15), "整改问题数": rnd.randint(0, 10),
                         "下发文书数": rnd.randint(0, 5), **src(unit, k * 10 + n)})
    t["DJ06"] = _frame("DJ06", acts)
    t["DJ07"] = _frame("DJ07", [{"领导人员编号": f"P{k % 8:04d}", "日期": day(), "联系点": villages[k % len(villages)][1],
                                 "解决问题数": rnd.randint(0, 4), **src("D02", k)} for k in range(40)])
    rect = []
    for k, (unit, _, _) in enumerate(TOWNS + DEPTS):
        for level in ("党组织", "党员干部"):
            found = rnd.randint(2, 20)
            rect.append({"层面": level, "参与党员干部人数": rnd.randint(10, 80) if level == "党员干部" else None,
                         "查摆问题数": found, "整改措施数": found + rnd.randint(0, 5),
                         "已整改问题数": found - (1 if k == 3 else 0), **src(unit, k)})
    t["DJ08"] = _frame("DJ08", rect)
    t["DJ09"] = _frame("DJ09", [{"届次": 14, "轮次": 1 + k % 3, "被巡察单位": DEPTS[k % len(DEPTS)][0],
                                 "问题编号": f"W{k}", "是否点人点事": k % 5 == 0,
                                 "整改状态": "已整改" if k % 7 else "整改中", "整改完成日期": None,
                                 **src("D02", k)} for k in range(36)])
    domains = ["生态环境", "教育医疗", "就业创业", "养老社保", "食品药品安全", "惠农惠民", "其他"]
    t["DJ10"] = _frame("DJ10", [{"线索编号": f"X{k}", "受理日期": day(), "问题领域": domains[k % 7],
                                 "是否立案": k % 3 == 0, "立案日期": day() if k % 3 == 0 else None,
                                 "办结情况": "已办结" if k % 4 else "办理中", "处分人数": 1 if k % 3 == 0 else 0,
                                 **src("D05", k)} for k in range(45)])
    forms4 = ["第一种形态"] * 8 + ["第二种形态"] * 3 + ["第三种形态", "第四种形态"]
    t["DJ11"] = _frame("DJ11", [{"序号": str(k), "处置日期": day(), "人员编号": f"P{k:04d}",
                                 "形态": forms4[(k + year) % len(forms4)], "处置方式": "谈话提醒", **src("D05", k)}
                                for k in range(int(60 * scale))])
    t["DJ12"] = _frame("DJ12", [{"文件编号": f"F{k}", "制发单位": (DEPTS + TOWNS)[k % 14][0],
                                 "备案类型": "上报备案" if k % 4 == 0 else "下级报备", "审查日期": day(),
                                 **src("D01", k)} for k in range(25)])
    items = []
    for unit, _, _ in TOWNS + DEPTS:
        for k, code in enumerate(codes("DJ99")):
            if rnd.random() < 0.45:
                items.append({"指标代码": code, "指标名称": None, "计量单位": None,
                              "本年数值": rnd.randint(1, 400) * (30 if code in ("Z10", "Z15") else 1), **src(unit, k)})
    t["DJ99"] = _frame("DJ99", items)
    return t


def make_district(years=(2020, 2021, 2022)) -> dict[int, dict[str, pd.DataFrame]]:
    return {y: make_year(y, scale=1.0 + (y - 2020) * 0.1) for y in years}


def test_district_has_every_form():
    frames = make_district((2022,))[2022]
    assert set(frames) == set(FORMS)
    for form, df in frames.items():
        assert "报送单位" in df.columns and set(SOURCE_COLUMNS) <= set(df.columns), form
        assert len(df) > 0, form
