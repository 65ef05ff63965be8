"""Expert panels in the workspace, on SQLite and (with POLICYRANK_TEST_POSTGRES_URL) PostgreSQL:
experts from a CSV, links stored only as hashes, answers kept one by one and locked by submission,
imports all or nothing, fifty experts answering at once, rounds, status and the panel's weights."""

from __future__ import annotations

import hashlib
import threading
import time

import numpy as np
import pytest
import sqlalchemy as sa

from engine.analysis import run
from engine.errors import InputError
from engine.hierarchy import judgment_matrix
from engine.mcda.ahp import priorities
from engine.model import Judgment
from engine.panel.aggregate import judgment_stack, panel_weights
from engine.panel.answers import Answers, SelfRating
from engine.panel.cells import SAATY_VALUES
from engine.panel.consensus import concordance
from engine.panel.layout import Identity, pairs
from engine.store.panel import Item, Locked, Panels, asked_items
from engine.store.schema import metadata

PANEL = "wuhan2025"
EXPERTS_CSV = (
    "id,name,group,weight\nwang,王伟,think_tank,1\nli,李娜,development_reform,2\nzhao,赵敏,think_tank,1\n"
)


@pytest.fixture
def panels(store) -> Panels:
    return Panels(store)


@pytest.fixture
def panel(panels):
    return panels.create("wuhan", PANEL, EXPERTS_CSV, source="experts.csv", asks="both")


def random_judgments(problem, seed: int) -> dict[str, dict[tuple[str, str], float]]:
    rng = np.random.default_rng(seed)
    return {
        node.id: {pair: float(rng.choice(SAATY_VALUES[2:-2])) for pair in pairs(node)}
        for node in problem.criteria.judged_nodes
    }


def answer_judgments(panels, expert: str, judgments) -> None:
    for node, values in judgments.items():
        for (a, b), value in values.items():
            panels.save_answer("wuhan", PANEL, expert, Item.judgment(node, a, b), value)


def history_count(store) -> int:
    return len(store.history("wuhan"))


# creating a panel


def test_a_panel_keeps_its_experts_groups_weights_and_round(panel, panels):
    assert panel.round == 1 and panel.revision == 1 and panel.asks == "both"
    assert [(e.id, e.group, e.weight) for e in panel.experts] == [
        ("wang", "think_tank", 1.0), ("li", "development_reform", 2.0), ("zhao", "think_tank", 1.0),
    ]  # fmt: skip
    assert [p.name for p in panels.panels("wuhan")] == [PANEL]
    (created,) = panels.store.history("wuhan", entity="panel")
    assert created.action == "create" and created.after["experts"][1]["name"] == "李娜"


@pytest.mark.parametrize(
    ("text", "place", "words"),
    [
        ("id,name,group\nwang,王伟,think_tank\n", "row 1", "'weight'"),
        ("id,name,group,weight\nwang,王伟,ministry,1\n", "row 2, column group", "think_tank"),
        (
            "id,name,group,weight\nwang,王伟,think_tank,1\nwang,王二,think_tank,1\n",
            "row 3, column id",
            "row 2",
        ),
        ("id,name,group,weight\nwang,王伟,think_tank,heavy\n", "row 2, column weight", "above 0"),
        ("id,name,group,weight\nwang,王伟,think_tank,-1\n", "row 2, column weight", "above 0"),
        ("id,name,group,weight\nwa/ng,王伟,think_tank,1\n", "row 2, column id", "characters"),
        ("id,name,group,weight\nwang,,think_tank,1\n", "row 2, column name", "name"),
        ("id,name,group,weight,asks\nwang,王伟,think_tank,1,everything\n", "row 2, column asks", "both"),
        ("id,name,group,weight\n", "", "at least one expert"),
    ],
)
def test_a_bad_experts_file_names_file_row_and_column_and_creates_nothing(panels, store, text, place, words):
    before = history_count(store)
    with pytest.raises(InputError) as caught:
        panels.create("wuhan", PANEL, text, source="experts.csv")
    assert caught.value.source == "experts.csv" and caught.value.place == place
    assert words in str(caught.value)
    assert panels.panels("wuhan") == [] and history_count(store) == before


