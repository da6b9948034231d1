"""Union KPI Board library: store, queries, import, charts, maps, exports (no streamlit except ui.py)."""
