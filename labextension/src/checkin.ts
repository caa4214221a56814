/**
 * Check-ins: a cell tagged `metadata.adaptive.check = "<unit>"` (or `"course"`) gets a widget that
 * runs the server's adaptive check. Each question's cells go below the tagged cell, marked
 * `metadata.adaptive.check_id`; the learner's run of them is an ordinary attempt carrying `check`,
 * and once the server has it the next question (or the result) is fetched.
 */
import type { Cell } from '@jupyterlab/cells';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { PanelLayout } from '@lumino/widgets';

import type { AdaptiveClient } from './client';
import type { ConsentGate } from './consent';
import { checkCells, checkScope } from './checkcells';
import { gradedCell, notebookPlace } from './events';
import { insertBelow } from './next';
import type { AttemptRecorder } from './recorder';
import type { CheckState, EventResult } from './tokens';
import { CheckInWidget } from './widgets/CheckInWidget';

interface Running {
  panel: NotebookPanel;
  anchor: Cell;
  widget: CheckInWidget;
  course: string;
  unit?: string;
  state?: CheckState;
  asked: number;
}

export interface CheckInOptions {
  tracker: INotebookTracker;
  consent: ConsentGate;
  recorder: AttemptRecorder;
  client: AdaptiveClient;
  trans: TranslationBundle;
}

export class CheckInController {
  constructor(private readonly options: CheckInOptions) {
    options.tracker.widgetAdded.connect((_, panel) => this._watch(panel));
    options.tracker.forEach(panel => this._watch(panel));
    options.recorder.queued.connect((_, attempt) => {
      const run = [...this._runs.values()].find(
        r => r.state && attempt.event.check === r.state.check
      );
      if (run?.state && run.state.item === attempt.event.item) {
        run.widget.view = {
          kind: 'question',
          state: run.state,
          number: run.asked,
          saved: true
        };
      }
    });
  }

  /**
   * The server's answers for a batch: a check with an answer among them goes on. Results name
   * their check, so an answer the outbox delivered before `queued` was emitted is not missed.
   */
  deliver(results: readonly EventResult[]): void {
    for (const run of this._runs.values()) {
      const check = run.state?.check;
      if (check && results.some(result => result.check === check)) {
        void this._advance(run);
      }
    }
  }

  private _watch(panel: NotebookPanel): void {
    void panel.context.ready.then(() => {
      this._attach(panel);
      panel.content.model?.cells.changed.connect(() => this._attach(panel));
    });
  }

  /** Give every tagged cell of the notebook its widget (once). */
  private _attach(panel: NotebookPanel): void {
    const model = panel.content.model;
    const place = model && notebookPlace(model.metadata, panel.context.path);
    if (!place) {
      return;
    }
    for (const cell of panel.content.widgets) {
      const scope = checkScope(cell.model.metadata);
      if (!scope || this._runs.has(cell)) {
        continue;
      }
      const unit =
        scope === 'course' || scope === place.course ? undefined : scope;
      const { trans } = this.options;
      const run: Running = {
        panel,
        anchor: cell,
        course: place.course,
        unit,
        asked: 0,
        widget: new CheckInWidget(
          trans,
          unit === undefined
            ? trans.__('the whole course')
            : unit === place.unit
              ? trans.__('this unit')
              : unit,
          () => void this._advance(run)
        )
      };
      (cell.layout as PanelLayout).addWidget(run.widget);
      this._runs.set(cell, run);
      cell.disposed.connect(() => this._runs.delete(cell));
    }
  }

  /** Ask the server where the check stands; put its question into the notebook. */
  private async _advance(run: Running): Promise<void> {
    run.widget.view = { kind: 'loading' };
    let state: CheckState;
    try {
      // A check records its answers: the learner chooses what may be recorded first.
      if ((await this.options.consent.levelFor(run.course)) === 'off') {
        run.widget.view = { kind: 'refused' };
        return;
      }
      state = await this.options.client.check(run.course, run.unit);
    } catch (error) {
      run.widget.view = { kind: 'failed', message: (error as Error).message };
      return;
    }
    run.state = state;
    run.widget.scope = state.title;
    if (state.done || !state.item) {
      run.widget.view = { kind: 'done', state };
      return;
    }
    if (!this._shown(run, state)) {
      run.asked += 1;
      insertBelow(
        run.panel.content,
        this._lastCheckCell(run),
        checkCells(state.cells, state.check)
      );
    }
    run.widget.view = {
      kind: 'question',
      state,
      number: Math.max(run.asked, 1),
      saved: false
    };
  }

  /** Whether the notebook already holds this question of this check (a reload, a re-ask). */
  private _shown(run: Running, state: CheckState): boolean {
    return run.panel.content.widgets.some(cell => {
      const info = gradedCell(cell.model.type, cell.model.metadata);
      return info?.check === state.check && info.item === state.item;
    });
  }

  /** The index below which the next question goes: after the check's last cell so far. */
  private _lastCheckCell(run: Running): number {
    const cells = run.panel.content.widgets;
    let last = cells.indexOf(run.anchor);
    cells.forEach((cell, index) => {
      const adaptive = cell.model.metadata.adaptive as
        Record<string, unknown> | undefined;
      if (run.state && adaptive?.check_id === run.state.check) {
        last = Math.max(last, index);
      }
    });
    return last;
  }

  private readonly _runs = new Map<Cell, Running>();
}
