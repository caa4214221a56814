"""lms: course rosters (pseudonyms and subgroups), LMS gradebook line items, scores posted

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster",
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("subgroups", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("course", "learner_id"),
    )
    op.create_table(
        "lms_line_items",
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("resource_id", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("score_maximum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("course", "resource_id"),
    )
    op.create_table(
        "lms_scores",
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("resource_id", sa.String(length=200), nullable=False),
        sa.Column("score_given", sa.Float(), nullable=False),
        sa.Column("score_maximum", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("learner_id", "course", "resource_id"),
    )


def downgrade() -> None:
    op.drop_table("lms_scores")
    op.drop_table("lms_line_items")
    op.drop_table("roster")
