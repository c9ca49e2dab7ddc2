"""A tiny clean district written as real returns, for audit tests: every form, no finding.

Tests copy it into tmp_path and plant one fault at a time. Check characters are computed here independently of
the package (GB 32100-2015 credit codes, GB 11643 ID numbers).
"""

from __future__ import annotations

import csv
from pathlib import Path

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(body17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(body17, CREDIT_WEIGHTS))
    check = (31 - total % 31) % 31
    return body17 + CREDIT_ALPHABET[check]


def id_number(body17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(body17, ID_WEIGHTS))
    return body17 + "10X98765432"[total % 11]


CODE_A = credit_code("91150102MA0N00001")
CODE_B = credit_code("52150102MJ0000002")
ID_P001 = id_number("15010219700512001")  # born 1970-05

YEAR = 2022

FILES: dict[str, tuple[list[str], list[list[str]]]] = {
    "DJ00/单位名录.csv": (["单位代码", "单位名称", "单位类别", "上级单位代码", "别名"], [
        ["A01", "区委组织部", "区委部门", "", "组织部"],
        ["A02", "区纪委监委", "区委部门", "", "纪委监委；区纪委"],
        ["A03", "区委巡察办", "区委部门", "", ""],
        ["A04", "区委办公室", "区委部门", "", "区委办"],
        ["B01", "区教育局", "区直机关", "", "教育局"],
        ["T01", "红旗镇", "镇", "", ""],
        ["T02", "新华街道", "街道", "", ""],
        ["V01", "红星村", "村", "T01", ""],
        ["V02", "东风村", "村", "T01", ""],
        ["C01", "和平社区", "社区", "T02", ""],
    ]),
    "DJ01/区委组织部.csv": (["人员编号", "姓名", "公民身份号码", "性别", "民族", "出生年月", "政治面貌", "级别",
                          "所在单位", "是否区委班子成员", "状态"], [
        ["P001", "张三", ID_P001, "男", "汉族", "1970.05", "中共党员", "县处级", "区委组织部", "是", "在职"],
        ["P002", "李四", "", "女", "汉族", "1988年3月", "党员", "正科级", "红旗镇党委", "否", "在职"],
        ["P003", "王五", "", "男", "", "199001", "中共党员", "副科级", "区教育局", "否", "在职"],
    ]),
    "DJ02/区委组织部.csv": (["批次号", "日期", "人员编号", "调整类型", "是否基层一线或急难险重岗位"], [
        ["B2022-01", "2022-03-05", "P002", "职级晋升", "是"],
    ]),
    "DJ03/红旗镇.csv": (["统一社会信用代码", "组织名称", "组织类型", "从业人员数", "党员人数", "党组织建立情况",
                       "党组织成立日期", "是否新就业群体"], [
        [CODE_A, "红旗商贸有限公司", "非公企业", "50", "5", "单独组建", "2020-01-01", "否"],
        [CODE_B, "红旗镇餐饮协会", "社会组织", "10", "1", "未建立", "", "否"],
    ]),
    "DJ04/红旗镇.csv": (["村名", "星级", "是否最强党支部", "包联县处级领导人员编号", "村集体经济收入"], [
        ["红星村", "9", "是", "P001", "12.5"],
        ["东风村", "8", "否", "", "30万元"],
    ]),
    "DJ05/红旗镇.csv": (["网格编号", "人员编号", "姓名", "人员类型"], [
        ["G01", "W001", "赵六", "专职"],
        ["G01", "W002", "钱七", "网格长"],
    ]),
    "DJ06/区委组织部.csv": (["日期", "活动类别代码", "活动名称", "主办单位", "场次", "参加人次", "受众人次",
                          "互动人次", "对象数", "发现问题数", "整改问题数", "下发文书数"], [
        ["2022-04-01", "PX01", "党员干部培训班", "", "2", "100", "", "", "", "", "", ""],
        ["2022/5/6", "JD01", "日常监督检查", "", "3", "—", "", "", "5", "4", "4", "2"],
    ]),
    "DJ06/红旗镇.csv": (["日期", "活动类别代码", "活动名称", "主办单位", "场次", "参加人次", "受众人次",
                       "互动人次", "对象数", "发现问题数", "整改问题数", "下发文书数"], [
        ["2022年6月1日", "XJ01", "理论宣讲", "红旗镇党委", "1", "", "300", "", "", "", "", ""],
    ]),
    "DJ07/区委组织部.csv": (["领导人员编号", "日期", "联系点", "解决问题数"], [
        ["P001", "2022-05-01", "红星村", "2"],
    ]),
    "DJ08/红旗镇.csv": (["层面", "参与党员干部人数", "查摆问题数", "整改措施数", "已整改问题数"], [
        ["党组织", "", "5", "6", "5"],
        ["党员干部", "20", "10", "12", "10"],
    ]),
    "DJ09/区委巡察办.csv": (["届次", "轮次", "被巡察单位", "问题编号", "是否点人点事", "整改状态", "整改完成日期"], [
        ["第十四届", "第3轮", "区教育局", "XC-001", "是", "已完成", "2022-10-01"],
        ["十四", "三", "区教育局", "XC-002", "否", "整改中", ""],
    ]),
    "DJ10/区纪委监委.csv": (["线索编号", "受理日期", "问题领域", "是否立案", "立案日期", "办结情况", "处分人数"], [
        ["XS-001", "2022-02-01", "生态环境", "是", "2022-03-01", "已办结", "1"],
        ["XS-002", "2021-12-20", "教育医疗", "否", "", "办理中", ""],
    ]),
    "DJ11/区纪委监委.csv": (["序号", "处置日期", "人员编号", "形态", "处置方式"], [
        ["1", "2022-06-01", "P003", "第一种", "谈话提醒"],
    ]),
    "DJ12/区委办公室.csv": (["文件编号", "制发单位", "备案类型", "审查日期"], [
        ["WJ-001", "教育局", "下级报备", "2022-07-01"],
    ]),
    "DJ99/区委组织部.csv": (["指标代码", "指标名称", "计量单位", "本年数值"], [
        ["Z01", "全面从严治党主体责任清单具体内容", "条", "120"],
        ["Z02", "", "", "3,000"],
    ]),
}


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_district(raw: Path, year: int = YEAR) -> Path:
    """Write the clean district under raw/<year>; return that folder."""
    root = raw / str(year)
    for rel, (header, rows) in FILES.items():
        write_csv(root / rel, header, rows)
    return root


def append_row(root: Path, rel: str, row: list[str]) -> int:
    """Append a data row to a CSV return; return its CSV line number."""
    header, rows = FILES[rel]
    write_csv(root / rel, header, rows + [row])
    return len(rows) + 2


def replace_cell(root: Path, rel: str, index: int, column: str, value: str) -> int:
    """Set one cell of data row `index` (0-based); return the row's CSV line number."""
    header, rows = FILES[rel]
    rows = [list(r) for r in rows]
    rows[index][header.index(column)] = value
    write_csv(root / rel, header, rows)
    return index + 2
