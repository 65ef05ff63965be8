"""The method registry: each method declared once, its labels, its options and its scorers."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.methods import DEFAULT_NORMALIZATION, HIGHER_IS_BETTER, METHODS
from engine.mcda.registry import REGISTRY, evaluate, get, label
from engine.settings import Settings

pytestmark = pytest.mark.filterwarnings("error")

X = np.array([[7.0, 9.0, 9.0], [8.0, 7.0, 8.0], [9.0, 6.0, 8.0], [6.0, 7.0, 8.0]])
W = np.array([0.1, 0.4, 0.5])
D = np.array([1, -1, 1])


def test_every_method_is_registered_once_in_order():
    assert tuple(REGISTRY) == METHODS
    assert [spec.id for spec in REGISTRY.values()] == list(METHODS)
    assert len({id(spec) for spec in REGISTRY.values()}) == len(METHODS)
    for method in METHODS:
        assert get(method) is REGISTRY[method]


def test_the_kernel_facts_and_the_registry_agree():
    for method, spec in REGISTRY.items():
        assert spec.higher_is_better is HIGHER_IS_BETTER[method]
        assert spec.normalization == DEFAULT_NORMALIZATION[method]
    assert get("vikor").higher_is_better is False


@pytest.mark.parametrize("bad", ["electre", "TOPSIS", None, 3])
def test_an_unknown_method_is_named(bad):
    with pytest.raises(ValueError, match=f"unknown method {bad!r}; choose one of"):
        get(bad)


def test_labels_in_both_languages():
    for spec in REGISTRY.values():
        assert spec.label.zh.strip() and spec.label.en.strip()
        assert label(spec.id, "zh") == spec.label.zh and label(spec.id, "en") == spec.label.en
    assert label("promethee", "en") == "PROMETHEE II"
    assert label("topsis") == "TOPSIS"
    assert label("spotis", "en") == "SPOTIS"


def test_defaults_fill_every_option():
    assert get("topsis").check_options({}) == {"normalization": "vector", "cost": "flip", "bounds": None}
    assert get("wsm").check_options({"normalization": None})["normalization"] == "minmax"
    assert get("vikor").check_options({}) == {"v": 0.5}
    assert get("vikor").check_options({"normalization": None}) == {"v": 0.5}
    assert get("promethee").check_options({"preference": "linear", "p": 2, "q": [0, 1, 0.5]}) == {
        "preference": "linear",
        "p": 2,
        "q": [0, 1, 0.5],
        "s": None,
    }


@pytest.mark.parametrize(
    ("method", "options", "message"),
    [
        (
            "topsis",
            {"v": 0.5},
            r"topsis does not take option\(s\) \['v'\]; accepted: \['bounds', 'cost', 'normalization'\]",
        ),
        ("topsis", {"normalization": "zscore"}, r"unknown normalization 'zscore'; choose one of \('vector'"),
        ("wsm", {"cost": "negate"}, "cost must be 'flip' or 'reciprocal'; got 'negate'"),
        (
            "vikor",
            {"normalization": "vector"},
            "vikor works on raw values and takes no normalization; got 'vector'",
        ),
        ("vikor", {"v": 1.5}, r"v must lie in \[0, 1\] \(weight of the group utility S\); got 1.5"),
        ("vikor", {"v": "half"}, r"v must be a number in \[0, 1\]; got 'half'"),
        ("promethee", {"preference": "step"}, "unknown preference function 'step'; choose one of"),
        ("promethee", {"q": -1}, "q must be a number >= 0 or one such number per criterion; got -1"),
        (
            "promethee",
            {"p": [[1.0]]},
            r"p must be a number >= 0 or one such number per criterion; got \[\[1.0\]\]",
        ),
        ("promethee", {"s": "wide"}, "s must be a number >= 0"),
        ("promethee", {"cost": "flip"}, r"promethee does not take option\(s\) \['cost'\]"),
    ],
)
def test_options_are_checked_with_clear_errors(method, options, message):
    with pytest.raises(ValueError, match=message):
        get(method).check_options(options)
    with pytest.raises(ValueError, match=message):
        get(method).batch_scores(X, W, D, **options)


def test_option_lookup():
    assert get("vikor").option("v").default == 0.5
    with pytest.raises(
        ValueError, match=r"wsm takes no option 'v'; accepted: \['bounds', 'cost', 'normalization'\]"
    ):
        get("wsm").option("v")


def test_select_keeps_what_the_method_takes():
    offered = {"normalization": "max", "v": 0.2, "cost": "flip"}
    assert get("topsis").select(**offered) == {"normalization": "max", "cost": "flip"}
    assert get("vikor").select(**offered) == {"v": 0.2}
    assert get("promethee").select(**offered) == {}


def test_settings_choose_the_options():
    settings = Settings(method="wsm", normalization="max", vikor_v=0.25)
    assert get("wsm").configured(settings) == {"normalization": "max"}
    # the analysis' normalisation belongs to its chosen method; VIKOR's v applies wherever it runs
    assert get("topsis").configured(settings, chosen=False) == {}
    assert get("vikor").configured(settings, chosen=False) == {"v": 0.25}
    assert get("promethee").configured(settings) == {}


def test_unit_scores_put_the_best_end_at_one():
    for spec in REGISTRY.values():
        low, high = spec.score_range
        best, worst = (high, low) if spec.higher_is_better else (low, high)
        assert_allclose(spec.unit_scores([worst, best]), [0.0, 1.0])


def random_problem(rng):
    m, n, k = rng.integers(2, 9), rng.integers(1, 7), rng.integers(1, 12)
    x = rng.uniform(-5.0, 20.0, (m, n))
    d = np.where(rng.random(n) < 0.5, 1, -1)
    return x, rng.dirichlet(np.ones(n), k), d


OPTION_SETS = {
    "topsis": [{}, {"normalization": "minmax"}, {"normalization": "vector", "cost": "flip"}],
    "wsm": [{}, {"normalization": "vector"}, {"normalization": "minmax", "cost": "flip"}],
    "vikor": [{}, {"v": 0.0}, {"v": 0.8}],
    "promethee": [{}, {"preference": "vshape", "p": 3.0}, {"preference": "level", "p": 4.0, "q": 1.0}],
}


def test_every_method_has_option_sets_to_check():
    assert set(OPTION_SETS) == set(REGISTRY)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_batch_scorer_equals_single_scorer_row_by_row(method):
    rng = np.random.default_rng(20240611)
    spec = get(method)
    for _ in range(25):
        x, weights, d = random_problem(rng)
        for options in OPTION_SETS[method]:
            batch = spec.batch_scores(x, weights, d, **options)
            assert batch.shape == (len(weights), len(x))
            for row, w in zip(batch, weights, strict=True):
                assert_allclose(row, spec.single(x, w, d, **options), rtol=0, atol=1e-13)
            # evaluate, the validated entry point, agrees with both
            assert_allclose(evaluate(method, x, weights, d, **options).scores, batch, rtol=0, atol=1e-13)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_batch_scorer_on_a_stack_equals_single_scorer_matrix_by_matrix(method):
    rng = np.random.default_rng(20240612)
    spec = get(method)
    for _ in range(10):
        x, weights, d = random_problem(rng)
        stack = x[None] + rng.uniform(-1.0, 1.0, (len(weights), *x.shape))
        for options in OPTION_SETS[method]:
            batch = spec.batch_scores(stack, weights, d, **options)
            for s, w in enumerate(weights):
                assert_allclose(batch[s], spec.single(stack[s], w, d, **options), rtol=0, atol=1e-13)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_separable_form_reproduces_the_scores(method):
    """Summing each method's per-criterion terms and combining them gives its scores (higher better)."""
    rng = np.random.default_rng(8)
    spec = get(method)
    form = spec.separable
    for _ in range(10):
        x, weights, d = random_problem(rng)
        w = weights[0]
        terms = form.terms(x, d, w, spec.normalization)
        totals = {key: part.sum(axis=1) for key, part in terms.items()}
        regret = terms["sum"].max(axis=1) if form.regret else None
        v = spec.option("v").default if form.regret else 0.5
        assert_allclose(form.combine(totals, v, regret), spec.utilities(x, w, d)[0], rtol=0, atol=1e-12)
        assert form.pull(terms).shape == x.shape
