"""Questions in plain Chinese or English, answered by a named query: ``plankg ask``.

The interpreter is rules over the graph's own names, no model: it finds in the question the
agencies (canonical names, aliases, short forms such as 教育局, English names), roles (牵头 lead,
配合 support, 负责 responsible; 参与/承担/涉及 any), sectors, 发文字号, task numbers (第49项,
任务49, 49号任务, 第四十九项, task 49) and indicators (5G基站, 托位数) the graph holds, and a
question form (which tasks, how many, who, whether, the most, targets, lineage, documents). Then
it runs the named query that answers that form, with the names as parameters, and says in words
how it understood the question. It never guesses: a name the graph does not hold (an agency, a
task number), a fact it does not record (a director, a budget, the weather, an opinion) or a
form it does not know is "not understood", with the reason and the closest questions it can
answer. Precision first.

Data flows one way: :func:`interpret` reads only the question and the names (:class:`Names`);
:func:`ask` runs the query on a :class:`~plankg.graph.store.GraphStore`.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from .iris import ORG, RDF, SKOS

__all__ = ["Interpretation", "Names", "ask", "interpret"]

# An English word's boundary in mixed text: \b sees none between 的 and "lineage" (both are
# word characters), so the English patterns use ASCII letters only.
_B = r"(?:(?<![A-Za-z])(?=[A-Za-z])|(?<=[A-Za-z])(?![A-Za-z]))"


@functools.cache
def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern.replace(r"\b", _B), flags)


def _search(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    return _re(pattern, flags).search(text)

ROLE_WORDS_ZH = {"牵头": "lead", "主办": "lead", "配合": "support", "协办": "support",
                 "协助": "support", "负责": "responsible", "未写明": "unspecified",
                 "未注明": "unspecified", "没写明": "unspecified", "没有写明": "unspecified"}
ANY_ROLE_ZH = ("参与", "承担", "涉及", "参加", "有关", "相关")
ROLE_WORDS_EN = [(r"\blead(?:s|ing)?\b|\bled\b", "lead"),
                 (r"\bsupport(?:s|ing)?\b|\bassist(?:s|ing)?\b|\bsupporting\b", "support"),
                 (r"\bresponsible\b", "responsible"),
                 (r"\bunspecified\b|\bno role\b", "unspecified")]
ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "unspecified": "未写明"}

# Facts the graph does not hold: never answered, whatever else the question names.
# people, money, results, opinions: the graph holds what the plan says is to be done, by whom
OUTSIDE_ZH = ("局长", "主任", "书记", "县长", "领导", "负责人", "工作人员", "人员", "员工", "名字",
              "叫什么", "姓名", "电话", "地址", "预算", "多少钱", "资金", "经费", "万元", "天气",
              "好不好", "怎么样", "评价", "看法", "觉得", "认为", "太多", "太少", "合理", "进展",
              "进度", "完成了", "完成情况", "完成没有", "完成得", "实际", "已经", "建成了", "做到了",
              "为什么", "效果", "工资", "人口", "GDP", "gdp", "排名", "最好", "最差")
OUTSIDE_EN = ("director", "head of", "phone", "address", "budget", "cost", "money", "spend",
              "weather", "opinion", "good plan", "think", "progress", "finished", "why",
              "population", "gdp", "salary", "email", "staff", "employee", "actually", "achieved",
              "were built", "was built", "completed", "best", "worst", "name of the person")
PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}(?:县|市|省|区))")
AGENCY_LIKE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|办公室|办|厅|中心|公司|支行|分局|"
                         r"银行|协会|中队|大队|研究院)")
AGENCY_LIKE_EN = _re(r"\b((?:[A-Z][a-z]+ )+(?:Bureau|Office|Commission|Ministry|"
                            r"Department|Authority|Administration|Agency|Centre|Center))\b")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,12}\s*[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d+\s*号")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_TASK = _re(
    r"第\s*(?P<a>\d+|[零〇一二两三四五六七八九十百]+)\s*(?:项|条|个|号)?(?:任务|工作|措施)?"
    r"|任务\s*(?:编号\s*)?(?:第\s*)?(?P<b>\d+|[一二两三四五六七八九十百][零〇一二两三四五六七八九十百]*)"
    r"\s*(?:号|项)?"
    r"|(?P<c>\d+)\s*号\s*任务"
    r"|\btask\s*(?:no\.?\s*|number\s*|#\s*)?(?P<d>\d+)"
    r"|\bitem\s*(?:no\.?\s*|#\s*)?(?P<e>\d+)"
    r"|#\s*(?P<f>\d+)", re.IGNORECASE)


def chinese_number(text: str) -> int | None:
    """十 10, 四十九 49, 六十六 66, 一百 100; Arabic digits as they are.

    >>> [chinese_number(t) for t in ("49", "四十九", "十二", "二十", "一百零五", "七")]
    [49, 49, 12, 20, 105, 7]
    """
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
        else:
            return None
    return total + digit


@dataclass
class Interpretation:
    """How a question was understood: the named query and its parameters, or why not."""

    question: str
    understood: bool
    kind: str = ""
    query: str = ""
    params: dict[str, str] = field(default_factory=dict)
    meaning_zh: str = ""
    meaning_en: str = ""
    reason_zh: str = ""
    reason_en: str = ""
    relation: str = ""  # for plan documents: based_on, cites, repeals (rows filtered by it)
    role: str = ""  # for "most": the role column ranked on; for "whether": the agency
    plan: str = ""  # the plan the question is about (for "most", "targets": its rows only)
    subject: str = ""  # for "whether": the agency, task or document looked for in the rows
    task: str = ""  # for "whether" a task carries out a document: the task's number
    part: str = ""  # for documents: "plan" (the plan's own text) or "tasks", else both
    level: str = ""  # for documents: national, province, city or county, else every level


@dataclass
class _Found:
    name: str  # canonical (zh) or the printed form
    key: str  # what the query parameter takes
    start: int
    end: int


class Names:
    """The names a question may use, read from the graph: agencies (with their aliases, short
    forms and English names), sectors, documents, indicators and the plan's task numbers."""

    def __init__(self, catalog: Graph, *, indicators: list[str], tasks: set[int],
                 plan: str | None, year: int | None = None,
                 agencies_with_tasks: set[str] | None = None,
                 sectors_with_tasks: set[str] | None = None,
                 headings: dict[str, int] | None = None) -> None:
        self.plan, self.year, self.tasks = plan, year, tasks
        self.headings = headings or {}
        self.indicators = sorted(set(indicators), key=len, reverse=True)
        self.agencies = self._agency_names(catalog, agencies_with_tasks)
        self.sectors = self._sector_names(catalog, sectors_with_tasks)
        self.documents = {str(n) for n in catalog.objects(None, URIRef(
            "http://data.europa.eu/eli/ontology#id_local"))}

    @staticmethod
    def _unique(pairs: list[tuple[str, str]]) -> dict[str, str]:
        """Forms that name one thing only (a short form two agencies share is dropped)."""
        seen: dict[str, set[str]] = {}
        for form, target in pairs:
            seen.setdefault(form, set()).add(target)
        return {form: next(iter(targets)) for form, targets in seen.items() if len(targets) == 1}

    def _agency_names(self, catalog: Graph, with_tasks: set[str] | None) -> dict[str, str]:
        """The agencies of the plan's own division (those with tasks and their neighbours:
        县人民政府办公室 has none), by every name; other divisions' bodies are named as the
        issuers of documents, not asked about."""
        exact: list[tuple[str, str]] = []
        short: list[tuple[str, str]] = []
        divisions = {a.rsplit("/", 2)[-2] for a in with_tasks or ()}
        for node in catalog.subjects(RDF.type, ORG.Organization):
            names = [str(x) for x in catalog.objects(node, SKOS.prefLabel) if x.language == "zh"]
            if not names:
                continue
            canonical = names[0]
            if with_tasks is not None and str(node) not in with_tasks and \
                    str(node).rsplit("/", 2)[-2] not in divisions:
                continue
            labels = {str(x) for p in (SKOS.prefLabel, SKOS.altLabel)
                      for x in catalog.objects(node, p)}
            for label in labels:
                exact.append((label.lower() if label.isascii() else label, canonical))
                if label.isascii():
                    short += [(form, canonical) for form in _english_forms(label.lower())]
                elif label.startswith("县") and len(label) >= 4:
                    short.append((label[1:], canonical))
                elif label.startswith("沁水县") and len(label) >= 6:
                    short.append(("县" + label[3:], canonical))
                    short.append((label[3:], canonical))
        forms = self._unique(short)
        forms.update(self._unique(exact))
        return forms

    @staticmethod
    def _sector_names(catalog: Graph, with_tasks: set[str] | None) -> dict[str, str]:
        """The sectors tasks are in (the plan's sub-sectors, not the whole classification),
        by their labels and their labels without 现代 or a trailing 服务(业)."""
        pairs: list[tuple[str, str]] = []
        for node in catalog.subjects(RDF.type, SKOS.Concept):
            if with_tasks is not None and str(node) not in with_tasks:
                continue
            zh = [str(x) for x in catalog.objects(node, SKOS.prefLabel) if x.language == "zh"]
            if not zh:
                continue
            for label in {str(x) for p in (SKOS.prefLabel, SKOS.altLabel)
                          for x in catalog.objects(node, p)}:
                if label.isascii():
                    pairs.append((label.lower(), zh[0]))
                    continue
                pairs.append((label, zh[0]))
                for shorter in (re.sub(r"^现代", "", label), re.sub(r"(服务业|服务|业)$", "", label)):
                    if len(shorter) >= 2 and shorter != label and shorter not in ("服务", "生活"):
                        pairs.append((shorter, zh[0]))
        return Names._unique(pairs)


