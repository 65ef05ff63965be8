"""The workspace's expert panels as the app reaches them: one :class:`Panels` per store, the
expert a link's token lets in, and what a Delphi round may show an expert about the others.

An expert's page must never learn another expert's name or answers: :func:`anonymous_outliers`
reduces the previous round's outliers to a count and whether the expert is one of them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

from engine.errors import InputError
from engine.panel.consensus import outlier_experts
from engine.panel.source import PanelSource, source_from_status
from engine.settings import Settings
from engine.store.panel import TOKEN_PARAMETER, ExpertAccess, PanelInfo, Panels
from engine.store.panel_status import round_figures
from ui import current, state, workspace

_handles: dict[int, Panels] = {}
_lock = threading.Lock()


def panels() -> Panels:
    """The panels of the app's workspace (one handle per open store: it caches asked items)."""
    store = workspace.store()
    with _lock:
        handle = _handles.get(id(store))
        if handle is None or handle.store is not store:
            handle = _handles[id(store)] = Panels(store)
        return handle


def link_token() -> str | None:
    """The token of the link the page was opened with, None when it has none."""
    value: Any = st.query_params.get(TOKEN_PARAMETER)
    return value if isinstance(value, str) else None


def expert_access() -> ExpertAccess | None:
    """Whom the link lets in now: checked against the store on every run and every callback, so a
    link revoked or expired meanwhile stops working at once."""
    return panels().expert_for_token(link_token())


def anonymous_outliers(access: ExpertAccess) -> tuple[int, bool] | None:
    """How many experts stood far from the group in the previous round, and whether this expert did.

    None in round 1 or when fewer than three experts answered every judgment then (an outlier
    needs a group to stand out from).
    """
    if access.round <= 1:
        return None
    handle = panels()
    info = handle.panel(access.project, access.panel)
    problem = handle.problem(info)
    if not problem.criteria.judged_nodes:
        return None
    previous = handle.answers(access.project, access.panel, round=access.round - 1)
    experts = [e.id for e in info.experts]
    stored = {e: {key: answer.value for key, answer in found.items()} for e, found in previous.items()}
    figures = round_figures(problem, experts, stored, info.options.ahp_method)
    complete = figures.complete
    if complete.sum() < 3:
        return None
    flagged = outlier_experts(figures.leaves[complete]).flagged
    ids = [e for e, done in zip(experts, complete, strict=True) if done]
    mine = access.expert in ids and bool(flagged[ids.index(access.expert)])
    return int(np.sum(flagged)), mine


def use_panel(
    info: PanelInfo, aggregation: str, base: Settings, status: Mapping[str, Any] | None = None
) -> tuple[Settings, dict[str, Any]]:
    """Settings whose manual weights are the panel's ("use the panel": ``base``'s method and the
    rest kept), and the :class:`engine.panel.source.PanelSource` the scenario keeps beside them.
    ``status`` is the panel's status when the caller has it already."""
    handle = panels()
    settings = handle.scenario_settings(info.project, info.name, base=base, aggregation=aggregation)
    found = status if status is not None else handle.status(info.project, info.name)
    source = source_from_status(found, dict(settings.manual_weights), aggregation)
    return settings, source.to_choice()


def source_in_use(settings: Settings) -> PanelSource | None:
    """The panel whose weights the session ranks with, None when the weights are anyone else's."""
    if settings.weight_source != "manual":
        return None
    kept = st.session_state.get(state.PANEL_SOURCE)
    if not kept:
        return None
    try:
        source = PanelSource.from_choice(kept)
    except InputError:
        return None
    return source if source.fits(settings, current.problem().leaf_ids) else None


def source_key(source: PanelSource) -> tuple[Any, ...]:
    """What distinguishes one panel source from another, hashable (for a cache key)."""
    return (source.name, source.round, source.experts, source.kendall_w, source.p, source.aggregation)
