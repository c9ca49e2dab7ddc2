"""The text of 工作总结数据版: the year's work summary, section by section, in the project's own words.

Each paragraph is a Jinja template. `n.<indicator id>` is a figure: `{{ n.x }}` writes it exactly, `.approx`
with 余/万余, `.about` with 约, `.wan_yu` for 万元 amounts (2818万余 + 元), `.pct` as 98.5％, `.abs` the absolute
value (a change written as 提高/下降), `.cn` / `.cn_count` in Chinese numerals (十四届, 两轮: the register of 届, 轮
and 期 in prose); `.value` is the Decimal for conditions. A comparison with last year is written only when there
is one. Every figure is a link to its
glossary card. The unit written after a figure is the catalogue's unit (a test checks it).

The structure follows the district's report (一 政治 … 五 统战, each with its 一是/二是 strands); the sentences
are written anew for the yearbook. The report's parts on shortcomings and next year's plans hold no statistics
and are not reproduced.
"""

from __future__ import annotations

TITLE = "{{ year }}年度落实全面从严治党主体责任工作情况（数据版）"

LEAD = (
    "本篇按区委年度工作总结的结构，逐段列出{{ year }}年度党建工作的主要数字。文中每个数字都由各单位报送的"
    "党建统计报表按统一口径重新计算，并链接到“主要统计指标解释”中的对应指标，可查看其含义、计算方法、"
    "来源报表、报送单位和上年数值。"
)

SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("一、坚持政治统领，党的政治建设扎实推进", [
        ("压实管党治党责任。",
         "全区对照主体责任清单列出的{{ n.responsibility_list_items }}条具体内容逐项抓落实，全年召开区委常委会会议和"
         "党的建设工作领导小组会议共{{ n.standing_and_leading_meetings }}次，对党建、宣传思想、统战、社会治理、"
         "信访和武装等各条线工作逐项部署、定期调度。县处级党员领导干部{{ n.liaison_leaders }}名"
         "到党建联系点调研指导{{ n.liaison_visits.approx }}次，区委班子成员每人不少于"
         "{{ n.liaison_min_visits_standing }}次，为联系点协调解决困难和问题{{ n.liaison_problems_solved.approx }}个。"),
        ("抓实理论武装。",
         "区委常委会带头学习党的二十大精神和习近平总书记重要讲话重要指示批示精神，举办理论学习中心组学习会和"
         "专题研讨会{{ n.theory_study_sessions }}场次；向党员干部发放学习书籍和资料汇编"
         "{{ n.study_materials_distributed.approx }}册，征订《习近平谈治国理政》第四卷"
         "{{ n.governance_volume4_subscribed }}本。基层各党委（党组）的中心组集体学习"
         "{{ n.grassroots_study_sessions.approx }}次，学习情况在全区定期通报。"),
        ("深化集中治理。",
         "围绕党内政治生活庸俗化交易化问题开展集中治理，学、查、改一体推进。基层党组织层面查摆问题"
         "{{ n.rectify_org_problems }}个，制定整改措施{{ n.rectify_org_measures }}条；党员干部层面，"
         "{{ n.rectify_towns }}个镇（街道）和{{ n.rectify_departments }}个区直机关企事业单位的"
         "{{ n.rectify_cadres }}名党员干部查摆问题{{ n.rectify_cadre_problems }}个，制定整改措施"
         "{{ n.rectify_cadre_measures }}条；两个层面查摆问题的整改完成率为{{ n.rectify_completion_rate.pct }}"
         "{% if n.rectify_completion_rate.value == 100 %}，已全部整改到位{% endif %}。"),
        ("做实政治监督。",
         "{{ n.inspection_term.cn }}届区委巡察开展{{ n.inspection_rounds.cn_count }}轮，覆盖{{ n.inspection_units }}个单位；"
         "巡察反馈问题已整改{{ n.inspection_rectified }}个，整改率{{ n.inspection_rectification_rate.pct }}，"
         "完成点人点事{{ n.inspection_person_cases }}件。对{{ n.integrity_talk_top_leaders }}名“一把手”和"
         "{{ n.integrity_talk_leaders }}名领导干部集中开展廉政谈话和政治谈话。生态环境领域受理问题线索"
         "{{ n.eco_clues }}件，立案{{ n.eco_cases }}件。"),
        ("健全制度机制。",
         "推行规范性文件前置审查，党内规范性文件备案审查做到应审尽审：全年审查规范性文件"
         "{{ n.normative_docs_reviewed }}件，其中向市委办公室报备{{ n.normative_docs_upward }}件，审查镇（街道）"
         "党（工）委以及{{ n.normative_docs_downward_depts }}个区委部门报备的文件{{ n.normative_docs_downward }}件。"
         "围绕党的创新理论和党内法规举办各类培训班{{ n.training_classes }}期，培训"
         "{{ n.training_participants.approx }}人次。"),
    ]),
    ("二、凝聚思想共识，党的思想建设不断加强", [
        ("理论宣讲深入基层。",
         "用好学习讲堂、文明实践阵地和草原书屋，组建以道德模范、先进典型、教师和理论工作者为主的宣讲队伍，"
         "开展学习宣讲{{ n.lectures.approx }}场次，受众{{ n.lecture_audience.approx }}人次。打造系列理论宣传品牌，"
         "录制刊播节目{{ n.program_episodes }}期；首次以网络直播宣传“两会”精神，观看直播"
         "{{ n.livestream_viewers.approx }}人次，留言点赞等互动{{ n.livestream_interactions.about }}人次。"),
        ("意识形态责任压紧压实。",
         "制定年度意识形态工作责任清单，列明正负面清单和追责问责情形。区委常委会专题研究意识形态工作"
         "{{ n.ideology_special_studies }}次，按季度召开意识形态联席会议暨舆情会商会{{ n.ideology_joint_meetings }}次。"
         "开展意识形态阵地排查整治，排查社会面公益广告{{ n.ad_inspections }}次，整改大型广告牌匾"
         "{{ n.ad_rectified.approx }}处。网络方面，监看属地网络舆情{{ n.opinion_items_monitored.approx }}条，"
         "下发舆情通报{{ n.opinion_bulletins }}期，查删不规范表述信息{{ n.nonstandard_posts_deleted.approx }}条，"
         "举报违法和不良信息{{ n.illegal_info_reported.approx }}条。"),
        ("正面宣传持续壮大。",
         "各新媒体平台推送社会主义核心价值观等相关内容{{ n.new_media_posts.approx }}篇、微视频"
         "{{ n.micro_videos.approx }}部，{{ n.articles_republished }}篇稿件被各级媒体平台转载转发；"
         "围绕文明新风和铸牢中华民族共同体意识，制作公益广告、景观小品和宣传栏{{ n.public_ads_built.approx }}处。"),
    ]),
    ("三、夯实组织基础，党的组织建设全面提升", [
        ("农村党建助力乡村振兴。",
         "举办乡村振兴政策业务培训和实地观摩学习{{ n.rural_training_sessions }}场次。全区"
         "{{ n.village_party_orgs }}个村级党组织"
         "{% if n.village_nine_star_share.value == 100 %}全部达到九星级（{{ n.village_nine_star_share.pct }}）"
         "{% else %}中，九星级占{{ n.village_nine_star_share.pct }}{% endif %}，达到“最强党支部”标准的"
         "{{ n.village_strongest_branches }}个。推进“一村一项目”，各村集体经济收入合计"
         "{{ n.village_collective_income.wan_yu }}元。"),
        ("城市党建引领基层治理。",
         "完善网格员考核、全科网格职责和网格事务准入等制度，配备专职网格员{{ n.grid_fulltime }}名、兼职网格员"
         "{{ n.grid_parttime }}名、网格长{{ n.grid_heads }}名、网格民警{{ n.grid_police }}名，形成"
         "“一格一长一警一专多兼”的网格力量。依托小区“红色驿站”等党群服务阵地，采集社情民意"
         "{{ n.public_opinions_collected.approx }}条，办理为民服务事项{{ n.services_for_residents.approx }}件，"
         "排查化解矛盾纠纷{{ n.disputes_resolved.approx }}起。"),
        ("“两新”党建扩大覆盖。",
         "全区{{ n.two_new_orgs }}个“两新”组织（非公有制企业和社会组织）中，单独或联合建立党组织的占"
         "{{ n.two_new_party_coverage.pct }}（党的组织覆盖率），其中已建立党组织的非公有制企业"
         "{{ n.nonpublic_enterprises_with_party_org }}家；"
         "本年新建立党组织{{ n.new_party_orgs }}家，其中在新就业新业态群体中组建{{ n.new_party_orgs_new_economy }}家。"),
        ("机关党建和“最强党支部”建设提质。",
         "实地调研督查基层党组织{{ n.organ_inspection_orgs }}个，发现问题{{ n.organ_inspection_problems }}个并督促"
         "整改。{{ n.strongest_branch_leaders }}名县处级领导干部结对包联{{ n.strongest_branches_paired }}个"
         "“最强党支部”；各级基层党组织书记领办党建“书记项目”{{ n.secretary_projects }}个。"),
        ("党建品牌培育见效。",
         "制作党建高质量视频{{ n.party_videos }}期，总结提炼党建经验做法{{ n.party_practices_summarized.approx }}条，"
         "培育特色党建品牌项目{{ n.party_brands }}个，带动党员干部群众参与活动"
         "{{ n.activity_participants.approx }}人次，{{ n.videos_reported }}期视频获媒体报道。"),
        ("干部选任突出实绩导向。",
         "全年调整、职级晋升干部{{ n.cadre_adjust_batches }}批次{{ n.cadre_adjust_people }}人，事业职员等级晋升"
         "{{ n.staff_grade_promotions }}人，从基层一线和急难险重岗位晋升、提拔、交流使用干部"
         "{{ n.cadres_from_frontline }}名。招录公务员和选调生{{ n.civil_servants_recruited }}人，招聘事业单位人员"
         "{{ n.public_institution_recruited }}人。年末全区在职科级干部{{ n.section_cadres }}人，其中“80后”“90后”"
         "占{{ n.section_cadres_post80_share.pct }}"
         "{% if n.section_cadres_post80_share_change.value is none %}"
         "{% elif n.section_cadres_post80_share_change.value > 0 %}，比上年提高"
         "{{ n.section_cadres_post80_share_change.abs }}个百分点"
         "{% elif n.section_cadres_post80_share_change.value < 0 %}，比上年下降"
         "{{ n.section_cadres_post80_share_change.abs }}个百分点"
         "{% else %}，与上年持平（变动{{ n.section_cadres_post80_share_change }}个百分点）{% endif %}。"),
        ("干部管理监督从严从实。",
         "完成{{ n.officials_enterprise_checked.approx }}名公职人员涉企事项摸底，督促"
         "{{ n.units_economic_handover }}个部门单位办结经济事项交接。开展机关作风建设专项行动，深入一线调研"
         "{{ n.style_survey_rounds.cn_count }}轮，涉及{{ n.style_survey_units }}个部门单位，发现问题"
         "{{ n.style_survey_problems }}个，发放通报{{ n.style_survey_notices }}份。"),
        ("评价激励树立鲜明导向。",
         "开设疫情防控光荣榜{{ n.honor_board_issues }}期，通报表扬表现突出的基层党组织{{ n.honor_orgs }}个、"
         "先进典型{{ n.honor_individuals }}名。推荐“担当作为好干部”人选{{ n.recommended_good_cadres }}名、"
         "“人民满意的公务员”人选{{ n.recommended_civil_servants }}名和“人民满意的公务员集体”"
         "{{ n.recommended_civil_servant_teams }}个；{{ n.named_good_cadres_upper }}人获上级党委“担当作为好干部”命名，"
         "{{ n.named_good_cadres_city }}人获市委命名。"),
        ("人才工作格局逐步完善。",
         "调整充实区委人才工作领导小组，明确成员单位{{ n.talent_member_units }}家、具体职责任务{{ n.talent_duties }}项。"
         "召开人才工作相关会议{{ n.talent_meetings }}场次，采取定期报告和实地督导相结合的办法调度成员单位人才工作"
         "{{ n.talent_dispatches.approx }}次。启动急需紧缺专业人才招聘，招聘教师和医疗人员"
         "{{ n.teachers_medics_recruited }}人、事业单位人员{{ n.talent_public_institution_recruited }}人，以及城市管理"
         "执法辅助人员{{ n.urban_enforcement_aux_recruited }}人。开展就业创业培训{{ n.employment_training_batches }}"
         "批次{{ n.employment_training_people }}人次、新型学徒制培训{{ n.apprentice_training_batches }}批次"
         "{{ n.apprentice_training_people }}人次；从医疗、教育、农业等行业选派专家人才{{ n.expert_service_batches }}"
         "批次{{ n.expert_service_people }}人到基层一线服务。"),
    ]),
    ("四、保持严的基调，党的纪律建设持续深化", [
        ("日常监督常态开展。",
         "督促指导各部门单位召开民主生活会{{ n.democratic_life_meetings }}次，监督涉及“三重一大”事项的会议"
         "{{ n.major_decision_meetings }}次，抽查“三会一课”和组织生活会{{ n.three_meetings_checks }}次。紧盯"
         "“四风”问题开展各类监督检查{{ n.routine_supervision_checks }}次，发现问题{{ n.routine_supervision_problems }}"
         "个，向职能部门下达各类文书{{ n.routine_supervision_documents }}份。"),
        ("重点监督精准发力。",
         "围绕惠农惠民政策落实、涉农项目和资金使用等重点环节开展监督检查{{ n.key_supervision_batches }}批次，"
         "发现问题{{ n.key_supervision_problems }}个。开展教育医疗、就业创业、养老社保、食品药品安全等民生领域"
         "腐败问题专项整治，发现问题{{ n.livelihood_problems }}个，整改完成{{ n.livelihood_rectified }}个，受理相关"
         "问题线索{{ n.livelihood_clues }}件。"),
        ("廉洁文化入脑入心。",
         "通过宣传专栏和新媒体发布廉洁文化内容{{ n.integrity_posts }}期，展播廉洁文化原创文艺作品"
         "{{ n.integrity_art_shows }}期。常态化开展廉政提醒，约谈党员干部{{ n.integrity_talks }}次"
         "{{ n.integrity_talk_people }}人，下发提示函等文书{{ n.integrity_talk_documents }}份，督促整改问题"
         "{{ n.integrity_talk_rectified }}个。开展各类警示教育{{ n.warning_education }}次，编发廉政文摘"
         "{{ n.integrity_digests }}期，通报典型案例{{ n.case_bulletins }}期。"),
        ("惩治腐败保持高压。",
         "全年立案{{ n.cases_filed }}件，办结问题线索{{ n.clues_closed }}件，给予党纪政务处分"
         "{{ n.sanctioned_people }}人。运用监督执纪“四种形态”处置{{ n.four_forms_total }}人次：第一种形态"
         "{{ n.four_forms_1 }}人次，占{{ n.four_forms_1_share.pct }}；第二种形态{{ n.four_forms_2 }}人次，占"
         "{{ n.four_forms_2_share.pct }}；第三种形态{{ n.four_forms_3 }}人次，占{{ n.four_forms_3_share.pct }}；"
         "第四种形态{{ n.four_forms_4 }}人次，占{{ n.four_forms_4_share.pct }}。"),
    ]),
    ("五、广泛凝心聚力，统一战线工作稳步推进", [
        ("民族团结进步创建走深走实。",
         "打造民族团结进步创建示范单位{{ n.ethnic_unity_demo_units }}个、铸牢中华民族共同体意识教育基地"
         "{{ n.community_education_bases }}个，借助“民族政策宣传月”开展宣传活动{{ n.ethnic_policy_events }}场次。"),
        ("服务民营经济发展。",
         "开展上门服务，走访调研民营企业{{ n.private_enterprises_visited }}家，了解企业经营情况和生产经营中的困难，"
         "协助对接融资需求。"),
    ]),
]

