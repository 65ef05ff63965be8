"""``python -m ui.server [streamlit flags]``: ``streamlit run ui/app.py`` with the preload started first.

``policyrank app`` starts the server this way (see :mod:`ui.preload` for what is preloaded and
why); ``streamlit run ui/app.py`` still works, without the preload.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def main(flags: list[str] | None = None) -> None:
    from ui import preload

    preload.start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if flags is None else flags)]
    cli.main()  # Streamlit's own command line; it exits when the server stops


if __name__ == "__main__":
    main()
