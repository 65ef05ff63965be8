"""The Streamlit app: widgets and charts over :mod:`engine`; no maths here.

Run it with ``policyrank app`` (or ``python -m streamlit run ui/app.py``). ``app.py`` only sets
the page up and lists the pages registered in :mod:`ui.views`; every page starts with :func:`ui.page.start`.
"""
