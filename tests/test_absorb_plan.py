"""absorb's pure parts: the overlay operations that give any order of items (a property
test: applied one after the other, as units.py applies them, they give the order sent),
and rewordings written back with the placeholders they had."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.absorb.align import Alignment, Placed
from qingdan.absorb.plan import plan, simulate
from qingdan.absorb.retemplate import retemplate


@st.composite
def edits(draw):
    """Built roles, and the roles as a unit sent them back: items kept, dropped, moved
    (within a role or to another), reworded, and new ones, in any order."""
    sizes = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4))
    roles = {f"r{n}": [f"r{n}i{k}" for k in range(size)] for n, size in enumerate(sizes)}
    everything = [i for items in roles.values() for i in items]
    kept = draw(st.lists(st.sampled_from(everything), unique=True)) if everything else []
    new = [f"new{k}" for k in range(draw(st.integers(0, 3)))]
    pool = draw(st.permutations(kept + new))
    cuts = sorted(draw(st.lists(st.integers(0, len(pool)), min_size=len(roles) - 1,
                                max_size=len(roles) - 1)))
    bounds = [0, *cuts, len(pool)]
    sent = {role: pool[bounds[n]:bounds[n + 1]] for n, role in enumerate(roles)}
    return roles, sent


@settings(max_examples=300, deadline=None)
@given(edits())
def test_any_order_sent_is_reached_by_the_operations(case):
    roles, sent = case
    alignment = Alignment()
    named = {}
    for role, items in sent.items():
        for ident in items:
            placed = Placed("" if ident.startswith("new") else ident, ident, "", False,
                            "" if ident.startswith("new") else ident)
            if not placed.id:
                named[id(placed)] = ident
            alignment.roles.setdefault(role, []).append(placed)
    placed_ids = {i for items in sent.values() for i in items}
    for role, items in roles.items():
        alignment.removed += [(i, i, role) for i in items if i not in placed_ids]
    ops = plan(alignment, roles, named)
    assert simulate(roles, ops) == {r: items for r, items in sent.items() if items}
    for op in ops:
        if op.op == "move":
            assert op.to  # the roster's schema asks for it
    # an item is only moved when its place changed: nothing sent as built makes no op
    if all(sent[r] == roles[r] for r in roles):
        assert ops == []


def test_an_item_new_at_the_top_of_a_role_costs_two_operations():
    roles = {"a": ["x", "y", "z"]}
    alignment = Alignment()
    new = Placed("", "新", "", False)
    alignment.roles["a"] = [new, *(Placed(i, i, "", False, i) for i in "xyz")]
    ops = plan(alignment, roles, {id(new): "n"})
    assert [(o.op, o.id, o.after) for o in ops] == [("add", "n", "x"), ("move", "x", "n")]


def test_a_rewording_keeps_the_placeholders_it_left_alone():
    template = "{{ unit.body }}把意识形态工作纳入党建工作责任制。加强{{ unit.channels }}等媒体。"
    printed = "党支部把意识形态工作纳入党建工作责任制。加强机关公众号等媒体。"
    assert retemplate(template, printed, "党支部把意识形态工作纳入年度考核。加强机关公众号等媒体的建设。") == (
        "{{ unit.body }}把意识形态工作纳入年度考核。加强{{ unit.channels }}等媒体的建设。", True)
    # the words a placeholder printed changed: the text becomes literal, and says so
    assert retemplate(template, printed, "党委把意识形态工作纳入党建工作责任制。加强机关公众号等媒体。") == (
        "党委把意识形态工作纳入党建工作责任制。加强机关公众号等媒体。", False)
    # placeholders side by side are one run of words
    assert retemplate("严格，{{ unit.short }}{{ unit.body }}对", "严格，机关党支部对",
                      "很严格，机关党支部对") == ("很严格，{{ unit.short }}{{ unit.body }}对", True)
    assert retemplate("没有占位符", "没有占位符", "没有了") == ("没有了", True)
    # a template Jinja alone can say is never rewritten
    assert retemplate("{% if x %}甲{% endif %}", "甲", "乙") == ("乙", False)
