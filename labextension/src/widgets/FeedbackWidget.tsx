/**
 * The feedback widget under a graded cell: outcome, the server's message, a mastery bar per
 * skill with its change, why it changed, hints, and the "Next exercise" action.
 */
import { ReactWidget } from '@jupyterlab/apputils';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { AdaptiveEvent, EventResult } from '../tokens';
import { Markdown } from './Markdown';
import { percent, SkillMeter } from './SkillMeter';

/** What the "Next exercise" action has done so far. */
export type NextState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'inserted'; item: string; reason: string }
  | { kind: 'none'; reason: string }
  | { kind: 'failed'; message: string };

export interface FeedbackActions {
  /** Open one more hint; resolves to the number of hints open. */
  hint(): Promise<number>;
  /** Insert the recommended exercise below the cell. */
  next(): Promise<NextState>;
  /** Open the learner's mastery panel. */
  openMastery(): void;
}

function MasteryBar(props: {
  trans: TranslationBundle;
  skill: string;
  name: string;
  before: number | undefined;
  after: number;
}): JSX.Element {
  const { trans, skill, name, before, after } = props;
  const change = before === undefined ? 0 : after - before;
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return (
    <li className="jp-adaptive-Mastery-skill" data-skill={skill}>
      <span className="jp-adaptive-Mastery-name">{name}</span>
      <SkillMeter trans={trans} name={name} p={after} />
      <span className="jp-adaptive-Mastery-value">
        {percent(after)}
        {before !== undefined && (
          <span
            className={`jp-adaptive-Mastery-change jp-mod-${change >= 0 ? 'up' : 'down'}`}
          >
            {' '}
            ({sign}
            {Math.abs(Math.round(change * 100))})
          </span>
        )}
      </span>
    </li>
  );
}

export class FeedbackWidget extends ReactWidget {
  /**
   * @param rendermime JupyterLab's renderers: hints, the server's message and reasons are
   * markdown, rendered sanitized (plain text without it).
   */
  constructor(
    private readonly trans: TranslationBundle,
    private readonly hints: string[],
    private readonly actions: FeedbackActions,
    hintsOpen: number,
    private readonly rendermime: IRenderMimeRegistry | null = null
  ) {
    super();
    this.addClass('jp-adaptive-Feedback');
    this.node.dataset.testid = 'adaptive-feedback';
    // A landmark the keyboard can be sent to ("Go to the feedback of this exercise").
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Feedback'));
    this.node.tabIndex = -1;
    this._hintsOpen = hintsOpen;
  }

  /** A new attempt on this cell, waiting for the server's answer. */
  setAttempt(event: AdaptiveEvent): void {
    this._event = event;
    this._result = null;
    this._refusal = null;
    this.node.dataset.outcome = event.outcome ?? '';
    this.update();
  }

  /** The server's answer for the attempt shown. */
  setResult(result: EventResult): void {
    if (result.event_id === this._event?.event_id) {
      this._result = result;
      this.update();
    }
  }

  /** The server refused the attempt shown for good (the outbox dropped it): say why. */
  setRefused(eventId: string, message: string): void {
    if (eventId === this._event?.event_id) {
      this._refusal = message;
      this.update();
    }
  }

  get eventId(): string | undefined {
    return this._event?.event_id;
  }

  render(): JSX.Element | null {
    const event = this._event;
    if (!event) {
      return null;
    }
    const { trans } = this;
    return (
      <div className={`jp-adaptive-Feedback-body jp-mod-${event.outcome}`}>
        {/* Announced as it changes (the server's answer replaces the waiting line). */}
        <div
          className="jp-adaptive-Feedback-announce"
          role="status"
          aria-live="polite"
          aria-atomic="true"
          data-testid="adaptive-announce"
        >
          <div
            className="jp-adaptive-Feedback-outcome"
            data-testid="adaptive-outcome"
          >
            {this._outcomeText(event)}
          </div>
          {this._result ? (
            this._result.feedback?.message && (
              <Markdown
                rendermime={this.rendermime}
                source={this._result.feedback.message}
                className="jp-adaptive-Feedback-message"
                testid="adaptive-message"
              />
            )
          ) : this._refusal ? (
            <div className="jp-adaptive-Feedback-refused">
              {trans.__('Not recorded: %1', this._refusal)}
            </div>
          ) : (
            <div className="jp-adaptive-Feedback-pending">
              {trans.__('Saved in this browser; waiting for the server.')}
            </div>
          )}
        </div>
        {this._result && this._renderResult(this._result)}
        {this._renderHints(event)}
        <div className="jp-adaptive-Feedback-actions">
          {/* aria-disabled, not disabled: the button keeps the keyboard focus while it works. */}
          <button
            className="jp-mod-styled jp-mod-accept"
            data-testid="adaptive-next"
            aria-disabled={this._next.kind === 'loading'}
            onClick={() => void this._onNext()}
          >
            {trans.__('Next exercise')}
          </button>
          <div className="jp-adaptive-Feedback-nextStatus" role="status">
            {this._renderNext()}
          </div>
        </div>
      </div>
    );
  }

