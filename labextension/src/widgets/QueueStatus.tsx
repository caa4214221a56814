/**
 * The status bar item: how many events wait in the outbox (shown only when some do).
 */
import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

export class QueueStatus extends ReactWidget {
  constructor(private readonly trans: TranslationBundle) {
    super();
    this.addClass('jp-adaptive-QueueStatus');
    this.node.dataset.testid = 'adaptive-queue';
    // A live region that stays in the page: the count is announced as it changes.
    this.node.setAttribute('role', 'status');
  }

  /** Show `count` waiting events; `offline` when the last try did not reach the server. */
  setCount(count: number, offline: boolean): void {
    this._count = count;
    this._offline = offline;
    this.update();
  }

  render(): JSX.Element | null {
    if (this._count === 0) {
      return null;
    }
    const text = this.trans._n(
      '%1 learning event waiting',
      '%1 learning events waiting',
      this._count
    );
    return (
      <span
        title={
          this._offline
            ? this.trans.__(
                'The server cannot be reached; events are kept and sent later.'
              )
            : this.trans.__('Sending learning events to the server.')
        }
      >
        {text}
      </span>
    );
  }

  private _count = 0;
  private _offline = false;
}