def _english_forms(name: str) -> set[str]:
    """Shorter English names: without "Qinshui County", without "of the …" after the kind
    (Taxation Bureau of the State Taxation Administration), "Bureau of X" as "X Bureau" and
    the other way round, taxation as tax.

    >>> sorted(_english_forms("qinshui county bureau of industry and information technology"))
    ['bureau of industry and information technology', 'industry and information technology bureau']
    """
    forms = set()
    base = re.sub(r"^(?:the )?qinshui county ", "", name)
    if base != name:
        forms.add(base)
    base = re.sub(r" of the .*$", "", base)
    forms.add(base)
    if m := re.fullmatch(r"(bureau|office|administration) (?:of|for) (.+)", base):
        forms.add(f"{m[2]} {m[1]}")
    elif m := re.fullmatch(r"(.+) (bureau|office)", base):
        forms.add(f"{m[2]} of {m[1]}")
    forms |= {f.replace("taxation", "tax") for f in forms}
    return {f for f in forms if f != name and len(f.split()) >= 2}


def _normal(question: str) -> str:
    text = unicodedata.normalize("NFKC", question).strip()
    return re.sub(r"\s+", " ", text)


def _find_longest(text: str, forms: dict[str, str], *, fold: bool) -> list[_Found]:
    """Every non-overlapping occurrence of a form, longest first."""
    haystack = text.lower() if fold else text
    taken: list[tuple[int, int]] = []
    found: list[_Found] = []
    for form in sorted(forms, key=len, reverse=True):
        if len(form) < 2:
            continue
        if form.isascii():
            pattern = r"(?<![a-z])" + re.escape(form) + r"(?![a-z])"
            matches = [(m.start(), m.end()) for m in re.finditer(pattern, haystack)]
        else:
            matches = [(m.start(), m.end()) for m in re.finditer(re.escape(form), haystack)]
        for start, end in matches:
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            found.append(_Found(forms[form], forms[form], start, end))
    return sorted(found, key=lambda f: f.start)


