"""The pages: one package per page (``views/<page>/``).

A page package's ``__init__`` exposes ``render(ctx)``, which draws the page from top to bottom by
calling its sections; a section that grows, or that someone adds, lives in its own module inside
the package (e.g. views/demand/ai_share.py). dashboard/routes/<page>.py is the script Streamlit
runs for the page (listed in dashboard/app.py). Pages ask dashboard.queries for data,
dashboard.stats for policy and derived numbers, and dashboard.ui for widgets, formats and charts;
they build no SQL.
"""
