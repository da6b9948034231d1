"""The dashboards' view models (cards, YoY, targets, sources), their charts (Vega-Lite specs drawn
on the pages; plotly figures for PNG downloads and the deck) and pydeck maps. Imports lib.core and
lib.store."""
