"""evidence rows name the model that moved the estimate

``evidence.model`` holds the served model's kind and fit date (e.g. ``logistic fitted
2026-12-02T09:00:00+00:00``), or the course prior's name. Rows written before this revision, and
teachers' overrides, have none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("evidence", sa.Column("model", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("model")
