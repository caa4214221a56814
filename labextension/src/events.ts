/**
 * Building learning events from notebook and cell metadata and from a run's outputs.
 *
 * Pure functions on nbformat data: no JupyterLab widgets here, so jest can specify them.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import { UUID } from '@lumino/coreutils';

import type { AdaptiveEvent, Outcome } from './tokens';

/** The part a code cell plays in a graded exercise. */
export type CellRole = 'answer' | 'tests';

/** What the metadata of a graded code cell says about it. */
export interface GradedCell {
  role: CellRole;
  item: string;
  skills: string[];
  hints: string[];
  /** The check-in whose item this cell is (`metadata.adaptive.check_id`), if any. */
  check?: string;
}

/** Where a notebook belongs, from its notebook-level `metadata.adaptive`. */
export interface NotebookPlace {
  course: string;
  unit?: string;
}

/** The longest error value sent with an attempt. */
export const MAX_EVALUE_CHARS = 200;

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The course and unit of a notebook, or null when it is not part of a course.
 *
 * `metadata.adaptive.course` names the course; the unit defaults to the notebook's file name
 * (nbgrader names a unit's notebook after the assignment).
 */
export function notebookPlace(
  metadata: Record<string, unknown>,
  path = ''
): NotebookPlace | null {
  const adaptive = asRecord(metadata.adaptive);
  const course = nonEmptyString(adaptive.course);
  if (!course) {
    return null;
  }
  const fileUnit = path
    .split('/')
    .pop()
    ?.replace(/\.ipynb$/, '');
  const unit = nonEmptyString(adaptive.unit) ?? nonEmptyString(fileUnit);
  return unit ? { course, unit } : { course };
}

/**
 * The role of a code cell in a graded exercise, or null for any other cell.
 *
 * Answers are nbgrader solution cells or injected cells with `role: "answer"`; tests are nbgrader
 * autograder-test cells (`grade` and `locked`) or cells with `metadata.adaptive.item` that are
 * not answers. The item id is `metadata.adaptive.item`, else nbgrader's `grade_id`.
 */
export function gradedCell(
  cellType: string,
  metadata: Record<string, unknown>
): GradedCell | null {
  if (cellType !== 'code') {
    return null;
  }
  const adaptive = asRecord(metadata.adaptive);
  const nbgrader = asRecord(metadata.nbgrader);
  const item =
    nonEmptyString(adaptive.item) ?? nonEmptyString(nbgrader.grade_id);
  if (!item) {
    return null;
  }
  const isAnswer = nbgrader.solution === true || adaptive.role === 'answer';
  const isTests =
    (nbgrader.grade === true && nbgrader.locked === true) ||
    (adaptive.item !== undefined && !isAnswer);
  if (!isAnswer && !isTests) {
    return null;
  }
  const check = nonEmptyString(adaptive.check_id);
  return {
    role: isAnswer ? 'answer' : 'tests',
    item,
    skills: asStrings(adaptive.skills),
    hints: asStrings(adaptive.hints),
    ...(check ? { check } : {})
  };
}

/** The outcome of running a test cell, read from its outputs. */
export interface RunOutcome {
  outcome: Outcome;
  error?: { ename: string; evalue: string };
}

/** `correct` when no error output, `incorrect` on AssertionError, `error` with its name otherwise. */
export function runOutcome(outputs: readonly nbformat.IOutput[]): RunOutcome {
  const failure = outputs.find(output => output.output_type === 'error') as
    nbformat.IError | undefined;
  if (!failure) {
    return { outcome: 'correct' };
  }
  const error = {
    ename: failure.ename || 'Error',
    evalue: shorten(failure.evalue ?? '', MAX_EVALUE_CHARS)
  };
  return {
    outcome: failure.ename === 'AssertionError' ? 'incorrect' : 'error',
    error
  };
}

/** The exception a released answer cell raises until the learner writes their answer. */
export const BLANK_ANSWER_ERROR = 'NotImplementedError';

/**
 * The first error among the learner's answer cells of an exercise, as their outputs show it, or
 * undefined when those that ran ran clean (cells never run say nothing).
 */
export function answerError(
  cells: readonly nbformat.ICodeCell[]
): RunOutcome['error'] {
  for (const cell of cells) {
    if (cell.execution_count !== null) {
      const { error } = runOutcome(cell.outputs ?? []);
      if (error) {
        return error;
      }
    }
  }
  return undefined;
}

/** Whether a run of the tests only shows that the answer is still blank. */
export function isBlankAnswer(
  run: RunOutcome,
  answer?: RunOutcome['error']
): boolean {
  return (
    answer?.ename === BLANK_ANSWER_ERROR ||
    run.error?.ename === BLANK_ANSWER_ERROR
  );
}

/** Cut `text` to `max` characters, marking the cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** Cut `text` to at most `maxBytes` bytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) {
    return text;
  }
  return new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.slice(0, maxBytes))
    .replace(/\uFFFD$/, '');
}

/** Fields every event has, with a fresh UUID and the time now. */
function envelope(
  type: AdaptiveEvent['type'],
  course: string,
  now: Date
): AdaptiveEvent {
  return {
    event_id: UUID.uuid4(),
    schema_version: 1,
    type,
    client_time: now.toISOString(),
    course
  };
}

/** What is known about one run of an exercise's tests. */
export interface AttemptFacts {
  place: NotebookPlace;
  cell: GradedCell;
  attempt: number;
  run: RunOutcome;
  /** The error of the learner's answer cell(s) in this run, if any. */
  answerError?: RunOutcome['error'];
  durationMs: number;
  hintsUsed: number;
  source: string;
  draftMaxBytes: number;
  now?: Date;
}

/**
 * An `attempt` event; `source` is the answer, which consent may strip later. A run that only
 * shows a blank answer is `skipped`.
 */
export function attemptEvent(facts: AttemptFacts): AdaptiveEvent {
  const event: AdaptiveEvent = {
    ...envelope('attempt', facts.place.course, facts.now ?? new Date()),
    ...(facts.place.unit ? { unit: facts.place.unit } : {}),
    item: facts.cell.item,
    skills: facts.cell.skills,
    attempt: facts.attempt,
    outcome: isBlankAnswer(facts.run, facts.answerError)
      ? 'skipped'
      : facts.run.outcome,
    duration_ms: Math.max(0, Math.round(facts.durationMs)),
    hints_used: facts.hintsUsed,
    source: truncateUtf8(facts.source, facts.draftMaxBytes)
  };
  if (facts.run.error) {
    event.error = facts.run.error;
  }
  if (facts.answerError) {
    event.answer_error = facts.answerError;
  }
  if (facts.cell.check) {
    event.check = facts.cell.check;
  }
  return event;
}

/** A `draft` event: an intermediate run of the answer cell. */
export function draftEvent(
  place: NotebookPlace,
  cell: GradedCell,
  source: string,
  draftMaxBytes: number,
  now = new Date()
): AdaptiveEvent {
  return {
    ...envelope('draft', place.course, now),
    ...(place.unit ? { unit: place.unit } : {}),
    item: cell.item,
    skills: cell.skills,
    source: truncateUtf8(source, draftMaxBytes)
  };
}

/** A `hint` event: the learner opened the `hintsUsed`-th hint of an item. */
export function hintEvent(
  place: NotebookPlace,
  cell: GradedCell,
  hintsUsed: number,
  now = new Date()
): AdaptiveEvent {
  return {
    ...envelope('hint', place.course, now),
    ...(place.unit ? { unit: place.unit } : {}),
    item: cell.item,
    skills: cell.skills,
    hints_used: hintsUsed
  };
}

/** A `consent` event: the learner's choice for a course. */
export function consentEvent(
  course: string,
  level: AdaptiveEvent['level'],
  now = new Date()
): AdaptiveEvent {
  return { ...envelope('consent', course, now), level };
}

/** An `appeal` event: the learner thinks an estimate of theirs is wrong. */
export function appealEvent(
  course: string,
  skill: string,
  message: string,
  now = new Date()
): AdaptiveEvent {
  return {
    ...envelope('appeal', course, now),
    skills: [skill],
    message: shorten(message, 2000)
  };
}
