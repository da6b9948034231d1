"""A covering index for the station map's counts (lib/store/map_queries.py).

The map counts current stations per org and type, and per grid cell, type and town, filtered by
type, org, town and opening year; with every column it reads in one index the database answers
those GROUP BY queries from the index alone instead of reading 150,000 station rows into each app
server (bench/README.md).

Revision ID: 0004_station_map
Revises: 0003_sessions
"""

from alembic import op

revision = "0004_station_map"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None

COLUMNS = ["is_current", "org_id", "type", "town", "opened_year", "lat", "lon"]


def upgrade() -> None:
    """Create the map's covering index."""
    op.create_index("ix_station_map", "station", COLUMNS)


def downgrade() -> None:
    """Drop the map's covering index."""
    op.drop_index("ix_station_map", table_name="station")
