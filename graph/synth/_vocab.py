"""Word lists and tables for the synthetic corpus (:mod:`plankg.graph.synth`): data only.

The words are our own; the sector keys are those of the plan's sector scheme
(``ontology/sector.ttl``), the agency kinds those of ``id/agency-kind``.
"""

from __future__ import annotations

# Characters that make place names (two of them each); provinces take a distinct first one.
PLACE_CHARS = ("青云安平宁清永丰长和泰阳新东西南北兴华昌德明崇临嘉金玉石龙凤桃柳松竹梅兰"
               "江河湖川溪源泉山岭峰川原台林沙湾洲浦塘田禾川盛乐康顺福祥瑞文武昭广远")

LEVEL_PLACE = {"province": "省", "city": "市", "county": "县"}
# Who the notice is addressed to, per level.
RECIPIENTS = {
    "province": "各市、县人民政府，省人民政府各委、办、厅、局",
    "city": "各县（市、区）人民政府，市人民政府各委、办、局",
    "county": "各乡（镇）人民政府，县人民政府各委、办、局",
}
THEMES = ("推进服务业提质增效", "促进服务业高质量发展", "加快发展现代服务业",
          "推动生活性服务业补短板", "提升服务业发展能级")

# Departments of a local government: key → printed name at county, city, province level,
# and the English name at each level. ``kind`` is per level (None: the body does not exist).
DEPARTMENTS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "drc": (("县发展和改革局", "市发展和改革委员会", "省发展和改革委员会"),
            ("Development and Reform Bureau", "Development and Reform Commission",
             "Development and Reform Commission")),
    "finance": (("县财政局", "市财政局", "省财政厅"),
                ("Finance Bureau", "Finance Bureau", "Department of Finance")),
    "hrss": (("县人社局", "市人社局", "省人社厅"),
             ("Human Resources and Social Security Bureau",) * 2
             + ("Department of Human Resources and Social Security",)),
    "industry-it": (("县工信局", "市工信局", "省工信厅"),
                    ("Bureau of Industry and Information Technology",) * 2
                    + ("Department of Industry and Information Technology",)),
    "commerce": (("县商务局", "市商务局", "省商务厅"),
                 ("Commerce Bureau", "Commerce Bureau", "Department of Commerce")),
    "housing": (("县住建局", "市住建局", "省住建厅"),
                ("Housing and Urban-Rural Development Bureau",) * 2
                + ("Department of Housing and Urban-Rural Development",)),
    "market-regulation": (("县市场监管局", "市市场监管局", "省市场监管局"),
                          ("Administration for Market Regulation",) * 3),
    "culture-tourism": (("县文旅局", "市文旅局", "省文旅厅"),
                        ("Culture and Tourism Bureau", "Culture and Tourism Bureau",
                         "Department of Culture and Tourism")),
    "transport": (("县交通局", "市交通局", "省交通厅"),
                  ("Transport Bureau", "Transport Bureau", "Department of Transport")),
    "admin-approval": (("县行政审批局", "市行政审批局", "省政务服务局"),
                       ("Administrative Approval Service Bureau",) * 2
                       + ("Government Services Administration",)),
    "education": (("县教育局", "市教育局", "省教育厅"),
                  ("Education Bureau", "Education Bureau", "Department of Education")),
    "science-tech": (("县科技局", "市科技局", "省科技厅"),
                     ("Science and Technology Bureau", "Science and Technology Bureau",
                      "Department of Science and Technology")),
    "natural-resources": (("县自然资源局", "市自然资源局", "省自然资源厅"),
                          ("Natural Resources Bureau", "Natural Resources Bureau",
                           "Department of Natural Resources")),
    "health": (("县卫健局", "市卫健委", "省卫健委"),
               ("Health Bureau", "Health Commission", "Health Commission")),
    "agriculture": (("县农业农村局", "市农业农村局", "省农业农村厅"),
                    ("Agriculture and Rural Affairs Bureau",) * 2
                    + ("Department of Agriculture and Rural Affairs",)),
    "civil-affairs": (("县民政局", "市民政局", "省民政厅"),
                      ("Civil Affairs Bureau", "Civil Affairs Bureau",
                       "Department of Civil Affairs")),
    "statistics": (("县统计局", "市统计局", "省统计局"), ("Statistics Bureau",) * 3),
    "justice": (("县司法局", "市司法局", "省司法厅"),
                ("Justice Bureau", "Justice Bureau", "Department of Justice")),
    "emergency": (("县应急局", "市应急局", "省应急厅"),
                  ("Emergency Management Bureau", "Emergency Management Bureau",
                   "Department of Emergency Management")),
    "energy": (("县能源局", "市能源局", "省能源局"), ("Energy Bureau",) * 3),
    "sports": (("县体育局", "市体育局", "省体育局"), ("Sports Bureau",) * 3),
}
# Every division has these; the others are drawn.
CORE_DEPARTMENTS = ("drc", "finance", "hrss", "industry-it", "housing", "market-regulation",
                    "statistics", "education", "commerce", "culture-tourism")

