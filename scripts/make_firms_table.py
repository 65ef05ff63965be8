"""Generate a SYNTHETIC table of tier-1-city firms that Wuhan could court (CSV or Parquet, seeded).

Every row is invented: the names say 模拟 (simulated) and the numbers come from the distributions
below, loosely shaped by the source article (targeted recruitment of R&D centres, regional
headquarters and 专精特新 firms from 北上广深 and their neighbours; the 光芯屏端网 cluster). Use it to
try ``policyrank screen`` and to benchmark it, never as facts about real firms.

    python scripts/make_firms_table.py --rows 1000000 --out /tmp/firms.parquet --seed 1
    python scripts/make_firms_table.py --rows 3000 --out data/firms_sample.csv --seed 2026 --missing 0.03

``--extra N`` appends N further numeric columns (``extra_01`` ...), for wide benchmark tables.
``--missing P`` blanks a share P of the optional cells (patents, relocation risk).

The table is built and written :data:`CHUNK_ROWS` rows at a time, so memory stays flat however
many rows are asked for (one number per row is kept: the cost gaps, whose median the relocation
risk needs), and progress goes to stderr. A seed gives the same file for any chunk size.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from engine.screening.progress import Progress

CITIES = ("上海", "深圳", "北京", "苏州", "杭州", "广州", "合肥", "南京")
CITY_SHARE = (0.24, 0.22, 0.18, 0.1, 0.09, 0.08, 0.05, 0.04)
# 光芯屏端网 = optoelectronics, chips, displays, smart terminals, networks
INDUSTRIES = (
    ("光电子信息", True),
    ("集成电路", True),
    ("新型显示", True),
    ("智能终端", True),
    ("新一代通信网络", True),
    ("新能源与智能网联汽车", False),
    ("生物医药", False),
    ("人工智能", False),
    ("高端装备", False),
)
INDUSTRY_SHARE = (0.13, 0.12, 0.07, 0.07, 0.06, 0.17, 0.15, 0.13, 0.10)
FUNCTIONS = ("研发中心", "区域总部", "生产基地")
FUNCTION_SHARE = (0.45, 0.3, 0.25)
# office rent (元/m²/month) and R&D salary (万元/year) by city, rough 2024 levels; Wuhan last
RENT = {"上海": 260, "深圳": 220, "北京": 280, "苏州": 110, "杭州": 150, "广州": 160, "合肥": 80, "南京": 120}
SALARY = {"上海": 32, "深圳": 31, "北京": 34, "苏州": 24, "杭州": 28, "广州": 25, "合肥": 20, "南京": 24}
WUHAN_RENT, WUHAN_SALARY = 95, 21

CHUNK_ROWS = 50_000
ROW_GROUP_ROWS = 250_000  # Parquet row groups (the screening benchmark reads one at a time)
_RENT = np.array([RENT[c] for c in CITIES])
_SALARY = np.array([SALARY[c] for c in CITIES])


class Draws:
    """The table's random numbers, a chunk of rows at a time.

    The table is defined column by column: one generator draws every row's city, then every
    row's industry, and so on. Here each column has its own generator, started where that order
    starts the column, so a chunk of rows gets exactly the numbers the whole-table order gives it.
    A column of one number per row is skipped with ``advance``; normal, lognormal and Poisson
    draws take a varying count (rejection sampling), so they are drawn once and thrown away to
    find where they end.
    """

    def __init__(self, seed: int, rows: int, *, extra: int, missing: float) -> None:
        rng = np.random.default_rng(seed)
        varying = {
            "revenue": lambda n, _: rng.normal(1.2, 1.1, n),
            "staff": lambda n, _: rng.lognormal(0, 0.5, n),
            "patents": lambda n, earlier: rng.poisson(Sizes(earlier, n).patent_rate),
            "risk_noise": lambda n, _: rng.normal(0, 0.1, n),
        }
        names = ["city", "industry", "function", "specialised", "revenue", "staff", "rd_staff", "patents"]
        names += ["cost_gap", "jobs", "risk_uniform", "risk_noise"]
        if missing > 0:
            names += ["missing_patents", "missing_risk"]
        for k in range(1, extra + 1):
            names += [f"extra_{k:02d}", f"extra_{k:02d}_scale"]
        self.streams: dict[str, np.random.Generator] = {}
        for name in names:
            self.streams[name] = copy.deepcopy(rng)
            if name in varying:
                earlier = self.copy()
                for n in _chunk_lengths(rows, CHUNK_ROWS):
                    varying[name](n, earlier)
            else:
                rng.bit_generator.advance(1 if name.endswith("_scale") else rows)
        # each extra column is scaled by one number, drawn after all of its values
        self.scales = [10 ** self[f"extra_{k:02d}_scale"].uniform(0, 3) for k in range(1, extra + 1)]

    def __getitem__(self, name: str) -> np.random.Generator:
        return self.streams[name]

    def copy(self) -> Draws:
        """The same draws from the same positions, for a pass that must not move these."""
        twin = copy.copy(self)
        twin.streams = copy.deepcopy(self.streams)
        return twin


class Sizes:
    """Who a chunk of firms are and how big: what the patents and the cost gap are drawn from."""

    def __init__(self, draws: Draws, n: int) -> None:
        self.city = draws["city"].choice(len(CITIES), size=n, p=CITY_SHARE)
        self.industry = draws["industry"].choice(len(INDUSTRIES), size=n, p=INDUSTRY_SHARE)
        self.function = draws["function"].choice(len(FUNCTIONS), size=n, p=FUNCTION_SHARE)
        self.specialised = draws["specialised"].random(n) < 0.22
        # size: lognormal revenue; R&D staff and patents grow with it, more so for R&D centres
        self.revenue = np.round(np.exp(draws["revenue"].normal(1.2, 1.1, n)), 2)  # 亿元
        rd_share = np.where(self.function == 0, 0.35, np.where(self.function == 1, 0.12, 0.05))
        staff = np.round(self.revenue * 40 * draws["staff"].lognormal(0, 0.5, n))
        self.staff = np.maximum(5, staff).astype(np.int64)
        rd_staff = np.round(self.staff * rd_share * draws["rd_staff"].uniform(0.6, 1.4, n))
        self.rd_staff = np.maximum(1, rd_staff).astype(np.int64)
        self.patent_rate = self.rd_staff * (0.4 + 0.6 * self.specialised)

    def cost_gap(self, draws: Draws) -> np.ndarray:
        """The cost-comparison model: office (15 m² per head) and R&D wages, origin minus Wuhan, 万元/yr."""
        area = self.staff * 15.0
        spread = draws["cost_gap"].uniform(0.8, 1.2, len(self.city))
        return np.round(
            (_RENT[self.city] - WUHAN_RENT) * area * 12 / 1e4
            + (_SALARY[self.city] - WUHAN_SALARY) * self.rd_staff * spread,
            1,
        )


def median_cost_gap(draws: Draws, rows: int) -> float:
    """The whole table's median cost gap, which every row's relocation risk compares against."""
    own = draws.copy()
    gaps = [Sizes(own, n).cost_gap(own) for n in _chunk_lengths(rows, CHUNK_ROWS)]
    return float(np.median(np.concatenate(gaps)))


def _chunk_lengths(rows: int, chunk_rows: int) -> list[int]:
    """Rows per chunk; an empty table is one empty chunk, so its file still names the columns."""
    return [min(chunk_rows, rows - start) for start in range(0, rows, chunk_rows)] or [0]


def firm_chunks(
    rows: int, *, seed: int, extra: int = 0, missing: float = 0.0, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """The synthetic table (see the module notes) in chunks of ``chunk_rows`` rows.

    The same seed gives the same table, whatever ``chunk_rows``.
    """
    draws = Draws(seed, rows, extra=extra, missing=missing)
    median = median_cost_gap(draws, rows) if rows else np.nan
    first = 1
    for n in _chunk_lengths(rows, chunk_rows):
        yield _firms(draws, n, first, median, extra=extra, missing=missing)
        first += n


def _firms(draws: Draws, n: int, first: int, median: float, *, extra: int, missing: float) -> pd.DataFrame:
    sizes = Sizes(draws, n)
    patents = draws["patents"].poisson(sizes.patent_rate).astype(np.float64)
    cost_gap = sizes.cost_gap(draws)
    jobs_share = np.where(sizes.function == 2, 0.8, 0.35)
    jobs = np.maximum(1, np.round(sizes.staff * jobs_share * draws["jobs"].uniform(0.5, 1.2, n))).astype(
        np.int64
    )
    # relocation risk: probability-like score that the firm moves at all (higher for cost pressure)
    risk = np.clip(
        0.15
        + 0.5 * (cost_gap > median) * draws["risk_uniform"].random(n)
        + draws["risk_noise"].normal(0, 0.1, n),
        0,
        1,
    )
    numbers = range(first, first + n)
    frame = pd.DataFrame(
        {
            "firm_id": [f"F{i:07d}" for i in numbers],
            "name": [
                f"模拟{CITIES[c]}{INDUSTRIES[k][0]}企业{i:05d}"
                for i, c, k in zip(numbers, sizes.city, sizes.industry, strict=True)
            ],
            "city": np.array(CITIES)[sizes.city],
            "industry": np.array([name for name, _ in INDUSTRIES])[sizes.industry],
            "optics_chips_displays": np.array([flag for _, flag in INDUSTRIES])[sizes.industry],
            "function": np.array(FUNCTIONS)[sizes.function],
            "specialised": sizes.specialised,
            "rd_staff": sizes.rd_staff,
            "revenue_yi": sizes.revenue,
            "patents": patents,
            "cost_gap_wan": cost_gap,
            "expected_jobs": jobs,
            "relocation_risk": np.round(risk, 3),
        }
    )
    if missing > 0:
        for column, stream in (("patents", "missing_patents"), ("relocation_risk", "missing_risk")):
            frame.loc[draws[stream].random(n) < missing, column] = np.nan
    for k, scale in enumerate(draws.scales, start=1):
        frame[f"extra_{k:02d}"] = draws[f"extra_{k:02d}"].random(n) * scale
    return frame


def write_firms(
    out: str | os.PathLike[str],
    rows: int,
    *,
    seed: int,
    extra: int = 0,
    missing: float = 0.0,
    chunk_rows: int = CHUNK_ROWS,
    progress: TextIO | None = None,
) -> None:
    """Write the synthetic table to ``.csv`` or ``.parquet`` chunk by chunk, through a temporary file.

    Parquet row groups hold :data:`ROW_GROUP_ROWS` rows, so ``chunk_rows`` must divide it there.
    """
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise SystemExit(f"--out must end in .csv or .parquet, got {str(out)!r}")
    if suffix != ".csv" and ROW_GROUP_ROWS % chunk_rows:
        raise ValueError(f"chunk_rows must divide {ROW_GROUP_ROWS:,} for Parquet, got {chunk_rows:,}")
    chunks = firm_chunks(rows, seed=seed, extra=extra, missing=missing, chunk_rows=chunk_rows)
    bar = Progress(progress, f"writing {path.name}", rows)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        written = 0
        for done in (_write_csv if suffix == ".csv" else _write_parquet)(chunks, temporary):
            written = done
            bar.update(written)
        bar.finish(written)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _write_csv(chunks: Iterator[pd.DataFrame], path: Path) -> Iterator[int]:
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as stream:
        for frame in chunks:
            frame.to_csv(stream, index=False, header=written == 0, lineterminator="\n")
            written += len(frame)
            yield written


def _write_parquet(chunks: Iterator[pd.DataFrame], path: Path) -> Iterator[int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    group: list[pa.Table] = []
    written = 0
    try:
        for frame in chunks:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            writer = writer or pq.ParquetWriter(path, table.schema)
            group.append(table)
            written += len(frame)
            # one contiguous row group, laid out exactly as writing the whole table at once lays it
            if written % ROW_GROUP_ROWS == 0:
                writer.write_table(pa.concat_tables(group).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
                group = []
            yield written
        if group:
            assert writer is not None
            writer.write_table(pa.concat_tables(group).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
    finally:
        if writer is not None:
            writer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--out", required=True, help="a .csv or .parquet file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--extra", type=int, default=0, help="further numeric columns extra_01 ...")
    parser.add_argument("--missing", type=float, default=0.0, help="share of optional cells left empty")
    args = parser.parse_args(argv)
    write_firms(
        args.out, args.rows, seed=args.seed, extra=args.extra, missing=args.missing, progress=sys.stderr
    )
    sys.stderr.write(f"{args.rows:,} synthetic rows written to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