def _tasks(text: str) -> list[int]:
    numbers = []
    for m in _TASK.finditer(text):
        value = next(v for v in m.groupdict().values() if v)
        number = chinese_number(value)
        if number is not None:
            numbers.append(number)
    return numbers


def _role(text: str, english: bool, *, about_task: bool) -> str | None:
    """The role a question asks for, or None for any. 负责 is the role "responsible" when the
    question is about an agency (县财政局负责哪些任务), but asks for every agency when it is
    about a task (第49项任务由哪些单位负责, 责任单位, who is responsible for task 49), unless
    the question quotes it as a role (以“负责”身份)."""
    low = text.lower()
    english_roles = [role for pattern, role in ROLE_WORDS_EN if _search(pattern, low)]
    if english:
        found = english_roles
        if about_task and "responsible" in found and not _search(r"\bas responsible\b|"
                                                                   r"\bthe role\b", low):
            found.remove("responsible")
        return found[0] if len(found) == 1 else None
    # 不含牵头单位, 不算配合的, （牵头的不算）: a role named only to be left out
    text = re.sub(r"(?:不含|不包括|除了|除去|不算|不计|不要)[^，。,？?）)]+", "", text)
    text = re.sub(r"[^，。,？?（(]+(?:不算|不计|除外)", "", text)
    found = {role for word, role in ROLE_WORDS_ZH.items() if word in text} | set(english_roles)
    if "unspecified" in found:
        found.discard("responsible")
    if about_task and "responsible" in found and not re.search(r"[“\"「『]负责[”\"」』]|身份|角色",
                                                               text):
        found.discard("responsible")
    if re.search(r"责任单位", text):
        found.discard("responsible")
    return next(iter(found)) if len(found) == 1 else None


_WHETHER = _re(r"是否|是不是|有没有|吗[？?]?$|么[？?]?$|\bis\b.*\?$|^(?:is|does|do|are)\b",
                      re.IGNORECASE)
_COUNT = _re(r"(?<!哪)几项|(?<!哪)几个|(?<!哪)几条|多少项|多少个任务|多少条|多少任务|任务数|数量|数目|\bhow many\b|"
                    r"\bnumber of\b|\bcount\b", re.IGNORECASE)
_MOST = _re(r"最多|最大|最重|\bmost\b", re.IGNORECASE)
_LINEAGE = _re(r"上级|依据|落实了|落实的|贯彻|根据|来源|出处|文件|政策|溯源|追溯|"
                      r"\bimplement|\bbased on\b|\blineage\b|\bhigher|\bparent|\bdocuments?\b|"
                      r"\bcarr(?:y|ies) out\b|\bbasis\b", re.IGNORECASE)
_TARGET = _re(r"目标|指标|量化|达到多少|要达到|新建多少|多少个(?!任务)|数值|\btargets?\b|\bgoals?\b|"
                     r"\bhow much\b|\bquantitative\b", re.IGNORECASE)
_AGENCIES = _re(r"单位|部门|机构|谁|哪家|哪个|\bwho\b|\bagenc|\bbureau|\bdepartment",
                       re.IGNORECASE)
