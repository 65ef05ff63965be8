"""The documented import path of objective weighting; the code lives in :mod:`engine.mcda.weighting`."""

from engine.mcda.weighting import critic, entropy

__all__ = ["critic", "entropy"]