def test_a_second_panel_of_the_same_name_is_refused(panel, panels):
    with pytest.raises(InputError, match="already has a panel named"):
        panels.create("wuhan", PANEL, EXPERTS_CSV)


# links


def test_links_open_only_their_experts_questionnaire_and_fresh_links_revoke_the_old(panel, panels):
    first = panels.issue_links("wuhan", PANEL, base_url="https://panel.example/q")
    access = panels.expert_for_token(first[1].token)
    assert access is not None
    assert (access.project, access.panel, access.expert, access.round, access.submitted) == (
        "wuhan", PANEL, "li", 1, None,
    )  # fmt: skip
    assert first[1].url == f"https://panel.example/q?token={first[1].token}"
    again = panels.issue_links("wuhan", PANEL, ["li"])
    assert panels.expert_for_token(first[1].token) is None  # reissued: the old link is dead
    assert panels.expert_for_token(first[0].token).expert == "wang"  # other experts keep theirs
    assert panels.expert_for_token(again[0].token).expert == "li"


def test_revoked_expired_and_made_up_tokens_give_none(panel, panels):
    links = {link.expert: link.token for link in panels.issue_links("wuhan", PANEL)}
    assert panels.revoke("wuhan", PANEL, "wang") == 1
    assert panels.expert_for_token(links["wang"]) is None
    short = panels.issue_links("wuhan", PANEL, ["zhao"], days=1e-9)[0].token  # expires at once
    time.sleep(0.01)
    assert panels.expert_for_token(short) is None
    for made_up in (
        "",
        "x",
        links["li"][:-1] + ("A" if links["li"][-1] != "A" else "B"),
        "a" * 10_000,
        None,
        42,
    ):
        assert panels.expert_for_token(made_up) is None
    assert panels.expert_for_token(links["li"]).expert == "li"


def test_only_hashes_of_tokens_are_in_the_database(panel, panels, store):
    tokens = [link.token for link in panels.issue_links("wuhan", PANEL)]
    stored = []
    with store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                stored.extend(str(value) for value in row)
        hashes = set(connection.scalars(sa.text("SELECT token_sha256 FROM panel_tokens")))
    dump = "\n".join(stored)
    assert not any(token in dump for token in tokens)
    assert {hashlib.sha256(t.encode()).hexdigest() for t in tokens} <= hashes


# answers


def test_each_answer_is_kept_as_given_and_replaced_when_changed(panel, panels, store):
    before = history_count(store)
    panels.save_answer(
        "wuhan", PANEL, "wang", Item.judgment("goal", "retention", "ecosystem"), "3", "存量优先"
    )
    panels.save_answer("wuhan", PANEL, "wang", Item.judgment("goal", "feasibility", "retention"), "1/5")
    panels.save_answer("wuhan", PANEL, "wang", "score:talent_strategy:talent", 7)
    panels.save_answer("wuhan", PANEL, "wang", Item.rating("familiarity"), "熟悉")
    panels.save_answer("wuhan", PANEL, "wang", Item.judgment("goal", "retention", "ecosystem"), 5)
    mine = panels.answers("wuhan", PANEL, "wang")["wang"]
    assert mine["judgment:goal:retention:ecosystem"].value == 5.0
    assert mine["judgment:goal:retention:ecosystem"].reason == ""
    assert mine["judgment:goal:retention:feasibility"].value == 5.0  # asked the other way round
    assert mine["score:talent_strategy:talent"].value == 7.0
    assert mine["rating:familiarity"].value == "familiar"
    changes = store.history("wuhan", entity="panel")[: history_count(store) - before]
    assert [c.action for c in changes] == ["answer"] * 5
    assert changes[0].before["value"] == 3.0 and changes[0].after["value"] == 5.0


