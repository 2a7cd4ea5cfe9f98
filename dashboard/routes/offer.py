"""The script Streamlit runs for the "Is this offer good?" page (dashboard/app.py's PAGES).

The page itself is dashboard/views/offer/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.offer import render

render(context())
