"""Citation fields of a source as the article prints them: the newspaper's name and the edition
(版面 / 栏目, e.g. 今日大兴); both empty when the source does not give them (never invented).

Revision ID: 0006_source_citation
Revises: 0005_deck_texts
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_source_citation"
down_revision = "0005_deck_texts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add source.newspaper and source.edition (empty by default)."""
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("newspaper", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("edition", sa.String(100), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the citation fields."""
    with op.batch_alter_table("source") as batch:
        batch.drop_column("edition")
        batch.drop_column("newspaper")
