"""The reporting system (报表制度) as data: one declaration per form.

Each form is a `Form` with its `Column`s. Readers, cleaning and audit are generic functions over these
declarations; adding a form is adding a declaration here (plus its own rules in `rules.py`).
The text mirrors the contract's forms.md; where the contract is silent, the reading chosen is noted inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):
    """Value kinds (docs/architecture.md, "values.py — value parsing")."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    YEAR_MONTH = "year-month"
    BOOL = "bool"
    ORDINAL = "ordinal"
    ENUM = "enum"
    CODE = "code"  # an enumeration whose values are a code list of codes.csv
    UNIT = "unit"  # a unit name resolved through DJ00 to its 单位代码


@dataclass(frozen=True)
class Column:
    name: str  # canonical Chinese header, as in forms.md
    kind: Kind
    required: bool = False
    default: Any = None  # value of an empty optional cell (quantities: 0 unless stated)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # enum: canonical -> synonyms
    code_list: str | None = None  # Kind.CODE: which list of codes.csv
    personal: bool = False  # never leaves the raw layer (docs/architecture.md, "Processed tables")
    in_year: bool = False  # a date that must fall in YEAR (G-E09)
    quantity: bool = False  # a count or amount: negative values are G-E07
    measure: str | None = None  # the unit a decimal may carry as suffix (万元)
    minimum: int | None = None  # integers: smallest allowed value (G-E03 below it), e.g. 场次 ≥ 1
    required_if: tuple[str, str] | None = None  # (column, canonical value): required only on such rows (G-E02)

    @property
    def is_numeric(self) -> bool:
        return self.kind in (Kind.INTEGER, Kind.DECIMAL)


@dataclass(frozen=True)
class Form:
    code: str
    name: str  # Chinese title
    owner: str  # who fills it in (Chinese)
    columns: tuple[Column, ...]
    required: bool = False  # a missing folder / no data row is G-E08
    per_unit: bool = False  # one file per reporting unit
    # 报送范围 of a per-unit form: the DJ00 单位类别 that must report it, plus units named outright (names as in
    # DJ00). Units that reported the form in the year before are expected too (collect.units). A central form's
    # one reporter is its owner.
    scope: tuple[str, ...] = ()
    scope_units: tuple[str, ...] = ()
    due: str = "次年1月20日前"  # 报送时间 (Chinese), as the 报表目录 states it

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.code} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def personal_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.personal)


def _text(name: str, required: bool = False, **kw: Any) -> Column:
    return Column(name, Kind.TEXT, required=required, **kw)


def _int(name: str, required: bool = False, default: Any = 0, quantity: bool = True, **kw: Any) -> Column:
    return Column(name, Kind.INTEGER, required=required, default=None if required else default,
                  quantity=quantity, **kw)


def _enum(name: str, values: dict[str, tuple[str, ...]], required: bool = True, **kw: Any) -> Column:
    return Column(name, Kind.ENUM, required=required, values=values, **kw)


def _date(name: str, required: bool = True, in_year: bool = False) -> Column:
    return Column(name, Kind.DATE, required=required, in_year=in_year)


def _bool(name: str, required: bool = False, default: bool | None = False) -> Column:
    return Column(name, Kind.BOOL, required=required, default=None if required else default)


def _unit(name: str, required: bool = True) -> Column:
    return Column(name, Kind.UNIT, required=required)


UNIT_CATEGORIES = ("区委", "区委部门", "区直机关", "企事业单位", "镇", "街道", "村", "社区")
TOWN_CATEGORIES = ("镇", "街道")
DEPARTMENT_CATEGORIES = ("区委", "区委部门", "区直机关", "企事业单位")

FORMS: dict[str, Form] = {}


def _register(form: Form) -> Form:
    FORMS[form.code] = form
    return form


_register(Form("DJ00", "单位名录", "区委组织部", required=True, columns=(
    _text("单位代码", True),
    _text("单位名称", True),
    _enum("单位类别", {c: () for c in UNIT_CATEGORIES}),
    # Required only for 村/社区; the form rule DJ00-E02 covers it (the precedence of form rules over general ones: reporting/rules.py).
    _text("上级单位代码"),
    _text("别名"),
)))

_register(Form("DJ01", "干部名册", "区委组织部", required=True, columns=(
    _text("人员编号", True),
    _text("姓名", True, personal=True),
    _text("公民身份号码", personal=True),
    _enum("性别", {"男": (), "女": ()}),
    _text("民族"),
    Column("出生年月", Kind.YEAR_MONTH, required=True),
    _enum("政治面貌", {"中共党员": ("党员",), "中共预备党员": ("预备党员",), "民主党派": (), "无党派人士": (),
                      "群众": ()}),
    _enum("级别", {"县处级": ("处级",), "正科级": ("正科",), "副科级": ("副科",), "科员级": ("科员",)}),
    _unit("所在单位"),
    _bool("是否区委班子成员"),
    _enum("状态", {"在职": (), "退休": (), "调离": ("调出",)}),
)))

_register(Form("DJ02", "干部调整任用台账", "区委组织部", columns=(
    _text("批次号", True),
    _date("日期", in_year=True),
    _text("人员编号", True),
    _enum("调整类型", {"职务调整": (), "职级晋升": (), "事业职员等级晋升": (), "提拔交流": ()}),
    _bool("是否基层一线或急难险重岗位", required=True),
)))

