"""The script Streamlit runs for the "Demand" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/demand/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.demand import render

render(context())
