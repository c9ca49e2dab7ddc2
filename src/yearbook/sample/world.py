"""The sample district as canonical data: units, cadres, organisations, grid staff and every year's ledgers.

Everything here is canonical (clean Python values, unit *codes*); `returns.py` turns it into the messy files a
district really receives. One `random.Random` per topic and year, seeded with a fixed string: regenerating gives
the same district.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from yearbook.sample import names as N
from yearbook.sample.ids import credit_code, id_number

YEARS = (2020, 2021, 2022)
AREA_CODES = ("159901", "159902", "159903", "159921", "159922", "159925")  # fictional region codes
REGION = "159902"  # the district's region code inside credit codes (fictional)


def rng_for(*parts: object) -> random.Random:
    return random.Random("yearbook-sample:" + ":".join(str(p) for p in parts))


# ------------------------------------------------------------------------------------------------------------
# units (DJ00)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    category: str
    parent: str = ""
    aliases: tuple[str, ...] = ()


def _shipped_units(year: int) -> list[Unit]:
    units: list[Unit] = []
    for code, name, cat, aliases in N.PARTY_COMMITTEE:
        units.append(Unit(code, name, cat, "", aliases))
    units += [Unit(c, n, "区委部门", "", a) for c, n, a in N.PARTY_DEPARTMENTS]
    units += [Unit(c, n, "区直机关", "", a) for c, n, a in N.GOVERNMENT_UNITS]
    units += [Unit(c, n, "企事业单位", "", a) for c, n, a in N.ENTERPRISES]
    units += [Unit(c, n, cat, "", a) for c, n, cat, a in N.TOWNS]
    for town, villages in N.VILLAGES.items():
        units += [Unit(f"{town}V{i:02d}", v, "村", town) for i, v in enumerate(villages, 1)]
    for street, communities in N.COMMUNITIES.items():
        comms = list(communities)
        if year >= 2022 and street == N.NEW_COMMUNITY_2022[0]:
            comms.append(N.NEW_COMMUNITY_2022[1])
        units += [Unit(f"{street}C{i:02d}", c, "社区", street) for i, c in enumerate(comms, 1)]
    return units


# ------------------------------------------------------------------------------------------------------------
# scale: `yearbook sample --scale N` writes a district N times larger in rows. Reporting units grow by about √N
# (towns, departments), and so do the rows of each unit (villages per town, cadres per unit, ledger rows per
# unit): N× in all. Scale 1 is the shipped sample, draw for draw.


@dataclass(frozen=True)
class Scale:
    n: int = 1

    @property
    def units(self) -> float:
        """Factor on the number of reporting units (towns, departments)."""
        return math.sqrt(self.n)

    @property
    def rows(self) -> float:
        """Factor on the rows of each unit (villages of a town, cadres of a unit, ledger rows of a unit)."""
        return self.n / self.units


class Geography:
    """The units of a (scaled) district: the shipped ones, then generated towns, villages, communities and
    departments with unique fictional names. `style` maps every town to the shipped town whose house style
    (layouts and value conventions of DJ03–DJ05) it copies."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.shipped = {y: _shipped_units(y) for y in YEARS}
        self.extra: list[Unit] = []
        self.style: dict[str, str] = {t[0]: t[0] for t in N.TOWNS}
        self.grid_prefix = dict(N.GRID_PREFIX)
        self._units: dict[int, list[Unit]] = {}
        self.short = dict(N.SHORT)
        if scale.n == 1:
            return
        taken = {u.name for y in YEARS for u in self.shipped[y]} | {a for u in self.shipped[2022] for a in u.aliases}
        words = iter(N.place_words("towns"))

        def fresh(candidates, pattern: str) -> tuple[str, str]:
            for word, initials in candidates:
                name = pattern.format(word)
                if name not in taken and not any(name.startswith(w) for w in ("红旗", "团结", "胜利", "新华", "光明")):
                    taken.add(name)
                    return name, initials
            raise RuntimeError(f"no more generated names for {pattern}")

        u = scale.units
        towns: list[Unit] = []
        for cat, code, shipped_codes in (("镇", "T", ("T01", "T02", "T03")), ("街道", "S", ("S01", "S02"))):
            for i in range(len(shipped_codes) + 1, round(len(shipped_codes) * u) + 1):
                name, initials = fresh(words, "{}" + cat)
                t = f"{code}{i:02d}"
                towns.append(Unit(t, name, cat))
                self.style[t] = shipped_codes[(i - 1) % len(shipped_codes)]
                prefix = initials
                while prefix in self.grid_prefix.values():
                    prefix += initials[-1]
                self.grid_prefix[t] = prefix
                self.short[t] = name[0] + ("党" if cat == "镇" else "党工")
        self.extra += towns
        village_words = [(w + tail, i) for tail in N.VILLAGE_TAILS for w, i in N.place_words("villages")]
        community_words = [(w + tail, i) for tail in N.COMMUNITY_TAILS for w, i in N.place_words("communities")]
        village_words_it, community_words_it = iter(village_words), iter(community_words)
        shipped_sub = {**N.VILLAGES, **N.COMMUNITIES}
        for t in [c for c, *_ in N.TOWNS] + [t.code for t in towns]:
            street = t.startswith("S")
            per_town = 7 if street else 17
            have = len(shipped_sub.get(t, [])) + (t == N.NEW_COMMUNITY_2022[0])  # + 幸福里社区 (2022)
            letter, it, kind = ("C", community_words_it, "社区") if street else ("V", village_words_it, "村")
            for i in range(have + 1, round(per_town * scale.rows) + 1):
                name, _ = fresh(it, "{}" + kind)
                self.extra.append(Unit(f"{t}{letter}{i:02d}", name, kind, t))
        n_more = round((len(N.PARTY_DEPARTMENTS) + len(N.GOVERNMENT_UNITS) + len(N.ENTERPRISES)) * (u - 1))
        agencies = N.MORE_AGENCIES[:n_more]
        self.extra += [Unit(f"C{i:02d}", a, "区直机关") for i, a in enumerate(agencies, len(N.GOVERNMENT_UNITS) + 1)]
        patterns = N.ENTERPRISE_PATTERNS
        firms = [(patterns[i % len(patterns)].format(w), "") for i, (w, _) in enumerate(N.place_words("enterprises"))]
        firms_it = iter(firms)
        for i in range(len(N.ENTERPRISES) + 1, len(N.ENTERPRISES) + 1 + n_more - len(agencies)):
            name, _ = fresh(firms_it, "{}")
            self.extra.append(Unit(f"D{i:02d}", name, "企事业单位"))

    def units(self, year: int) -> list[Unit]:
        """DJ00 of the year: the shipped units in their order, then the generated ones in category order."""
        if not self.extra:
            return list(self.shipped[year])
        if year not in self._units:
            order = ("区委", "区委部门", "区直机关", "企事业单位", "镇", "街道", "村", "社区")
            self._units[year] = sorted(self.shipped[year] + self.extra,
                                       key=lambda u: (order.index(u.category), u.parent, len(u.code), u.code))
        return list(self._units[year])


