"""The script Streamlit runs for the "About the data" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/about/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.about import render

render(context())
