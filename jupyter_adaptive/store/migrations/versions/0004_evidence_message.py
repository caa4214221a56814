"""evidence reasons kept as messages, to say them in each reader's language

``evidence.message`` holds the reason's English message id and its arguments
(:class:`jupyter_adaptive.translation.Message`); ``evidence.reason`` keeps the English sentence.
Rows written before this revision have no message and are shown as written.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("evidence", sa.Column("message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("message")
