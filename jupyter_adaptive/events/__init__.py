"""Learning events: the versioned JSON Schema and the validation of incoming batches."""

from .observations import OBSERVATION_TYPES, is_correct
from .validation import (
    EVENT_SCHEMA,
    EVENT_SCHEMA_ID,
    EVENT_SCHEMA_PATH,
    MAX_BATCH_EVENTS,
    parse_batch,
    validate_event,
)

__all__ = [
    "EVENT_SCHEMA",
    "EVENT_SCHEMA_ID",
    "EVENT_SCHEMA_PATH",
    "MAX_BATCH_EVENTS",
    "OBSERVATION_TYPES",
    "is_correct",
    "parse_batch",
    "validate_event",
]
