"""Memo: a preview of the ranked policy memo (决策参考) and a download per format."""

from __future__ import annotations

import streamlit as st

from engine.memo import FORMATS, MIME_TYPES, filename, render
from engine.model import LANGS
from ui import memos, page, state
from ui.i18n import LANGUAGE_NAMES, lang, t

PREVIEW_HEIGHT = 640

analysis = page.start("memo")
if state.W_MEMO_LANG not in st.session_state:
    state.mirror(state.W_MEMO_LANG, lang())
memo_lang = st.radio(
    t("memo.language"),
    LANGS,
    format_func=LANGUAGE_NAMES.__getitem__,
    key=state.W_MEMO_LANG,
    horizontal=True,
)
memo = memos.memo(analysis, memo_lang)
st.caption(t("memo.help"))

columns = st.columns(len(FORMATS))
for column, fmt in zip(columns, FORMATS, strict=True):
    column.download_button(
        t(f"memo.download.{fmt}"),
        data=memos.renderer(analysis, memo, fmt),
        file_name=filename(memo, fmt),
        mime=MIME_TYPES[fmt],
        key=state.memo_key(fmt),
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )

st.subheader(t("memo.preview"))
with st.container(height=PREVIEW_HEIGHT, border=True):
    # the Markdown renderer escapes every text that came from the input files
    st.markdown(render(memo, "md").decode("utf-8"))
