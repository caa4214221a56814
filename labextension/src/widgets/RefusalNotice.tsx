/**
 * The notice of events the server refused for good. The outbox has dropped them, so this is the
 * learner's only sign that they were not recorded: a warning with the server's sentence that
 * stays until dismissed, and its details (which events, each problem) a click away.
 */
import {
  Dialog,
  Notification,
  ReactWidget,
  showDialog
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyJSONValue } from '@lumino/coreutils';
import * as React from 'react';

import type { Refusal } from '../queue';
import type { AdaptiveEvent } from '../tokens';

function eventLabel(trans: TranslationBundle, event: AdaptiveEvent): string {
  return event.item
    ? trans.__('%1 on %2 (%3)', event.type, event.item, event.event_id)
    : trans.__('%1 (%2)', event.type, event.event_id);
}

/**
 * Shows the learner what was dropped and why. Refusals that follow each other with the same
 * status and sentence (the events of one batch, tried one by one) share one notice, whose count
 * and details grow while it is shown.
 */
export class RefusalNotice {
  constructor(private readonly trans: TranslationBundle) {}

  /** Announce `refusal`, in the notice shown last when it says the same. */
  add(refusal: Refusal): void {
    const last = this._last;
    if (
      last &&
      last.refusal.status === refusal.status &&
      last.refusal.message === refusal.message
    ) {
      const merged: Refusal = {
        ...refusal,
        events: [...last.refusal.events, ...refusal.events],
        details: [...last.refusal.details, ...refusal.details]
      };
      const { message, options } = this._notice(merged);
      if (
        Notification.update({
          id: last.id,
          type: 'warning',
          message,
          ...options
        })
      ) {
        this._last = { id: last.id, refusal: merged };
        return;
      }
    }
    const { message, options } = this._notice(refusal);
    this._last = { id: Notification.warning(message, options), refusal };
  }

  private _notice(refusal: Refusal): {
    message: string;
    options: Notification.IOptions<ReadonlyJSONValue>;
  } {
    const { trans } = this;
    return {
      message: trans._n(
        '%1 learning event was not recorded: %2',
        '%1 learning events were not recorded: %2',
        refusal.events.length,
        refusal.message
      ),
      options: {
        autoClose: false,
        actions: [
          {
            label: trans.__('Details'),
            callback: () => void showRefusal(trans, refusal)
          }
        ]
      }
    };
  }

  private _last: { id: string; refusal: Refusal } | null = null;
}

async function showRefusal(
  trans: TranslationBundle,
  refusal: Refusal
): Promise<void> {
  const body = ReactWidget.create(
    <div className="jp-adaptive-Refusal">
      <p>{refusal.message}</p>
      {refusal.details.length > 0 && (
        <ul>
          {refusal.details.map((detail, i) => (
            <li key={i}>{detail}</li>
          ))}
        </ul>
      )}
      <p>{trans.__('Not recorded:')}</p>
      <ul>
        {refusal.events.map(event => (
          <li key={event.event_id}>{eventLabel(trans, event)}</li>
        ))}
      </ul>
    </div>
  );
  body.node.dataset.testid = 'adaptive-refusal';
  await showDialog({
    title: trans.__('Learning events the server refused'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
