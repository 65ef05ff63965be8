"""``policyrank panel`` and ``rank --panel`` against a throwaway workspace: questionnaires filled by a
script import cleanly and rank with the panel's weights; broken files change nothing; a survey
export goes in through its column mapping; ``rank`` never loads openpyxl."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from engine.cli.main import main
from engine.load import load_problem
from engine.panel.cells import SAATY_TEXTS
from engine.panel.layout import META_SHEET, pairs
from tests.conftest import ROOT

EXPERTS = ("wang", "li", "zhao")
EXPERTS_CSV = (
    "id,name,group,weight\nwang,王伟,think_tank,1\nli,李娜,development_reform,2\nzhao,赵敏,think_tank,1\n"
)
FIXTURES = ROOT / "tests" / "fixtures" / "panel"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One throwaway database for the module: every test below works on its own panel."""
    folder = tmp_path_factory.mktemp("panel_cli")
    (folder / "experts.csv").write_text(EXPERTS_CSV, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYRANK_DB", str(folder / "workspace.sqlite"))
        patch.chdir(folder)
        yield folder


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli_json(capsys, *argv: str):
    code, out, err = cli(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def judgments_of(seed: int) -> dict[tuple[str, str, str], str]:
    problem = load_problem()
    rng = np.random.default_rng(seed)
    return {
        (node.id, a, b): str(rng.choice(SAATY_TEXTS[3:-3]))
        for node in problem.criteria.judged_nodes
        for a, b in pairs(node)
    }


def fill(path: Path, judgments: dict[tuple[str, str, str], str]) -> None:
    """Answer a questionnaire as an expert would in Excel: the drop-down's text in each judgment cell,
    a reason beside it, the self-rating's labels."""
    problem = load_problem()
    workbook = load_workbook(path)
    sheets = [row[1:4] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0] == "sheet"]
    for title, kind, node in sheets:
        sheet = workbook[title]
        if kind == "judgments":
            for row, (a, b) in enumerate(pairs(problem.criteria.node(node)), start=5):
                sheet.cell(row, 3, judgments[node, a, b])
                sheet.cell(row, 7, f"{a} 与 {b}")
        elif kind == "self_rating":
            for row in range(5, sheet.max_row + 1):
                sheet.cell(row, 3, "熟悉" if row == 5 else "中")
    workbook.save(path)


def questionnaires(capsys, panel: str) -> dict[str, Path]:
    paths = [Path(p) for p in cli_json(capsys, "panel", "questionnaire", panel, "--out", panel)]
    assert [p.name for p in paths] == [f"{panel}_{e}_r1.xlsx" for e in EXPERTS]
    return dict(zip(EXPERTS, paths, strict=True))


def independent_aij(given: dict[str, dict[tuple[str, str, str], str]]) -> np.ndarray:
    """Weighted geometric mean of the three experts' judgments per node, principal eigenvector,
    hierarchic composition: from the criteria tree and numpy alone."""
    problem = load_problem()
    group_weight = {group.id: group.weight for group in problem.criteria.groups}
    member = {"wang": ("think_tank", 1.0), "li": ("development_reform", 2.0), "zhao": ("think_tank", 1.0)}
    in_group = {g: sum(w for gg, w in member.values() if gg == g) for g in group_weight}
    raw = {e: group_weight[g] * w / in_group[g] for e, (g, w) in member.items()}
    lam = {e: raw[e] / sum(raw.values()) for e in raw}

    def local(node) -> np.ndarray:
        ids = [child.id for child in node.children]
        log_mean = np.zeros((len(ids), len(ids)))
        for expert, values in given.items():
            for (at, a, b), text in values.items():
                if at == node.id:
                    top, _, bottom = text.partition("/")
                    value = float(top) / float(bottom or 1)
                    i, j = ids.index(a), ids.index(b)
                    log_mean[i, j] += lam[expert] * np.log(value)
                    log_mean[j, i] -= lam[expert] * np.log(value)
        values, vectors = np.linalg.eig(np.exp(log_mean))
        principal = np.abs(vectors[:, np.argmax(values.real)].real)
        return principal / principal.sum()

    weights: list[float] = []

    def descend(node, carried: float) -> None:
        if not node.children:
            weights.append(carried)
        elif len(node.children) == 1:
            descend(node.children[0], carried)
        else:
            for child, share in zip(node.children, local(node), strict=True):
                descend(child, carried * share)

    descend(problem.criteria.goal, 1.0)
    return np.array(weights)


def test_three_filled_questionnaires_import_and_rank_with_the_panels_weights(workspace, capsys):
    assert cli_json(capsys, "panel", "create", "good", "--experts", "experts.csv")["round"] == 1
    paths = questionnaires(capsys, "good")
    given = {expert: judgments_of(seed) for seed, expert in enumerate(EXPERTS)}
    for expert, path in paths.items():
        fill(path, given[expert])
    imported = cli_json(capsys, "panel", "import", "good", *map(str, paths.values()))
    assert imported == {"experts": list(EXPERTS), "answers": 3 * (len(given["wang"]) + 5), "submitted": True}

    ranked = cli_json(capsys, "rank", "--panel", "good", "--samples", "0")
    weights = np.array([c["weight"] for c in ranked["weights"]["criteria"]])
    np.testing.assert_allclose(weights, independent_aij(given), rtol=0, atol=1e-12)
    assert ranked["weights"]["experts"] == list(EXPERTS)
    assert {c["expert"] for c in ranked["consistency"]} == {"combined", *EXPERTS}

    status = cli_json(capsys, "panel", "status", "good")
    assert status["progress"]["submitted"] == 3
    assert [e["answered"] == e["asked"] for e in status["experts"]] == [True] * 3
    np.testing.assert_allclose(list(status["weights"]["criteria"].values()), weights, atol=1e-14)
    assert status["agreement"]["kendall_w"]["experts"] == 3
    assert status["authority"]["mean"] == pytest.approx((0.4 + 0.2 + 0.1 + 0.1 + 0.8) / 2)

    aip = cli_json(capsys, "rank", "--panel", "good", "--aggregation", "priorities", "--samples", "0")
    assert aip["settings"]["aggregation"] == "priorities"
    assert cli_json(capsys, "panel", "round", "good", "--next") == {"panel": "good", "round": 2}


def test_links_revoke_and_flags_that_do_not_fit(workspace, capsys):
    cli_json(capsys, "panel", "create", "links", "--experts", "experts.csv", "--asks", "both")
    links = cli_json(capsys, "panel", "links", "links", "--base-url", "https://x.example/panel")
    assert [link["expert"] for link in links] == list(EXPERTS)
    assert all(link["url"].startswith("https://x.example/panel?token=") for link in links)
    assert cli_json(capsys, "panel", "revoke", "links", "--expert", "li") == {"expert": "li", "revoked": 1}
    for argv, words in (
        (("panel", "revoke", "links", "--expert", "nobody"), "no expert 'nobody'"),
        (("panel", "status", "missing"), "no panel 'missing'"),
        (("panel", "create", "links", "--experts", "experts.csv"), "already has a panel"),
        (("panel", "create", "x", "--experts", "nowhere.csv"), "file not found"),
        (("rank", "--aggregation", "priorities"), "goes with --panel"),
        (("rank", "--panel", "links", "--experts", "analyst_default"), "leave out"),
        (("rank", "--panel", "links"), "no expert has answered every pairwise judgment"),
        (("panel", "import", "links"), "expected questionnaire files"),
    ):
        code, out, err = cli(capsys, *argv)
        assert (code, out) == (2, ""), err
        assert words in err and "Traceback" not in err


def _wrong_value(path: Path) -> None:
    workbook = load_workbook(path)
    workbook.worksheets[1]["C5"] = "10"
    workbook.save(path)


def _missing_pair(path: Path) -> None:
    workbook = load_workbook(path)
    workbook.worksheets[1].delete_rows(6)
    workbook.save(path)


def _extra_sheet(path: Path) -> None:
    workbook = load_workbook(path)
    workbook.create_sheet("我的备注")
    workbook.save(path)


def _not_xlsx(path: Path) -> None:
    path.write_text("id,value\ngoal,3\n", encoding="utf-8")


def _formula(path: Path) -> None:
    workbook = load_workbook(path)
    workbook.worksheets[1]["C5"] = "=1/3"
    workbook.save(path)


def _million_rows(path: Path) -> None:
    """Rows 100 to 10^6 of the first judgment sheet filled, written into the sheet's XML directly
    (openpyxl would take minutes), with the sheet's dimension saying so as Excel's would."""
    rows = "".join(
        f'<row r="{r}"><c r="G{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(100, 10**6 + 1)
    )
    source = path.with_suffix(".orig")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
                data = re.sub(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:G1000000"', data)
            new.writestr(info, data)
    source.unlink()


BROKEN = {
    "wrong value": (_wrong_value, "1/9"),
    "missing pair": (_missing_pair, "sheet 判断1-目标层"),
    "extra sheet": (_extra_sheet, "我的备注"),
    "not an xlsx": (_not_xlsx, "xlsx"),
    "formula": (_formula, "=1/3"),
    "10^6 rows": (_million_rows, "more than 10,000 rows"),
}


@pytest.fixture(scope="module")
def filled(workspace, tmp_path_factory):
    """The questionnaires of panel "broken", filled; each test breaks a copy."""
    assert main(["panel", "create", "broken", "--experts", "experts.csv"]) == 0
    folder = tmp_path_factory.mktemp("filled")
    assert main(["panel", "questionnaire", "broken", "--out", str(folder)]) == 0
    paths = {e: folder / f"broken_{e}_r1.xlsx" for e in EXPERTS}
    for seed, path in enumerate(paths.values()):
        fill(path, judgments_of(seed))
    return paths


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_gets_a_clear_message_and_changes_nothing(workspace, filled, capsys, tmp_path, case):
    capsys.readouterr()
    breaks, words = BROKEN[case]
    good = tmp_path / filled["li"].name
    shutil.copy(filled["li"], good)
    broken = tmp_path / filled["wang"].name
    shutil.copy(filled["wang"], broken)
    breaks(broken)
    history = cli_json(capsys, "history", "--limit", "1")[0]["id"]

    code, out, err = cli(capsys, "panel", "import", "broken", str(good), str(broken))
    assert (code, out) == (2, "")
    assert str(broken.name) in err.splitlines()[0] and words in err and "Traceback" not in err
    assert len(err.splitlines()) <= 22  # thousands of bad rows are summed up, not listed
    assert cli_json(capsys, "history", "--limit", "1")[0]["id"] == history
    status = cli_json(capsys, "panel", "status", "broken")
    assert status["progress"]["answered"] == 0 and status["progress"]["submitted"] == 0


def test_a_survey_export_goes_in_through_its_mapping_kept_with_the_panel(workspace, capsys):
    people = "id,name,group,weight\nwang_wei,王伟,think_tank,1\nli_na,李娜,development_reform,1\n"
    Path("survey_experts.csv").write_text(people + "zhao_min,赵敏,think_tank,1\n", encoding="utf-8")
    cli_json(capsys, "panel", "create", "survey", "--experts", "survey_experts.csv", "--asks", "both")
    export, mapping = FIXTURES / "wjx_export.csv", FIXTURES / "wjx_mapping.yaml"
    found = cli_json(capsys, "panel", "import", "survey", "--survey", str(export), "--mapping", str(mapping))
    assert found["experts"] == ["wang_wei", "li_na", "zhao_min"] and found["answers"] > 0
    code, _, err = cli(capsys, "panel", "import", "survey", "--survey", str(export))  # the kept mapping
    assert code == 2 and "locked" in err
    found = cli_json(capsys, "panel", "import", "survey", "--survey", str(export), "--replace")
    assert found["experts"] == ["wang_wei", "li_na", "zhao_min"]


def test_rank_does_not_import_openpyxl_or_the_workspace():
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "engine.cli",
            "rank",
            "--samples",
            "0",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not {name for name in imported if name.split(".")[0] in ("openpyxl", "sqlalchemy")}
    assert "scipy.stats" not in imported
