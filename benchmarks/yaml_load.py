"""Reading the shipped Wuhan files: the YAML parse alone and the whole Problem built from them.

    python benchmarks/yaml_load.py

``load_problem()`` reads the files from disk; ``problem_from_bytes`` is what the workspace runs on
every catalogue edit and first open. Each figure is the best of 5 runs after one warm-up, with
libyaml's C parser (when PyYAML has it) and with the pure-Python parser alone, in one process.
"""

from __future__ import annotations

from collections.abc import Callable

from _timing import best, table

REPEAT = 5


def _workloads() -> list[tuple[str, Callable[[], object]]]:
    from engine.io.safe_yaml import parse_yaml
    from engine.load import (
        DEFAULT_CRITERIA,
        DEFAULT_DATA,
        DEFAULT_EVIDENCE,
        load_problem,
        preset_files,
        problem_from_bytes,
    )

    catalogue = DEFAULT_DATA.read_bytes()
    files = [(path.read_bytes(), path.name) for path in (DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE)]
    presets = [(path.read_bytes(), path.name) for path in preset_files(DEFAULT_CRITERIA)]
    return [
        ("parse_yaml(countermeasures.yaml)", lambda: parse_yaml(catalogue, "countermeasures.yaml")),
        ("load_problem()", load_problem),
        ("problem_from_bytes(shipped files)", lambda: problem_from_bytes(*files, presets)),
    ]


def run() -> list[tuple[str, str, str]]:
    import yaml

    from engine.io import safe_yaml

    paths = {"pure Python": False}
    if yaml.__with_libyaml__ and hasattr(safe_yaml, "LIBYAML"):
        paths = {"libyaml": True, **paths}
    rows: list[tuple[str, str, str]] = []
    saved = getattr(safe_yaml, "LIBYAML", None)
    try:
        for label, fn in _workloads():
            for path, use_libyaml in paths.items():
                if saved is not None:
                    safe_yaml.LIBYAML = use_libyaml
                rows.append((label, f"{best(fn, repeat=REPEAT) * 1e3:.0f} ms", path))
    finally:
        if saved is not None:
            safe_yaml.LIBYAML = saved
    return rows


def main() -> None:
    print(f"best of {REPEAT} runs each, after one warm-up")
    print(table(run()))


if __name__ == "__main__":
    main()
