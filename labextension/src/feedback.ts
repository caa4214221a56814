/**
 * Feedback under graded cells: one widget per test cell, fed by the recorder (the attempt) and by
 * the outbox (the server's answer).
 */
import type { Cell } from '@jupyterlab/cells';
import type { Notebook } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { PanelLayout } from '@lumino/widgets';

import type { AdaptiveClient } from './client';
import { gradedCell } from './events';
import { translatedHints } from './language';
import { insertBelow } from './next';
import type { AttemptRecorder, QueuedAttempt } from './recorder';
import type { AdaptiveEvent, EventResult } from './tokens';
import { FeedbackWidget, NextState } from './widgets/FeedbackWidget';

export interface FeedbackOptions {
  recorder: AttemptRecorder;
  client: AdaptiveClient;
  trans: TranslationBundle;
  hintsOpen: (course: string, item: string) => number;
  openMastery: () => void;
  /** JupyterLab's language: hints come in it when the course translated them. */
  language: string;
}

export class FeedbackController {
  constructor(private readonly options: FeedbackOptions) {
    options.recorder.queued.connect((_, attempt) => this.show(attempt));
  }

  /**
   * Show a new attempt under its cell (creating the widget on the first one); an answer in a
   * check-in gets nothing (exam mode: the check-in shows its result at the end).
   */
  show(attempt: QueuedAttempt): void {
    if (attempt.event.check) {
      return;
    }
    const widget = this._widgetFor(attempt);
    widget.setAttempt(attempt.event);
    const early = this._early.get(attempt.event.event_id);
    if (early) {
      this._early.delete(attempt.event.event_id);
      widget.setResult(early);
    }
  }

  /** The server's answers for a batch: update the widgets that show these attempts. */
  deliver(results: readonly EventResult[]): void {
    for (const result of results) {
      const widget = [...this._widgets.values()].find(
        w => !w.isDisposed && w.eventId === result.event_id
      );
      if (widget) {
        widget.setResult(result);
      } else if (result.mastery || result.feedback) {
        // The answer can beat the `queued` signal when the outbox flushes at once.
        this._early.set(result.event_id, result);
      }
    }
  }

  /** Events the server refused for good: their widgets say why instead of waiting. */
  refuse(events: readonly AdaptiveEvent[], message: string): void {
    for (const event of events) {
      for (const widget of this._widgets.values()) {
        if (!widget.isDisposed) {
          widget.setRefused(event.event_id, message);
        }
      }
    }
  }

  /**
   * Move the keyboard focus to the feedback of the notebook's active cell, or of the nearest
   * cell above it that has feedback (from a notebook, Tab alone cannot reach into a cell);
   * false when there is none.
   */
  focus(notebook: Notebook): boolean {
    for (let index = notebook.activeCellIndex; index >= 0; index--) {
      const widget = this._widgets.get(notebook.widgets[index]);
      if (widget && !widget.isDisposed) {
        widget.node.focus();
        return true;
      }
    }
    return false;
  }

  private _widgetFor(attempt: QueuedAttempt): FeedbackWidget {
    const { cell, place, graded } = attempt;
    const existing = this._widgets.get(cell);
    if (existing && !existing.isDisposed) {
      return existing;
    }
    const { trans, client, recorder, hintsOpen, openMastery } = this.options;
    const widget = new FeedbackWidget(
      trans,
      itemHints(attempt.panel.content, graded.item, this.options.language),
      {
        hint: () => recorder.useHint(place, graded),
        next: async (): Promise<NextState> => {
          try {
            const next = await client.next(place.course, place.unit);
            if (!next.item || next.cells.length === 0) {
              return { kind: 'none', reason: next.reason };
            }
            const notebook = attempt.panel.content;
            insertBelow(
              notebook,
              lastCellOfItem(notebook, cell, graded.item),
              next.cells
            );
            return { kind: 'inserted', item: next.item, reason: next.reason };
          } catch (error) {
            return { kind: 'failed', message: (error as Error).message };
          }
        },
        openMastery
      },
      hintsOpen(place.course, graded.item),
      attempt.panel.content.rendermime
    );
    (cell.layout as PanelLayout).addWidget(widget);
    this._widgets.set(cell, widget);
    cell.disposed.connect(() => this._widgets.delete(cell));
    return widget;
  }

  private readonly _widgets = new Map<Cell, FeedbackWidget>();
  private readonly _early = new Map<string, EventResult>();
}

/**
 * The hints of an item, from any of its cells' `metadata.adaptive.hints`, in the learner's
 * language when the course translated them.
 */
function itemHints(
  notebook: Notebook,
  item: string,
  language: string
): string[] {
  for (const cell of notebook.widgets) {
    const info = gradedCell(cell.model.type, cell.model.metadata);
    if (info?.item === item && info.hints.length > 0) {
      return translatedHints(cell.model.metadata, language) ?? info.hints;
    }
  }
  return [];
}

/** The index of the last consecutive cell of `item` from `cell` on (tests may span cells). */
function lastCellOfItem(notebook: Notebook, cell: Cell, item: string): number {
  const cells = notebook.widgets;
  let index = cells.indexOf(cell);
  while (index + 1 < cells.length) {
    const info = gradedCell(
      cells[index + 1].model.type,
      cells[index + 1].model.metadata
    );
    if (info?.item !== item) {
      break;
    }
    index += 1;
  }
  return index;
}
