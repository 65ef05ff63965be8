"""Rounded figures in words: shares in tenths and sample counts."""

from __future__ import annotations

import pytest

from engine.text.rounded import count, sample_count, tenths


@pytest.mark.parametrize(
    ("fraction", "zh", "en"),
    [
        (0.0, "无", "none"),
        (0.0001, "不到一成", "fewer than 1 in 10"),
        (0.0499, "不到一成", "fewer than 1 in 10"),
        (0.05, "约一成", "about 1 in 10"),
        (0.25, "约三成", "about 3 in 10"),
        (0.286, "约三成", "about 3 in 10"),
        (0.584, "约六成", "about 6 in 10"),
        (0.9499, "约九成", "about 9 in 10"),
        (0.95, "九成以上", "more than 9 in 10"),
        (0.9999, "九成以上", "more than 9 in 10"),
        (1.0, "全部", "all"),
    ],
)
def test_tenths(fraction, zh, en):
    assert (tenths(fraction, "zh"), tenths(fraction, "en")) == (zh, en)


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [
        (100_000, "十万", "100,000"),
        (20_000, "两万", "20,000"),
        (50_000, "五万", "50,000"),
        (5_000, "五千", "5,000"),
        (12_000, "12,000", "12,000"),
        (12_345, "12,345", "12,345"),
    ],
)
def test_sample_count(n, zh, en):
    assert (sample_count(n, "zh"), sample_count(n, "en")) == (zh, en)


def test_count_before_a_measure_word():
    assert [count(k, "zh") for k in (1, 2, 3, 4, 10)] == ["一", "两", "三", "四", "十"]
    assert count(2, "en") == "2"
