"""Inconsistency coaching: which pairwise judgment to revise, to what value, and in which order.

A judgment matrix with CR >= 0.10 is not wrong in one obvious place; the analyst needs to know
which single judgment, changed to which value of Saaty's scale, makes the others agree. Every
candidate revision (every pair times every scale value) is evaluated at once on a stack of
modified matrices with :func:`engine.mcda.ahp.batch_priorities`, so the advice is the exact effect on
CR and on the weights, not a first-order guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.hierarchy import combined_matrices, judgment_matrix
from engine.mcda.ahp import CR_THRESHOLD, SAATY_SCALE, AHPMethod, batch_priorities, priorities
from engine.model import Criteria, Judgment
from engine.settings import JudgmentEdit, Settings

__all__ = [
    "COMBINED",
    "Coaching",
    "Revision",
    "Triad",
    "apply_revision",
    "coach_criteria",
    "coach_matrix",
    "revision_settings",
    "saaty_text",
    "single_revisions",
    "triad_inconsistency",
]

#: The pseudo expert id of the combined (AIJ) judgments, as in :mod:`engine.analysis`.
COMBINED = "combined"
# two CR values closer than this are the same advice; prefer the smaller edit then
_CR_TIE = 1e-12


def saaty_text(value: float) -> str:
    """A judgment value as an analyst writes it: ``"3"``, ``"1/3"``, or ``"2.47"`` off the scale."""
    if value >= 1:
        whole = round(value)
        return str(whole) if abs(value - whole) < 1e-6 else f"{value:.3g}"
    inverse = round(1 / value)
    if abs(1 / value - inverse) < 1e-6:
        return f"1/{inverse}"
    fraction = Fraction(value).limit_denominator(9)
    if abs(float(fraction) - value) < 1e-6:
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class Revision:
    """The effect of giving one judgment a new value, all other judgments unchanged.

    Attributes
    ----------
    i, j : int
        Row and column of the judgment in the matrix.
    a, b : str
        The items compared: ``a`` is ``current`` (``proposed``) times as important as ``b``.
    current, proposed : float
        The judgment now and the scale value that fits the other judgments best.
    cr_before, cr_after : float
        Consistency ratio of the matrix before and after the change.
    weights_before, weights_after : ndarray, shape (n,)
        Priorities before and after the change (read-only).
    log_error : float
        :math:`|\\ln a_{ij} - \\ln(w_i / w_j)|` before the change: how far the judgment is from
        what the priorities imply.
    """

    i: int
    j: int
    a: str
    b: str
    current: float
    proposed: float
    cr_before: float
    cr_after: float
    weights_before: NDArray[np.float64]
    weights_after: NDArray[np.float64]
    log_error: float

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b)

    @property
    def cr_drop(self) -> float:
        return self.cr_before - self.cr_after

    @property
    def changes(self) -> bool:
        """Whether the proposal differs from the current judgment."""
        return not np.isclose(self.proposed, self.current, rtol=1e-9, atol=0)

    def flipped(self) -> Revision:
        """The same revision stated the other way round (``b`` over ``a``, reciprocal values)."""
        return Revision(
            i=self.j,
            j=self.i,
            a=self.b,
            b=self.a,
            current=1.0 / self.current,
            proposed=1.0 / self.proposed,
            cr_before=self.cr_before,
            cr_after=self.cr_after,
            weights_before=self.weights_before,
            weights_after=self.weights_after,
            log_error=self.log_error,
        )


@dataclass(frozen=True)
class Triad:
    """Three items whose judgments contradict each other (Koczkodaj's triad inconsistency).

    ``direct`` is the judgment of ``a`` over ``c``; ``implied`` is what ``a`` over ``b`` times
    ``b`` over ``c`` says it should be.
    """

    items: tuple[str, str, str]
    index: tuple[int, int, int]
    direct: float
    implied: float
    inconsistency: float


@dataclass(frozen=True)
class Coaching:
    """Coaching advice for one judgment matrix.

    Attributes
    ----------
    labels : tuple of str
        Names of the compared items, in matrix order.
    matrix : ndarray, shape (n, n)
        The judgments as given (read-only).
    method : str
        AHP priority method used for weights and CR.
    weights : ndarray, shape (n,)
    cr : float
    threshold : float
        CR below which the judgments are acceptable.
    revisions : tuple of Revision
        One per pair whose best scale value differs from the judgment and lowers CR (a pair whose
        best value is the one it has, such as an extreme 9 the others would make larger, is left
        out); the pair whose revision lowers CR the most comes first (ties: the judgment furthest
        from the priorities first). Empty when no single change lowers CR.
    triads : tuple of Triad
        Every triad with a positive inconsistency, worst first.
    path : tuple of Revision
        Greedy revisions, each applied on top of the previous ones and each lowering CR, until CR
        falls below ``threshold`` or no single change lowers it any more.
    """

    labels: tuple[str, ...]
    matrix: NDArray[np.float64]
    method: AHPMethod
    weights: NDArray[np.float64]
    cr: float
    threshold: float
    revisions: tuple[Revision, ...]
    triads: tuple[Triad, ...]
    path: tuple[Revision, ...]

    @property
    def consistent(self) -> bool:
        return self.cr < self.threshold

    @property
    def reached(self) -> bool:
        """Whether the judgments are acceptable now or after following :attr:`path`."""
        final = self.path[-1].cr_after if self.path else self.cr
        return final < self.threshold

    @property
    def first(self) -> Revision | None:
        """The judgment to revise first, when one revision lowers CR at all."""
        return self.revisions[0] if self.revisions else None


def _readonly(array: ArrayLike) -> NDArray[np.float64]:
    out = np.array(array, dtype=np.float64)
    out.setflags(write=False)
    return out


def single_revisions(
    matrix: ArrayLike,
    *,
    method: AHPMethod = "eigen",
    candidates: Sequence[float] = SAATY_SCALE,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """CR and weights for every single-judgment change, all at once.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        Reciprocal judgment matrix, n >= 2.
    method : {"eigen", "geometric"}, optional
    candidates : sequence of float, optional
        Values tried for each judgment (default: the 17 values of Saaty's scale).

    Returns
    -------
    rows, cols : ndarray of int, shape (p,)
        The upper-triangle pairs (i < j), p = n (n - 1) / 2.
    cr : ndarray, shape (p, v)
        CR after setting ``a[rows[k], cols[k]] = candidates[l]`` (and its reciprocal).
    weights : ndarray, shape (p, v, n)
        The corresponding priorities.

    Notes
    -----
    The p * v modified matrices are built by fancy indexing into one tiled copy and solved in a
    single :func:`engine.mcda.ahp.batch_priorities` call (one batched eigen-decomposition).
    """
    a = np.array(matrix, dtype=np.float64)
    priorities(a, method=method)  # validates shape, positivity and reciprocity with clear messages
    n = a.shape[0]
    if n < 2:
        raise ValueError("coaching needs at least 2 items (there is no judgment to revise)")
    values = np.array(candidates, dtype=np.float64)
    if values.ndim != 1 or values.size == 0 or np.any(~np.isfinite(values) | (values <= 0)):
        raise ValueError("candidates must be a non-empty sequence of positive numbers")
    rows, cols = np.triu_indices(n, 1)
    p, v = rows.size, values.size
    stack = np.broadcast_to(a, (p, v, n, n)).copy()
    pick_p = np.repeat(np.arange(p), v)
    pick_v = np.tile(np.arange(v), p)
    stack[pick_p, pick_v, rows[pick_p], cols[pick_p]] = values[pick_v]
    stack[pick_p, pick_v, cols[pick_p], rows[pick_p]] = 1.0 / values[pick_v]
    weights, cr = batch_priorities(stack.reshape(p * v, n, n), method=method)
    return rows, cols, cr.reshape(p, v), weights.reshape(p, v, n)


def triad_inconsistency(matrix: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Koczkodaj's inconsistency of every triad i < j < k.

    Returns
    -------
    triads : ndarray of int, shape (t, 3)
    index : ndarray, shape (t,)
        :math:`\\min(|1 - a_{ik} / (a_{ij} a_{jk})|, |1 - a_{ij} a_{jk} / a_{ik}|)`, in [0, 1);
        0 for a consistent triad.

    References
    ----------
    .. [1] Koczkodaj, W. W. (1993). A new definition of consistency of pairwise comparisons.
       Mathematical and Computer Modelling, 18(7), 79-84.
    """
    a = np.array(matrix, dtype=np.float64)
    n = a.shape[0]
    grid = np.indices((n, n, n)).reshape(3, -1)
    keep = (grid[0] < grid[1]) & (grid[1] < grid[2])
    i, j, k = grid[:, keep]
    implied = a[i, j] * a[j, k]
    direct = a[i, k]
    index = np.minimum(np.abs(1 - direct / implied), np.abs(1 - implied / direct))
    return np.stack([i, j, k], axis=1), index


def _best_revisions(
    a: NDArray[np.float64], labels: tuple[str, ...], method: AHPMethod, candidates: Sequence[float]
) -> tuple[Revision, ...]:
    base = priorities(a, method=method)
    rows, cols, cr, weights = single_revisions(a, method=method, candidates=candidates)
    values = np.array(candidates, dtype=np.float64)
    current = a[rows, cols]
    best_cr = cr.min(axis=1, keepdims=True)
    # among equally good values take the one closest to what the analyst said
    distance = np.abs(np.log(values)[None, :] - np.log(current)[:, None])
    choice = np.argmin(np.where(cr <= best_cr + _CR_TIE, distance, np.inf), axis=1)
    picked = np.arange(rows.size)
    chosen_cr = cr[picked, choice]
    chosen_w = weights[picked, choice]
    lw = np.log(base.weights)
    log_error = np.abs(np.log(current) - (lw[rows] - lw[cols]))
    proposed = values[choice]
    # a suggestion to keep the judgment, or one that does not lower CR, is no suggestion
    useful = ~np.isclose(proposed, current, rtol=1e-9, atol=0) & (chosen_cr < base.cr - _CR_TIE)
    order = np.lexsort((-log_error, chosen_cr))
    order = order[useful[order]]
    before = _readonly(base.weights)
    return tuple(
        Revision(
            i=int(rows[k]),
            j=int(cols[k]),
            a=labels[rows[k]],
            b=labels[cols[k]],
            current=float(current[k]),
            proposed=float(proposed[k]),
            cr_before=float(base.cr),
            cr_after=float(chosen_cr[k]),
            weights_before=before,
            weights_after=_readonly(chosen_w[k]),
            log_error=float(log_error[k]),
        )
        for k in order
    )


def apply_revision(matrix: ArrayLike, revision: Revision) -> NDArray[np.float64]:
    """The matrix with the revision applied (reciprocal entry included)."""
    a = np.array(matrix, dtype=np.float64)
    a[revision.i, revision.j] = revision.proposed
    a[revision.j, revision.i] = 1.0 / revision.proposed
    return a


def coach_matrix(
    matrix: ArrayLike,
    labels: Sequence[str] | None = None,
    *,
    method: AHPMethod = "eigen",
    threshold: float = CR_THRESHOLD,
    candidates: Sequence[float] = SAATY_SCALE,
    max_steps: int | None = None,
) -> Coaching:
    """Rank the judgments of one matrix by how much revising them helps, with a revision path.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        Reciprocal judgment matrix.
    labels : sequence of str, optional
        Item names (default ``"0"``, ``"1"``, ...).
    method : {"eigen", "geometric"}, optional
    threshold : float, optional
        Acceptable CR (default 0.10).
    candidates : sequence of float, optional
        Values a judgment may be revised to (default Saaty's 17 scale values).
    max_steps : int, optional
        Longest revision path (default: the number of pairs).

    Returns
    -------
    Coaching

    Notes
    -----
    The contribution of a judgment to the inconsistency is measured by what revising it achieves:
    :math:`CR - \\min_v CR(a_{ij} \\leftarrow v)` over the candidate values v. This is exact for
    the eigenvector method, where the usual first-order indicator (the log error
    :math:`|\\ln a_{ij} - \\ln(w_i/w_j)|`, reported as ``log_error``) can mislead when several
    judgments are off. The greedy path applies the best single revision repeatedly; each step
    strictly lowers CR, so it ends after at most ``max_steps`` steps.

    References
    ----------
    .. [1] Saaty, T. L. (2003). Decision-making with the AHP: Why is the principal eigenvector
       necessary. European Journal of Operational Research, 145(1), 85-91.
    .. [2] Ergu, D., Kou, G., Peng, Y., & Shi, Y. (2011). A simple method to improve the
       consistency ratio of the pair-wise comparison matrix in ANP. European Journal of
       Operational Research, 213(1), 246-259.
    """
    a = np.array(matrix, dtype=np.float64)
    base = priorities(a, method=method)
    n = base.n
    names = tuple(labels) if labels is not None else tuple(str(k) for k in range(n))
    if len(names) != n:
        raise ValueError(f"labels must name the {n} items of the matrix; got {len(names)}")
    if n < 2:
        return Coaching(names, _readonly(a), method, _readonly(base.weights), 0.0, threshold, (), (), ())
    revisions = _best_revisions(a, names, method, candidates)
    triads: tuple[Triad, ...] = ()
    if n >= 3:
        index_triples, index = triad_inconsistency(a)
        order = np.argsort(-index, kind="stable")
        triads = tuple(
            Triad(
                items=(names[i], names[j], names[k]),
                index=(int(i), int(j), int(k)),
                direct=float(a[i, k]),
                implied=float(a[i, j] * a[j, k]),
                inconsistency=float(index[t]),
            )
            for t in order
            if index[t] > 1e-12
            for i, j, k in [index_triples[t]]
        )
    path: list[Revision] = []
    current, cr = a, base.cr
    steps = n * (n - 1) // 2 if max_steps is None else max_steps
    step = revisions
    while cr >= threshold and len(path) < steps and step:
        best = step[0]
        path.append(best)
        current, cr = apply_revision(current, best), best.cr_after
        step = _best_revisions(current, names, method, candidates)
    return Coaching(
        labels=names,
        matrix=_readonly(a),
        method=method,
        weights=_readonly(base.weights),
        cr=float(base.cr),
        threshold=threshold,
        revisions=revisions,
        triads=triads,
        path=tuple(path),
    )


# ---------------------------------------------------------------- criteria files and settings


def _orient(revision: Revision, judgments: Sequence[Judgment]) -> Revision:
    """State a revision the way round the expert wrote the judgment."""
    for judgment in judgments:
        if (judgment.a, judgment.b) == (revision.b, revision.a):
            return revision.flipped()
    return revision


def _oriented(coaching: Coaching, judgments: Sequence[Judgment]) -> Coaching:
    if not judgments:
        return coaching
    return Coaching(
        labels=coaching.labels,
        matrix=coaching.matrix,
        method=coaching.method,
        weights=coaching.weights,
        cr=coaching.cr,
        threshold=coaching.threshold,
        revisions=tuple(_orient(r, judgments) for r in coaching.revisions),
        triads=coaching.triads,
        path=tuple(_orient(r, judgments) for r in coaching.path),
    )


def coach_criteria(
    criteria: Criteria,
    *,
    expert: str | None = None,
    node: str | None = None,
    method: AHPMethod = "eigen",
    group_weights: Mapping[str, float] | None = None,
    threshold: float = CR_THRESHOLD,
) -> tuple[tuple[str, str, Coaching], ...]:
    """Coaching for the judged nodes of a criteria file, as ``(expert id, node id, Coaching)``.

    ``expert`` None coaches every expert; :data:`COMBINED` coaches the experts' judgments combined
    by weighted geometric mean (what the ranking uses). ``node`` None coaches every judged node.
    Revisions are stated in the orientation the expert wrote them (``a`` over ``b``).
    Raises KeyError naming an unknown expert or node.
    """
    nodes = criteria.judged_nodes
    if node is not None:
        nodes = tuple(n for n in nodes if n.id == node)
        if not nodes:
            known = ", ".join(n.id for n in criteria.judged_nodes)
            raise KeyError(f"{node!r} is not a node with judgments (known: {known})")
    experts = [e.id for e in criteria.experts]
    if expert is not None and expert != COMBINED and expert not in experts:
        raise KeyError(f"unknown expert {expert!r} (known: {', '.join([*experts, COMBINED])})")
    out: list[tuple[str, str, Coaching]] = []
    if expert == COMBINED:
        combined = combined_matrices(criteria, experts, group_weights=group_weights)
        for item in nodes:
            labels = tuple(child.id for child in item.children)
            out.append(
                (
                    COMBINED,
                    item.id,
                    coach_matrix(combined[item.id], labels, method=method, threshold=threshold),
                )
            )
        return tuple(out)
    for expert_id in [expert] if expert else experts:
        judgments = criteria.expert(expert_id).judgments
        for item in nodes:
            labels = tuple(child.id for child in item.children)
            coaching = coach_matrix(
                judgment_matrix(item, judgments[item.id]), labels, method=method, threshold=threshold
            )
            out.append((expert_id, item.id, _oriented(coaching, judgments[item.id])))
    return tuple(out)


def revision_settings(
    settings: Settings, node_id: str, coaching: Coaching, revisions: Sequence[Revision]
) -> Settings:
    """Settings whose judgments at ``node_id`` are the coached matrix with ``revisions`` accepted.

    The whole node is written as judgment edits (every pair once), so accepting a revision on the
    combined judgments is reproducible from the settings alone, e.g. in a memo appendix.
    """
    labels = coaching.labels
    index = {label: k for k, label in enumerate(labels)}
    a = np.array(coaching.matrix, dtype=np.float64)
    for revision in revisions:
        i, j = index[revision.a], index[revision.b]
        a[i, j] = revision.proposed
        a[j, i] = 1.0 / revision.proposed
    rows, cols = np.triu_indices(len(labels), 1)
    edits: tuple[JudgmentEdit, ...] = tuple(
        (labels[i], labels[j], float(a[i, j])) for i, j in zip(rows, cols, strict=True)
    )
    return settings.with_judgments(node_id, edits)
