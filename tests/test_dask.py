"""The streaming kernels on a local Dask cluster give the numpy results."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.kernels.blocked import ColumnStats, column_stats, dask_scores, score, scoring_plan
from engine.mcda.methods import topsis, wsm
from engine.mcda.ranking import rank
from engine.screening import parse_spec, screen, screen_dask

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def sequential(x, w, d, method, normalization, rows):
    """The same blocks, one after the other in this process."""
    stats = ColumnStats.empty(x.shape[1], {"vector": 2, "sum": 1}.get(normalization, 0))
    for start in range(0, len(x), rows):
        stats = stats.merge(column_stats(x[start : start + rows], moment=stats.moment))
    plan = scoring_plan(stats, w, d, method=method, normalization=normalization)
    return np.concatenate([score(x[s : s + rows], plan) for s in range(0, len(x), rows)])


@pytest.mark.parametrize(
    ("method", "normalization", "reference"),
    [("topsis", "vector", topsis), ("topsis", "minmax", topsis), ("wsm", "max", wsm), ("wsm", "sum", wsm)],
)
def test_dask_array_equals_numpy(client, method, normalization, reference):
    rng = np.random.default_rng(len(method) * 10 + len(normalization))
    x = rng.random((20_000, 7)) * rng.uniform(1, 500, 7)
    w = rng.random(7)
    d = np.ones(7) if normalization == "sum" else np.where(rng.random(7) < 0.5, 1.0, -1.0)
    lazy = dask_scores(da.from_array(x, chunks=(3_000, 7)), w, d, method=method, normalization=normalization)
    got = lazy.compute()
    assert_array_equal(got, sequential(x, w, d, method, normalization, 3_000))
    expected = reference(x, w, d, normalization)
    assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert_array_equal(rank(got), rank(expected))


def test_column_chunks_are_joined(client):
    rng = np.random.default_rng(1)
    x = rng.random((5_000, 6))
    got = dask_scores(da.from_array(x, chunks=(1_000, 2)), np.ones(6), np.ones(6)).compute()
    assert_allclose(got, topsis(x, np.ones(6), np.ones(6)), atol=1e-12)


def test_dask_dataframe_screening_equals_the_file_screening(client, tmp_path):
    rng = np.random.default_rng(2)
    rows = 4_000
    frame = pd.DataFrame(
        {
            "firm": [f"F{i:05d}" for i in range(rows)],
            "city": rng.choice(["上海", "深圳", "北京"], rows),
            "a": rng.random(rows) * 100,
            "b": rng.random(rows) * 5 + 1,
            "c": np.where(rng.random(rows) < 0.05, np.nan, rng.integers(0, 50, rows)),
        }
    )
    path = tmp_path / "firms.parquet"
    frame.to_parquet(path, index=False)
    spec = parse_spec(
        {
            "id": "firm",
            "keep": ["city"],
            "missing": "worst",
            "filters": [{"column": "city", "not_in": ["北京"]}],
            "criteria": [
                {"column": "a", "direction": "benefit", "weight": 2},
                {"column": "b", "direction": "cost", "weight": 1},
                {"column": "c", "direction": "benefit", "weight": 1},
            ],
        },
        "spec.yaml",
    )
    on_file = screen(path, spec, top=40, chunk_rows=1_000)
    on_dask = screen_dask(dd.from_pandas(frame, chunksize=1_000), spec, top=40)
    pd.testing.assert_frame_equal(on_dask.ranked, on_file.ranked, check_dtype=False)  # text dtypes differ
    assert on_dask.rows_ranked == on_file.rows_ranked
    from_parquet = screen_dask(dd.read_parquet(path), spec, top=40)
    assert_array_equal(from_parquet.ranked["firm"], on_file.ranked["firm"])
    assert_allclose(from_parquet.ranked["score"], on_file.ranked["score"], rtol=0, atol=1e-12)
