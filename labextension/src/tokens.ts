/**
 * Wire types shared with the server (`jupyter_adaptive/routes.py`, event schema version 1).
 * Field names follow DESIGN.md exactly: they are sent and received as they are written here.
 */
import type * as nbformat from '@jupyterlab/nbformat';

/** How much the learner lets leave the browser, per course. */
export type ConsentLevel = 'off' | 'outcomes' | 'drafts';

export const CONSENT_LEVELS: readonly ConsentLevel[] = [
  'off',
  'outcomes',
  'drafts'
];

export type EventType = 'attempt' | 'draft' | 'hint' | 'consent' | 'appeal';

/** `skipped`: the answer is still blank (it raises NotImplementedError); no evidence. */
export type Outcome = 'correct' | 'incorrect' | 'error' | 'skipped';

/** One learning event, schema version 1. */
export interface AdaptiveEvent {
  event_id: string;
  schema_version: 1;
  type: EventType;
  client_time: string;
  course: string;
  unit?: string;
  item?: string;
  skills?: string[];
  attempt?: number;
  outcome?: Outcome;
  error?: { ename: string; evalue?: string };
  /** The check-in this attempt answers (exam mode: no feedback, hints or next exercise). */
  check?: string;
  /** The exception of the learner's answer cell(s) in the run the tests checked. */
  answer_error?: { ename: string; evalue?: string };
  duration_ms?: number;
  hints_used?: number;
  source?: string;
  level?: ConsentLevel;
  message?: string;
}

/** One evidence row: how an observation moved a skill's estimate, and why. */
export interface Evidence {
  skill: string;
  prior: number;
  posterior: number;
  reason: string;
  course?: string;
  event_id?: string;
  created_at?: string;
}

/** The server's targeted message for an attempt (a hint or a misconception). */
export interface Feedback {
  message?: string;
  kind?: string;
  [key: string]: unknown;
}

/** `GET /adaptive/api/next`: the recommended exercise and the cells to insert. */
export interface NextExercise {
  item: string | null;
  skills: string[];
  reason: string;
  cells: nbformat.ICell[];
}

/** `GET /adaptive/api/check`: the check-in's next item (or its end) and the ability so far. */
export interface CheckState {
  check: string;
  /** What the check covers as learners read it: the unit's title, else the course's. */
  title: string;
  item: string | null;
  cells: nbformat.ICell[];
  ability: { theta: number; se: number };
  done: boolean;
  reason: string;
  /** Once done: the answers right, and the level with its likely range, in words. */
  result?: {
    right: number;
    asked: number;
    level: number;
    low: number;
    high: number;
    summary: string;
  };
}

/** `GET /adaptive/api/note?course=C`: the course's AI-use and privacy note. */
export interface CourseNote {
  title: string;
  language: string;
  sections: { heading: string; paragraphs: string[] }[];
}

/** The answer to one event of a `POST /adaptive/api/events` batch. */
export interface EventResult {
  event_id: string;
  status: 'stored' | 'duplicate';
  mastery?: Record<string, number>;
  /** The names learners read for these skills (id -> name), when the course names them. */
  skill_names?: Record<string, string>;
  evidence?: Evidence[];
  feedback?: Feedback;
  /** The recommended exercise, named only: `GET next` brings its cells and reason on demand. */
  next?: Pick<NextExercise, 'item' | 'skills'>;
  /** The check-in an answer belongs to (exam mode: nothing else comes back). */
  check?: string;
}

export interface EventsResponse {
  results: EventResult[];
}

/** `GET /adaptive/api/consent?course=C`; `level` is null while the learner has not been asked. */
export interface ConsentState {
  course: string;
  level: ConsentLevel | null;
}

export interface SkillEstimate {
  course: string;
  skill: string;
  /** The skill's name, in the learner's language (the server's course names it). */
  name?: string;
  p_mastery: number;
  n_observations: number;
  updated_at: string;
  /** For a mastered skill, the day (YYYY-MM-DD) it comes back for spaced review; else null. */
  review_on?: string | null;
}

/** `GET /adaptive/api/mastery`: the current learner's estimates and latest evidence. */
export interface MasteryReport {
  mastery: SkillEstimate[];
  evidence: Evidence[];
}

/** `GET /adaptive/api/export`: everything stored about the learner, as the server lists it. */
export interface LearnerExport {
  learner: string;
  events: AdaptiveEvent[];
  [part: string]: unknown;
}

/** `DELETE /adaptive/api/data`: how many stored events went. */
export interface DeletedData {
  deleted_events: number;
}

/** `{"error", "details"}`, the body of every error answer of the API. */
export interface ApiErrorBody {
  error: string;
  details?: string[];
}