GEO = Geography(Scale(1))
UNITS_2022: list[Unit] = []
UNIT: dict[str, Unit] = {}
TOWN_CODES: list[str] = []
ZHEN_CODES: list[str] = []
DEPT_CODES: list[str] = []


def _refresh(geo: Geography) -> None:
    """Point the module's unit lists at `geo` (in place: the other sample modules imported them by name)."""
    global GEO
    GEO = geo
    UNITS_2022[:] = geo.units(2022)
    UNIT.clear()
    UNIT.update({u.code: u for u in UNITS_2022})
    TOWN_CODES[:] = [u.code for u in UNITS_2022 if u.category in ("镇", "街道")]
    ZHEN_CODES[:] = [u.code for u in UNITS_2022 if u.category == "镇"]
    DEPT_CODES[:] = [u.code for u in UNITS_2022 if u.category in ("区委部门", "区直机关", "企事业单位")]


_refresh(GEO)


@contextlib.contextmanager
def scaled(n: int) -> Iterator[Scale]:
    """Generate the district n times larger inside the block (n = 1: the shipped sample)."""
    if n < 1:
        raise ValueError("scale must be at least 1")
    before = GEO
    _refresh(Geography(Scale(n)))
    try:
        yield GEO.scale
    finally:
        _refresh(before)


