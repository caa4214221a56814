"""Learning events: the versioned JSON Schema and the validation of incoming batches."""

from .observations import (
    BLANK_ANSWER_ERROR,
    OBSERVATION_TYPES,
    is_correct,
    is_observation,
    with_outcome,
)
from .validation import (
    EVENT_SCHEMA,
    EVENT_SCHEMA_ID,
    EVENT_SCHEMA_PATH,
    MAX_BATCH_EVENTS,
    parse_batch,
    validate_event,
)

__all__ = [
    "BLANK_ANSWER_ERROR",
    "EVENT_SCHEMA",
    "EVENT_SCHEMA_ID",
    "EVENT_SCHEMA_PATH",
    "MAX_BATCH_EVENTS",
    "OBSERVATION_TYPES",
    "is_correct",
    "is_observation",
    "parse_batch",
    "validate_event",
    "with_outcome",
]