# Bodies that are not departments of the local government: key → printed name per level
# ({place} is the place name), kind per level, and how the parent is found: "up" (the same
# key one level up, or the national body ``national`` at the top), "government".
OTHER_BODIES: dict[str, tuple[tuple[str, str, str], tuple[str, str, str], str, str]] = {
    "tax": (("县税务局", "市税务局", "省税务局"),
            ("vertical-branch",) * 3, "up", "sat"),
    "pboc": (("人行{place}支行", "人行{place}中心支行", "人行{place}分行"),
             ("vertical-branch",) * 3, "up", "pboc"),
    "ecology-environment": (("县生态环境局", "市生态环境局", "省生态环境厅"),
                            ("vertical-branch", "city-department", "provincial-department"),
                            "up", ""),
    "post": (("邮政{place}分公司", "邮政{place}分公司", "邮政{place}分公司"),
             ("state-enterprise",) * 3, "national", "china-post"),
    "dev-zone": (("县开发区", "市经开区", "省级新区管委会"),
                 ("development-zone",) * 3, "government", ""),
    "leading-group": (("县服务业发展领导小组成员单位", "市服务业发展领导小组成员单位",
                       "省服务业发展领导小组成员单位"),
                      ("coordinating-body",) * 3, "government", ""),
    "coop": (("县供销社", "市供销社", "省供销社"), ("cooperative",) * 3, "government", ""),
    "sme-center": (("县中小企业服务中心", "市中小企业服务中心", "省中小企业发展促进中心"),
                   ("public-institution",) * 3, "government", ""),
}
OTHER_EN = {"tax": "Taxation Bureau", "pboc": "Branch of the People's Bank of China",
            "ecology-environment": "Ecology and Environment Bureau",
            "post": "Branch of China Post", "dev-zone": "Development Zone Management Committee",
            "leading-group": "Member Units of the Service Sector Development Leading Group",
            "coop": "Supply and Marketing Cooperative", "sme-center": "SME Service Center"}
DEPARTMENT_KIND = {"county": "county-department", "city": "city-department",
                   "province": "provincial-department"}

# National bodies: key → (name, English name, kind), and the series codes they issue under.
NATIONAL_AGENCIES = {
    "ndrc": ("国家发展和改革委员会", "National Development and Reform Commission",
             "national-department", ("发改财金", "发改就业", "发改产业")),
    "mof": ("财政部", "Ministry of Finance", "national-department", ("财建",)),
    "mofcom": ("商务部", "Ministry of Commerce", "national-department", ("商服贸发",)),
    "miit": ("工业和信息化部", "Ministry of Industry and Information Technology",
             "national-department", ("工信部企业",)),
    "mohrss": ("人力资源和社会保障部", "Ministry of Human Resources and Social Security",
               "national-department", ("人社部发",)),
    "mct": ("文化和旅游部", "Ministry of Culture and Tourism", "national-department",
            ("文旅产业发",)),
    "mot": ("交通运输部", "Ministry of Transport", "national-department", ("交运发",)),
    "sat": ("国家税务总局", "State Taxation Administration", "national-department", ()),
    "pboc": ("中国人民银行", "People's Bank of China", "national-department", ()),
    "china-post": ("中国邮政集团有限公司", "China Post Group Corporation Limited",
                   "state-enterprise", ()),
}
NATIONAL_TOPICS = ("服务业领域困难行业恢复发展", "生活性服务业补短板上水平", "现代物流高质量发展",
                   "养老托育服务健康发展", "家政服务业提质扩容", "文化和旅游消费",
                   "中小微企业纾困解难", "县域商业体系建设", "职业技能提升", "数字化转型")
