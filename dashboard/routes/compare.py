"""The script Streamlit runs for the "Compare roles" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/compare/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.compare import render

render(context())