# Fixed terms the narrative shares with the district's report because they are names, not sentences: titles of
# campaigns and documents, slogans in quotation marks, and the values of the forms' enumerations. (Indicator names
# and code-list names are fixed terms too.) The test of originality ignores them.
FIXED_TERMS = (
    "党的二十大精神", "习近平总书记重要讲话重要指示批示精神", "党内政治生活庸俗化交易化问题", "新时代文明实践所（站）",
    "“一格一长一警一专多兼”", "铸牢中华民族共同体意识", "教育医疗、就业创业、养老社保、食品药品安全",
    "《习近平谈治国理政》第四卷", "“三会一课”和组织生活会", "监督执纪“四种形态”", "“人民满意的公务员集体”",
    "“人民满意的公务员”", "“担当作为好干部”", "“最强党支部”", "“书记项目”", "“三重一大”", "“80后”“90后”",
)

# What each percentage of the narrative divides, as indicator ids: (numerators, denominators), each side summed;
# None where that side is not an indicator of its own (the sentence then names it in words). The sentence that
# writes the share cites every id listed here (a test recomputes the share from them).
RATIOS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = {
    "four_forms_1_share": (("four_forms_1",), ("four_forms_total",)),
    "four_forms_2_share": (("four_forms_2",), ("four_forms_total",)),
    "four_forms_3_share": (("four_forms_3",), ("four_forms_total",)),
    "four_forms_4_share": (("four_forms_4",), ("four_forms_total",)),
    "two_new_party_coverage": (None, ("two_new_orgs",)),
    "village_nine_star_share": (None, ("village_party_orgs",)),
    "section_cadres_post80_share": (None, ("section_cadres",)),
    "inspection_rectification_rate": (("inspection_rectified",), None),
    "rectify_completion_rate": (None, ("rectify_org_problems", "rectify_cadre_problems")),
}

NUMBERS_NOTE = (
    "数字写法：“余”表示实际数大于所写数、但不到下一个同位整数（如“130余次”为131～139次，“3.2万余”为32001～32999）；"
    "“约”为四舍五入到0.1万的近似数；百分比保留1位小数。点击数字可查看该指标的精确数值和计算口径。"
)