NATIONAL_VERBS = ("促进", "推动", "加快", "支持")
NATIONAL_KINDS = ("若干政策", "指导意见", "实施意见", "若干措施")

# The plan's own sector scheme, as in ontology/sector.ttl: pillar → sub-sector keys.
PRODUCER = ("finance", "transport", "sci-tech", "information", "business", "energy-saving",
            "agri-services")
CONSUMER = ("commerce", "culture-tourism-sports", "household", "health-elderly",
            "real-estate", "childcare", "education-training")

# What tasks in a sub-sector are about, and which departments take them on.
SECTOR_NOUNS = {
    "finance": ("普惠金融", "绿色信贷", "融资担保", "供应链金融", "保险服务", "直接融资"),
    "transport": ("网络货运", "物流园区", "冷链物流", "农村寄递物流", "城乡配送", "多式联运"),
    "sci-tech": ("科技孵化载体", "创新平台", "科技成果转化", "高新技术企业", "研发机构"),
    "information": ("5G网络", "数据中心", "工业互联网", "数字化转型", "智慧城市应用"),
    "business": ("电子商务", "人力资源服务", "商务咨询", "会展经济", "检验检测服务"),
    "energy-saving": ("合同能源管理", "节能诊断", "第三方环境治理", "资源循环利用"),
    "agri-services": ("农业生产托管", "农机作业服务", "农技推广", "为农综合服务", "家庭农场"),
    "commerce": ("特色商业街区", "夜间经济", "老字号", "汽车消费", "便民生活圈", "住宿餐饮"),
    "culture-tourism-sports": ("全域旅游", "景区提档升级", "文旅消费", "体育赛事", "全民健身",
                               "乡村旅游"),
    "household": ("家政服务", "社区便民服务", "家政技能培训", "维修服务"),
    "health-elderly": ("居家社区养老", "医养结合", "健康管理", "养老机构", "适老化改造"),
    "real-estate": ("保障性租赁住房", "住房消费", "物业服务", "老旧小区改造"),
    "childcare": ("普惠托育", "托幼一体化", "婴幼儿照护", "托育机构"),
    "education-training": ("职业教育", "技能培训", "产教融合", "社区教育"),
    None: ("纾困扶持", "惠企政策", "市场主体", "营商环境", "服务业集聚区", "两业融合",
           "标准化建设", "品牌培育", "统计监测", "考核督促", "要素保障"),
}
SECTOR_DEPARTMENTS = {
    "finance": ("finance", "pboc", "industry-it", "drc"),
    "transport": ("transport", "drc", "post", "commerce"),
    "sci-tech": ("science-tech", "industry-it", "education", "dev-zone"),
    "information": ("industry-it", "admin-approval", "drc", "energy"),
    "business": ("commerce", "hrss", "industry-it", "justice", "market-regulation"),
    "energy-saving": ("industry-it", "ecology-environment", "drc", "energy"),
    "agri-services": ("agriculture", "coop", "township", "finance"),
    "commerce": ("commerce", "market-regulation", "housing", "finance"),
    "culture-tourism-sports": ("culture-tourism", "sports", "township", "finance"),
    "household": ("commerce", "hrss", "civil-affairs", "market-regulation"),
    "health-elderly": ("civil-affairs", "health", "finance", "housing"),
    "real-estate": ("housing", "natural-resources", "admin-approval", "finance"),
    "childcare": ("health", "education", "housing", "natural-resources"),
    "education-training": ("education", "hrss", "finance", "drc"),
    None: ("drc", "finance", "industry-it", "market-regulation", "statistics", "hrss",
           "admin-approval", "tax"),
}