_TASKS = _re(r"任务|工作|事项|哪些|什么|\btasks?\b|\bwhat\b|\bwhich\b", re.IGNORECASE)
_PLAN_DOCS = {
    "repeals": _re(r"废止|废除|取代|替代|\brepeal|\breplace|\bsupersede", re.IGNORECASE),
    "based_on": _re(r"依据|根据|基于|\bbased on\b|\bbasis\b", re.IGNORECASE),
    "cites": _re(r"引用|提到|提及|援引|\bcites?\b|\bcited\b|\bmention|\brefer",
                        re.IGNORECASE),
}
_THE_PLAN = _re(r"本计划|这个计划|该计划|这份计划|这个规划|本规划|该规划|计划|规划|方案|"
                       r"\bthis plan\b|\bthe plan\b", re.IGNORECASE)


def _outside(text: str, english: bool) -> bool:
    if english:
        low = text.lower()
        return any(_search(r"\b" + re.escape(w), low) for w in OUTSIDE_EN)
    return any(w in text for w in OUTSIDE_ZH)


def _not(question: str, zh: str, en: str) -> Interpretation:
    return Interpretation(question, False, reason_zh=zh, reason_en=en)


def _documents(text: str, known: set[str]) -> tuple[list[_Found], list[str]]:
    """The 发文字号 in ``text``: those the graph holds (the regex may take words before the
    series, 哪个文件废止了沁政办函…: the longest known tail is the number), and unknown ones."""
    found, unknown = [], []
    for m in DOC_NUMBER.finditer(text):
        for i in range(m.start(), m.end()):
            number = _doc(text[i:m.end()])
            if number in known:
                found.append(_Found(number, number, i, m.end()))
                break
        else:
            unknown.append(m.group(0)[-14:])
    return found, unknown


def _sectors(text: str, names: Names) -> list[_Found]:
    """Sectors named by a label or by a distinctive part of one: 托育 is 婴幼儿托育 and
    养老服务 健康养老服务, where that part belongs to one sector only and is at least three
    characters, or two beside a word such as 行业, 领域, 方面."""
    found = _find_longest(text, names.sectors, fold=True)
    if found:
        return found
    parts: dict[str, set[str]] = {}
    for label in {v for v in names.sectors.values()}:
        for size in range(2, len(label)):
            for i in range(len(label) - size + 1):
                parts.setdefault(label[i:i + size], set()).add(label)
    for part in sorted(parts, key=len, reverse=True):
        if len(parts[part]) != 1 or part in _GENERIC or not re.fullmatch(r"[\u4e00-\u9fff]+",
                                                                          part):
            continue
        if len(re.sub(r"[服务业性产行现代]", "", part)) < 2:  # 服务业, 性服务业: every sector's
            continue
        at = text.find(part)
        if at < 0:
            continue
        beside = text[at + len(part):at + len(part) + 2]
        if len(part) >= 3 or beside.startswith(("行业", "领域", "方面", "板块", "类", "业", "产业",
                                                 "服务")):
            label = next(iter(parts[part]))
            return [_Found(label, "part", at, at + len(part))]
    return []


_LEVELS = {"国家": "national", "中央": "national", "国务院": "national", "省": "province",
           "市": "city", "县": "county", "national": "national", "provincial": "province",
           "city": "city", "county": "county"}


