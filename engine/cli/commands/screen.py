"""``policyrank screen``: rank the rows of a large candidate table (CSV or Parquet) by a YAML spec."""

from __future__ import annotations

import argparse
import sys

from engine.io.files import text_table
from engine.mcda.ahp import CR_THRESHOLD
from engine.screening import (
    DEFAULT_CHUNK_ROWS,
    SCREEN_METHODS,
    ScreenResult,
    load_spec,
    progress_stream,
    screen,
    write_result,
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", required=True, help="a .csv or .parquet table, one candidate per row")
    parser.add_argument("--spec", required=True, help="the screening spec (YAML; see docs/formats.md)")
    parser.add_argument("--top", type=int, help="keep the N best rows (default: 20, or every row with --out)")
    parser.add_argument("--out", help="write the ranked rows to this .csv or .parquet file (atomically)")
    parser.add_argument("--method", choices=SCREEN_METHODS, help="override the spec's method")
    parser.add_argument(
        "--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS, help="rows read at once (memory vs. speed)"
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show progress even when stderr is no terminal (then one line per tenth of the table)",
    )
    parser.set_defaults(handler=run)


def summary(result: ScreenResult) -> str:
    spec = result.spec
    weights = "AHP" if spec.ahp is not None else "spec"
    cr = f", CR {spec.ahp.cr:.3f}" if spec.ahp is not None else ""
    return (
        f"{spec.method.upper()} ({spec.normalization}), weights from {weights}{cr}: "
        f"{result.rows_ranked:,} of {result.rows_read:,} rows ranked "
        f"({result.rows_filtered:,} filtered out, {result.rows_dropped:,} dropped for missing values) "
        f"in {result.seconds:.2f} s"
    )


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec)
    top = args.top if args.top is not None else (None if args.out else 20)
    result = screen(
        args.table,
        spec,
        top=top,
        method=args.method,
        chunk_rows=args.chunk_rows,
        progress=progress_stream(args.progress),
    )
    if spec.ahp is not None and spec.ahp.cr >= CR_THRESHOLD:
        sys.stderr.write(f"note: {spec.source}: judgments have CR {spec.ahp.cr:.3f} >= 0.10 (inconsistent)\n")
    if args.out:
        write_result(result, args.out)
        sys.stderr.write(f"{summary(result)}; {len(result.ranked):,} rows written to {args.out}\n")
        return 0
    frame = result.ranked
    shown = [spec.id_column, *spec.keep]
    rows = [
        [str(r["rank"]), *(str(r[c]) for c in shown), f"{r['score']:.6f}"] for r in frame.to_dict("records")
    ]
    sys.stdout.write(
        text_table(["rank", *shown, "score"], rows, right=[True, *([False] * len(shown)), True]) + "\n"
    )
    sys.stderr.write(summary(result) + "\n")
    return 0