HEADING_VERBS = ("加快", "推进", "大力发展", "培育", "提升", "完善", "加强", "深化", "优化", "拓展",
                 "做大做强", "积极发展", "健全", "扩大", "支持", "促进")
HEADING_ENDS = ("", "建设", "体系", "服务", "发展", "能力", "水平", "试点", "质量")
SUBJECTS = ("龙头企业", "社会资本", "市场主体", "行业协会", "中小企业", "村集体经济组织", "高等院校")
MECHANISMS = ("协调推进机制", "政策支持体系", "监测评价制度", "服务标准体系", "要素保障机制",
              "部门联动机制")
OUTCOMES = ("推动{noun}提质增效", "形成一批可复制可推广的经验", "不断提升服务供给质量",
            "着力补齐发展短板", "确保各项措施落地见效", "更好满足群众多样化需求", "增强发展后劲")
SENTENCES = ("围绕{noun}，{verb}{noun2}{end}，{outcome}。", "支持{subject}参与{noun}，{outcome}。",
             "{verb}{noun}{end}，完善{mechanism}，{outcome}。",
             "鼓励{subject}加大{noun}投入，{outcome}。")
SECTION_TITLES = {
    "goals": ("工作目标", "主要目标", "发展目标"),
    "general": ("促进服务业恢复稳定增长", "推动服务业扩容提质", "稳住服务业发展基本盘"),
    "producer": ("大力发展生产性服务业", "加快发展生产性服务业", "推动生产性服务业向专业化延伸"),
    "consumer": ("提升发展生活性服务业", "加快发展生活性服务业", "推动生活性服务业向高品质升级"),
    "nonprofit": ("加快发展非营利性服务业", "稳步发展非营利性服务业"),
    "support": ("强化工作支撑", "完善要素保障", "夯实发展基础"),
    "organisation": ("加强组织保障", "强化组织实施", "狠抓工作落实"),
}
PILLAR_OF = {"producer": "producer", "consumer": "consumer", "nonprofit": "nonprofit"}

# Quantitative targets: sector → (indicator, unit, kind); kind is a target-kind key.
INDICATORS = {
    "finance": (("普惠小微贷款余额", "亿元", "level"), ("政府性融资担保业务规模", "亿元", "level")),
    "transport": (("网络货运企业", "家", "increment"), ("快递服务网点", "个", "increment")),
    "sci-tech": (("高新技术企业", "家", "level"), ("科技孵化载体", "家", "increment")),
    "information": (("5G基站", "个", "increment"), ("上云企业", "家", "increment")),
    "business": (("电子商务交易额增速", "%", "rate"), ("人力资源服务机构", "家", "increment")),
    "energy-saving": (("节能诊断服务企业", "家", "increment"),),
    "agri-services": (("农业生产托管面积", "万亩", "level"), ("示范家庭农场", "家", "increment")),
    "commerce": (("社会消费品零售总额增速", "%", "rate"), ("便民生活圈", "个", "increment")),
    "culture-tourism-sports": (("接待游客", "万人次", "level"), ("体育赛事活动", "场", "increment")),
    "household": (("家政服务人员培训", "人次", "increment"),),
    "health-elderly": (("社区养老服务设施", "个", "increment"), ("家庭照护床位", "张", "increment")),
    "real-estate": (("商品房建设周期", "个月", "reduction"), ("老旧小区改造", "个", "increment")),
    "childcare": (("每千人口托位数", "个", "level"), ("示范托育机构", "个", "increment")),
    "education-training": (("职业技能培训", "人次", "increment"),),
    None: (("服务业增加值增速", "%", "rate"), ("规模以上服务业企业", "家", "level"),
           ("服务业市场主体", "户", "increment")),
}
GOALS = (("服务业增加值增速", "%", "rate"), ("服务业增加值占地区生产总值比重", "%", "level"),
         ("规模以上服务业企业", "家", "level"))
COMMITMENT_WORDS = {"plain": "", "strive": "力争", "ensure": "确保"}
COMPARATOR_WORDS = {"exact": "", "at-least": "以上", "about": "左右"}
REVIEWERS = ("王敏", "李强", "张蕾", "刘洋", "陈静", "杨帆")
