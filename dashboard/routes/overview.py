"""The script Streamlit runs for the "Overview" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/overview/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.overview import render

render(context())
