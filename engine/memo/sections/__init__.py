"""The sections of the policy brief, one module each, and the technical annex (:mod:`.annex`).

:func:`engine.memo.compose.build_memo` makes one :class:`.context.Context` and calls them in order:
masthead and title, 核心观点, 一、形势研判, 二、对策建议, 三、把握程度, 落款 and 版记, then the annex.
"""