def more(n: int) -> int:
    """n rows of one unit, scaled (the shipped count at scale 1)."""
    r = GEO.scale.rows
    return n if r == 1 else max(1, round(n * r))


def row_factor() -> float:
    """The factor on the rows of one unit (1.0 at scale 1)."""
    return GEO.scale.rows


def many(n: int) -> int:
    """n rows of a district-wide ledger, scaled N× (the shipped count at scale 1)."""
    return n * GEO.scale.n


def build_units(year: int) -> list[Unit]:
    return GEO.units(year)


def town_style(t: str) -> str:
    """The shipped town whose layouts and value conventions town t uses in DJ03–DJ05."""
    return GEO.style[t]


def grid_prefix(t: str) -> str:
    return GEO.grid_prefix[t]


def short_name(code: str) -> str | None:
    """The abbreviation of a unit in document numbers (DJ12), if it has one."""
    return GEO.short.get(code)


def villages_of(town: str, year: int) -> list[Unit]:
    return [u for u in build_units(year) if u.parent == town]


# ------------------------------------------------------------------------------------------------------------
# calendar helpers


def workdays(year: int, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
    d = start or dt.date(year, 1, 1)
    end = end or dt.date(year, 12, 31)
    out = []
    while d <= end:
        # skip weekends and the Spring Festival / National Day weeks (roughly)
        if d.weekday() < 5 and not (d.month == 10 and d.day <= 7):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def spread_dates(rng: random.Random, year: int, n: int, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[dt.date]:
    """n working days spread over [start, end] (sorted; repeats allowed when n is large)."""
    days = workdays(year, start, end)
    if n <= 0:
        return []
    out = []
    for i in range(n):
        lo = int(len(days) * i / n)
        hi = max(lo, int(len(days) * (i + 1) / n) - 1)
        out.append(days[rng.randint(lo, hi)])
    return sorted(out)


def month_day(rng: random.Random, year: int, month: int) -> dt.date:
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return rng.choice(workdays(year, dt.date(year, month, 1), end))


# ------------------------------------------------------------------------------------------------------------
# cadres (DJ01, DJ02)


@dataclass
class Cadre:
    pid: str
    name: str
    sex: str
    ethnic: str
    birth: dt.date
    idno: str
    party: str
    level: str
    unit: str
    standing: bool = False
    status: str = "在职"


@dataclass
class CadreYear:
    roster: list[dict]  # DJ01 rows at 31 December (canonical)
    moves: list[dict]  # DJ02 rows
    post80_share: float = 0.0


LEVELS = ("县处级", "正科级", "副科级", "科员级")

# units whose 县处级 posts are district leaders
LEADER_UNITS = {"Q01": 3, "C01": 6, "C20": 5, "C21": 5, "C22": 2, "C23": 2, "B06": 2}


class CadreWorld:
    """A cadre population simulated from 1 January 2020 to 31 December 2022."""

    def __init__(self) -> None:
        self.rng = rng_for("cadres", "init")
        self.people: list[Cadre] = []
        self.used_names: set[str] = set()
        self.years: dict[int, CadreYear] = {}
        self._init_population()
        for year in YEARS:
            self.years[year] = self._simulate(year)

    # --- people ---------------------------------------------------------------------------------------------
    def _new_person(self, rng: random.Random, level: str, unit: str, birth_year: int, standing: bool = False,
                    party: str | None = None) -> Cadre:
        sex = "男" if rng.random() < (0.78 if level == "县处级" else 0.64 if level != "科员级" else 0.5) else "女"
        for _ in range(100):
            name = N.person_name(rng, sex)
            if name not in self.used_names:
                break
        self.used_names.add(name)
        birth = dt.date(birth_year, rng.randint(1, 12), 1)
        birth = birth.replace(day=rng.randint(1, 28))
        seq = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
        seq = seq % 1000
        idno = id_number(rng.choice(AREA_CODES), birth.year, birth.month, birth.day, seq)
        if party is None:
            r = rng.random()
            age = 2020 - birth_year
            if level == "县处级":
                party = "中共党员"
            elif level in ("正科级", "副科级"):
                party = "中共党员" if r < 0.94 else ("民主党派" if r < 0.97 else "无党派人士")
            else:
                party = ("中共党员" if r < 0.70 else "中共预备党员" if r < 0.78 and age < 32 else
                         "民主党派" if r < 0.81 else "群众")
        pid = f"RY{len(self.people) + 1:05d}"
        person = Cadre(pid, name, sex, N.ethnicity(rng), birth, idno, party, level, unit, standing)
        self.people.append(person)
        return person

    def _init_population(self) -> None:
        rng = self.rng
        # 区委班子成员 (standing committee): 书记, 副书记·区长, 专职副书记, 纪委书记, 组织部长, 宣传部长, 统战部长,
        # 政法委书记, 常务副区长, 区委办主任, 人武部政委
        for unit in ("Q01", "C01", "Q01", "B06", "B02", "B03", "B04", "B05", "C01", "B01", "Q01"):
            self._new_person(rng, "县处级", unit, rng.randint(1964, 1977), standing=True)
        for unit, n in LEADER_UNITS.items():
            for _ in range(n):
                party = "中共党员" if rng.random() < 0.85 else rng.choice(["民主党派", "无党派人士"])
                self._new_person(rng, "县处级", unit, rng.randint(1961, 1978), party=party)
        # 县处级 non-leading ranks (调研员) spread over departments and towns
        pool = DEPT_CODES + TOWN_CODES
        for _ in range(many(64)):
            self._new_person(rng, "县处级", rng.choice(pool), int(rng.triangular(1960, 1976, 1964)))
        for code in DEPT_CODES + TOWN_CODES:
            cat = UNIT[code].category
            town = cat in ("镇", "街道")
            big = code in ("B02", "B06", "C01", "C02", "C06", "C15", "C04")
            n_zk = more(rng.randint(11, 13) if town else rng.randint(5, 7) if big else rng.randint(3, 5))
            n_fk = more(rng.randint(18, 22) if town else rng.randint(7, 10) if big else rng.randint(4, 7))
            n_ky = more(rng.randint(4, 7) if town else rng.randint(8, 14) if cat == "企事业单位" else
                        rng.randint(1, 3))
            for _ in range(n_zk):
                self._new_person(rng, "正科级", code, self._birth_year(rng, "正科级"))
            for _ in range(n_fk):
                self._new_person(rng, "副科级", code, self._birth_year(rng, "副科级"))
            for _ in range(n_ky):
                self._new_person(rng, "科员级", code, self._birth_year(rng, "科员级"))

    @staticmethod
    def _birth_year(rng: random.Random, level: str) -> int:
        bands = {"正科级": ((1960, 1969, 40), (1970, 1979, 41), (1980, 1989, 19)),
                 "副科级": ((1960, 1969, 21), (1970, 1979, 36), (1980, 1989, 34), (1990, 1994, 9)),
                 "科员级": ((1966, 1979, 36), (1980, 1989, 28), (1990, 1997, 36))}[level]
        lo, hi, _ = rng.choices(bands, [b[2] for b in bands])[0]
        return rng.randint(lo, hi)

    # --- one year ------------------------------------------------------------------------------------------
    def _simulate(self, year: int) -> CadreYear:
        rng = rng_for("cadres", year)
        active = [p for p in self.people if p.status == "在职"]
        events: list[tuple[Cadre, str, bool]] = []  # (person, 调整类型, frontline)
        touched: set[str] = set()

        def frontline(p: Cadre, unit_before: str) -> bool:
            town = UNIT[p.unit].category in ("镇", "街道") or UNIT[unit_before].category in ("镇", "街道")
            return town or rng.random() < 0.22

        # retirements and departures
        for p in active:
            if p.birth.year <= year - 60:
                p.status = "退休"
        movers = [p for p in active if p.status == "在职" and not p.standing]
        young = [p for p in movers if p.birth.year >= 1980 and p.level != "科员级"]
        for p in rng.sample(movers, k=int(len(movers) * 0.008)) + rng.sample(young, k=int(len(young) * 0.04)):
            p.status = "调离"  # transferred out of the district (young cadres more often: 上挂、交流)
        if year == 2021:  # 换届: two standing members leave, two 县处级 leaders join the standing committee
            for p in [p for p in active if p.standing and p.unit in ("B03", "B04")]:
                p.status = "调离"
                p.standing = False
                cands = [q for q in active if q.status == "在职" and q.level == "县处级" and not q.standing
                         and q.unit in ("C01", "C20", "Q01") and q.birth.year >= 1966 and q.pid not in touched]
                q = sorted(cands, key=lambda c: c.pid)[0] if cands else None
                if q:
                    before = q.unit
                    q.unit, q.standing = p.unit, True
                    touched.add(q.pid)
                    events.append((q, "职务调整", frontline(q, before)))

        def alive(level: str) -> list[Cadre]:
            return [p for p in active if p.status == "在职" and p.level == level and p.pid not in touched]

        # promotions: keep the ranks roughly filled, with some growth of the section level
        n_cx = sum(1 for p in active if p.level == "县处级" and p.status != "在职") + rng.randint(0, 2)
        cands = [p for p in alive("正科级") if 1965 <= p.birth.year <= 1980]
        for p in rng.sample(cands, k=min(n_cx, len(cands))):
            before = p.unit
            p.level = "县处级"
            if rng.random() < 0.5:
                p.unit = rng.choice(["C01", "C20", "C21", "B06", "B02"] + TOWN_CODES)
            touched.add(p.pid)
            events.append((p, "提拔交流", frontline(p, before)))
        n_zk = (sum(1 for p in active if p.level == "正科级" and p.status != "在职") + n_cx
                + rng.randint(2, 4))
        cands = [p for p in alive("副科级") if p.birth.year <= year - 30]
        cands.sort(key=lambda p: (p.birth.year < 1972, rng.random()))  # younger first
        for p in cands[:n_zk]:
            before = p.unit
            p.level = "正科级"
            kind = "职级晋升" if rng.random() < 0.6 else "提拔交流"
            if kind == "提拔交流":
                p.unit = rng.choice(DEPT_CODES + TOWN_CODES)
            touched.add(p.pid)
            events.append((p, kind, frontline(p, before)))
        n_fk = (sum(1 for p in active if p.level == "副科级" and p.status != "在职") + n_zk
                + rng.randint(1, 4))
        cands = [p for p in alive("科员级") if p.birth.year <= year - 26]
        cands.sort(key=lambda p: (p.unit.startswith("D"), p.birth.year + rng.uniform(0, 5)))  # seniority
        for p in cands[:n_fk]:
            before = p.unit
            p.level = "副科级"
            kind = "职级晋升" if rng.random() < 0.7 else "提拔交流"
            if kind == "提拔交流":
                p.unit = rng.choice(DEPT_CODES + TOWN_CODES)
            if p.party not in ("中共党员", "民主党派", "无党派人士"):
                p.party = "中共党员"
            touched.add(p.pid)
            events.append((p, kind, frontline(p, before)))
        # lateral moves (职务调整)
        section = alive("正科级") + alive("副科级")
        for p in rng.sample(section, k=int(len(section) * 0.16)):
            before = p.unit
            p.unit = rng.choice([c for c in DEPT_CODES + TOWN_CODES if c != p.unit])
            touched.add(p.pid)
            events.append((p, "职务调整", frontline(p, before)))
        # staff grade promotions in public institutions (no change of 级别)
        staff = [p for p in alive("科员级") if UNIT[p.unit].category == "企事业单位" or p.unit == "B10"]
        for p in rng.sample(staff, k=min(len(staff), many(rng.randint(36, 48)))):
            touched.add(p.pid)
            events.append((p, "事业职员等级晋升", rng.random() < 0.3))
        # new recruits (公务员招录、选调生): not adjustments
        for _ in range(many(rng.randint(44, 52))):
            unit = rng.choice(TOWN_CODES * 3 + DEPT_CODES)
            p = self._new_person(rng, "科员级", unit, year - rng.randint(22, 27))
            active.append(p)
            if p.party == "中共预备党员" and rng.random() < 0.5:
                p.party = "群众"
        # probationary members become full members after a year
        for p in active:
            if p.party == "中共预备党员" and p.pid not in touched and rng.random() < 0.6:
                p.party = "中共党员"

        roster = [self._row(p) for p in sorted(active, key=lambda p: p.pid)]
        moves = self._batches(rng, year, events)
        section_now = [p for p in active if p.status == "在职" and p.level in ("正科级", "副科级")]
        post80 = sum(1 for p in section_now if 1980 <= p.birth.year <= 1999)
        share = 100 * post80 / len(section_now)
        return CadreYear(roster, moves, share)

    @staticmethod
    def _row(p: Cadre) -> dict:
        return {"人员编号": p.pid, "姓名": p.name, "公民身份号码": p.idno, "性别": p.sex, "民族": p.ethnic,
                "出生年月": (p.birth.year, p.birth.month), "政治面貌": p.party, "级别": p.level, "所在单位": p.unit,
                "是否区委班子成员": p.standing, "状态": p.status}

    @staticmethod
    def _batches(rng: random.Random, year: int, events: list[tuple[Cadre, str, bool]]) -> list[dict]:
        """Group the year's adjustments into decisions (批次) of the 部务会/常委会."""
        n_batches = rng.randint(13, 17)
        dates = spread_dates(rng, year, n_batches, dt.date(year, 1, 10), dt.date(year, 12, 20))
        staff_batches = sorted(rng.sample(range(n_batches), k=2))
        rows = []
        for person, kind, front in events:
            if kind == "事业职员等级晋升":
                b = rng.choice(staff_batches)
            else:
                b = rng.choice([i for i in range(n_batches) if i not in staff_batches])
            rows.append({"批次号": f"{year}-{b + 1:02d}", "日期": dates[b], "人员编号": person.pid,
                         "调整类型": kind, "是否基层一线或急难险重岗位": front})
        rows.sort(key=lambda r: (r["批次号"], r["人员编号"]))
        return rows


# ------------------------------------------------------------------------------------------------------------
# two new organisations (DJ03)


@dataclass
class Org:
    credit: str
    name: str
    kind: str  # 非公有制企业 / 社会组织
    town: str
    employees: int
    new_economy: bool
    start: int  # first year it exists
    end: int  # first year it no longer exists
    est_year: int | None  # year its Party organisation is set up (None: never within the sample)
    est_kind: str  # 单独建立 / 联合建立
    est_date: dt.date | None
    members: dict[int, int] = field(default_factory=dict)
    staff: dict[int, int] = field(default_factory=dict)


class OrgWorld:
    SIZES = {"T01": 44, "T02": 40, "T03": 50, "S01": 74, "S02": 70}

    def __init__(self) -> None:
        rng = rng_for("orgs", "init")
        self.orgs: list[Org] = []
        self.used: set[str] = set()
        self.codes: set[str] = set()
        sizes = {t: self.SIZES.get(t) or rng_for("orgs", "size", t).randint(40, 74) for t in TOWN_CODES}
        for town, n in sizes.items():
            for _ in range(more(n)):
                self._new(rng, town, start=rng.randint(2005, 2019))
        for year in (2020, 2021, 2022):
            yr = rng_for("orgs", year)
            for town in sizes:
                for _ in range(more(yr.randint(3, 5))):
                    self._new(yr, town, start=year)
            # closures
            alive = [o for o in self.orgs if o.start < year and o.end > year]
            for o in yr.sample(alive, k=many(yr.randint(6, 9))):
                if o.est_year is None or o.est_year < year:
                    o.end = year
        for o in self.orgs:
            self._history(o)

    def _new(self, rng: random.Random, town: str, start: int) -> None:
        kind = "非公有制企业" if rng.random() < 0.77 else "社会组织"
        new_economy = kind == "非公有制企业" and rng.random() < (0.08 if start < 2020 else 0.3)
        for _ in range(100):
            if kind == "社会组织":
                place = UNIT[town].name
                name = (f"{place}{rng.choice(N.SOCIAL_ORGS)}" if rng.random() < 0.5 else
                        f"{rng.choice(N.BRAND)}{rng.choice(N.SOCIAL_ORGS)}")
            elif new_economy:
                name = f"{rng.choice(N.BRAND)}{rng.choice(N.NEW_ECONOMY)}有限公司"
            else:
                suffix = "有限公司" if rng.random() < 0.85 else "有限责任公司"
                name = f"{rng.choice(N.BRAND)}{rng.choice(N.INDUSTRY)}{suffix}"
            if name not in self.used:
                break
        else:  # a scaled district runs out of brand × industry: the town's name in front, as firms do
            place = UNIT[town].name[:2]
            name = next(n for i in itertools.count() if (n := f"{place}{name}{i or ''}") not in self.used)
        self.used.add(name)
        coop = UNIT[town].category == "镇" and rng.random() < 0.09
        if kind == "非公有制企业" and not new_economy and coop:  # a farmers' cooperative (93…)
            for _ in range(100):
                name = f"{UNIT[town].name}{rng.choice(N.BRAND)}{rng.choice(N.COOPS)}专业合作社"
                if name not in self.used:
                    break
            self.used.add(name)
            prefix = "93"
            org8 = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        elif kind == "社会组织":
            prefix = rng.choice(["51", "52", "52"])
            org8 = "".join(rng.choice("0123456789") for _ in range(8)) if start < 2016 else (
                "MJ" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6)))
        else:
            prefix = "91"
            org8 = "".join(rng.choice("0123456789") for _ in range(8)) if start < 2015 else (
                "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6)))
        code = credit_code(prefix, REGION, org8)
        while code in self.codes:  # drawn twice (a scaled district): draw the organisation code again
            org8 = org8[:2] + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            code = credit_code(prefix, REGION, org8)
        self.codes.add(code)
        if kind == "社会组织":
            employees = rng.randint(3, 45)
        else:
            employees = int(rng.lognormvariate(3.2, 0.95)) + 5
            if rng.random() < 0.02:
                employees = rng.randint(1000, 1600)
        # when its Party organisation is set up
        r = rng.random()
        if start < 2020:
            est_year = (rng.randint(max(start, 2008), 2019) if r < 0.83 else 2020 if r < 0.86 else
                        2021 if r < 0.90 else 2022 if r < 0.95 else None)
        else:
            est_year = start if r < 0.55 else (start + 1 if r < 0.8 and start < 2022 else None)
        est_kind = "单独建立" if (employees >= 25 and rng.random() < 0.8) or employees >= 200 else "联合建立"
        self.orgs.append(Org(code, name, kind, town, employees, new_economy, start, 9999, est_year, est_kind,
                             None))

    def _history(self, o: Org) -> None:
        rng = rng_for("org-history", o.credit)
        if o.est_year is not None:
            lo = dt.date(o.est_year, 1, 5)
            o.est_date = lo + dt.timedelta(days=rng.randint(0, 350))
        staff = o.employees
        base_members = (rng.randint(3, max(3, min(40, staff // 4))) if o.est_kind == "单独建立"
                        else rng.randint(1, 2))
        for year in YEARS:
            staff = max(3, int(staff * rng.uniform(0.94, 1.1)))
            o.staff[year] = staff
            established = o.est_year is not None and o.est_year <= year
            if established:
                m = base_members + rng.randint(0, 1)
            else:
                m = rng.choice([0, 0, 1, 1, 2])
            o.members[year] = min(m, staff)

    def rows(self, year: int) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {t: [] for t in TOWN_CODES}
        for o in sorted(self.orgs, key=lambda o: (o.town, o.start, o.credit)):
            if not (o.start <= year < o.end):
                continue
            established = o.est_year is not None and o.est_year <= year
            out[o.town].append({
                "统一社会信用代码": o.credit, "组织名称": o.name, "组织类型": o.kind, "从业人员数": o.staff[year],
                "党员人数": o.members[year], "党组织建立情况": o.est_kind if established else "未建立",
                "党组织成立日期": o.est_date if established else None, "是否新就业群体": o.new_economy,
            })
        return out


# ------------------------------------------------------------------------------------------------------------
# villages (DJ04)


def village_rows(year: int, cadres: CadreYear) -> dict[str, list[dict]]:
    rng = rng_for("villages", year)
    base = rng_for("villages", "base")
    leaders = [r["人员编号"] for r in cadres.roster if r["级别"] == "县处级" and r["状态"] == "在职"]
    out: dict[str, list[dict]] = {}
    n_strong = many({2020: 15, 2021: 20, 2022: 26}[year])
    all_villages = [v for t in ZHEN_CODES for v in villages_of(t, year)]
    order = sorted(all_villages, key=lambda v: base.random() if v.code else 0)
    base_rank = {v.code: i for i, v in enumerate(order)}
    strong = {v.code for v in all_villages if base_rank[v.code] < n_strong}
    incomes = {v.code: round(base.uniform(18, 95) * (1.6 if base_rank[v.code] < many(12) else 1.0), 2)
               for v in all_villages}
    growth = {2020: 0.74, 2021: 0.81, 2022: 1.0}[year]
    pair_pool = sorted(leaders)
    prng = rng_for("villages", "pairs", year)
    pairs_leaders = prng.sample(pair_pool, k=min(len(pair_pool), many({2020: 12, 2021: 16, 2022: 20}[year])))
    for t in ZHEN_CODES:
        rows = []
        for v in villages_of(t, year):
            stars = 9 if year == 2022 else (9 if base_rank[v.code] < many({2020: 28, 2021: 40}[year]) else
                                            (8 if rng.random() < 0.7 else 7))
            is_strong = v.code in strong
            leader = None
            if is_strong:
                leader = pairs_leaders[sorted(strong).index(v.code) % len(pairs_leaders)]
            elif rng.random() < 0.15:
                leader = rng.choice(pair_pool)
            income = round(incomes[v.code] * growth * rng.uniform(0.95, 1.05), 2)
            rows.append({"村名": v.code, "星级": stars, "是否最强党支部": is_strong, "包联县处级领导人员编号": leader,
                         "村集体经济收入": income})
        out[t] = rows
    return out


# ------------------------------------------------------------------------------------------------------------
# grid staff (DJ05)


class GridWorld:
    def __init__(self) -> None:
        self.used: set[str] = set()
        self.counter: dict[str, int] = {}
        self.staff: dict[int, dict[str, list[dict]]] = {}
        rng = rng_for("grids", "init")
        self.grids: dict[str, list[str]] = {}
        for t in TOWN_CODES:
            subunits = villages_of(t, 2022)
            n = sum(rng.randint(2, 3) if UNIT[t].category == "镇" else rng.randint(5, 7) for _ in subunits)
            self.grids[t] = [f"{grid_prefix(t)}-{i:03d}" for i in range(1, n + 1)]
        current: dict[str, dict[tuple[str, str], dict]] = {t: {} for t in TOWN_CODES}
        for year in YEARS:
            yr = rng_for("grids", year)
            for t in TOWN_CODES:
                slots = current[t]
                keep: set[tuple[str, str]] = set()
                street = UNIT[t].category == "街道"
                grids = self.grids[t]
                if year < 2022 and street:  # grids were subdivided in 2021 and 2022
                    grids = grids[: len(grids) - (2022 - year) * more(3)]
                for i, g in enumerate(grids):
                    wanted = {"网格长": 1,
                              "专职网格员": 1 if (street or i % {2020: 3, 2021: 2, 2022: 1}[year] == 0
                                             or (year == 2022 and i % 5 != 4)) else 0,
                              "兼职网格员": (2 if street else 3 if i % 4 == 0 else 2) + (year == 2022 and i % 7 == 0),
                              "网格民警": 1 if i % ({2020: 4, 2021: 3, 2022: 3}[year] if street else 4) == 0 else 0}
                    for typ, n in wanted.items():
                        for k in range(n):
                            key = (g, f"{typ}{k}")
                            keep.add(key)
                            if key in slots and yr.random() < 0.08:
                                del slots[key]  # turnover
                            if key not in slots:
                                slots[key] = self._person(yr, t, typ)
                for key in [k for k in slots if k not in keep]:
                    del slots[key]  # posts no longer staffed this year
            self.staff[year] = {t: sorted(({"网格编号": g, **p} for (g, _), p in current[t].items()),
                                          key=lambda r: (r["网格编号"], r["人员类型"], r["人员编号"]))
                                for t in TOWN_CODES}

    def _person(self, rng: random.Random, town: str, typ: str) -> dict:
        self.counter[town] = self.counter.get(town, 0) + 1
        sex = "男" if rng.random() < (0.9 if typ == "网格民警" else 0.45) else "女"
        for _ in range(100):
            name = N.person_name(rng, sex)
            if name not in self.used:
                break
        self.used.add(name)
        return {"人员编号": f"WG{grid_prefix(town)}{self.counter[town]:04d}", "姓名": name, "人员类型": typ}


# ------------------------------------------------------------------------------------------------------------
# the whole district


@dataclass
class District:
    cadres: CadreWorld
    orgs: OrgWorld
    grids: GridWorld


def build_district() -> District:
    return District(CadreWorld(), OrgWorld(), GridWorld())
