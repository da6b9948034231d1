"""The wording of the written summary (工作综述) in the register of a Chinese work report: the order
a 工作报告 takes its categories in, a verb phrase that opens each category's sentence, and, per
indicator, a clause with a verb into which the figure is set as shown ({value}: 3,396家, 1.8万余人,
18,000+ people), so every number in the text is a figure of the payload with its qualifier.

Indicators without their own clause read "{name}{value}" after the category's verb phrase; a
stock's clause says it is a stock (累计建成…), never "（累计）" inside a sentence.
"""

from __future__ import annotations

# The order of a work report: ideological guidance first, then organisation building, rights,
# 建功立业 (workforce reform and skills), services to workers, employment aid, service positions,
# culture and sports.
REPORT_ORDER = (
    "guidance",
    "org_building",
    "rights",
    "skills",
    "welfare",
    "employment",
    "positions",
    "culture",
)

# category -> (zh, en) verb phrase opening its sentence
LEADS: dict[str, tuple[str, str]] = {
    "guidance": ("坚持强化思想引领", "strengthened ideological guidance"),
    "org_building": ("扎实推进组织建设", "built up the union organisation"),
    "rights": ("切实维护职工合法权益", "protected workers' rights"),
    "skills": ("深化产业工人队伍建设改革", "deepened workforce reform and skills"),
    "welfare": ("持续做优普惠服务", "extended services to members"),
    "employment": ("用心做好就业帮扶", "helped workers into jobs and through hardship"),
    "positions": ("加强服务阵地建设", "expanded service positions"),
    "culture": ("丰富职工文体生活", "enriched workers' cultural and sporting life"),
}

# indicator -> (zh, en) clause with a verb; {value} is the figure as shown
CLAUSES: dict[str, tuple[str, str]] = {
    "centenary_activities": (
        "开展“四个一百”系列活动{value}",
        'held {value} of "four hundreds" activities',
    ),
    "centenary_participants": ("系列活动参与达{value}", "drew {value} to the centenary activities"),
    "national_model_workers": (
        "获评全国劳动模范、先进工作者{value}",
        "saw {value} named national model workers",
    ),
    "city_model_workers": (
        "获评北京市劳动模范、先进工作者{value}",
        "saw {value} named Beijing model workers",
    ),
    "model_lectures": ("举办劳模先进事迹宣讲会{value}", "held {value} of model-worker lectures"),
    "new_union_units": ("新增建会单位{value}", "unionised {value}"),
    "members_recruited": ("发展会员{value}", "recruited {value} as members"),
    "new_union_units_100plus": (
        "推动百人以上单位新建会{value}",
        "unionised {value} with 100+ staff",
    ),
    "new_union_units_standalone": (
        "新建单独基层工会{value}",
        "set up standalone grassroots unions in {value}",
    ),
    "new_union_units_joint": ("联合基层工会新覆盖单位{value}", "extended joint unions to {value}"),
    "fengqiao_points": (
        "建成“枫桥经验”区级实践点{value}",
        'opened {value} as district "Fengqiao" practice points',
    ),
    "dispute_centers": (
        "建成劳动争议一站式解纷中心{value}",
        "set up {value} of one-stop dispute resolution",
    ),
    "fengqiao_pod_served": (
        "枫桥实践站智能舱提供服务{value}",
        "gave {value} through the Fengqiao smart pod",
    ),
    "harmonious_firms_city": (
        "培育市级和谐劳动关系企业{value}",
        "cultivated {value} as city-level harmonious-labour-relations firms",
    ),
    "harmonious_firms_district": (
        "培育区级和谐劳动关系企业{value}",
        "cultivated {value} as district-level harmonious-labour-relations firms",
    ),
    "wage_arrears_cases": ("排查跟进欠薪案件{value}", "followed up {value} of wage arrears"),
    "legal_checkup_firms": ("为{value}企业开展法治体检", "gave {value} a legal check-up"),
    "disputes_mediated": ("调解劳动争议{value}", "mediated {value} of labour disputes"),
    "craftsman_academies_total": (
        "累计建成区级工匠学院{value}",
        "has built district craftsman academies: {value} in all",
    ),
    "craftsman_academies_city_total": ("其中市级{value}", "of which {value} city-level"),
    "special_trainings": ("开展专题培训{value}", "ran {value} of special training"),
    "skills_competitions": (
        "举办职业技能竞赛{value}",
        "held {value} of vocational skills competitions",
    ),
    "office_skills_participants": (
        "职工办公技能竞赛参与{value}",
        "drew {value} to the office-skills contest",
    ),
    "agency_contest_units": (
        "机关工作实务技能大赛覆盖单位{value}",
        "covered {value} in the agency-work skills contest",
    ),
    "agency_contest_participants": (
        "机关工作实务技能大赛参与{value}",
        "drew {value} to the agency-work skills contest",
    ),
    "care_beneficiaries": ("关爱活动惠及职工{value}", "gave {value} of care to workers"),
    "member_exclusive_activities": ("举办会员专享活动{value}", "held {value} for members only"),
    "summer_relief_units": ("夏送清凉走访慰问单位{value}", "visited {value} with summer relief"),
    "summer_relief_funds": ("发放慰问金及物资{value}", "gave {value} in cash and goods"),
    "summer_relief_workers": ("慰问职工{value}", "reached {value} in summer relief"),
    "job_fairs": ("举办线上线下招聘会{value}", "held {value} of job fairs"),
    "employment_served": ("就业服务总人数达{value}", "gave employment services to {value}"),
    "student_aid_children": (
        "“金秋助学”资助符合条件的困难职工子女{value}",
        "gave autumn school aid to {value} (a child of a worker in hardship)",
    ),
    "winter_warmth_workers": ("冬送温暖惠及一线职工{value}", "gave winter-warmth packs to {value}"),
    "activity_centers_new": (
        "新建职工活动中心{value}",
        "opened {value} as new workers' activity centres",
    ),
    "activity_centers_total": (
        "累计建成职工活动中心{value}",
        "has built {value} as workers' activity centres in all",
    ),
    "mental_stations_new": ("新建心灵驿站{value}", "opened new mental-health stations: {value}"),
    "union_stations_upgraded": (
        "提升工会驿站服务效能{value}",
        "upgraded {value} as union stations",
    ),
    "workers_homes_new": ("新建职工之家{value}", "opened {value} as new workers' homes"),
    "culture_programmes": ("开展职工文体活动项目{value}", "ran {value} of culture and sports"),
    "culture_units": ("覆盖参与单位{value}", "involved {value}"),
    "culture_events": ("举办职工文体活动{value}", "held {value} of culture and sports"),
    "culture_participants": ("文体活动参与达{value}", "drew {value} to culture and sports"),
}

# clause of an indicator without its own: (zh, en) for flows and for stocks
FALLBACK: dict[str, tuple[str, str]] = {
    "flow": ("{name}{value}", "{name}: {value}"),
    "stock": ("{name}累计达{value}", "{name}: {value} in all"),
}

# a stock -> its 其中 part, stated right after it
PARTS: dict[str, str] = {"craftsman_academies_total": "craftsman_academies_city_total"}

# the year's targets: (zh, en) when all share one status (named when few), and by status
TARGETS_NAMED = ("{year}年计划目标{items}，{label}。", "{year} target {items}: {label}.")
TARGETS_ALL = ("{year}年计划目标共{n}项，{label}。", "{year} plan targets ({n}): {label}.")
TARGETS_MIXED = ("{year}年计划目标共{n}项，其中{parts}。", "{year} plan targets ({n}): {parts}.")
NAMED_TARGETS = 2  # up to this many targets are named in the sentence
