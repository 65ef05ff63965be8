"""Generate a SYNTHETIC table of tier-1-city firms that Wuhan could court (CSV or Parquet, seeded).

Every row is invented: the names say 模拟 (simulated) and the numbers come from the distributions
below, loosely shaped by the source article (targeted recruitment of R&D centres, regional
headquarters and 专精特新 firms from 北上广深 and their neighbours; the 光芯屏端网 cluster). Use it to
try ``policyrank screen`` and to benchmark it, never as facts about real firms.

    python scripts/make_firms_table.py --rows 1000000 --out /tmp/firms.parquet --seed 1
    python scripts/make_firms_table.py --rows 3000 --out data/firms_sample.csv --seed 2026

``--extra N`` appends N further numeric columns (``extra_01`` ...), for wide benchmark tables.
``--missing P`` blanks a share P of the optional cells (patents, relocation risk).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

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


def make_firms(rows: int, *, seed: int, extra: int = 0, missing: float = 0.0) -> pd.DataFrame:
    """The synthetic table (see the module notes); the same seed gives the same table."""
    rng = np.random.default_rng(seed)
    city = rng.choice(len(CITIES), size=rows, p=CITY_SHARE)
    industry = rng.choice(len(INDUSTRIES), size=rows, p=INDUSTRY_SHARE)
    function = rng.choice(len(FUNCTIONS), size=rows, p=FUNCTION_SHARE)
    specialised = rng.random(rows) < 0.22
    # size: lognormal revenue; R&D staff and patents grow with it, more so for R&D centres
    revenue = np.round(np.exp(rng.normal(1.2, 1.1, rows)), 2)  # 亿元
    rd_share = np.where(function == 0, 0.35, np.where(function == 1, 0.12, 0.05))
    staff = np.maximum(5, np.round(revenue * 40 * rng.lognormal(0, 0.5, rows))).astype(np.int64)
    rd_staff = np.maximum(1, np.round(staff * rd_share * rng.uniform(0.6, 1.4, rows))).astype(np.int64)
    patents = rng.poisson(rd_staff * (0.4 + 0.6 * specialised)).astype(np.float64)
    # the cost-comparison model: office (15 m² per head) and R&D wages, origin minus Wuhan, 万元/yr
    rent = np.array([RENT[c] for c in CITIES])[city]
    salary = np.array([SALARY[c] for c in CITIES])[city]
    area = staff * 15.0
    cost_gap = np.round(
        (rent - WUHAN_RENT) * area * 12 / 1e4
        + (salary - WUHAN_SALARY) * rd_staff * rng.uniform(0.8, 1.2, rows),
        1,
    )
    jobs = np.maximum(
        1, np.round(staff * np.where(function == 2, 0.8, 0.35) * rng.uniform(0.5, 1.2, rows))
    ).astype(np.int64)
    # relocation risk: probability-like score that the firm moves at all (higher for cost pressure)
    risk = np.clip(
        0.15 + 0.5 * (cost_gap > np.median(cost_gap)) * rng.random(rows) + rng.normal(0, 0.1, rows), 0, 1
    )
    frame = pd.DataFrame(
        {
            "firm_id": [f"F{i:07d}" for i in range(1, rows + 1)],
            "name": [
                f"模拟{CITIES[c]}{INDUSTRIES[k][0]}企业{i:05d}"
                for i, (c, k) in enumerate(zip(city, industry, strict=True), start=1)
            ],
            "city": np.array(CITIES)[city],
            "industry": np.array([name for name, _ in INDUSTRIES])[industry],
            "optics_chips_displays": np.array([flag for _, flag in INDUSTRIES])[industry],
            "function": np.array(FUNCTIONS)[function],
            "specialised": specialised,
            "rd_staff": rd_staff,
            "revenue_yi": revenue,
            "patents": patents,
            "cost_gap_wan": cost_gap,
            "expected_jobs": jobs,
            "relocation_risk": np.round(risk, 3),
        }
    )
    if missing > 0:
        for column in ("patents", "relocation_risk"):
            frame.loc[rng.random(rows) < missing, column] = np.nan
    for k in range(1, extra + 1):
        frame[f"extra_{k:02d}"] = rng.random(rows) * 10 ** rng.uniform(0, 3)
    return frame


def write(frame: pd.DataFrame, out: str) -> None:
    path = Path(out)
    temporary = path.with_name(f".{path.name}.tmp")
    if path.suffix.lower() in (".parquet", ".pq"):
        frame.to_parquet(temporary, index=False, row_group_size=250_000)
    elif path.suffix.lower() == ".csv":
        frame.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
    else:
        raise SystemExit(f"--out must end in .csv or .parquet, got {out!r}")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--out", required=True, help="a .csv or .parquet file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--extra", type=int, default=0, help="further numeric columns extra_01 ...")
    parser.add_argument("--missing", type=float, default=0.0, help="share of optional cells left empty")
    args = parser.parse_args(argv)
    write(make_firms(args.rows, seed=args.seed, extra=args.extra, missing=args.missing), args.out)
    sys.stderr.write(f"{args.rows:,} synthetic rows written to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
