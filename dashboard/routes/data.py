"""The script Streamlit runs for the "Data" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/data/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.data import render

render(context())
