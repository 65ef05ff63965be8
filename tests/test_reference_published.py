"""Published numerical examples reproduced to the precision printed in the source.

Each test names its source. Where the numbers were taken from another package's
test-suite transcription of the paper, that transcription is named too.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.ahp import priorities
from engine.methods import evaluate, promethee_ii, topsis, vikor
from engine.weighting import critic, entropy

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
    criteria. Printed lambda_max = 9.669, CI = 0.238, CR = 0.169 (> 0.1, an
    inconsistent matrix) and priorities .173 .054 .188 .018 .031 .036 for the
    first six criteria."""
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


def test_ahp_saaty_light_intensity_inconsistent():
    """Saaty, T. L. (1977). A scaling method for priorities in hierarchical
    structures. Journal of Mathematical Psychology, 15(3), 234-281: brightness of
    four chairs at increasing distance from a light. Printed lambda_max = 4.39
    (two decimals), eigenvector printed to two decimals (.61 .24 .10 .05),
    hence the 0.01 tolerance. CR = 0.13/0.90 > 0.1."""
    a = np.array([[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]])
    r = priorities(a)
    assert_allclose(r.lambda_max, 4.39, atol=5e-3)
    assert_allclose(r.weights, [0.61, 0.24, 0.10, 0.05], atol=1e-2)
    assert r.cr > 0.1


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
