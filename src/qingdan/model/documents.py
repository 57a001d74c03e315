"""The documents: a responsibility list, measures (an assessment among them, with its
scoring), a notice (the yearly work notice among them), and the unit they are made for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Location
from .text import Text

# The four standard roles of a responsibility list, in their usual order, with the
# heading used when the source gives none.
STANDARD_ROLES: dict[str, str] = {
    "committee": "{{ unit.short }}{{ unit.body }}{{ topic }}主体责任清单",
    "secretary": "{{ unit.short }}{{ unit.body }}书记{{ topic }}责任清单",
    "deputy": "{{ unit.short }}{{ unit.body }}副书记{{ topic }}责任清单",
    "members": "其他{{ unit.body }}班子成员{{ topic }}责任清单",
}


# Party organisation types (or their endings) whose generated headings read well:
# 局党委…主体责任清单, 机关党支部书记…, 区委…, 总支部委员会….
KNOWN_BODIES = ("党委", "党组", "党总支", "党支部", "党工委", "支部", "总支", "委员会", "区委",
                "县委", "市委", "州委", "旗委", "盟委", "省委")


def known_body(body: str) -> bool:
    """Whether headings can be generated for an organisation of this type."""
    return body.endswith(KNOWN_BODIES)


# How the report names the standard roles.
ROLE_NAMES = {"committee": "主体责任", "secretary": "书记", "deputy": "副书记",
              "members": "其他班子成员"}


@dataclass(frozen=True)
class Unit:
    """The unit a document is made for: the values behind {{ unit.* }}."""

    name: str
    body: str
    short: str = ""
    superior: str = ""
    channels: str = ""
    vars: dict[str, str | int | float] = field(default_factory=dict)
    leaders: dict[str, object] = field(default_factory=dict)

    def variables(self) -> dict[str, object]:
        """What {{ unit.* }} may name. A field the unit does not give is undefined, so text
        that needs it fails with E302 instead of printing a blank; short falls back to the
        full name."""
        given = {"name": self.name, "short": self.short or self.name, "body": self.body,
                 "superior": self.superior, "channels": self.channels}
        found: dict[str, object] = {k: v for k, v in given.items() if v}
        found["vars"] = dict(self.vars)
        if self.leaders:
            found["leaders"] = dict(self.leaders)
        return found


@dataclass(frozen=True)
class CitedDocument:
    """A cited document: in the project's registry (by key) or written inline as a basis."""

    title: Text
    location: Location
    key: str | None = None
    organ: Text | None = None
    number: Text | None = None
    date: Text | None = None

    def cite(self, with_organ: bool = False) -> str:
        """《标题》（某委办〔2016〕15号）, as a citation is written in running text."""
        organ = self.organ.value if with_organ and self.organ else ""
        number = f"（{self.number.value}）" if self.number else ""
        return f"{organ}《{self.title.value}》{number}"


@dataclass(frozen=True)
class Item:
    """One numbered duty; its id is stable across renumbering, units and years."""

    id: str
    text: Text
    location: Location
    note: str = ""  # 修订说明: why the item changed this year, for the comparison table


@dataclass(frozen=True)
class Role:
    """One section of a list: the duties of the committee, the secretary, and so on."""

    id: str
    heading: Text
    items: tuple[Item, ...]
    location: Location
    lead: Text | None = None

    @property
    def standard(self) -> bool:
        return self.id in STANDARD_ROLES


@dataclass(frozen=True)
class ResponsibilityList:
    """A responsibility list (责任清单) as written in one source file."""

    name: str  # the source file's stem, used for the output file
    title: tuple[Text, ...]
    roles: tuple[Role, ...]
    location: Location
    basis: tuple[CitedDocument, ...] = ()
    topic: str = ""
    preamble: Text | None = None
    recipients: Text | None = None
    incomplete: bool = False  # parts failed the schema and were left out
    dropped_ids: frozenset[str] = frozenset()  # ids of the parts left out

    def items(self) -> list[Item]:
        return [item for role in self.roles for item in role.items]