@pytest.mark.parametrize(
    ("item", "value", "words"),
    [
        ("judgment:goal:retention:ecosystem", "10", "1/9"),
        ("judgment:goal:retention:talent", "3", "children of 'goal'"),
        ("judgment:nowhere:a:b", "3", "no criteria node"),
        ("score:talent_strategy:fiscal_cost", 500, "0"),
        ("score:no_such_measure:talent", 5, "no countermeasure"),
        ("rating:familiarity", "very much", "熟悉"),
        ("rating:mood", "good", "familiarity"),
        ("opinion:goal", "3", "judgment:NODE:A:B"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_kept(panel, panels, store, item, value, words):
    before = history_count(store)
    with pytest.raises(InputError) as caught:
        panels.save_answer("wuhan", PANEL, "wang", item, value)
    assert words in str(caught.value)
    assert panels.answers("wuhan", PANEL) == {} and history_count(store) == before


def test_an_item_the_expert_is_not_asked_is_refused(panels):
    experts = "id,name,group,weight,asks\nwang,王伟,think_tank,1,\nqian,钱多,think_tank,1,scores\n"
    panels.create("wuhan", PANEL, experts, asks="judgments")
    with pytest.raises(InputError, match="not a question expert 'wang' is asked"):
        panels.save_answer("wuhan", PANEL, "wang", "score:talent_strategy:talent", 5)
    with pytest.raises(InputError, match="not a question expert 'qian' is asked"):
        panels.save_answer("wuhan", PANEL, "qian", "judgment:goal:retention:ecosystem", 3)
    panels.save_answer("wuhan", PANEL, "qian", "score:talent_strategy:talent", 5)


def test_submitting_locks_the_experts_round(panel, panels):
    panels.save_answer("wuhan", PANEL, "wang", "judgment:goal:retention:ecosystem", 3)
    at = panels.submit("wuhan", PANEL, "wang")
    assert panels.submit("wuhan", PANEL, "wang") == at  # submitting again changes nothing
    with pytest.raises(Locked, match="locked"):
        panels.save_answer("wuhan", PANEL, "wang", "judgment:goal:retention:ecosystem", 5)
    panels.save_answer("wuhan", PANEL, "li", "judgment:goal:retention:ecosystem", 5)  # others go on
    token = panels.issue_links("wuhan", PANEL, ["wang"])[0].token
    assert panels.expert_for_token(token).submitted == at
    assert panels.answers("wuhan", PANEL, "wang")["wang"]["judgment:goal:retention:ecosystem"].value == 3.0


@pytest.mark.slow
def test_fifty_experts_answering_at_once_lose_no_answer(panels, store):
    experts = [f"e{i:02d}" for i in range(50)]
    csv_text = "id,name,group,weight\n" + "".join(
        f"{e},专家{e},{'think_tank' if i % 2 else 'development_reform'},1\n" for i, e in enumerate(experts)
    )
    panels.create("wuhan", PANEL, csv_text)
    problem = store.problem("wuhan")
    items = [i for i in asked_items(problem, "judgments", 1) if i.kind == "judgment"][:8]
    start = threading.Barrier(len(experts))
    failures: list[BaseException] = []

    def expert(position: int) -> None:
        try:
            start.wait()
            for step, item in enumerate(items):
                panels.save_answer(
                    "wuhan", PANEL, experts[position], item, SAATY_VALUES[(position + step) % 17]
                )
        except BaseException as exc:  # reported below with the others
            failures.append(exc)

    threads = [threading.Thread(target=expert, args=(i,)) for i in range(len(experts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stored = panels.answers("wuhan", PANEL)
    assert sorted(stored) == experts
    for position, e in enumerate(experts):
        assert [stored[e][item.key].value for item in items] == [
            SAATY_VALUES[(position + step) % 17] for step in range(len(items))
        ]
    answers = [h for h in store.history("wuhan", entity="panel") if h.action == "answer"]
    assert len(answers) == 50 * len(items)
    assert sorted(h.id for h in store.history("wuhan")) == list(range(1, 3 + 50 * len(items)))  # no gaps


# imports


def answers_of(problem, expert: str, seed: int, **extra) -> Answers:
    return Answers(identity=Identity(PANEL, expert, 1), judgments=random_judgments(problem, seed), **extra)


def test_an_import_is_all_or_nothing(panel, panels, store):
    problem = panels.problem(panel)
    good = answers_of(problem, "wang", 1, self_rating=SelfRating("familiar", {"practice": "high"}))
    stranger = answers_of(problem, "nobody", 2)
    before = history_count(store)
    with pytest.raises(InputError, match="no expert 'nobody'"):
        panels.import_answers("wuhan", PANEL, [good, stranger], source="files")
    other_round = Answers(identity=Identity(PANEL, "li", 2))
    with pytest.raises(InputError, match="round 2"):
        panels.import_answers("wuhan", PANEL, [good, other_round], source="files")
    with pytest.raises(InputError, match="already answers"):
        panels.import_answers("wuhan", PANEL, [good, good], source="files")
    assert panels.answers("wuhan", PANEL) == {} and history_count(store) == before

    result = panels.import_answers("wuhan", PANEL, [good, answers_of(problem, "li", 3)], source="files")
    assert result.experts == ("wang", "li") and result.submitted
    assert set(panels.submitted("wuhan", PANEL)) == {"wang", "li"}
    with pytest.raises(Locked):
        panels.import_answers("wuhan", PANEL, [answers_of(problem, "wang", 4)], source="again")
    panels.import_answers("wuhan", PANEL, [answers_of(problem, "wang", 4)], source="again", replace=True)
    mine = panels.answers("wuhan", PANEL, "wang")["wang"]
    assert not any(key.startswith("rating:") for key in mine)  # the replaced file's answers are gone


# status, weights and rounds


def complete_panel(panels, problem) -> dict[str, dict]:
    given = {e: random_judgments(problem, seed) for seed, e in enumerate(("wang", "li", "zhao"))}
    for expert, judgments in given.items():
        answer_judgments(panels, expert, judgments)
    return given


def test_the_panels_weights_rank_like_experts_of_a_criteria_file(panel, panels, store):
    problem = panels.problem(panel)
    given = complete_panel(panels, problem)
    panel_problem, settings = panels.analysis_inputs("wuhan", PANEL)
    assert [e.id for e in panel_problem.criteria.experts] == ["wang", "li", "zhao"]
    weights = run(panel_problem, settings).weights
    matrices = {
        node.id: judgment_stack(node, [[Judgment(a, b, v) for (a, b), v in given[e][node.id].items()]
                                       for e in given])
        for node in problem.criteria.judged_nodes
    }  # fmt: skip
    expected = panel_weights(
        problem.criteria.goal,
        matrices,
        [1, 2, 1],
        groups=["think_tank", "development_reform", "think_tank"],
        group_weights={"think_tank": 1, "development_reform": 1},
    )
    np.testing.assert_allclose(weights, expected.weights, rtol=0, atol=1e-14)
    aip = run(*panels.analysis_inputs("wuhan", PANEL, aggregation="priorities")).weights
    expected_aip = panel_weights(
        problem.criteria.goal,
        matrices,
        [1, 2, 1],
        groups=["think_tank", "development_reform", "think_tank"],
        group_weights={"think_tank": 1, "development_reform": 1},
        aggregation="priorities",
    )
    np.testing.assert_allclose(aip, expected_aip.weights, rtol=0, atol=1e-14)

    # "use the panel": manual weights of the project's own problem, saved as a scenario
    settings = panels.scenario_settings("wuhan", PANEL)
    saved = store.save_scenario("wuhan", "专家组权重", settings)
    np.testing.assert_allclose(run(store.problem("wuhan"), saved.settings).weights, weights, atol=1e-15)


def test_no_weights_before_someone_answered_every_judgment(panel, panels):
    panels.save_answer("wuhan", PANEL, "wang", "judgment:goal:retention:ecosystem", 3)
    with pytest.raises(InputError, match="no expert has answered every pairwise judgment"):
        panels.analysis_inputs("wuhan", PANEL)


def test_status_reports_progress_consistency_agreement_and_authority(panel, panels):
    problem = panels.problem(panel)
    given = complete_panel(panels, problem)
    for level, expert in (("very_familiar", "wang"), ("fair", "li")):
        panels.save_answer("wuhan", PANEL, expert, "rating:familiarity", level)
        for basis in ("practice", "theory", "literature", "intuition"):
            panels.save_answer("wuhan", PANEL, expert, f"rating:basis.{basis}", "high")
    panels.save_answer("wuhan", PANEL, "zhao", "score:talent_strategy:talent", 7)
    panels.save_answer("wuhan", PANEL, "li", "score:talent_strategy:talent", 5)
    panels.submit("wuhan", PANEL, "li")
    status = panels.status("wuhan", PANEL)

    assert status["progress"]["submitted"] == 1
    wang, li, zhao = status["experts"]
    judged = sum(len(pairs(node)) for node in problem.criteria.judged_nodes)
    assert wang["answered"] == judged + 5 and zhao["answered"] == judged + 1
    assert wang["asked"] == judged + len(problem.alternative_ids) * len(problem.leaf_ids) + 5
    assert li["submitted"] is not None and wang["submitted"] is None
    node = problem.criteria.node("ecosystem")
    own = priorities(
        judgment_matrix(node, [Judgment(a, b, v) for (a, b), v in given["li"]["ecosystem"].items()])
    )
    assert li["cr"]["ecosystem"] == pytest.approx(own.cr, abs=1e-12)

    leaves = np.array([_expert_leaves(problem, given[e]) for e in ("wang", "li", "zhao")])
    found = concordance(leaves)
    w = status["agreement"]["kendall_w"]
    assert (w["w"], w["chi2"], w["df"]) == pytest.approx((found.w, found.chi2, found.df), abs=1e-12)
    assert 0 <= w["p"] <= 1
    assert status["authority"]["experts"]["wang"]["cr"] == pytest.approx((1.0 + 1.0) / 2)
    assert status["authority"]["experts"]["li"]["cr"] == pytest.approx((1.0 + 0.5) / 2)
    assert status["weights"]["experts"] == 3
    (cell,) = status["scores"]["cells"]
    assert (cell["measure"], cell["criterion"], cell["count"]) == ("talent_strategy", "talent", 2)
    assert status["rounds"][0]["kendall_w"]["w"] == pytest.approx(found.w)


def _expert_leaves(problem, judgments) -> np.ndarray:
    from engine.hierarchy import synthesize

    local = {}
    for node in problem.criteria.judged_nodes:
        given = [Judgment(a, b, v) for (a, b), v in judgments[node.id].items()]
        local[node.id] = priorities(judgment_matrix(node, given)).weights
    return synthesize(problem.criteria.goal, local)


def test_the_next_round_keeps_the_last_and_feeds_it_back(panel, panels):
    problem = panels.problem(panel)
    given = complete_panel(panels, problem)
    panels.submit("wuhan", PANEL, "wang")
    assert panels.feedback("wuhan", PANEL, "wang") == []
    assert panels.next_round("wuhan", PANEL) == 2
    token = panels.issue_links("wuhan", PANEL, ["wang"])[0].token
    assert panels.expert_for_token(token).round == 2
    assert panels.expert_for_token(token).submitted is None  # a new round is open again
    assert panels.answers("wuhan", PANEL) == {}
    assert len(panels.answers("wuhan", PANEL, round=1)) == 3
    assert not any(i.kind == "rating" for i in panels.asked_items("wuhan", PANEL, "wang"))

    shown = {entry["item"]: entry for entry in panels.feedback("wuhan", PANEL, "wang")}
    item = "judgment:goal:retention:ecosystem"
    values = sorted(given[e]["goal"][("retention", "ecosystem")] for e in given)
    assert shown[item]["own"] == given["wang"]["goal"][("retention", "ecosystem")]
    assert shown[item]["median"] == pytest.approx(values[1])
    assert shown[item]["count"] == 3
    assert shown["score:talent_strategy:talent"]["count"] == 0

    panels.save_answer("wuhan", PANEL, "wang", item, 3)  # round 2 is open
    status = panels.status("wuhan", PANEL)
    assert [r["experts"] for r in status["rounds"]] == [3, 0]
