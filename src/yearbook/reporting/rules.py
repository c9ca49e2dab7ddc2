"""The audit rules (审核规则) as data: id, severity, form, Chinese message and what the unit should do.

Each rule has a description (one whole sentence, what the rule checks: the appendix 附表2 prints it) and a
message. Messages are `str.format` templates; the audit fills in the named fields it knows (`detail` is free text).
Severity E is 强制性审核 (blocks publication), W is 核实性审核 (shown, may be acknowledged).
"""

from __future__ import annotations

from dataclasses import dataclass

E = "E"
W = "W"

SEVERITY_NAMES = {E: "强制性", W: "核实性"}
# What a finding of each severity is called, everywhere a reader sees it (one wording each).
FINDING_NAMES = {E: "强制性审核错误", W: "核实性警告"}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    message: str  # Chinese template
    advice: str  # Chinese: what the reporting unit should do (feedback workbooks)
    description: str  # Chinese: the rule as one whole sentence, no placeholders (附表2 规则说明)

    @property
    def form(self) -> str:
        """'G' for generic rules, else the form code."""
        return self.id.split("-")[0]


RULES: dict[str, Rule] = {}


def _rule(rule_id: str, description: str, message: str, advice: str) -> None:
    severity = rule_id.split("-")[1][0]
    RULES[rule_id] = Rule(rule_id, severity, message, advice, description)


# Generic rules, every form.
_rule("G-E01", "报表缺少必填列。",
      "缺少必填列“{column}”", "请按报表式样补齐该列的表头和数据。")
_rule("G-E02", "必填项为空。",
      "必填项“{column}”为空", "请填写该单元格。")
_rule("G-E03", "单元格的值无法识别（如数字、日期或代码格式不对）。",
      "“{column}”的值“{value}”无法识别：{detail}", "请按填报说明改正该值。")
_rule("G-E04", "合计行与明细数据之和不符。",
      "合计行“{column}”为{value}，与明细数据之和{detail}不符", "请核对合计数或明细数。")
_rule("G-E05", "文件不是本年度、本表号的报表，或无法读取。",
      "{detail}", "请确认报送的是本年度、本表号的报表。")
_rule("G-E06", "单位名称不在单位名录（DJ00）中。",
      "单位“{value}”不在单位名录（DJ00）中", "请使用单位名录中的规范名称或别名。")
_rule("G-E07", "数量或金额为负数。",
      "“{column}”为负数（{value}）", "数量和金额不能为负数，请改正。")
_rule("G-E08", "应报送的报表缺报，或报表中没有数据行。",
      "{detail}", "请报送该表，且至少填写一行数据。")
_rule("G-E09", "日期不在本统计年度内。",
      "“{column}”{value}不在{year}年度内", "请核对日期，或将其计入所属年度。")
_rule("G-W01", "报表中有未知列，已忽略。",
      "未知列“{column}”已忽略", "如该列为报表所需，请使用规范的列名。")
_rule("G-W02", "文件不是 .xlsx 或 .csv 格式，已跳过。",
      "文件“{value}”不是 .xlsx 或 .csv 格式，已跳过", "请另存为 .xlsx 或 .csv 后重新报送。")
_rule("G-W03", "年度文件夹中有未识别的文件或文件夹。",
      "未识别的文件或文件夹“{value}”：{detail}",
      "报表应放在年度文件夹下以表号命名的文件夹中（如 DJ06/单位名称.xlsx）；请改正名称或移走无关文件。")
_rule("G-W04", "文件的数据行数超过合理上限。",
      "本文件有 {value} 行数据，超过合理上限 {detail} 行",
      "请核实是否误报（如重复粘贴、整列填充），或确属如此请在核实说明中说明。")
_rule("G-W05", "数值超过合理上限。",
      "“{column}”为{value}，超过合理上限{detail}", "请核实数值和计量单位是否正确。")

