"""event ids unique per learner, not across the store

An event id is unique among one learner's events only: a learner who sends the id of another
learner's event stores their own event and learns nothing of the other's.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 06:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Names SQLite's unnamed constraint of revision 0001 gets while its table is rebuilt.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _drop_global_unique() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("events", naming_convention=_NAMING) as batch:
            batch.drop_constraint("uq_events_event_id", type_="unique")
    else:
        op.drop_constraint("events_event_id_key", "events", type_="unique")


def upgrade() -> None:
    _drop_global_unique()
    op.create_index("ux_events_learner_event", "events", ["learner_id", "event_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_events_learner_event", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.create_unique_constraint("events_event_id_key", ["event_id"])