def interpret(question: str, names: Names) -> Interpretation:
    """The named query and parameters that answer ``question``, or why it is not understood."""
    text = _normal(question)
    if not text:
        return _not(question, "问题是空的", "the question is empty")
    english = not re.search(r"[\u4e00-\u9fff]", re.sub(
        r"[\u4e00-\u9fff]{1,12}(?:局|委|办|中心|公司|支行)|" + DOC_NUMBER.pattern, "", text)) \
        and bool(re.search(r"[a-zA-Z]", text))
    docs, unknown_docs = _documents(text, names.documents)
    rest = text
    for f in sorted(docs, key=lambda f: -f.start):
        rest = rest[:f.start] + " " + rest[f.end:]
    agencies = _find_longest(rest, names.agencies, fold=True)
    for f in sorted(agencies, key=lambda f: -f.start):
        rest = rest[:f.start] + " " * (f.end - f.start) + rest[f.end:]
    sectors = _sectors(rest, names)
    if sectors and sectors[0].key == "part" and any(i in rest for i in names.indicators):
        sectors = []  # 农业生产托管面积 names an indicator, not the sector 农业生产性服务业
    for f in sorted(sectors, key=lambda f: -f.start):
        rest = rest[:f.start] + " " * (f.end - f.start) + rest[f.end:]
    tasks = _tasks(rest)
    if not tasks and (by_heading := _heading(rest, names.headings)):
        number, start, end = by_heading
        tasks = [number]
        rest = rest[:start] + " " * (end - start) + rest[end:]
    if _outside(rest, english):
        return _not(question, "图中没有这类信息（人员、资金、实际完成情况、评价等）",
                    "the graph holds no such facts (people, money, results, opinions…)")
    unknown = [m.group(0) for m in AGENCY_LIKE.finditer(rest) if not _benign(m.group(0))]
    unknown += [m.group(1) for m in AGENCY_LIKE_EN.finditer(rest)]
    if unknown:
        return _not(question, f"图中没有这个单位：{unknown[0]}",
                    f"the graph has no agency {unknown[0]}")
    if unknown_docs:
        return _not(question, f"图中没有文件 {unknown_docs[0]}",
                    f"the graph has no document {unknown_docs[0]}")
    places = [p for p in PLACE.findall(rest) if p not in ("沁水县", "本县", "全县", "我县", "该县")
              and not re.search(r"[的是哪份里个在这那什么了和与及从向对由把被为要有]", p)]
    if places or _search(r"\b(beijing|shanghai|other count|another county|province'?s)\b",
                           text.lower()):
        return _not(question, f"图中只有本县的规划，没有{places[0] if places else '其他地方'}的",
                    "the graph holds this county's plan, not other places'")
    year = names.year
    other_years = [y for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", rest) if year and int(y) != year]
    if other_years:
        return _not(question, f"图中是 {year} 年的规划，没有 {other_years[0]} 年的情况",
                    f"the graph holds the plan of {year}, not {other_years[0]}")
    for number in tasks:
        if number not in names.tasks:
            return _not(question, f"规划中没有第 {number} 项任务（共 {len(names.tasks)} 项）",
                        f"the plan has no task {number} (it has {len(names.tasks)})")
    plan = names.plan or ""
    role = _role(rest, english, about_task=bool(tasks))
    whether = bool(_WHETHER.search(text))
    agencies = list({f.name: f for f in agencies}.values())  # 交通局 (县交通局): one agency
    if len(agencies) > 1:
        return _not(question, "一次只能问一个单位", "ask about one agency at a time")
    if len(set(tasks)) > 1:
        return _not(question, "一次只能问一项任务", "ask about one task at a time")

    # yes or no: an agency on a task, a task in a sector, a document carried out or repealed
    if whether and tasks and agencies:
        agency, number = agencies[0].name, tasks[0]
        found = _interp(question, "whether", "task-agencies",
                        {"number": str(number), "plan": plan, **({"role": role} if role else {})},
                        f"{agency} 是否{'作为' + ROLE_ZH[role] + '单位' if role else ''}承担第 "
                        f"{number} 项任务", f"whether {agency} is{' ' + role if role else ''} on "
                        f"task {number}")
        found.subject = agency
        return found
    if whether and tasks and sectors:
        found = _interp(question, "whether", "tasks-by-sector",
                        {"sector": sectors[0].name, "plan": plan},
                        f"第 {tasks[0]} 项任务是否属于 {sectors[0].name}",
                        f"whether task {tasks[0]} is in the sector {sectors[0].name}")
        found.subject = str(tasks[0])
        return found
    if whether and docs and not agencies:
        relation = next((r for r, p in _PLAN_DOCS.items() if p.search(rest)), None) or (
            "ensures_implementation_of" if _LINEAGE.search(rest) else None)
        if relation:
            found = _interp(question, "whether", "plan-documents", {"plan": plan},
                            f"{'第 ' + str(tasks[0]) + ' 项任务' if tasks else plan} 是否"
                            f"{_REL_ZH[relation]} {docs[0].name}",
                            f"whether {'task ' + str(tasks[0]) if tasks else plan} "
                            f"{relation.replace('_', ' ')} {docs[0].name}")
            found.subject, found.relation = docs[0].name, relation
            found.task = str(tasks[0]) if tasks else ""
            return found
    if _MOST.search(text) and not tasks and not sectors:
        column = role or "total"
        found = _interp(question, "most", "agency-workload", {},
                        f"{plan} 中{'作为' + ROLE_ZH[role] + '单位' if role else ''}承担任务最多的单位",
                        f"the agency with the most tasks{' as ' + role if role else ''} in {plan}",
                        role=column)
        found.plan = plan
        return found
    if tasks:
        number = tasks[0]
        if _TARGET.search(rest) and not _search(r"单位|部门|谁|\bwho\b|\bagenc", rest, re.IGNORECASE):
            return _interp(question, "targets", "task-targets", {"number": str(number),
                                                                  "plan": plan},
                           f"第 {number} 项任务的量化目标", f"the targets of task {number}")
        if _LINEAGE.search(rest) and not _AGENCIES.search(re.sub(r"文件|documents?", "", rest)):
            return _interp(question, "lineage-of-task", "task-lineage",
                           {"number": str(number), "plan": plan},
                           f"第 {number} 项任务落实和依据的上级文件（溯源）",
                           f"the lineage of task {number}: what it carries out and its basis")
        if _AGENCIES.search(rest) or role or _search(r"哪些|什么|参与|\bwho\b", rest):
            return _interp(question, "agencies-of-task", "task-agencies",
                           {"number": str(number), "plan": plan,
                            **({"role": role} if role else {})},
                           f"第 {number} 项任务的{ROLE_ZH[role] if role else '责任'}单位",
                           f"the {role + ' ' if role else ''}agencies of task {number}")
        return _not(question, f"没有看懂要问第 {number} 项任务的什么",
                    f"not clear what is asked about task {number}")
    if agencies:
        agency = agencies[0].name
        params = {"agency": agency, "plan": plan, **({"role": role} if role else {})}
        as_role = f"作为{ROLE_ZH[role]}单位" if role else ""
        if _TARGET.search(rest):
            found = _interp(question, "targets", "targets", {"agency": agency},
                            f"{agency} 的任务的量化目标", f"the targets of the tasks of {agency}")
            found.plan = plan
            return found
        if _COUNT.search(rest):
            return _interp(question, "count-by-agency", "tasks-by-agency", params,
                           f"{agency} {as_role}承担的任务数", f"the number of tasks of {agency}"
                           f"{' as ' + role if role else ''}")
        if _TASKS.search(rest) or role:
            return _interp(question, "tasks-by-agency", "tasks-by-agency", params,
                           f"{agency} {as_role}承担的任务",
                           f"the tasks of {agency}{' as ' + role if role else ''}")
        return _not(question, f"没有看懂要问{agency}的什么", f"not clear what is asked about {agency}")
    if sectors:
        sector = sectors[0].name
        if _TARGET.search(rest):
            found = _interp(question, "targets", "targets", {"sector": sector},
                            f"{sector} 的量化目标", f"the targets of the sector {sector}")
            found.plan = plan
            return found
        if _COUNT.search(rest) or _TASKS.search(rest):
            return _interp(question, "tasks-by-sector", "tasks-by-sector",
                           {"sector": sector, "plan": plan},
                           f"{sector} 的任务", f"the tasks of the sector {sector}")
    # documents: what the plan (or a document named) is based on, cites, repeals; what repeals it
    for relation, pattern in _PLAN_DOCS.items():
        if not pattern.search(rest):
            continue
        if docs and relation == "repeals" and re.search(r"哪个文件废止|哪份文件废止|被.*废止|"
                                                        r"\bwhich\b.*\brepeal", text, re.IGNORECASE):
            found = _interp(question, "documents", "citations", {"document": docs[0].name},
                            f"废止 {docs[0].name} 的文件", f"the documents that repeal "
                            f"{docs[0].name}")
            found.relation = "repealed_by"
            return found
        subject = docs[0].name if docs else plan
        if subject and (docs or _THE_PLAN.search(rest) or not re.search(r"任务|task", rest)):
            found = _interp(question, "documents", "plan-documents", {"plan": subject},
                            f"{subject} {_REL_ZH[relation]}的文件",
                            f"the documents {subject} {relation.replace('_', ' ')}")
            found.relation = relation
            both = _search(r"包括|包含|以及|及其|和其|\band its\b|\band the tasks\b", rest)
            found.part = ("" if both
                          else "plan" if _search(r"前言|开头|序言|导语|正文前|\bpreamble", rest)
                          else "tasks" if _search(r"各项任务|任务中|任务里|\btasks\b", rest)
                          else "")
            found.level = next((v for k, v in _LEVELS.items()
                                if _search(k + r"(?:级|层面)|\b" + k + r"\b", rest)), "")
            return found
    if _TARGET.search(rest):
        indicator = _indicator(rest, names.indicators)
        if indicator:
            return _interp(question, "targets", "indicator-history", {"indicator": indicator},
                           f"指标「{indicator}」的目标值", f"the target values of {indicator}")
        if _THE_PLAN.search(rest) or _search(r"全部|所有|一共|哪些|\ball\b", rest):
            found = _interp(question, "targets", "targets", {},
                            f"{plan} 的全部量化目标", f"every target of {plan}")
            found.plan = plan
            return found
    indicator = _indicator(rest, names.indicators)
    if indicator and _search(r"多少|几|\bhow\b", rest, re.IGNORECASE):
        return _interp(question, "targets", "indicator-history", {"indicator": indicator},
                       f"指标「{indicator}」的目标值", f"the target values of {indicator}")
    return _not(question, "没有看懂这个问题", "the question is not understood")


_REL_ZH = {"based_on": "依据", "cites": "引用", "repeals": "废止",
           "ensures_implementation_of": "落实"}


def _heading(text: str, headings: dict[str, int]) -> tuple[int, int, int] | None:
    """A task named by its heading (“拓展服务领域”这项任务) or by a distinctive part of it, four
    characters or more that no other heading has (托幼一体化那条任务): its number and where."""
    for heading in sorted(headings, key=len, reverse=True):
        if len(heading) >= 4 and (at := text.find(heading)) >= 0:
            return headings[heading], at, at + len(heading)
    if not re.search(r"任务|那条|这条|那项|这项|\btask\b", text):
        return None
    best: tuple[int, int, int] | None = None
    for heading, number in headings.items():
        m = difflib.SequenceMatcher(None, heading, text).find_longest_match()
        part = heading[m.a:m.a + m.size]
        if m.size < 4 or part in _GENERIC or sum(part in h for h in headings) != 1:
            continue
        if best is None or m.size > best[2] - best[1]:
            best = (number, m.b, m.b + m.size)
    return best


def _benign(word: str) -> bool:
    """Words that end like an agency but ask which one (哪个局, 什么单位…) or are no agency."""
    return bool(re.search(r"哪|什么|各|每|本|我|你|他|这|那|该|其他|其它|有关|相关|别|某", word)) \
        or word.endswith(("服务站", "工作站")) or word in ("政策文件", "上级文件")


def _doc(number: str) -> str:
    from .parse import normalise_number
    return normalise_number(number) or number


def _indicator(text: str, indicators: list[str]) -> str | None:
    """The indicator the question names: the one it contains, or whose longest common part
    with the question (at least two characters, not a generic word) is longest and unique."""
    for indicator in indicators:
        if indicator in text:
            return indicator
    best: dict[int, set[str]] = {}
    for indicator in indicators:
        m = difflib.SequenceMatcher(None, indicator, text).find_longest_match()
        part = indicator[m.a:m.a + m.size]
        if m.size >= 2 and re.search(r"[\u4e00-\u9fffA-Za-z]", part) and part not in _GENERIC:
            best.setdefault(m.size, set()).add(indicator)
    if not best:
        return None
    top = best[max(best)]
    return next(iter(top)) if len(top) == 1 else None


_GENERIC = frozenset({"服务", "企业", "建设", "发展", "项目", "全县", "达到", "新建", "新增", "目标",
                      "任务", "单位", "以上", "年底", "县级", "培育", "打造", "提升", "个数", "数量"})


def _interp(question: str, kind: str, query: str, params: dict[str, str], zh: str, en: str, *,
            role: str = "") -> Interpretation:
    return Interpretation(question, True, kind, query, {k: v for k, v in params.items() if v},
                          meaning_zh=zh, meaning_en=en, role=role)


EXAMPLES = [
    "县工信局牵头哪些任务？", "县发改局配合几项任务？", "第49项任务由哪些单位负责？",
    "第1项任务落实了哪些上级文件？", "婴幼儿托育有哪些任务？", "婴幼儿托育有哪些量化目标？",
    "5G基站的目标是多少？", "哪个单位牵头的任务最多？", "本计划依据什么文件？",
    "本计划废止了哪个文件？", "县教育局是否参与第49项任务？",
    "Which tasks does 县工信局 lead?", "Who is responsible for task 49?",
]


def closest_examples(question: str, *, n: int = 3) -> list[str]:
    """Up to ``n`` questions it can answer, closest to ``question`` (by characters)."""
    scored = sorted(EXAMPLES, key=lambda e: -difflib.SequenceMatcher(None, question, e).ratio())
    return scored[:n]


# -- answering ---------------------------------------------------------------------------------


def names_of(store, plan: str | None = None) -> Names:
    """The names of ``store`` a question may use, for the plan ``plan`` (default: the newest
    plan with tasks); computed once per store and plan."""
    from .queries import newest_with_tasks, records_on_store

    def make() -> Names:
        from .names import resolve_plan

        plans = records_on_store(store, "plans")
        number = plan or newest_with_tasks(plans)
        tasks: set[int] = set()
        headings: dict[str, int] = {}
        year = None
        if number:
            node = resolve_plan(store.catalog, number)
            rows = store.select_records(_store_query("task-headings"), substitutions={"plan": node})
            headings = {str(r["heading"]): int(r["number"]) for r in rows
                        if str(r["number"]).isdigit()}
            tasks = set(headings.values())
            date = next((str(p["date"]) for p in plans if p["number"] == number and p["date"]),
                        "")
            year = int(date[:4]) if date[:4].isdigit() else None
        names: dict[str, set[str]] = {"indicator": set(), "agency": set(), "sector": set()}
        for row in store.select_records(_store_query("question-names")):
            names[str(row["kind"])].add(str(row["value"]))
        return Names(store.catalog, plan=number, year=year, tasks=tasks, headings=headings,
                     indicators=sorted(names["indicator"]), agencies_with_tasks=names["agency"],
                     sectors_with_tasks=names["sector"])

    return store.memoised(("ask-names", plan), make)


def _store_query(name: str) -> str:
    from .store import store_query
    return store_query(name)


def ask(store, question: str, *, plan: str | None = None) -> dict[str, Any]:
    """The answer to ``question`` on ``store``: what :command:`plankg ask` and ``/api/ask``
    give (``understood``, ``query``, ``params``, ``sparql``, ``rows``, ``answer_zh``…)."""
    meaning = interpret(question, names_of(store, plan))
    base = {"question": question, "understood": meaning.understood}
    if not meaning.understood:
        return {**base, "reason_zh": meaning.reason_zh, "reason_en": meaning.reason_en,
                "suggestions": closest_examples(question), "rows": []}
    from .backends.values import bind_terms
    from .queries import _on_store

    query, bindings = _on_store(store, meaning.query, meaning.params)
    rows = store.select_records(query.text, substitutions=bindings)
    rows, value, zh, en = _shape(meaning, rows)
    return {**base, "kind": meaning.kind, "query": meaning.query, "params": meaning.params,
            "interpretation_zh": f"理解为：{meaning.meaning_zh}",
            "interpretation_en": f"understood as: {meaning.meaning_en}",
            # the query as it ran, its parameters bound: it runs as it is on /sparql
            "sparql": bind_terms(query.text, bindings) if bindings else query.text,
            "rows": rows, "value": value, "answer_zh": zh, "answer_en": en}


def _numbers(rows: list[dict]) -> list[dict]:
    """One row per task number, in the order of the task numbers."""
    seen: dict[int, dict] = {}
    for row in rows:
        seen.setdefault(int(row["number"]), row)
    return [seen[n] for n in sorted(seen)]


def _list(items: list[str], sep: str = "、") -> str:
    return sep.join(items) if items else "无"


def _shape(m: Interpretation, rows: list[dict]) -> tuple[list[dict], Any, str, str]:
    """The rows to show, the answer's value (a count, a boolean) and the answer in words."""
    if m.kind in ("tasks-by-agency", "tasks-by-sector", "count-by-agency"):
        rows = _numbers(rows)
        numbers = [str(r["number"]) for r in rows]
        if m.kind == "count-by-agency":
            return rows, len(rows), f"{m.meaning_zh}：{len(rows)} 项。", \
                f"{m.meaning_en}: {len(rows)}."
        return rows, None, f"{m.meaning_zh}：共 {len(rows)} 项（第 {_list(numbers)} 项）。", \
            f"{m.meaning_en}: {len(rows)} (tasks {_list(numbers, ', ')})."
    if m.kind == "agencies-of-task":
        names = [f"{r['name']}（{ROLE_ZH.get(str(r['role']).rsplit('/', 1)[-1], '')}）"
                 for r in rows]
        return rows, None, f"{m.meaning_zh}：{_list(names)}。", \
            f"{m.meaning_en}: {_list([str(r['name']) for r in rows], ', ')}."
    if m.kind == "whether":
        if m.query == "task-agencies":
            hit = [r for r in rows if r["name"] == m.subject]
        elif m.query == "tasks-by-sector":
            hit = [r for r in rows if str(r["number"]) == m.subject]
        else:  # plan-documents
            hit = [r for r in rows if r["number"] == m.subject and r["relation"] == m.relation
                   and (not m.task or str(r.get("part_number") or "") == m.task)]
        yes = bool(hit)
        return hit, yes, f"{'是' if yes else '否'}。{m.meaning_zh}：{'是' if yes else '否'}。", \
            f"{'Yes' if yes else 'No'}. {m.meaning_en}: {'yes' if yes else 'no'}."
    if m.kind == "most":
        column = m.role or "total"
        plan_rows = [r for r in rows if not m.plan or r["plan"] == m.plan]
        best = max((int(r[column] or 0) for r in plan_rows), default=0)
        top = [r for r in plan_rows if int(r[column] or 0) == best and best > 0]
        names = [str(r["name"]) for r in top]
        return top, best, f"{m.meaning_zh}：{_list(names)}（{best} 项）。", \
            f"{m.meaning_en}: {_list(names, ', ')} ({best})."
    if m.kind == "lineage-of-task":
        docs = sorted({str(r["doc_number"]) for r in rows if r.get("doc_number")})
        return rows, None, f"{m.meaning_zh}：{_list(docs)}。", f"{m.meaning_en}: {_list(docs, ', ')}."
    if m.kind == "documents":
        if m.relation == "repealed_by":
            rows = [{"relation": "repealed_by", "number": r["other_number"],
                     "title": r["other_title"], "document": r["other"]}
                    for r in rows if r["direction"] == "cited_by" and r["relation"] == "repeals"]
        else:
            rows = [r for r in rows if r["relation"] == m.relation
                    and (m.part != "plan" or not r.get("part_number"))
                    and (m.part != "tasks" or r.get("part_number"))
                    and (not m.level or r.get("level") == m.level)]
        docs = sorted({str(r["number"]) for r in rows})
        return rows, None, f"{m.meaning_zh}：{_list(docs)}。", f"{m.meaning_en}: {_list(docs, ', ')}."
    if m.kind == "targets":
        if m.plan:
            rows = [r for r in rows if r.get("plan") in (None, m.plan)]
        said = [f"{r.get('indicator') or r.get('as_printed')} {r['value']}{r['unit']}" for r in rows]
        return rows, None, f"{m.meaning_zh}：{_list(said, '；')}。", \
            f"{m.meaning_en}: {_list(said, '; ')}."
    return rows, None, m.meaning_zh, m.meaning_en
