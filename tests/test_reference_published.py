"""Published numerical examples reproduced to the precision printed in the source.

Each test names its source. Where the numbers were taken from another package's
test-suite transcription of the paper, that transcription is named too.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.ahp import priorities
from engine.mcda.methods import promethee_ii, topsis, vikor
from engine.mcda.registry import evaluate
from engine.mcda.weighting import critic, entropy

pytestmark = pytest.mark.filterwarnings("error")


# ----------------------------------------------------------------------- AHP


def test_ahp_saaty_wealth_of_nations():
    """Saaty, T. L. (1980). The Analytic Hierarchy Process, McGraw-Hill, sec. 2
    (also Saaty & Khouja 1976): relative wealth of seven nations (US, USSR, China,
    France, UK, Japan, W. Germany). Printed eigenvector .427 .230 .021 .052 .052
    .123 .094 and lambda_max = 7.61 (consistent: CR < 0.1)."""
    a = np.array(
        [
            [1, 4, 9, 6, 6, 5, 5],
            [1 / 4, 1, 7, 5, 5, 3, 4],
            [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
            [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
            [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
            [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
            [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
        ]
    )
    r = priorities(a)
    assert_allclose(r.weights, [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094], atol=1e-3)
    assert_allclose(r.lambda_max, 7.61, atol=5e-3)
    assert r.cr < 0.1
    assert r.random_index == 1.32


def test_ahp_saaty_house_inconsistent():
    """Saaty, T. L. (1987). The analytic hierarchy process - what it is and how it
    is used. Mathematical Modelling, 9(3-5), 161-176: choosing a house, eight
    criteria. lambda_max = 9.669, CI = 0.238, CR = 0.169 (> 0.1, an inconsistent
    matrix) and priorities .173 .054 .188 .018 .031 .036 for the first six criteria.
    The matrix and figures were transcribed without the paper at hand; three
    independent statistics agreeing to 1e-3 is what makes the transcription credible."""
    a = np.array(
        [
            [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
            [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
            [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
            [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
            [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
            [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
            [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
            [4, 7, 5, 8, 6, 6, 2, 1],
        ]
    )
    r = priorities(a)
    assert_allclose(r.lambda_max, 9.669, atol=1e-3)
    assert_allclose(r.ci, 0.238, atol=1e-3)
    assert_allclose(r.cr, 0.169, atol=1e-3)
    assert r.cr > 0.1
    assert_allclose(r.weights[:6], [0.173, 0.054, 0.188, 0.018, 0.031, 0.036], atol=1e-3)


DRINKS = ("coffee", "wine", "tea", "beer", "soda", "milk", "water")
DRINK_JUDGMENTS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip


def _matrix(items, judgments):
    from engine.mcda.ahp import pairwise_matrix

    index = {item: position for position, item in enumerate(items)}
    return pairwise_matrix(len(items), [(index[a], index[b], v) for (a, b), v in judgments.items()])


def test_ahp_saaty_2008_drink_consumption():
    """Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
    Int. J. Services Sciences, 1(1), 83-98: relative drink consumption in the US.
    Priorities coffee .177, wine .019, tea .042, beer .116, soda .190, milk .129,
    water .327 and CR .022 with Saaty's random index; judgments and figures as
    transcribed in the AHPy test-suite (PhilipGriffith/AHPy, tests/test_ahp.py)."""
    r = priorities(_matrix(DRINKS, DRINK_JUDGMENTS))
    assert_allclose(r.weights, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=1e-3)
    assert_allclose(r.cr, 0.022, atol=1e-3)


def test_ahp_saaty_2005_best_city_hierarchy():
    """Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process,
    RWS Publications: choosing a city (Bethesda, Boston, Pittsburgh, Santa Fe) under
    culture, family, housing, jobs and transportation. Composite priorities .229 .275
    .385 .111; judgments and figures as transcribed in the AHPy test-suite
    (PhilipGriffith/AHPy, tests/test_ahp.py). Exercises hierarchic composition
    (engine.hierarchy.synthesize) as well as local priorities."""
    from engine.hierarchy import synthesize
    from engine.model import Node, Text

    cities = ("Bethesda", "Boston", "Pittsburgh", "Santa Fe")
    criteria = ("Culture", "Family", "Housing", "Jobs", "Transportation")
    goal = {
        ("Culture", "Housing"): 3, ("Culture", "Transportation"): 5, ("Family", "Culture"): 5,
        ("Family", "Housing"): 7, ("Family", "Transportation"): 7, ("Housing", "Transportation"): 3,
        ("Jobs", "Culture"): 2, ("Jobs", "Housing"): 4, ("Jobs", "Transportation"): 7,
        ("Family", "Jobs"): 1,
    }  # fmt: skip
    local = {
        "Culture": {
            ("Bethesda", "Pittsburgh"): 1, ("Boston", "Bethesda"): 2, ("Boston", "Pittsburgh"): 2.5,
            ("Boston", "Santa Fe"): 1, ("Santa Fe", "Bethesda"): 2, ("Santa Fe", "Pittsburgh"): 2.5,
        },
        "Family": {
            ("Bethesda", "Boston"): 2, ("Bethesda", "Santa Fe"): 4, ("Boston", "Santa Fe"): 2,
            ("Pittsburgh", "Bethesda"): 3, ("Pittsburgh", "Boston"): 8, ("Pittsburgh", "Santa Fe"): 9,
        },
        "Housing": {
            ("Bethesda", "Boston"): 5, ("Bethesda", "Santa Fe"): 2.5, ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 9, ("Pittsburgh", "Santa Fe"): 7, ("Santa Fe", "Boston"): 4,
        },
        "Jobs": {
            ("Bethesda", "Pittsburgh"): 3, ("Bethesda", "Santa Fe"): 4, ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 6, ("Boston", "Santa Fe"): 8, ("Pittsburgh", "Santa Fe"): 1,
        },
        "Transportation": {
            ("Bethesda", "Boston"): 1.5, ("Bethesda", "Santa Fe"): 4, ("Boston", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2, ("Pittsburgh", "Boston"): 3.5, ("Pittsburgh", "Santa Fe"): 9,
        },
    }  # fmt: skip

    def node(node_id, children=()):
        return Node(id=node_id, name=Text(node_id, node_id), description=Text("", ""), children=children)

    # the city level is repeated under every criterion; the leaves are (criterion, city)
    tree = node("goal", tuple(node(c, tuple(node(f"{c}/{city}") for city in cities)) for c in criteria))
    weights = {"goal": priorities(_matrix(criteria, goal)).weights}
    weights |= {c: priorities(_matrix(cities, local[c])).weights for c in criteria}
    composite = synthesize(tree, weights).reshape(len(criteria), len(cities)).sum(axis=0)
    assert_allclose(composite, [0.229, 0.275, 0.385, 0.111], atol=1e-3)


# -------------------------------------------------------------------- TOPSIS


def test_topsis_hwang_yoon_fighter_aircraft():
    """Hwang, C. L., & Yoon, K. (1981). Multiple Attribute Decision Making:
    Methods and Applications, Springer, pp. 133-134: fighter aircraft, X4
    (acquisition cost) is a cost criterion, vector normalisation. Printed
    closeness 0.643, 0.268, 0.613, 0.312 and separations S+ = .0545 .1197 .0580
    .1009, S- = .0983 .0439 .0920 .0458 (transcribed in mcdajs' example)."""
    x = [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
    w = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
    d = [1, 1, 1, -1, 1, 1]
    r = evaluate("topsis", x, w, d, normalization="vector")
    assert_allclose(r.scores, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    # the book rounds intermediate values to 4 decimals before the distances
    assert_allclose(r.details["d_plus"], [0.0545, 0.1197, 0.0580, 0.1009], atol=2e-4)
    assert_allclose(r.details["d_minus"], [0.0983, 0.0439, 0.0920, 0.0458], atol=2e-4)
    assert r.ranks.tolist() == [1, 4, 2, 3]


def test_topsis_opricovic_tzeng_2004():
    """Opricovic, S., & Tzeng, G.-H. (2004). Compromise solution by MCDM methods:
    A comparative analysis of VIKOR and TOPSIS. EJOR 156(2), 445-455, numerical
    example: f1 cost, f2 benefit, equal weights. Closeness 0.500, 0.617, 0.500
    with min-max normalisation, as reproduced in pymcdm's test-suite
    (tests/test_methods.py, TestTOPSIS)."""
    x = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    c = topsis(x, [0.5, 0.5], [-1, 1], "minmax")
    assert_allclose(c, [0.500, 0.617, 0.500], atol=1e-3)


def test_topsis_roszkowska_2011():
    """Roszkowska, E. (2011). Multi-criteria decision making models by applying
    the TOPSIS method to crisp and interval data. Multiple Criteria Decision
    Making / University of Economics in Katowice, 6, 200-230, sec. 5, example 1
    (negotiator 1; C2 is a cost criterion), vector normalisation. Separations and
    closeness to 6 decimals as transcribed in gscoppino/topsis (test_topsis.py)."""
    x = [[7, 21, 4, 7], [7, 24, 6, 4], [14, 25, 3, 8], [14, 26, 9, 3], [21, 35, 4, 4]]
    r = evaluate("topsis", x, [0.175, 0.425, 0.175, 0.225], [1, -1, 1, 1])
    assert_allclose(r.details["d_plus"], [0.107805, 0.117942, 0.096981, 0.105379, 0.141766], atol=1e-6)
    assert_allclose(r.details["d_minus"], [0.124281, 0.090785, 0.122181, 0.112779, 0.083486], atol=1e-6)
    assert_allclose(r.scores, [0.535497, 0.434945, 0.557491, 0.516961, 0.370633], atol=1e-6)
    assert r.ranks.tolist() == [2, 4, 1, 3, 5]


def test_topsis_tzeng_huang_2011_benefit_only():
    """Tzeng, G. H., & Huang, J. J. (2011). Multiple Attribute Decision Making:
    Methods and Applications. CRC Press: four alternatives, three benefit
    criteria, closeness 0.5037 0.6581 0.7482 0.3340, as transcribed in
    scikit-criteria's tests (tests/madm/test_similarity.py)."""
    x = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    c = topsis(x, [0.3, 0.4, 0.3], [1, 1, 1], "vector")
    assert_allclose(c, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)


# --------------------------------------------------------------------- VIKOR


def test_vikor_yang_wu_2020():
    """Yang, W., & Wu, Y. (2020). A new improvement method to avoid rank reversal
    in VIKOR. IEEE Access, 8, 21261-21271: Q = 0.5679 0.7667 1 0.7493 0 (v = 0.5),
    as reproduced in pymcdm's test-suite (TestVIKOR.test_output_yang)."""
    x = [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]]
    _, _, q = vikor(x, [0.25] * 4, [1, 1, 1, 1])
    assert_allclose(q, [0.5679, 0.7667, 1.0, 0.7493, 0.0], atol=1e-4)


def test_vikor_opricovic_tzeng_2004():
    """Opricovic & Tzeng (2004), EJOR 156(2), numerical example: Q = 1, 0, 1
    (A2 is the compromise solution), as in pymcdm's TestVIKOR.test_output_opricovic."""
    x = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    _, _, q = vikor(x, [0.5, 0.5], [-1, 1])
    assert_allclose(q, [1.0, 0.0, 1.0], atol=1e-12)


# ----------------------------------------------------------------- PROMETHEE


def test_promethee_ii_zhao_peng_li_2013():
    """Zhao, H., Peng, Y., & Li, W. (2013). Revised PROMETHEE II for improving
    efficiency in emergency response. Procedia Computer Science, 17, 181-188:
    usual criterion, net flows 0.1, -0.3, 0.2 (as in pymcdm's TestPROMETHEE_II)."""
    x = [[4, 3, 2], [3, 2, 4], [5, 1, 3]]
    phi = promethee_ii(x, [0.5, 0.3, 0.2], [1, 1, 1], preference="usual")
    assert_allclose(phi, [0.1, -0.3, 0.2], atol=1e-12)


# ------------------------------------------------------------------- weights


def test_entropy_elsayed_2017():
    """Elsayed, E. A., Dawood, A. S., & Karthikeyan, R. (2017). Evaluating
    alternatives through the application of TOPSIS method with entropy weight.
    Int. J. Eng. Trends Technol., 46(2), 60-66: weights 0.104991 0.069124
    0.071373 0.449937 0.304575, as in pymcdm's TestEntropyWeights."""
    x = np.array(
        [
            [7, 312, 1891, 6613, 163],
            [72, 88, 728, 941804, 1078],
            [10, 252, 2594, 3466, 117471],
            [10, 145, 980, 2371, 86329],
            [65, 54, 350, 501, 29897],
            [29, 48, 380, 912, 34051],
            [7, 476, 3300, 78470, 2212],
            [70, 87, 650, 733, 819000],
            [4, 86, 591, 3015, 103],
            [12, 79, 579, 3240, 96098],
            [21, 45, 261, 1253, 453],
            [1, 72, 530, 4333, 0.104800],
        ]
    )
    assert_allclose(entropy(x), [0.104991, 0.069124, 0.071373, 0.449937, 0.304575], atol=1e-6)


def test_critic_tus_adali_2019():
    """Tuş, A., & Adalı, E. A. (2019). The new combination with CRITIC and WASPAS
    methods for the time and attendance software selection problem. Opsearch,
    56(2), 528-538: weights 0.157 0.249 0.168 0.121 0.154 0.151 with every
    criterion normalised as a benefit, as in pymcdm's TestCRITICWeights."""
    x = [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ]
    assert_allclose(critic(x, np.ones(6)), [0.157, 0.249, 0.168, 0.121, 0.154, 0.151], atol=1e-3)