# DJ00 单位名录
_rule("DJ00-E01", "单位代码、单位名称或别名重复。",
      "{detail}", "单位代码、单位名称和别名均不得重复。")
_rule("DJ00-E02", "村（社区）的上级单位代码无效。",
      "村（社区）“{value}”的上级单位代码无效：{detail}", "请填写其所属镇（街道）的单位代码。")
# DJ01 干部名册
_rule("DJ01-E01", "干部名册中人员编号重复。",
      "人员编号“{value}”重复（首次出现在{detail}）", "每名干部只能有一个人员编号。")
_rule("DJ01-E02", "出生年份超出合理范围。",
      "出生年份{value}不在{detail}之间", "请核对出生年月。")
_rule("DJ01-W01", "公民身份号码不是18位或校验码错误。",
      "公民身份号码不是18位或校验码错误", "请核对公民身份号码。")
_rule("DJ01-W02", "公民身份号码中的出生日期与出生年月不一致。",
      "公民身份号码中的出生日期与出生年月（{detail}）不一致", "请核对出生年月或公民身份号码。")
# DJ02 干部调整任用台账
_rule("DJ02-W01", "调整任用台账中的人员编号不在干部名册（DJ01）中。",
      "人员编号“{value}”不在干部名册（DJ01）中", "如该干部已调离，可在核实说明中说明。")
_rule("DJ02-E01", "同一调整批次中人员编号重复。",
      "人员编号“{value}”在批次“{detail}”中重复", "同一批次中每人只能出现一次。")
# DJ03 两新组织党组织情况
_rule("DJ03-E01", "统一社会信用代码无效（不是18位或校验码错误）。",
      "统一社会信用代码“{value}”{detail}", "请核对统一社会信用代码（18位，含校验码）。")
_rule("DJ03-E02", "统一社会信用代码重复，会造成重复统计。",
      "统一社会信用代码“{value}”重复（首次出现在{detail}），会造成重复统计", "同一组织只能由一个单位报送一次。")
_rule("DJ03-E03", "党员人数大于从业人员数。",
      "党员人数（{value}）大于从业人员数（{detail}）", "请核对党员人数和从业人员数。")
_rule("DJ03-E04", "已建立党组织但党组织成立日期缺失或晚于本年12月31日。",
      "{detail}", "已建立党组织的，请填写不晚于本年12月31日的党组织成立日期。")
_rule("DJ03-W01", "党组织建立情况为“未建立”，却填写了党组织成立日期。",
      "党组织建立情况为“未建立”，却填写了党组织成立日期", "请核对党组织建立情况。")
_rule("DJ03-W02", "党员人数3人以上但未建立党组织（应建尽建）。",
      "党员人数{value}人（3人以上）但未建立党组织（应建尽建）", "请核实是否应单独建立党组织。")
# DJ04 村级党组织情况
_rule("DJ04-E01", "村级党组织情况表中的村不属于本镇，或同一村重复报送。",
      "{detail}", "请只报送本镇所辖村，每村一行。")
_rule("DJ04-E02", "星级不在1至9之间。",
      "星级{value}不在1至9之间", "请填写1至9的星级。")
_rule("DJ04-W01", "村集体经济收入超过500万元，可能误以“元”为单位填报。",
      "村集体经济收入{value}万元超过500万元，请确认单位是否为万元", "如以“元”填报，请换算为万元。")
_rule("DJ04-W02", "包联领导的人员编号不是干部名册中的县处级干部。",
      "包联领导人员编号“{value}”不是干部名册中的县处级干部", "请核对包联县处级领导的人员编号。")
# DJ05 网格化管理人员名册
_rule("DJ05-E01", "同一人员以同一人员类型重复报送。",
      "人员编号“{value}”以同一人员类型重复出现（首次出现在{detail}）", "同一人员同一类型只能报送一次。")
