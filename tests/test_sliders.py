"""Slider arithmetic: held weights stay put, free weights share the rest, Saaty steps round-trip."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from engine.insight.sliders import (
    IMPORTANCE_SCALE,
    SAATY_STEPS,
    held_weights,
    importance_from_weights,
    saaty_step,
    step_value,
)
from engine.mcda.ahp import SAATY_SCALE


def test_without_holds_weights_are_the_renormalised_importances():
    w = held_weights([10, 30, 60], held=[False] * 3, fixed=[0, 0, 0])
    assert_allclose(w, [0.1, 0.3, 0.6])


def test_held_weight_stays_while_the_others_rescale():
    # criterion 0 holds 0.5; the free ones share 0.5 in the ratio 1:3
    w = held_weights([99, 10, 30], held=[True, False, False], fixed=[0.5, 0.9, 0.9])
    assert_allclose(w, [0.5, 0.125, 0.375])


def test_moving_a_free_slider_never_moves_a_held_weight():
    before = held_weights([20, 20, 20, 40], held=[False, True, False, False], fixed=[0, 0.25, 0, 0])
    after = held_weights([80, 20, 20, 40], held=[False, True, False, False], fixed=[0, 0.25, 0, 0])
    assert before[1] == pytest.approx(0.25)
    assert after[1] == pytest.approx(0.25)
    assert after[0] > before[0]
    assert after[2] < before[2] and after[3] < before[3]
    # the free weights keep the ratio of their importances
    assert after[3] / after[2] == pytest.approx(2.0)


def test_free_importances_all_zero_renormalise_the_held_weights():
    w = held_weights([0, 0, 5], held=[True, True, False], fixed=[0.2, 0.3, 0.0])
    assert_allclose(w, [0.2, 0.3, 0.5])
    w = held_weights([5, 5, 0], held=[True, True, False], fixed=[0.2, 0.3, 0.0])
    assert_allclose(w, [0.4, 0.6, 0.0])


def test_everything_held_is_renormalised():
    w = held_weights([1, 1], held=[True, True], fixed=[0.3, 0.3])
    assert_allclose(w, [0.5, 0.5])


@pytest.mark.parametrize(
    ("importance", "held", "fixed", "message"),
    [
        ([1, 2], [False, False, False], [0, 0, 0], "same shape"),
        ([1, -2], [False, False], [0, 0], "finite and non-negative"),
        ([1, np.nan], [False, False], [0, 0], "finite and non-negative"),
        ([1, 2], [True, True], [0.7, 0.6], "sum to 1.3, more than 1"),
        ([1, 2], [True, False], [-0.1, 0], "held weights must be finite"),
        ([0, 0], [False, False], [0, 0], "every weight would be 0"),
        ([[1, 2]], [[False, False]], [[0, 0]], "one-dimensional"),
    ],
)
def test_bad_slider_input_is_named(importance, held, fixed, message):
    with pytest.raises(ValueError, match=message):
        held_weights(importance, held=held, fixed=fixed)


@given(
    st.lists(st.floats(0, 100), min_size=2, max_size=12).flatmap(
        lambda r: st.tuples(
            st.just(r),
            st.lists(st.booleans(), min_size=len(r), max_size=len(r)),
            st.lists(st.floats(0, 1), min_size=len(r), max_size=len(r)),
        )
    )
)
# a subnormal free importance: multiplying by the free share before dividing underflowed to 0, and
# the held weight was then renormalised to 1.0
@example(([0.0, 5e-324, 0.0], [False, False, True], [0.0, 0.0, 0.5]))
def test_weights_sum_to_one_and_held_ones_are_kept(case):
    importance, held, raw_fixed = case
    held_mask = np.array(held)
    fixed = np.array(raw_fixed)
    total = fixed[held_mask].sum()
    if total > 1:
        fixed = fixed / total  # a valid hold never exceeds 1
    free_total = np.array(importance)[~held_mask].sum()
    if free_total == 0 and fixed[held_mask].sum() == 0:
        with pytest.raises(ValueError, match="every weight would be 0"):
            held_weights(importance, held=held, fixed=fixed)
        return
    w = held_weights(importance, held=held, fixed=fixed)
    assert w.sum() == pytest.approx(1.0)
    assert np.all(w >= 0)
    if free_total > 0:
        assert_allclose(w[held_mask], fixed[held_mask], atol=1e-12)


def test_huge_free_importances_still_share_the_rest():
    w = held_weights([1e308, 1e308, 0.0], held=[False, False, True], fixed=[0.0, 0.0, 0.5])
    assert_allclose(w, [0.25, 0.25, 0.5])


@given(
    st.lists(
        st.floats(0, 1e300, allow_subnormal=True) | st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 0.3]),
        min_size=2,
        max_size=12,
    ).filter(lambda w: sum(w) > 0)
)
# 10 * w / w.max() is 10.000000000000002 for this vector, above the sliders' maximum
@example([0.16, 0.49, 0.35])
def test_importances_never_pass_the_top_of_the_scale(weights):
    importance = importance_from_weights(weights)
    assert np.all(importance >= 0) and np.all(importance <= IMPORTANCE_SCALE)
    assert importance.max() == IMPORTANCE_SCALE


def test_importances_from_weights_fill_the_scale_and_round_trip():
    weights = np.array([0.2, 0.5, 0.3])
    importance = importance_from_weights(weights)
    assert_allclose(importance, [0.4 * IMPORTANCE_SCALE, IMPORTANCE_SCALE, 0.6 * IMPORTANCE_SCALE])
    assert_allclose(held_weights(importance, held=[False] * 3, fixed=[0] * 3), weights)
    with pytest.raises(ValueError, match="not all zero"):
        importance_from_weights([0, 0])


def test_saaty_steps_cover_the_scale_in_order():
    assert [step_value(s) for s in SAATY_STEPS] == pytest.approx(list(SAATY_SCALE))
    assert step_value(0) == 1.0
    assert step_value(2) == 3.0
    assert step_value(-4) == pytest.approx(1 / 5)


@pytest.mark.parametrize("step", SAATY_STEPS)
def test_each_scale_value_maps_back_to_its_step(step):
    assert saaty_step(step_value(step)) == step


def test_aggregated_judgment_rounds_on_a_log_scale():
    # sqrt(3 * 1) = 1.73 lies nearer 2 than 1 on a log scale (log 1.73 = 0.55, log 2 = 0.69)
    assert saaty_step(np.sqrt(3.0)) == 1
    # 1/sqrt(3) mirrors it
    assert saaty_step(1 / np.sqrt(3.0)) == -1
    assert saaty_step(1.3) == 0
    assert saaty_step(20) == 8


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_saaty_step_rejects_non_positive_values(bad):
    with pytest.raises(ValueError, match="positive number"):
        saaty_step(bad)


def test_step_value_rejects_off_scale_steps():
    with pytest.raises(ValueError, match=r"-8\.\.8"):
        step_value(9)
