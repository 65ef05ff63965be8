"""The ranking methods, each declared once: id, labels, options, score direction and scorers.

Everything that depends on which method an analysis uses asks the method's :class:`Method` here
instead of testing its name: the options it takes (with their defaults and checks), which way
its score points, its single and batch scorers, how its score splits into per-criterion terms
(for explaining a ranking) and the entry point :func:`evaluate`, which runs a method by name and
returns every intermediate. The kernels themselves live in :mod:`engine.mcda.methods` (one weight
vector or a batch) and :mod:`engine.kernels.stacked` (also a stack of matrices).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.kernels.stacked import promethee_batch, topsis_batch, vikor_batch, wsm_batch
from engine.mcda import separable
from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.methods import (
    DEFAULT_NORMALIZATION,
    HIGHER_IS_BETTER,
    METHODS,
    PREFERENCE_FUNCTIONS,
    check_vikor_v,
    promethee_ii,
    promethee_parts,
    topsis,
    topsis_parts,
    vikor,
    vikor_parts,
    weighted_sums,
    wsm,
)
from engine.mcda.normalization import NORMALIZATIONS, normalize
from engine.mcda.ranking import rank
from engine.model import Lang, Text

__all__ = [
    "REGISTRY",
    "Method",
    "MethodResult",
    "Option",
    "Separable",
    "evaluate",
    "get",
    "label",
]

Array = NDArray[np.float64]
#: (scores (k, m), intermediates that depend on the weights (k, ...), intermediates that do not)
Parts = tuple[Array, dict[str, Array], dict[str, Array]]


# ------------------------------------------------------------------------------ options


@dataclass(frozen=True)
class Option:
    """One keyword option of a method.

    Attributes
    ----------
    name : str
        The keyword, as the method's scorers take it.
    default : object
        Used when the option is left out or given as None.
    check : callable
        Takes a given value and returns the value to use, or raises ``ValueError`` saying what
        is wrong with it. Checks that need the matrix (bounds, thresholds per criterion) are left
        to the scorers.
    setting : str or None
        The field of :class:`engine.settings.Settings` that chooses this option in an analysis.
    chosen_only : bool
        The setting applies only when this method is the analysis' chosen one: an analysis names
        one normalisation, for its own method; the other methods it compares keep theirs.
    """

    name: str
    default: Any
    check: Callable[[Any], Any]
    setting: str | None = None
    chosen_only: bool = False


def _one_of(allowed: tuple[str, ...], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; choose one of {allowed}")
        return value

    return check


def _cost(value: Any) -> str:
    if value not in ("flip", "reciprocal"):
        raise ValueError(f"cost must be 'flip' or 'reciprocal'; got {value!r}")
    return value


def _as_given(value: Any) -> Any:
    return value


def _threshold(name: str) -> Callable[[Any], Any]:
    """Check a PROMETHEE threshold as far as it can be without the matrix (its length is checked there)."""

    def check(value: Any) -> Any:
        try:
            t = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            t = np.full(2, np.nan)
        if t.ndim > 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError(f"{name} must be a number >= 0 or one such number per criterion; got {value!r}")
        return value

    return check


def _normalization(method: str) -> Option:
    return Option(
        "normalization",
        DEFAULT_NORMALIZATION[method],
        _one_of(NORMALIZATIONS, "normalization"),
        setting="normalization",
        chosen_only=True,
    )


_COST = Option("cost", "flip", _cost)
_BOUNDS = Option("bounds", None, _as_given)
_V = Option("v", 0.5, check_vikor_v, setting="vikor_v")
_PREFERENCE = (
    Option("preference", "usual", _one_of(PREFERENCE_FUNCTIONS, "preference function")),
    Option("p", None, _threshold("p")),
    Option("q", None, _threshold("q")),
    Option("s", None, _threshold("s")),
)


# ------------------------------------------------------------------------------ methods


@dataclass(frozen=True)
class Separable:
    """A method's score as a combination of per-criterion terms (see :mod:`engine.mcda.separable`).

    Attributes
    ----------
    terms : callable
        ``terms(x, d, w, normalization) -> {name: (m, n)}``: each criterion's terms.
    combine : callable
        ``combine(totals, v, regret) -> scores``: scores (..., m), higher is better, from the
        terms summed over the criteria (and, for a method that also takes the largest term, that
        largest term as `regret`).
    pull : callable
        ``pull(terms) -> (m, n)``: how much each criterion pulls each alternative up (down when
        negative), in the score's own units.
    regret : bool
        Whether the score also uses the largest weighted term (VIKOR's R).
    """

    terms: Callable[..., dict[str, Array]]
    combine: Callable[..., Array]
    pull: Callable[[dict[str, Array]], Array]
    regret: bool = False


@dataclass(frozen=True)
class Method:
    """One ranking method.

    Attributes
    ----------
    id : str
        Its name in settings, files, flags and results (one of
        :data:`engine.mcda.methods.METHODS`).
    label : Text
        The name shown to people, in Chinese and English.
    higher_is_better : bool
        Whether a larger score is better (False for VIKOR's Q).
    score_range : tuple of float
        The interval the score lies in.
    options : tuple of Option
        Every keyword option the scorers take.
    single : callable
        ``single(matrix, weights, directions, **options)``: scores (m,) for one weight vector,
        (k, m) for a batch.
    batch : callable
        ``batch(matrix, weights, directions, **options)``: scores (k, m) for weights (k, n), and
        a matrix (m, n) or one matrix per weight row (k, m, n).
    parts : callable
        ``parts(x, w, d, **options) -> (scores, per_weight, fixed)``: the scores (k, m) and every
        intermediate of :class:`MethodResult` for validated inputs.
    separable : Separable
        How the score splits into per-criterion terms.
    """

    id: str
    label: Text
    higher_is_better: bool
    score_range: tuple[float, float]
    options: tuple[Option, ...]
    single: Callable[..., Array]
    batch: Callable[..., Array]
    parts: Callable[..., Parts]
    separable: Separable

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.options)

    def option(self, name: str) -> Option:
        """The option called `name`; a ValueError if the method takes none of that name."""
        for option in self.options:
            if option.name == name:
                return option
        raise ValueError(f"{self.id} takes no option {name!r}; accepted: {sorted(self.option_names)}")

    @property
    def normalization(self) -> str | None:
        """The default normalisation; None for a method working on raw values."""
        return next((o.default for o in self.options if o.name == "normalization"), None)

    def check_options(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Every option of the method: the given ones checked, the others at their defaults.

        A given None means the default. A normalisation of None is accepted (and dropped) by a
        method that takes none.

        Raises
        ------
        ValueError
            An option the method does not take, or a value its check refuses.
        """
        given = dict(options)
        raw = "normalization" not in self.option_names
        if raw and given.pop("normalization", None) is not None:
            raise ValueError(
                f"{self.id} works on raw values and takes no normalization; got {options['normalization']!r}"
            )
        unknown = sorted(set(given) - set(self.option_names))
        if unknown:
            raise ValueError(
                f"{self.id} does not take option(s) {unknown}; accepted: {sorted(self.option_names)}"
            )
        return {
            o.name: o.default if given.get(o.name) is None else o.check(given[o.name]) for o in self.options
        }

    def select(self, **candidates: Any) -> dict[str, Any]:
        """Those of `candidates` that this method takes (for callers offering every method's options)."""
        return {name: value for name, value in candidates.items() if name in self.option_names}

    def configured(self, settings: Any, *, chosen: bool = True) -> dict[str, Any]:
        """The options an analysis with `settings` runs this method with.

        Parameters
        ----------
        settings : engine.settings.Settings
        chosen : bool, optional
            Whether this is the analysis' chosen method (default True).
        """
        return {
            o.name: getattr(settings, o.setting)
            for o in self.options
            if o.setting is not None and (chosen or not o.chosen_only)
        }

    def batch_scores(
        self, matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike, **options: Any
    ) -> Array:
        """Scores (k, m) of a matrix (m, n) or a stack (k, m, n) under weights (n,) or (k, n).

        A single matrix and a single weight vector give shape (1, m). Options are checked by
        :meth:`check_options`.
        """
        return self.batch(matrix, weights, directions, **self.check_options(options))

    def utilities(
        self, matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike, **options: Any
    ) -> Array:
        """:meth:`batch_scores` oriented so that higher is always better (VIKOR's Q negated)."""
        scores = self.batch_scores(matrix, weights, directions, **options)
        return scores if self.higher_is_better else -scores

    def unit_scores(self, scores: ArrayLike) -> Array:
        """Scores mapped linearly from :attr:`score_range` onto [0, 1], 1 at the better end."""
        low, high = self.score_range
        unit = (np.asarray(scores, dtype=np.float64) - low) / (high - low)
        return unit if self.higher_is_better else 1.0 - unit


# ------------------------------------------------------------- intermediates for evaluate


def _topsis_parts(
    x: Array, w: Array, d: NDArray[np.int64], *, normalization: str, cost: str, bounds: ArrayLike | None
) -> Parts:
    r = normalize(x, d, normalization, cost=cost, bounds=bounds)  # type: ignore[arg-type]
    res = topsis_parts(r[None], w)
    per_weight = {"weighted": w[:, None, :] * r[None, :, :]}
    per_weight.update({key: res[key] for key in ("ideal", "anti_ideal", "d_plus", "d_minus")})
    return res["closeness"], per_weight, {"normalized": r}


def _wsm_parts(
    x: Array, w: Array, d: NDArray[np.int64], *, normalization: str, cost: str, bounds: ArrayLike | None
) -> Parts:
    r = normalize(x, d, normalization, cost=cost, bounds=bounds)  # type: ignore[arg-type]
    return weighted_sums(r[None], w), {"weighted": w[:, None, :] * r[None, :, :]}, {"normalized": r}


def _vikor_parts(x: Array, w: Array, d: NDArray[np.int64], *, v: float) -> Parts:
    res = vikor_parts(x[None], w, d, v)
    per_weight = {key: res[key] for key in ("S", "R", "Q")}
    return res["Q"], per_weight, {"best": res["best"][0], "worst": res["worst"][0]}


def _promethee_parts(
    x: Array,
    w: Array,
    d: NDArray[np.int64],
    *,
    preference: str,
    p: ArrayLike | None,
    q: ArrayLike | None,
    s: ArrayLike | None,
) -> Parts:
    res = promethee_parts(x[None], w, d, preference, p, q, s)
    per_weight = {key: res[key] for key in ("preference", "phi_plus", "phi_minus")}
    return res["net_flow"], per_weight, {}


def _vikor_q(matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike, *, v: float = 0.5) -> Array:
    """VIKOR's compromise index Q, the score VIKOR ranks by."""
    return vikor(matrix, weights, directions, v=v)[2]


# ------------------------------------------------------------------------------ registry

_DECLARED = (
    Method(
        id="topsis",
        label=Text(zh="TOPSIS", en="TOPSIS"),
        higher_is_better=HIGHER_IS_BETTER["topsis"],
        score_range=(0.0, 1.0),
        options=(_normalization("topsis"), _COST, _BOUNDS),
        single=topsis,
        batch=topsis_batch,
        parts=_topsis_parts,
        separable=Separable(separable.topsis_terms, separable.topsis_combine, separable.topsis_pull),
    ),
    Method(
        id="wsm",
        label=Text(zh="WSM", en="WSM"),
        higher_is_better=HIGHER_IS_BETTER["wsm"],
        score_range=(0.0, 1.0),
        options=(_normalization("wsm"), _COST, _BOUNDS),
        single=wsm,
        batch=wsm_batch,
        parts=_wsm_parts,
        separable=Separable(separable.wsm_terms, separable.sum_combine, separable.centred_pull),
    ),
    Method(
        id="vikor",
        label=Text(zh="VIKOR", en="VIKOR"),
        higher_is_better=HIGHER_IS_BETTER["vikor"],
        score_range=(0.0, 1.0),
        options=(_V,),
        single=_vikor_q,
        batch=vikor_batch,
        parts=_vikor_parts,
        separable=Separable(
            separable.vikor_terms, separable.vikor_combine, separable.regret_pull, regret=True
        ),
    ),
    Method(
        id="promethee",
        label=Text(zh="PROMETHEE II", en="PROMETHEE II"),
        higher_is_better=HIGHER_IS_BETTER["promethee"],
        score_range=(-1.0, 1.0),
        options=_PREFERENCE,
        single=promethee_ii,
        batch=promethee_batch,
        parts=_promethee_parts,
        separable=Separable(separable.promethee_terms, separable.sum_combine, separable.summed_pull),
    ),
)

#: Every method by id, in the order of :data:`engine.mcda.methods.METHODS`.
REGISTRY: Mapping[str, Method] = MappingProxyType({method.id: method for method in _DECLARED})


def get(method: str) -> Method:
    """The method named `method`; a ValueError listing the others if there is none."""
    try:
        return REGISTRY[method]
    except (KeyError, TypeError):
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}") from None


def label(method: str, lang: Lang = "zh") -> str:
    """The display name of a method ("PROMETHEE II"); an unknown id is shown in capitals."""
    spec = REGISTRY.get(method)
    return spec.label.get(lang) if spec is not None else method.upper()


# ------------------------------------------------------------------------------ evaluate


@dataclass(frozen=True)
class MethodResult:
    """Outcome of :func:`evaluate`.

    Attributes
    ----------
    method : str
        One of :data:`engine.mcda.methods.METHODS`.
    normalization : str or None
        Normalisation used (None for the methods working on raw values).
    scores : ndarray, shape (m,) or (k, m)
        The ranking score: TOPSIS closeness, WSM score, VIKOR Q or PROMETHEE
        net flow.
    ranks : ndarray of int, same shape as `scores`
        1 = best; ties share the best rank.
    higher_is_better : bool
        Whether a larger score is better (False for VIKOR's Q).
    details : Mapping[str, ndarray]
        Every intermediate quantity (see :func:`evaluate`).
    weights : ndarray, shape (n,) or (k, n)
        The weights actually used (renormalised to sum 1 per row).
    """

    method: str
    normalization: str | None
    scores: Array
    ranks: NDArray[np.int64]
    higher_is_better: bool
    details: Mapping[str, Array]
    weights: Array


def evaluate(
    method: str,
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    normalization: str | None = None,
    **options: Any,
) -> MethodResult:
    """Validated entry point: run one method and rank the alternatives.

    Parameters
    ----------
    method : {"topsis", "wsm", "vikor", "promethee"}
    matrix : array_like, shape (m, n)
    weights : array_like, shape (n,) or (k, n)
        Renormalised to sum 1 per row.
    directions : array_like, shape (n,)
    normalization : str, optional
        For TOPSIS/WSM, one of :data:`engine.mcda.normalization.NORMALIZATIONS`
        (default: the method's own). VIKOR and PROMETHEE work on raw values and accept only
        None.
    **options
        The method's other options (:attr:`Method.options`): TOPSIS/WSM ``cost``, ``bounds``;
        VIKOR ``v``; PROMETHEE ``preference``, ``p``, ``q``, ``s``. Anything else is an error.

    Returns
    -------
    MethodResult
        ``details`` holds, per method: TOPSIS ``normalized``, ``weighted``,
        ``ideal``, ``anti_ideal``, ``d_plus``, ``d_minus``; WSM
        ``normalized``, ``weighted``; VIKOR ``S``, ``R``, ``Q``, ``best``,
        ``worst``; PROMETHEE ``preference`` (m, m), ``phi_plus``,
        ``phi_minus``. Weight-dependent entries carry the batch axis when
        `weights` is 2-D. All arrays are read-only.

    Notes
    -----
    See :func:`engine.mcda.methods.topsis`, :func:`~engine.mcda.methods.wsm`,
    :func:`~engine.mcda.methods.vikor`, :func:`~engine.mcda.methods.promethee_ii` for the
    mathematics. Ranks come from :func:`engine.mcda.ranking.rank`.
    """
    spec = get(method)
    chosen = spec.check_options({"normalization": normalization, **options})
    x = as_matrix(matrix)
    d = as_directions(directions, x.shape[1])
    w, batched = as_weights(weights, x.shape[1])
    scores, per_weight, fixed = spec.parts(x, w, d, **chosen)
    if not batched:
        scores = scores[0]
        per_weight = {key: value[0] for key, value in per_weight.items()}
    details = {**fixed, **per_weight}
    frozen = {key: readonly(np.array(value, dtype=np.float64)) for key, value in details.items()}
    return MethodResult(
        method=spec.id,
        normalization=chosen.get("normalization"),
        scores=readonly(np.array(scores, dtype=np.float64)),
        ranks=readonly(rank(scores, higher_is_better=spec.higher_is_better)),
        higher_is_better=spec.higher_is_better,
        details=MappingProxyType(frozen),
        weights=readonly(w.copy() if batched else w[0].copy()),
    )
