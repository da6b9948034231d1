"""The dashboards' view models (cards, YoY, targets, sources), plotly charts and pydeck maps.
Imports lib.core and lib.store."""
