"""Page layouts that stay readable from a 900-pixel window with the sidebar open to a wide screen."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def beside(first_width: int, *, gap: str = "large") -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two containers side by side where they fit, the second below the first where they do not.

    ``st.columns`` stack only when the whole window is narrower than 640 pixels, so at 900
    pixels with the sidebar open two columns share about 440 pixels and tables and charts in
    them lose their labels. Here the first container keeps `first_width` pixels (or the whole
    width, if less) and the second takes the rest of the row; a horizontal container wraps the
    second onto its own full-width row once less than about 200 pixels would be left for it.
    """
    row = st.container(horizontal=True, gap=gap)  # type: ignore[arg-type]
    with row:
        first = st.container(width=first_width)
        second = st.container()
    return first, second


def row_of(count: int, width: int) -> list[DeltaGenerator]:
    """`count` containers of `width` pixels in a row that wraps when the window is too narrow.

    For a row of choices (select boxes and the like): in three equal columns of a 440-pixel main
    area their labels and values were cut to a few characters.
    """
    row = st.container(horizontal=True)
    with row:
        return [st.container(width=width) for _ in range(count)]
