"""How each of the 150 indicators is computed — one declaration per id, as data.

Metadata (name, unit, decimals, definition, source forms) is in the catalogue (indicators.csv); here only the
computation, in the kinds of `kinds.py`. The declarations follow the catalogue's definition text word for word;
where that text leaves a choice open, the reading taken is written in docs/indicators.md.
"""

from __future__ import annotations

from yearbook.indicators.kinds import (
    BornBetween,
    Change,
    Computation,
    Count,
    Distinct,
    InYear,
    Is,
    Maximum,
    MinCountOverGroup,
    NotBlank,
    Ref,
    Share,
    Sum,
    UnitOf,
)
from yearbook.reporting.forms import DEPARTMENT_CATEGORIES, TOWN_CATEGORIES


# -- shorthands for the families of the catalogue ---------------------------------------------------------------

def activities(column: str, *codes: str) -> Sum:
    """DJ06 会议活动台账: sum of a quantity column over the given 活动类别代码."""
    return Sum("DJ06", column, (Is("活动类别代码", *codes),))


def item(code: str) -> Sum:
    """DJ99 综合指标: sum of 本年数值 of one 指标代码 over all reporting units."""
    return Sum("DJ99", "本年数值", (Is("指标代码", code),))


def count(form: str, *where) -> Count:
    return Count(form, tuple(where))


def total(form: str, column: str, *where) -> Sum:
    return Sum(form, column, tuple(where))


def distinct(form: str, *columns: str, where: tuple = ()) -> Distinct:
    return Distinct(form, tuple(columns), tuple(where))


def share_of(numerator, denominator) -> Share:
    return Share(numerator, denominator)


def ref(indicator_id: str) -> Ref:
    return Ref(indicator_id)


ESTABLISHED = Is("党组织建立情况", "单独建立", "联合建立")
ADJUSTED = Is("调整类型", "职务调整", "职级晋升")
SECTION_CADRE = (Is("状态", "在职"), Is("级别", "正科级", "副科级"))
CADRE_LEVEL = Is("层面", "党员干部")
ORG_LEVEL = Is("层面", "党组织")
YES = True


def _declare(pairs: list[tuple[str, Computation]]) -> dict[str, Computation]:
    registry: dict[str, Computation] = {}
    for indicator_id, decl in pairs:
        if indicator_id in registry:
            raise ValueError(f"indicator {indicator_id!r} is declared twice")
        registry[indicator_id] = decl
    return registry