# DJ06 会议活动台账
_rule("DJ06-E01", "活动类别代码不在代码表中。",
      "活动类别代码“{value}”不在代码表中", "请使用代码表中的活动类别代码。")
_rule("DJ06-W01", "整改问题数大于发现问题数。",
      "整改问题数（{value}）大于发现问题数（{detail}）", "请核对发现问题数和整改问题数。")
_rule("DJ06-W02", "同一活动重复报送（日期、类别、名称、主办单位相同），只计一次。",
      "与{detail}的记录重复（日期、类别、名称、主办单位相同），只计一次", "同一活动请由主办单位报送一次。")
# DJ07 党建联系点调研台账
_rule("DJ07-E01", "调研领导的人员编号不是干部名册中的县处级领导干部。",
      "领导人员编号“{value}”{detail}", "请填写干部名册中县处级领导干部的人员编号。")
# DJ08 集中治理查摆整改统计表
_rule("DJ08-E01", "已整改问题数大于查摆问题数。",
      "已整改问题数（{value}）大于查摆问题数（{detail}）", "请核对已整改问题数。")
_rule("DJ08-E02", "同一层面在集中治理查摆整改统计表中重复。",
      "层面“{value}”在本表中重复", "每个层面只填一行。")
# DJ09 巡察整改台账
_rule("DJ09-E01", "巡察整改台账中问题编号重复。",
      "问题编号“{value}”重复（首次出现在{detail}）", "每个问题编号只能出现一次。")
_rule("DJ09-E02", "已整改的问题整改完成日期缺失或晚于本年12月31日。",
      "{detail}", "已整改的问题请填写不晚于本年12月31日的整改完成日期。")
# DJ10 问题线索与案件台账
_rule("DJ10-E01", "问题线索编号重复。",
      "线索编号“{value}”重复（首次出现在{detail}）", "每个线索编号只能出现一次。")
_rule("DJ10-E02", "已立案线索的立案日期缺失或早于受理日期。",
      "{detail}", "已立案的线索请填写不早于受理日期的立案日期。")
_rule("DJ10-E03", "未立案的线索填写了处分人数。",
      "未立案的线索填写了处分人数{value}", "请核对是否立案或处分人数。")
_rule("DJ10-W01", "填写了立案日期，但是否立案为“否”。",
      "填写了立案日期，但是否立案为“否”", "请核对是否立案。")
# DJ11 “四种形态”处置台账
_rule("DJ11-E01", "“四种形态”处置台账中序号重复。",
      "序号“{value}”重复（首次出现在{detail}）", "每个序号只能出现一次。")
# DJ12 规范性文件备案审查台账
_rule("DJ12-E01", "规范性文件编号重复。",
      "文件编号“{value}”重复（首次出现在{detail}）", "每个文件编号只能出现一次。")
# DJ99 综合指标填报表
_rule("DJ99-E01", "指标代码不在代码表中。",
      "指标代码“{value}”不在代码表中", "请使用代码表中的指标代码。")
_rule("DJ99-E02", "计量单位与指标规定的计量单位不符。",
      "计量单位“{value}”与指标规定的计量单位“{detail}”不符", "请按规定计量单位填报数值。")
_rule("DJ99-E03", "同一指标代码在综合指标填报表中重复。",
      "指标代码“{value}”在本表中重复", "每个指标只填一行。")
_rule("DJ99-W01", "指标名称与代码表中的名称不符。",
      "指标名称“{value}”与代码表名称“{detail}”不符", "请核对指标代码与名称是否对应。")
_rule("DJ99-W02", "本年数值与上年相比变化超过3倍。",
      "本年数值{value}与上年{detail}相比变化超过3倍", "请核实数值是否正确。")


# Rules that compare a return with last year's: an acknowledged finding of one (核实说明) explains a break in
# comparability, noted under every table and marked on every chart of the indicator it feeds.
BREAK_RULES = frozenset({"DJ99-W02"})


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
