"""Random and extreme inputs through every page: seeded weight vectors (ties, 1e-300, subnormal,
one criterion only, vectors whose importance used to overshoot the sliders), every preset, random
AHP judgments, and uploads of the shipped files. No page may raise or show an error.

The weights enter the way a user brings them: a weight profile uploaded on the weights page (which
keeps full precision), or the settings a preset or the judgment sliders produce.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.insight.sliders import SAATY_STEPS, step_value
from engine.io.safe_yaml import parse_yaml
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, parse_preset, preset_files
from engine.screening import SAMPLE_TABLE
from engine.settings import Settings
from tests.ui.conftest import WEIGHTS_SECTIONS, settings_of, text, weights_section
from tests.ui.test_state_kept import YAML, entry
from ui import state
from ui.views import PAGES

pytestmark = pytest.mark.slow

SEED = 20240607
PAGE_FILES = {spec.key: str(spec.path) for spec in PAGES}
SAMPLES = 10_000  # the robustness page's smallest study keeps every visit short


def overshooting(problem, rng: np.random.Generator) -> np.ndarray:
    """Weights for which the engine's weights w gave 10 * w / w.max() = 10.000000000000002."""
    for _ in range(10_000):
        weights = rng.dirichlet(np.ones(len(problem.leaf_ids))).round(2)
        # as the upload does it: the profile read back, then the analysis
        uploaded = parse_preset(parse_yaml(profile(problem, weights), "p.yaml"), "p.yaml", problem.leaf_ids)
        used = run(problem, Settings().with_manual_weights(dict(uploaded.weights))).weights
        if (10 * used / used.max()).max() > 10:
            return weights
    raise AssertionError("no weight vector overshoots")


def weight_vectors(problem, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    n = len(problem.leaf_ids)
    return [
        ("1e-300 and ones", np.array([1e-300] + [1.0] * (n - 1))),
        ("subnormal and ones", np.array([5e-324] + [1.0] * (n - 1))),
        ("one criterion", np.array([1.0] + [0.0] * (n - 1))),
        ("ties", np.ones(n)),
        ("two tied at the top", np.array([3.0, 3.0] + [1.0] * (n - 2))),
        ("overshoots 10*w/w.max()", overshooting(problem, rng)),
        ("spiky", rng.dirichlet(np.full(n, 0.05))),
        ("flat", rng.dirichlet(np.full(n, 50.0))),
    ]


def profile(problem, weights: np.ndarray) -> bytes:
    document = {
        "version": 1,
        "id": "random",
        "name": {"zh": "随机", "en": "Random"},
        "weights": dict(zip(problem.leaf_ids, map(float, weights), strict=True)),
    }
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


def random_judgments(problem, rng: np.random.Generator) -> Settings:
    settings = Settings()
    for node in problem.criteria.judged_nodes:
        children = [child.id for child in node.children]
        edits = tuple(
            (a, b, step_value(int(rng.choice(SAATY_STEPS))))
            for i, a in enumerate(children)
            for b in children[i + 1 :]
        )
        settings = settings.with_judgments(node.id, edits)
    return settings


def visit(app: AppTest, case: str, pages: tuple[str, ...] | None = None) -> None:
    """Every page (but screening, which does not use the weights): nothing raised, no error shown."""
    for spec in PAGES:
        if spec.key == "screening" if pages is None else spec.key not in pages:
            continue
        app.switch_page(str(spec.path)).run()
        assert not app.exception, (case, spec.key, [e.value for e in app.exception])
        assert not app.error, (case, spec.key, [e.value for e in app.error])
        if spec.key == "weights":  # it draws the open section only
            for section in WEIGHTS_SECTIONS:
                weights_section(app, section)
                assert not app.error, (case, section, [e.value for e in app.error])


def started(lang: str) -> AppTest:
    app = entry()
    app.session_state[state.SAMPLES] = SAMPLES
    app.sidebar.radio(key=state.W_LANG).set_value(lang).run()
    assert not app.exception
    return app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_random_weight_profiles_through_every_page(problem, lang):
    app = started(lang)
    # half the vectors in each language
    vectors = weight_vectors(problem, np.random.default_rng(SEED))[lang == "en" :: 2]
    for case, weights in vectors:
        app.switch_page(PAGE_FILES["weights"]).run()  # the weights page takes the upload
        weights_section(app, "profile")
        upload = app.file_uploader(key=state.W_PROFILE_UPLOAD)
        upload.set_value((f"{case}.yaml", profile(problem, weights), YAML)).run()
        assert not app.exception and not app.error, (case, [e.value for e in app.error])
        assert settings_of(app).weight_source == "manual", case
        visit(app, case)


def test_every_preset_through_every_page(problem):
    app = started("zh")
    for preset in problem.presets:
        weights_section(app.switch_page(PAGE_FILES["weights"]).run(), "preset")
        app.selectbox(key=state.W_PRESET).select(preset.id).run()
        assert settings_of(app) == Settings().with_preset(preset.id)
        visit(app, preset.id)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_judgments_through_every_page(problem, seed):
    app = started("en" if seed % 2 else "zh")
    app.session_state[state.SETTINGS] = random_judgments(problem, np.random.default_rng(seed))
    visit(app, f"judgments {seed}")


def test_uploads_of_the_shipped_files_through_every_page(problem):
    app = started("zh")
    app.switch_page(PAGE_FILES["data"]).run()
    for key, path in (
        (state.W_DATA_CRITERIA, DEFAULT_CRITERIA),
        (state.W_DATA_CATALOGUE, DEFAULT_DATA),
        (state.W_DATA_EVIDENCE, DEFAULT_EVIDENCE),
    ):
        app.file_uploader(key=key).set_value((path.name, path.read_bytes(), YAML))
    next(b for b in app.button if b.label == text("data.load")).click().run()
    assert not app.exception and not app.error and app.success
    assert app.session_state[state.PROBLEM] is not None
    visit(app, "shipped files uploaded")
    for path in preset_files(DEFAULT_CRITERIA):
        weights_section(app.switch_page(PAGE_FILES["weights"]).run(), "profile")
        app.file_uploader(key=state.W_PROFILE_UPLOAD).set_value((path.name, path.read_bytes(), YAML)).run()
        assert not app.exception and not app.error and app.success, path.name
        visit(app, path.name, pages=("overview", "ranking", "budget"))
    app.switch_page(PAGE_FILES["screening"]).run()
    upload = app.file_uploader(key=state.screen_upload_key(app.session_state[state.SCREEN_UPLOADS]))
    upload.set_value((SAMPLE_TABLE.name, SAMPLE_TABLE.read_bytes(), "text/csv")).run()
    assert not app.exception and not app.error and app.success
    visit(app, "sample table uploaded", pages=("overview", "screening"))
