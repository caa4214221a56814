"""The event store: SQLAlchemy models, migrations and the queries the rest of the package uses.

Nothing here knows about HTTP or tornado.
"""

from .database import create_store_engine, downgrade, upgrade
from .repository import CONSENT_LEVELS, EVENT_COLUMNS, Store

__all__ = [
    "CONSENT_LEVELS",
    "EVENT_COLUMNS",
    "Store",
    "create_store_engine",
    "downgrade",
    "upgrade",
]