  private _outcomeText(event: AdaptiveEvent): string {
    const { trans } = this;
    switch (event.outcome) {
      case 'correct':
        return trans.__(
          'Attempt %1: correct. All tests passed.',
          event.attempt ?? 1
        );
      case 'incorrect':
        return trans.__(
          'Attempt %1: incorrect. %2',
          event.attempt ?? 1,
          event.error?.evalue ?? ''
        );
      case 'skipped':
        return trans.__(
          'No answer yet: this run is not counted as an attempt.'
        );
      default:
        if (event.answer_error) {
          return trans.__(
            'Attempt %1: your answer stopped with %2: %3',
            event.attempt ?? 1,
            event.answer_error.ename,
            event.answer_error.evalue ?? ''
          );
        }
        return trans.__(
          'Attempt %1: the tests stopped with %2: %3',
          event.attempt ?? 1,
          event.error?.ename ?? '',
          event.error?.evalue ?? ''
        );
    }
  }

  private _renderResult(result: EventResult): JSX.Element {
    const { trans } = this;
    const skills = Object.entries(result.mastery ?? {});
    const evidence = result.evidence ?? [];
    return (
      <>
        {skills.length > 0 && (
          <ul className="jp-adaptive-Mastery">
            {skills.map(([skill, after]) => (
              <MasteryBar
                key={skill}
                trans={trans}
                skill={skill}
                name={result.skill_names?.[skill] ?? skill}
                after={after}
                before={evidence.find(e => e.skill === skill)?.prior}
              />
            ))}
          </ul>
        )}
        {evidence.length > 0 && (
          <details className="jp-adaptive-Feedback-why">
            <summary>{trans.__('Why?')}</summary>
            <ul>
              {evidence.map(e => (
                <li key={e.skill}>
                  <Markdown rendermime={this.rendermime} source={e.reason} />
                </li>
              ))}
            </ul>
            <button
              className="jp-adaptive-Feedback-link"
              onClick={() => this.actions.openMastery()}
            >
              {trans.__('All my skills and their evidence')}
            </button>
          </details>
        )}
      </>
    );
  }

  private _renderHints(event: AdaptiveEvent): JSX.Element | null {
    if (event.outcome === 'correct' && this._hintsOpen === 0) {
      return null;
    }
    const { trans } = this;
    const open = this.hints.slice(0, this._hintsOpen);
    return (
      <div className="jp-adaptive-Feedback-hints">
        {open.map((hint, i) => (
          <div
            key={i}
            className="jp-adaptive-Feedback-hint"
            data-testid="adaptive-hint"
            tabIndex={-1}
            ref={
              i === this._focusHint ? node => this._focusOn(node) : undefined
            }
          >
            <strong>{trans.__('Hint %1:', i + 1)}</strong>{' '}
            <Markdown rendermime={this.rendermime} source={hint} />
          </div>
        ))}
        {this._hintsOpen < this.hints.length && (
          <button className="jp-mod-styled" onClick={() => void this._onHint()}>
            {trans.__('Show a hint')}
          </button>
        )}
      </div>
    );
  }

  private _renderNext(): JSX.Element | null {
    const { trans } = this;
    const next = this._next;
    switch (next.kind) {
      case 'loading':
        return <span>{trans.__('Looking for your next exercise…')}</span>;
      case 'inserted':
        return (
          <div className="jp-adaptive-Feedback-reason">
            {trans.__('Inserted below: %1.', next.item)}
            <Markdown rendermime={this.rendermime} source={next.reason} />
          </div>
        );
      case 'none':
        return (
          <Markdown
            rendermime={this.rendermime}
            source={next.reason}
            className="jp-adaptive-Feedback-reason"
          />
        );
      case 'failed':
        return (
          <span className="jp-adaptive-Feedback-reason">
            {trans.__('No exercise could be fetched: %1', next.message)}
          </span>
        );
      default:
        return null;
    }
  }

  /** Open a hint and move the focus to it: read next, and the button may be gone. */
  private async _onHint(): Promise<void> {
    this._hintsOpen = await this.actions.hint();
    this._focusHint = this._hintsOpen - 1;
    this.update();
  }

  private _focusOn(node: HTMLElement | null): void {
    if (node) {
      this._focusHint = -1;
      node.focus();
    }
  }

  private async _onNext(): Promise<void> {
    if (this._next.kind === 'loading') {
      return;
    }
    this._next = { kind: 'loading' };
    this.update();
    this._next = await this.actions.next();
    this.update();
  }

  private _event: AdaptiveEvent | null = null;
  private _result: EventResult | null = null;
  private _refusal: string | null = null;
  private _hintsOpen: number;
  /** The hint to focus once rendered (-1: none). */
  private _focusHint = -1;
  private _next: NextState = { kind: 'idle' };
}
