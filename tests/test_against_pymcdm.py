"""Agreement with pymcdm on random problems (same conventions, to 1e-9)."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as pm  # noqa: E402
from pymcdm import normalizations as pn  # noqa: E402
from pymcdm import weights as pw  # noqa: E402
from pymcdm.weights.subjective import AHP as PmAHP  # noqa: E402

from engine.mcda.ahp import SAATY_SCALE, priorities  # noqa: E402
from engine.mcda.methods import promethee_ii, topsis, vikor, wsm  # noqa: E402
from engine.mcda.weighting import critic, entropy  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")

SEEDS = range(12)
ATOL = 1e-9


def problem(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 21))
    n = int(rng.integers(2, 13))
    x = rng.uniform(1.0, 100.0, size=(m, n))
    w = rng.dirichlet(np.ones(n))
    d = rng.choice([-1, 1], size=n)
    return x, w, d


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("norm", ["vector", "minmax", "max", "sum"])
def test_topsis(seed, norm):
    x, w, d = problem(seed)
    ref = pm.TOPSIS(getattr(pn, f"{norm}_normalization"))(x, w, d)
    assert_allclose(topsis(x, w, d, norm), ref, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("norm", ["minmax", "sum", "max", "vector"])
def test_wsm(seed, norm):
    x, w, d = problem(seed)
    ref = pm.WSM(getattr(pn, f"{norm}_normalization"))(x, w, d)
    assert_allclose(wsm(x, w, d, norm), ref, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("v", [0.0, 0.3, 0.5, 1.0])
def test_vikor(seed, v):
    x, w, d = problem(seed)
    # pymcdm's Q divides by the S/R ranges, which are positive for these data
    ref = pm.VIKOR(normalization_function=None, v=v)(x, w, d)
    assert_allclose(vikor(x, w, d, v=v)[2], ref, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_promethee_usual(seed):
    x, w, d = problem(seed)
    ref = pm.PROMETHEE_II("usual")(x, w, d)
    assert_allclose(promethee_ii(x, w, d, preference="usual"), ref, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_promethee_vshape_and_linear(seed):
    x, w, d = problem(seed)
    rng = np.random.default_rng(1000 + seed)
    p = rng.uniform(10.0, 60.0, size=x.shape[1])
    q = p * rng.uniform(0.0, 0.9, size=x.shape[1])
    ref_v = pm.PROMETHEE_II("vshape", p=p)(x, w, d)
    assert_allclose(promethee_ii(x, w, d, preference="vshape", p=p), ref_v, atol=ATOL)
    ref_l = pm.PROMETHEE_II("vshape_2", p=p, q=q)(x, w, d)
    assert_allclose(promethee_ii(x, w, d, preference="linear", p=p, q=q), ref_l, atol=ATOL)
    ref_u = pm.PROMETHEE_II("ushape", q=q)(x, w, d)
    assert_allclose(promethee_ii(x, w, d, preference="ushape", q=q), ref_u, atol=ATOL)
    ref_lv = pm.PROMETHEE_II("level", p=p, q=q)(x, w, d)
    assert_allclose(promethee_ii(x, w, d, preference="level", p=p, q=q), ref_lv, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy(seed):
    x, _, _ = problem(seed)
    assert_allclose(entropy(x), pw.entropy_weights(x), atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_critic_benefit(seed):
    # pymcdm's critic_weights normalises every column as a benefit
    x, _, _ = problem(seed)
    assert_allclose(critic(x, np.ones(x.shape[1])), pw.critic_weights(x), atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_ahp_eigenvector_and_lambda(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = rng.choice(np.array(SAATY_SCALE), size=len(iu[0]))
    a[(iu[1], iu[0])] = 1.0 / a[iu]
    ahp = PmAHP(matrix=a)
    with warnings.catch_warnings():
        # pymcdm keeps a real-cast eigenvector; no warnings are expected from us
        warnings.simplefilter("ignore")
        ref_w = ahp()
    r = priorities(a)
    assert_allclose(r.weights, ref_w, atol=ATOL)
    # pymcdm uses Tummala & Ling's RI, so compare CI (lambda_max) rather than CR
    ref_lambda = max(np.linalg.eigvals(a).real)
    assert_allclose(r.lambda_max, ref_lambda, atol=ATOL)
