/**
 * Consent gating: what of an event may leave the browser at the learner's level for its course.
 *
 * `off` sends nothing at all, `outcomes` sends attempts without their source, `drafts` sends
 * everything. The learner's choice itself always reaches the server (as a `consent` event when
 * it is made offline), so that the server stores nothing against it.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { AdaptiveEvent, ConsentLevel } from './tokens';

/**
 * The event as it may be sent at `level`, or null when it must stay in the browser.
 *
 * Consent events always pass; draft events are all source, so they need `drafts`.
 */
export function gate(
  event: AdaptiveEvent,
  level: ConsentLevel
): AdaptiveEvent | null {
  if (event.type === 'consent') {
    return event;
  }
  if (level === 'off') {
    return null;
  }
  if (level === 'drafts') {
    return event;
  }
  if (event.type === 'draft') {
    return null;
  }
  const kept = { ...event };
  delete kept.source;
  // An error's message can quote the learner's code or data: only its name leaves at `outcomes`.
  if (kept.error) {
    kept.error = { ename: kept.error.ename };
  }
  if (kept.answer_error) {
    kept.answer_error = { ename: kept.answer_error.ename };
  }
  return kept;
}

/** Where the gate learns and keeps levels: the server, the learner, and a local memory. */
export interface ConsentSources {
  /** The level the server holds for the course; null when never given; throws when unreachable. */
  fetch(course: string): Promise<ConsentLevel | null>;
  /** Ask the learner (the consent dialog); null when they dismiss it without choosing. */
  ask(course: string): Promise<ConsentLevel | null>;
  /** Persist a choice: at the server (or, offline, as a queued consent event) and locally. */
  record(course: string, level: ConsentLevel): Promise<void>;
  /** Levels remembered in this browser (settings), read synchronously. */
  remembered(): Record<string, ConsentLevel>;
  /** Stop remembering the levels of `courses` in this browser, or (null) of every course. */
  forget(courses: readonly string[] | null): Promise<void>;
}

/**
 * The consent level of each course, asked once per course.
 *
 * Order of knowledge: this browser's memory, then the server, then the learner. While the
 * learner has not chosen, the level is `off`: nothing is sent. A choice reaches the server (or
 * the outbox) before any event that it allows is queued, so the server never sees such an event
 * ahead of the choice.
 */
export class ConsentGate {
  constructor(private readonly sources: ConsentSources) {}

  /** Emits the course whose level changed. */
  get changed(): ISignal<this, string> {
    return this._changed;
  }

  /** The level known now without asking anybody, or null. */
  known(course: string): ConsentLevel | null {
    return (
      this._levels.get(course) ?? this.sources.remembered()[course] ?? null
    );
  }

  /** The level this page has chosen or adopted for `course` (settings not consulted). */
  held(course: string): ConsentLevel | null {
    return this._levels.get(course) ?? null;
  }

  /** The level for `course`, asking the server and then the learner the first time. */
  async levelFor(course: string): Promise<ConsentLevel> {
    await this._recording.get(course);
    const known = this.known(course);
    if (known) {
      return known;
    }
    let pending = this._pending.get(course);
    if (!pending) {
      pending = this._resolve(course).finally(() =>
        this._pending.delete(course)
      );
      this._pending.set(course, pending);
    }
    return pending;
  }

  /** Set the level (command palette, settings editor, dialog); records a consent event. */
  async set(course: string, level: ConsentLevel): Promise<void> {
    this._levels.set(course, level);
    const recording = this.sources.record(course, level);
    const settled = recording.catch(() => undefined);
    this._recording.set(course, settled);
    try {
      await recording;
    } finally {
      if (this._recording.get(course) === settled) {
        this._recording.delete(course);
      }
    }
    this._changed.emit(course);
  }

  /**
   * Forget the level of `course`, or of every course, here and in this browser's memory (the
   * learner deleted their data, or the server holds no consent): the next event of a forgotten
   * course asks the server, then the learner, again.
   */
  async forget(course?: string): Promise<void> {
    const courses = course === undefined ? [...this._levels.keys()] : [course];
    courses.forEach(c => this._levels.delete(c));
    await this.sources.forget(course === undefined ? null : [course]);
    courses.forEach(c => this._changed.emit(c));
  }

  /** Take the level the settings hold without recording it again. */
  adopt(course: string, level: ConsentLevel): void {
    if (this._levels.get(course) !== level) {
      this._levels.set(course, level);
      this._changed.emit(course);
    }
  }

  private async _resolve(course: string): Promise<ConsentLevel> {
    let level: ConsentLevel | null = null;
    try {
      level = await this.sources.fetch(course);
    } catch {
      level = null;
    }
    if (level) {
      this.adopt(course, level);
      return level;
    }
    const chosen = await this.sources.ask(course);
    if (!chosen) {
      return 'off';
    }
    await this.set(course, chosen);
    return chosen;
  }

  private readonly _levels = new Map<string, ConsentLevel>();
  private readonly _pending = new Map<string, Promise<ConsentLevel>>();
  private readonly _recording = new Map<string, Promise<void>>();
  private readonly _changed = new Signal<this, string>(this);
}
