"""The presenter's deck plan of a meeting snapshot: the three text sections (存在的问题和不足,
下一步工作打算, 提请协调解决的事项) in zh and en, the slide order and the hidden slides, as JSON
beside the frozen figures ("{}" for snapshots frozen before).

Revision ID: 0005_deck_texts
Revises: 0004_station_map
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_deck_texts"
down_revision = "0004_station_map"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add snapshot.deck."""
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deck", sa.Text(), nullable=False, server_default="{}"))


def downgrade() -> None:
    """Drop snapshot.deck."""
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_column("deck")
