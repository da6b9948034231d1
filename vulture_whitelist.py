"""Names vulture (`make lint`: dead code in lib/, pages/, app.py, serve.py and bench/) counts as
unused but that something outside our code reads: a library's property we set, a hook a framework
calls, a column the database holds. Each line names one, with who uses it. Not imported by
anything; vulture reads it as if it were code."""

# Alembic reads these of every revision module (lib/store/migrations/versions/).
down_revision  # the revision this one follows
branch_labels  # Alembic revision attribute
depends_on  # Alembic revision attribute
downgrade  # run by `alembic downgrade`

# SQLAlchemy calls the validator; the columns are read and written through the ORM and SQL.
_._registered_action  # @validates("action") on lib.store.models.AuditLog
definition_en  # lib.store.models.Indicator column (catalogue import and export)
display_name  # lib.store.models.User column

# streamlit's pydeck_chart calls Deck.to_json: lib.dash.maps.FrozenDeck overrides it.
_.to_json

# plotly / kaleido: switching MathJax off before rendering a chart to PNG (lib.deck.pack).
_.mathjax

# python-pptx properties the deck writers set (lib/deck/pptx_*.py).
_._blob  # the picture part's bytes, replaced in place (pptx_base)
_.alignment
_.auto_size
_.word_wrap
_.space_after
_.margin_left
_.margin_right
_.margin_top
_.margin_bottom
_.has_legend
_.has_title
_.has_major_gridlines
_.include_in_layout
_.position
_.reverse_order
_.maximum_scale
_.minimum_scale
_.tick_label_position
_.major_tick_mark
_.gap_width
_.overlap
_.invert_if_negative
_.slide_width
_.slide_height

# openpyxl / xlwt properties the workbook writers set (lib.ingest.report_template, lib.store.export).
_.border
_.data_type
_.freeze_panes
_.orientation
_.fitToHeight
_.fitToWidth
_.fitToPage
_.height_mismatch
_.portrait
_.fit_height_to_pages
_.fit_width_to_pages

# Called from the tests only, on purpose: one crowd against one running server (the load bench's
# smoke test, tests/test_bench_load.py), and forgetting a store's served data version between
# tests that share a process (tests/test_warm_after_commit.py).
measure  # bench.load.measure
stop_serving  # lib.ui.cache.stop_serving
