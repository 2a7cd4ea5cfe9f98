"""Statistics and policy: pure functions over DataFrames and numbers; no Streamlit, no queries.

``honesty`` (when a number has enough data behind it to be shown, and why not), ``premium`` (raw
and seniority-adjusted skill pay premiums with bootstrap intervals), ``fit`` (coverage of a role
by a person's skills), ``headlines`` (the Overview's one-line sentences), ``ai_share`` (the AI-job
definition and the monthly AI-share series), ``format`` (human number formats, shared by the
sentences here and the charts and tables of dashboard/ui).
"""