@dataclass(frozen=True)
class Node:
    """One numbered unit of a measures document: a chapter, an article, or an outline level.

    In article numbering, top-level nodes are articles (第一条) unless they are chapters
    (第一章) holding articles; deeper nodes are （一） then 1. In outline numbering, the
    levels are 一、 （一） 1. （1）. Points make a node an assessment indicator.
    """

    id: str
    location: Location
    heading: Text | None = None
    text: Text | None = None
    children: tuple[Node, ...] = ()
    chapter: bool = False
    points: float | None = None
    assesses: tuple[Text, ...] = ()
    criteria: Text | None = None
    plain: bool = False  # an unnumbered paragraph (a closing paragraph; 款 in an article)
    run_in: bool | None = None  # its heading's form, when the node says
    continues: bool = False  # its children's numbers continue from the previous sibling's
    cut: bool = False  # some of its children failed the schema and were left out

    def walk(self) -> list[Node]:
        """This node and every node under it, in document order."""
        return [self, *(n for child in self.children for n in child.walk())]


@dataclass(frozen=True)
class Component:
    """One part of a composite score and its weight in percent: 目标考核 60%."""

    id: str
    name: Text
    weight: float
    location: Location
    weight_location: Location


@dataclass(frozen=True)
class Band:
    """A grade and its score interval: 良好 from 80 (inclusive) to 90 (exclusive)."""

    name: str
    location: Location
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = True


@dataclass(frozen=True)
class Veto:
    """一票否决: a unit that meets the condition may get at most the cap grade, or, with
    exclude, is not graded at all (不作为考核对象)."""

    id: str
    condition: Text
    location: Location
    cap: Text | None = None
    exclude: bool = False


@dataclass(frozen=True)
class Scoring:
    """The arithmetic of an assessment: total points, weights, formula, grade bands."""

    location: Location
    total: float | None = None
    total_location: Location | None = None
    components: tuple[Component, ...] = ()
    formula: Text | None = None
    bands: tuple[Band, ...] = ()
    vetoes: tuple[Veto, ...] = ()


@dataclass(frozen=True)
class Measures:
    """Implementation or assessment measures (实施办法, 考核办法) as written in one file."""

    name: str
    kind: str  # "measures" or "assessment"
    title: tuple[Text, ...]
    numbering: str  # "articles" or "outline"
    content: tuple[Node, ...]
    location: Location
    preamble: Text | None = None
    scoring: Scoring | None = None
    headings: dict[int, str] = field(default_factory=dict)  # level -> "line" or "run-in"
    continuous: frozenset[int] = frozenset()  # levels numbered across their parents
    incomplete: bool = False  # parts failed the schema and were left out
    dropped_ids: frozenset[str] = frozenset()  # ids of the parts left out
    # Which of its lists lost elements to the schema: "content" (top-level nodes),
    # "components", "grades", "vetoes". A node says so of its own children (Node.cut).
    cut: frozenset[str] = frozenset()

    def nodes(self) -> list[Node]:
        return [n for top in self.content for n in top.walk()]


@dataclass(frozen=True)
class Stage:
    """One row of a work notice's 时间安排: the stage, its date or dates, what is due, to whom."""

    name: Text
    when: Text  # 2025-12-01, or a range 2025-12-01—2025-12-10; resolved: 2025年12月1日—12月10日
    task: Text
    location: Location
    to: Text | None = None


@dataclass(frozen=True)
class Section:
    """A numbered part of a work notice's body (一、考核对象), with an optional 时间安排."""

    location: Location
    heading: Text | None = None
    text: Text | None = None
    schedule: tuple[Stage, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A notice that issues documents: 关于印发《……》的通知, with its letterhead and end block.

    A yearly work notice (kind "work": 关于开展2025年度……考核工作的通知) is issued once, by
    the project's own unit, and has sections after its body, one of them with a schedule.
    """

    name: str
    mark: Text
    recipients: Text
    body: Text
    attachments: tuple[Text, ...]  # source names of the documents it issues, in order
    signature: Text
    date: Text
    location: Location
    title: tuple[Text, ...] = ()  # empty: generated from the attachments' titles
    number: Text | None = None
    copy_to: Text | None = None
    printer: Text | None = None
    print_date: Text | None = None
    seal: bool = False  # 加盖印章: the date four characters in, room left for the seal
    draft: Text | None = None  # 草稿 or 征求意见稿: marked as a draft whatever its values
    kind: str = "notice"  # "notice" (issued by every unit) or "work" (by the project's own)
    sections: tuple[Section, ...] = ()
    assessed: tuple[Text, ...] = ()  # roster unit ids a work notice names; empty: all