REGISTRY: dict[str, Computation] = _declare([
    # -- 1 政治建设 ------------------------------------------------------------------------------------------------
    ("responsibility_list_items", item("Z01")),
    ("standing_and_leading_meetings", activities("场次", "HY01", "HY02")),
    ("liaison_leaders", distinct("DJ07", "领导人员编号")),
    ("liaison_visits", count("DJ07")),
    ("liaison_min_visits_standing", MinCountOverGroup(
        group_form="DJ01", group_key="人员编号", group_where=(Is("状态", "在职"), Is("是否区委班子成员", YES)),
        event_form="DJ07", event_key="领导人员编号")),
    ("liaison_problems_solved", total("DJ07", "解决问题数")),
    ("theory_study_sessions", activities("场次", "XX01", "XX02")),
    ("study_materials_distributed", item("Z02")),
    ("governance_volume4_subscribed", item("Z03")),
    ("grassroots_study_sessions", activities("场次", "XX03")),
    ("rectify_org_problems", total("DJ08", "查摆问题数", ORG_LEVEL)),
    ("rectify_org_measures", total("DJ08", "整改措施数", ORG_LEVEL)),
    ("rectify_towns", distinct("DJ08", "报送单位", where=(CADRE_LEVEL, UnitOf("报送单位", *TOWN_CATEGORIES)))),
    ("rectify_departments", distinct("DJ08", "报送单位",
                                     where=(CADRE_LEVEL, UnitOf("报送单位", *DEPARTMENT_CATEGORIES)))),
    ("rectify_cadres", total("DJ08", "参与党员干部人数", CADRE_LEVEL)),
    ("rectify_cadre_problems", total("DJ08", "查摆问题数", CADRE_LEVEL)),
    ("rectify_cadre_measures", total("DJ08", "整改措施数", CADRE_LEVEL)),
    ("rectify_completion_rate", share_of(total("DJ08", "已整改问题数"), total("DJ08", "查摆问题数"))),
    ("inspection_term", Maximum("DJ09", "届次")),
    ("inspection_rounds", distinct("DJ09", "届次", "轮次")),
    ("inspection_units", distinct("DJ09", "被巡察单位")),
    ("inspection_rectified", count("DJ09", Is("整改状态", "已整改"))),
    ("inspection_rectification_rate", share_of(ref("inspection_rectified"), count("DJ09"))),
    ("inspection_person_cases", count("DJ09", Is("是否点人点事", YES), Is("整改状态", "已整改"))),
    ("integrity_talk_top_leaders", item("Z04")),
    ("integrity_talk_leaders", item("Z05")),
    ("eco_clues", count("DJ10", Is("问题领域", "生态环境"), InYear("受理日期"))),
    ("eco_cases", count("DJ10", Is("问题领域", "生态环境"), Is("是否立案", YES), InYear("立案日期"))),
    ("normative_docs_reviewed", count("DJ12")),
    ("normative_docs_upward", count("DJ12", Is("备案类型", "上报备案"))),
    ("normative_docs_downward_depts", distinct("DJ12", "制发单位",
                                               where=(Is("备案类型", "下级报备"), UnitOf("制发单位", "区委部门")))),
    ("normative_docs_downward", count("DJ12", Is("备案类型", "下级报备"))),
    ("training_classes", activities("场次", "PX01")),
    ("training_participants", activities("参加人次", "PX01")),
    # -- 2 思想建设 ------------------------------------------------------------------------------------------------
    ("lectures", activities("场次", "XJ01")),
    ("lecture_audience", activities("受众人次", "XJ01")),
    ("program_episodes", activities("场次", "XC01")),
    ("livestream_viewers", activities("受众人次", "XC02")),
    ("livestream_interactions", activities("互动人次", "XC02")),
    ("ideology_special_studies", activities("场次", "YS01")),
    ("ideology_joint_meetings", activities("场次", "YS02")),
    ("ad_inspections", activities("场次", "YS03")),
    ("ad_rectified", activities("整改问题数", "YS03")),
    ("opinion_items_monitored", item("Z06")),
    ("opinion_bulletins", item("Z07")),
    ("nonstandard_posts_deleted", item("Z08")),
    ("illegal_info_reported", item("Z09")),
    ("new_media_posts", item("Z10")),
    ("micro_videos", item("Z11")),
    ("articles_republished", item("Z12")),
    ("public_ads_built", item("Z13")),
    # -- 3 组织建设 ------------------------------------------------------------------------------------------------
    ("rural_training_sessions", activities("场次", "PX02")),
    ("village_party_orgs", count("DJ04")),
    ("village_nine_star_share", share_of(count("DJ04", Is("星级", 9)), count("DJ04"))),
    ("village_strongest_branches", count("DJ04", Is("是否最强党支部", YES))),
    ("village_collective_income", total("DJ04", "村集体经济收入")),
    ("grid_fulltime", distinct("DJ05", "人员编号", where=(Is("人员类型", "专职网格员"),))),
    ("grid_parttime", distinct("DJ05", "人员编号", where=(Is("人员类型", "兼职网格员"),))),
    ("grid_heads", distinct("DJ05", "人员编号", where=(Is("人员类型", "网格长"),))),
    ("grid_police", distinct("DJ05", "人员编号", where=(Is("人员类型", "网格民警"),))),
    ("public_opinions_collected", item("Z14")),
    ("services_for_residents", item("Z15")),
    ("disputes_resolved", item("Z16")),
    ("two_new_orgs", count("DJ03")),
    ("nonpublic_enterprises_with_party_org", count("DJ03", Is("组织类型", "非公有制企业"), ESTABLISHED)),
    ("two_new_party_coverage", share_of(count("DJ03", ESTABLISHED), count("DJ03"))),
    ("new_party_orgs", count("DJ03", ESTABLISHED, InYear("党组织成立日期"))),
    ("new_party_orgs_new_economy", count("DJ03", ESTABLISHED, InYear("党组织成立日期"), Is("是否新就业群体", YES))),
    ("organ_inspection_orgs", activities("对象数", "JG01")),
    ("organ_inspection_problems", activities("发现问题数", "JG01")),
    ("strongest_branch_leaders", distinct("DJ04", "包联县处级领导人员编号", where=(Is("是否最强党支部", YES),))),
    ("strongest_branches_paired", count("DJ04", Is("是否最强党支部", YES), NotBlank("包联县处级领导人员编号"))),
    ("secretary_projects", item("Z17")),
    ("party_videos", item("Z18")),
    ("party_practices_summarized", item("Z19")),
    ("party_brands", item("Z20")),
    ("activity_participants", item("Z21")),
    ("videos_reported", item("Z22")),
    ("cadre_adjust_batches", distinct("DJ02", "批次号", where=(ADJUSTED,))),
    ("cadre_adjust_people", count("DJ02", ADJUSTED)),
    ("staff_grade_promotions", count("DJ02", Is("调整类型", "事业职员等级晋升"))),
    ("cadres_from_frontline", count("DJ02", Is("是否基层一线或急难险重岗位", YES),
                                    Is("调整类型", "职务调整", "职级晋升", "提拔交流"))),
    ("civil_servants_recruited", item("Z34")),
    ("public_institution_recruited", item("Z35")),
    ("section_cadres", count("DJ01", *SECTION_CADRE)),
    ("section_cadres_post80_share", share_of(count("DJ01", *SECTION_CADRE, BornBetween("出生年月", 1980, 1999)),
                                             ref("section_cadres"))),
    ("section_cadres_post80_share_change", Change(ref("section_cadres_post80_share"))),
    ("officials_enterprise_checked", item("Z23")),
    ("units_economic_handover", item("Z24")),
    ("style_survey_rounds", activities("场次", "JG02")),
    ("style_survey_units", activities("对象数", "JG02")),
    ("style_survey_problems", activities("发现问题数", "JG02")),
    ("style_survey_notices", activities("下发文书数", "JG02")),
    ("honor_board_issues", activities("场次", "XC03")),
    ("honor_orgs", item("Z25")),
    ("honor_individuals", item("Z26")),
    ("recommended_good_cadres", item("Z27")),
    ("recommended_civil_servants", item("Z28")),
    ("recommended_civil_servant_teams", item("Z29")),
    ("named_good_cadres_upper", item("Z30")),
    ("named_good_cadres_city", item("Z31")),
    ("talent_member_units", item("Z32")),
    ("talent_duties", item("Z33")),
    ("talent_meetings", activities("场次", "HY03")),
    ("talent_dispatches", activities("场次", "RC01")),
    ("teachers_medics_recruited", item("Z36")),
    ("talent_public_institution_recruited", item("Z37")),
    ("urban_enforcement_aux_recruited", item("Z38")),
    ("employment_training_batches", activities("场次", "PX03")),
    ("employment_training_people", activities("参加人次", "PX03")),
    ("apprentice_training_batches", activities("场次", "PX04")),
    ("apprentice_training_people", activities("参加人次", "PX04")),
    ("expert_service_batches", activities("场次", "RC02")),
    ("expert_service_people", activities("参加人次", "RC02")),
    # -- 4 纪律建设 ------------------------------------------------------------------------------------------------
    ("democratic_life_meetings", activities("场次", "ZZ01")),
    ("major_decision_meetings", activities("场次", "ZZ02")),
    ("three_meetings_checks", activities("场次", "ZZ03")),
    ("routine_supervision_checks", activities("场次", "JD01")),
    ("routine_supervision_problems", activities("发现问题数", "JD01")),
    ("routine_supervision_documents", activities("下发文书数", "JD01")),
    ("key_supervision_batches", activities("场次", "JD02")),
    ("key_supervision_problems", activities("发现问题数", "JD02")),
    ("livelihood_problems", activities("发现问题数", "JD03")),
    ("livelihood_rectified", activities("整改问题数", "JD03")),
    ("livelihood_clues", count("DJ10", Is("问题领域", "教育医疗", "就业创业", "养老社保", "食品药品安全"),
                               InYear("受理日期"))),
    ("integrity_posts", activities("场次", "LJ01")),
    ("integrity_art_shows", activities("场次", "LJ02")),
    ("integrity_talks", activities("场次", "JD04")),
    ("integrity_talk_people", activities("参加人次", "JD04")),
    ("integrity_talk_documents", activities("下发文书数", "JD04")),
    ("integrity_talk_rectified", activities("整改问题数", "JD04")),
    ("warning_education", activities("场次", "LJ03")),
    ("integrity_digests", activities("场次", "LJ04")),
    ("case_bulletins", activities("场次", "LJ05")),
    ("cases_filed", count("DJ10", Is("是否立案", YES), InYear("立案日期"))),
    ("clues_closed", count("DJ10", Is("办结情况", "已办结"))),
    ("sanctioned_people", total("DJ10", "处分人数")),
    ("four_forms_total", count("DJ11")),
    ("four_forms_1", count("DJ11", Is("形态", "第一种形态"))),
    ("four_forms_1_share", share_of(ref("four_forms_1"), ref("four_forms_total"))),
    ("four_forms_2", count("DJ11", Is("形态", "第二种形态"))),
    ("four_forms_2_share", share_of(ref("four_forms_2"), ref("four_forms_total"))),
    ("four_forms_3", count("DJ11", Is("形态", "第三种形态"))),
    ("four_forms_3_share", share_of(ref("four_forms_3"), ref("four_forms_total"))),
    ("four_forms_4", count("DJ11", Is("形态", "第四种形态"))),
    ("four_forms_4_share", share_of(ref("four_forms_4"), ref("four_forms_total"))),
    # -- 5 统一战线 ------------------------------------------------------------------------------------------------
    ("ethnic_unity_demo_units", item("Z39")),
    ("community_education_bases", item("Z40")),
    ("ethnic_policy_events", activities("场次", "TZ01")),
    ("private_enterprises_visited", activities("对象数", "TZ02")),
])


def kind_of(indicator_id: str) -> str:
    """The kind of an indicator's computation: count, sum, distinct, maximum, min_over_group, share, change."""
    return REGISTRY[indicator_id].kind  # type: ignore[union-attr]


def selected_values(indicator_id: str, form: str, column: str) -> list[object]:
    """The values an indicator's declaration selects in `column` of `form` (its `Is` filters), in declaration order:
    which DJ06 activity categories or DJ99 items it reads. References to other indicators are not followed."""
    out: list[object] = []

    def where(form_of: str, filters: tuple) -> None:
        if form_of != form:
            return
        for f in filters:
            if isinstance(f, Is) and f.column == column:
                out.extend(v for v in f.values if v not in out)

    def walk(decl) -> None:
        if isinstance(decl, Share):
            walk(decl.numerator)
            walk(decl.denominator)
        elif isinstance(decl, MinCountOverGroup):
            where(decl.group_form, decl.group_where)
            where(decl.event_form, decl.event_where)
        elif hasattr(decl, "where"):
            where(decl.form, decl.where)

    walk(REGISTRY[indicator_id])
    return out
