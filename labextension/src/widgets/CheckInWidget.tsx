/**
 * The check-in widget under a cell tagged `metadata.adaptive.check`: a short adaptive check of a
 * unit (or of the course). No feedback while it runs; its result, with its uncertainty, at the end.
 */
import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CheckState } from '../tokens';

/** Where a check-in stands, as the widget shows it. */
export type CheckInView =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'question'; state: CheckState; number: number; saved: boolean }
  | { kind: 'done'; state: CheckState }
  | { kind: 'failed'; message: string }
  | { kind: 'refused' };

export class CheckInWidget extends ReactWidget {
  constructor(
    private readonly trans: TranslationBundle,
    private _scope: string,
    private readonly start: () => void
  ) {
    super();
    this.addClass('jp-adaptive-CheckIn');
    this.node.dataset.testid = 'adaptive-checkin';
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Check-in'));
  }

  /** What the check covers, as the title says it. */
  set scope(scope: string) {
    this._scope = scope;
    this.update();
  }

  get view(): CheckInView {
    return this._view;
  }

  set view(view: CheckInView) {
    this._view = view;
    this.node.dataset.state = view.kind;
    this.update();
  }

  render(): JSX.Element {
    const { trans } = this;
    const view = this._view;
    return (
      <div className="jp-adaptive-CheckIn-body">
        <div className="jp-adaptive-CheckIn-title">
          {trans.__('Check-in: %1', this._scope)}
        </div>
        <div className="jp-adaptive-CheckIn-status" role="status">
          {this._status(view)}
        </div>
        {(view.kind === 'idle' ||
          view.kind === 'failed' ||
          view.kind === 'refused') && (
          <button
            className="jp-mod-styled jp-mod-accept"
            data-testid="adaptive-checkin-start"
            onClick={() => this.start()}
          >
            {trans.__('Start the check-in')}
          </button>
        )}
      </div>
    );
  }

  private _status(view: CheckInView): string {
    const { trans } = this;
    switch (view.kind) {
      case 'idle':
        return trans.__(
          'A few questions chosen for you, one at a time. You see no feedback until the end; then you see where you stand and how sure that estimate is.'
        );
      case 'loading':
        return trans.__('Choosing a question…');
      case 'question':
        return view.saved
          ? trans.__(
              'Answer %1 saved. Waiting for the next question…',
              view.number
            )
          : trans.__(
              'Question %1 is below: write your answer, then run its check cell.',
              view.number
            );
      case 'done':
        return [view.state.result?.summary, view.state.reason]
          .filter(Boolean)
          .join(' ');
      case 'failed':
        return trans.__('The check-in could not go on: %1', view.message);
      case 'refused':
        return trans.__(
          'A check-in records your answers, and you chose to record nothing in this course. To take it, change your choice with “Change adaptive learning consent” in the command palette.'
        );
    }
  }

  private _view: CheckInView = { kind: 'idle' };
}
