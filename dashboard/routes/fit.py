"""The script Streamlit runs for the "Where do you fit?" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/fit/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.fit import render

render(context())
