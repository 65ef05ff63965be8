"""A panel with something in every table: what the exchange tests move between databases."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from engine.panel.layout import pairs
from engine.store.panel import Item, PanelOptions, Panels
from engine.store.schema import panel_answers, panel_experts, panel_submissions, panel_tokens, panels

PANEL = "wuhan2025"
EXPERTS_CSV = (
    "id,name,group,weight,asks\nwang,王伟,think_tank,1,both\nli,李娜,development_reform,2.5,judgments\n"
    "zhao,赵敏,think_tank,1,scores\n"
)
MAPPING = Path(__file__).parents[1] / "fixtures" / "panel" / "wjx_mapping.yaml"


def busy_panel(store, project: str) -> str:
    """Panel PANEL of ``project`` in round 2: links issued, reissued and revoked, round-1 answers of
    every kind (judgments, a reversed pair, scores, self-ratings, reasons over several lines),
    submissions, a survey mapping and non-default options. Returns the token of li's valid link."""
    group = Panels(store)
    options = PanelOptions(
        aggregation="priorities", score_statistic="geometric", scored=("talent", "fiscal_cost"), link_days=14
    )
    group.create(project, PANEL, EXPERTS_CSV, source="experts.csv", asks="both", options=options)
    group.set_survey_mapping(project, PANEL, MAPPING.read_bytes(), source="wjx_mapping.yaml")
    group.issue_links(project, PANEL)
    group.issue_links(project, PANEL, ["wang"], base_url="https://policyrank.example/?lang=zh")
    group.revoke(project, PANEL, "zhao")
    (valid,) = group.issue_links(project, PANEL, ["li"], days=3)
    problem = group.problem(group.panel(project, PANEL))
    for position, node in enumerate(problem.criteria.judged_nodes):
        for a, b in pairs(node):
            group.save_answer(project, PANEL, "li", Item.judgment(node.id, a, b), "1/3" if position else 5)
    group.save_answer(
        project, PANEL, "wang", Item.judgment("goal", "ecosystem", "retention"), 3, "第一行\n第二行"
    )
    group.save_answer(project, PANEL, "wang", Item.score(problem.alternative_ids[0], "talent"), 7, " why ")
    group.save_answer(project, PANEL, "zhao", Item.score(problem.alternative_ids[1], "fiscal_cost"), 12.5)
    group.save_answer(project, PANEL, "zhao", Item.rating("familiarity"), "熟悉")
    group.save_answer(project, PANEL, "zhao", Item.rating("basis.practice"), "high")
    group.submit(project, PANEL, "li")
    group.submit(project, PANEL, "zhao")
    group.next_round(project, PANEL)
    group.save_answer(project, PANEL, "li", Item.judgment("goal", "retention", "ecosystem"), "2")
    group.submit(project, PANEL, "li")
    return valid.token


def panel_tables(connection: sa.Connection) -> dict[str, list]:
    """Every row of the panel tables, in an order of their keys."""
    return {
        "panels": connection.execute(sa.select(panels).order_by(panels.c.id)).all(),
        "panel_experts": connection.execute(
            sa.select(panel_experts).order_by(panel_experts.c.panel_id, panel_experts.c.id)
        ).all(),
        "panel_tokens": connection.execute(
            sa.select(panel_tokens).order_by(panel_tokens.c.token_sha256)
        ).all(),
        "panel_answers": connection.execute(
            sa.select(panel_answers).order_by(
                panel_answers.c.panel_id,
                panel_answers.c.expert_id,
                panel_answers.c.round,
                panel_answers.c.item,
            )
        ).all(),
        "panel_submissions": connection.execute(
            sa.select(panel_submissions).order_by(
                panel_submissions.c.panel_id, panel_submissions.c.expert_id, panel_submissions.c.round
            )
        ).all(),
    }