_register(Form("DJ03", "两新组织党组织情况", "各镇（街道）", required=True, per_unit=True, scope=TOWN_CATEGORIES,
               columns=(
    _text("统一社会信用代码", True),
    _text("组织名称", True),
    _enum("组织类型", {"非公有制企业": ("非公企业",), "社会组织": ()}),
    _int("从业人员数", True),
    _int("党员人数", True),
    _enum("党组织建立情况", {"单独建立": ("单独组建",), "联合建立": ("联合组建",), "未建立": ("未建",)}),
    # Required only when established; the form rule DJ03-E04 covers it.
    _date("党组织成立日期", required=False),
    _bool("是否新就业群体"),
)))

_register(Form("DJ04", "村级党组织情况", "各镇", required=True, per_unit=True, scope=("镇",), columns=(
    _unit("村名"),
    # 星级 outside 1–9 is the form's own rule DJ04-E02 (not G-E07 / G-E03).
    _int("星级", True, quantity=False),
    _bool("是否最强党支部", required=True),
    _text("包联县处级领导人员编号"),
    Column("村集体经济收入", Kind.DECIMAL, required=True, quantity=True, measure="万元"),
)))

_register(Form("DJ05", "网格化管理人员名册", "各镇（街道）", per_unit=True, scope=TOWN_CATEGORIES, columns=(
    _text("网格编号", True),
    _text("人员编号", True),
    _text("姓名", True, personal=True),
    _enum("人员类型", {"专职网格员": ("专职",), "兼职网格员": ("兼职",), "网格长": (), "网格民警": ("民警",)}),
)))

# Every 区直机关, 企事业单位 and town keeps the activities ledger; a 区委部门 reports it once it holds activities
# (then it is expected in the years after, collect.units).
_register(Form("DJ06", "会议活动台账", "各单位", required=True, per_unit=True,
               scope=("区直机关", "企事业单位", *TOWN_CATEGORIES), columns=(
    _date("日期", in_year=True),
    Column("活动类别代码", Kind.CODE, required=True, code_list="DJ06"),
    _text("活动名称", True),
    # Empty: the reporting unit itself (filled in by cleaning).
    _unit("主办单位", required=False),
    _int("场次", default=1, minimum=1),
    _int("参加人次"),
    _int("受众人次"),
    _int("互动人次"),
    _int("对象数"),
    _int("发现问题数"),
    _int("整改问题数"),
    _int("下发文书数"),
)))

_register(Form("DJ07", "党建联系点调研台账", "区委组织部", columns=(
    _text("领导人员编号", True),
    _date("日期", in_year=True),
    _unit("联系点"),
    _int("解决问题数"),
)))

_register(Form("DJ08", "集中治理查摆整改统计表", "各单位", per_unit=True,
               scope=("区委部门", "区直机关", "企事业单位", *TOWN_CATEGORIES), columns=(
    _enum("层面", {"党组织": (), "党员干部": ()}),
    # Required for 层面=党员干部; no form rule covers it, so G-E02 (the precedence of form rules over general ones: reporting/rules.py).
    Column("参与党员干部人数", Kind.INTEGER, quantity=True, required_if=("层面", "党员干部")),
    _int("查摆问题数", True),
    _int("整改措施数", True),
    _int("已整改问题数", True),
)))

_register(Form("DJ09", "巡察整改台账", "区委巡察办", columns=(
    Column("届次", Kind.ORDINAL, required=True),
    Column("轮次", Kind.ORDINAL, required=True),
    _unit("被巡察单位"),
    _text("问题编号", True),
    _bool("是否点人点事"),
    _enum("整改状态", {"已整改": ("已完成", "整改完成"), "整改中": ("未完成",)}),
    _date("整改完成日期", required=False),
)))

_register(Form("DJ10", "问题线索与案件台账", "区纪委监委", columns=(
    _text("线索编号", True),
    _date("受理日期"),
    _enum("问题领域", {v: () for v in ("生态环境", "教育医疗", "就业创业", "养老社保", "食品药品安全", "惠农惠民",
                                      "其他")}),
    _bool("是否立案", required=True),
    _date("立案日期", required=False),
    _enum("办结情况", {"已办结": (), "办理中": ()}),
    _int("处分人数"),
)))

_register(Form("DJ11", "“四种形态”处置台账", "区纪委监委", columns=(
    _text("序号", True),
    _date("处置日期", in_year=True),
    _text("人员编号", True),
    _enum("形态", {"第一种形态": ("第一种", "一", "1"), "第二种形态": ("第二种", "二", "2"),
                  "第三种形态": ("第三种", "三", "3"), "第四种形态": ("第四种", "四", "4")}),
    _text("处置方式"),
)))

_register(Form("DJ12", "规范性文件备案审查台账", "区委办公室", columns=(
    _text("文件编号", True),
    _unit("制发单位"),
    _enum("备案类型", {"上报备案": (), "下级报备": ()}),
    _date("审查日期", in_year=True),
)))

# Every town; the departments that report items are expected again the year after (collect.units).
_register(Form("DJ99", "综合指标填报表", "各单位", required=True, per_unit=True, scope=TOWN_CATEGORIES, columns=(
    Column("指标代码", Kind.CODE, required=True, code_list="DJ99"),
    _text("指标名称"),
    _text("计量单位"),
    _int("本年数值", True),
)))


def form(code: str) -> Form:
    return FORMS[code]


def form_ref(code: str) -> str:
    """How the yearbook names a form to readers: 《村级党组织情况》（DJ04）."""
    known = FORMS.get(code)
    return f"《{known.name}》（{code}）" if known else code


def form_label(code: str) -> str:
    """A form as a table's source line names it: DJ04 村级党组织情况."""
    known = FORMS.get(code)
    return f"{code} {known.name}" if known else code
