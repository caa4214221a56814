/**
 * Recording: turns runs of graded cells into events and queues them, consent permitting.
 *
 * Only graded cells (nbgrader autograder tests, answer cells, cells with `metadata.adaptive`)
 * produce anything; every other run costs no request.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import type { Cell } from '@jupyterlab/cells';
import {
  INotebookTracker,
  Notebook,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ConsentGate, gate } from './consent';
import {
  answerError,
  attemptEvent,
  draftEvent,
  GradedCell,
  gradedCell,
  hintEvent,
  isBlankAnswer,
  NotebookPlace,
  notebookPlace,
  runOutcome
} from './events';
import { ItemProgress } from './progress';
import { Outbox } from './queue';
import type { AdaptiveEvent } from './tokens';

/** An attempt that was queued, with where it came from. */
export interface QueuedAttempt {
  event: AdaptiveEvent;
  cell: Cell;
  panel: NotebookPanel;
  place: NotebookPlace;
  graded: GradedCell;
}

export interface RecorderOptions {
  tracker: INotebookTracker;
  consent: ConsentGate;
  outbox: Outbox;
  progress: ItemProgress;
  /** Read at each use: the settings may change. */
  limits: () => { draftMaxBytes: number; draftDelayMs: number };
}

export class AttemptRecorder implements IDisposable {
  constructor(private readonly options: RecorderOptions) {
    NotebookActions.executed.connect(this._onExecuted, this);
    options.tracker.activeCellChanged.connect(this._onActiveCell, this);
  }

  /** Emitted once an attempt is in the outbox (not yet at the server). */
  get queued(): ISignal<this, QueuedAttempt> {
    return this._queued;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._drafts.forEach(timer => clearTimeout(timer));
    Signal.clearData(this);
    NotebookActions.executed.disconnect(this._onExecuted, this);
    this.options.tracker.activeCellChanged.disconnect(this._onActiveCell, this);
  }

  /** Record that the learner opened one more hint of an item; returns hints used. */
  async useHint(place: NotebookPlace, graded: GradedCell): Promise<number> {
    const used = this.options.progress.useHint(place.course, graded.item);
    await this.send(place.course, hintEvent(place, graded, used));
    return used;
  }

  /** Queue `event` as consent for its course allows; false when nothing was queued. */
  async send(course: string, event: AdaptiveEvent): Promise<boolean> {
    const level = await this.options.consent.levelFor(course);
    const allowed = gate(event, level);
    if (!allowed) {
      return false;
    }
    await this.options.outbox.enqueue([allowed]);
    return true;
  }

  private _onExecuted(
    _: unknown,
    args: { notebook: Notebook; cell: Cell; success: boolean }
  ): void {
    void this._record(args.notebook, args.cell, args.success).catch(error =>
      console.error('jupyter-adaptive: could not record a run', error)
    );
  }

  private async _record(
    notebook: Notebook,
    cell: Cell,
    success: boolean
  ): Promise<void> {
    const graded = gradedCell(cell.model.type, cell.model.metadata);
    const panel = this.options.tracker.find(p => p.content === notebook);
    if (!graded || !panel || !notebook.model) {
      return;
    }
    const place = notebookPlace(notebook.model.metadata, panel.context.path);
    if (!place) {
      return;
    }
    const code = cell.model.toJSON() as nbformat.ICodeCell;
    const run = runOutcome(code.outputs ?? []);
    if (
      code.execution_count === null ||
      (!success && run.outcome === 'correct')
    ) {
      // Not run at all (no kernel yet, cancelled, kernel gone): no evidence either way.
      return;
    }
    if (graded.role === 'answer') {
      this._scheduleDraft(place, graded, notebook);
      return;
    }
    this._cancelDraft(place, graded);
    const { progress } = this.options;
    const answers = answerCells(notebook, cell, graded);
    const answer = answerError(
      answers.map(c => c.model.toJSON() as nbformat.ICodeCell)
    );
    const attempt = isBlankAnswer(run, answer)
      ? progress.upcomingAttempt(place.course, graded.item)
      : progress.nextAttempt(place.course, graded.item);
    const event = attemptEvent({
      place,
      cell: graded,
      attempt,
      run,
      answerError: answer,
      durationMs: progress.elapsedMs(place.course, graded.item),
      hintsUsed: progress.hintsUsed(place.course, graded.item),
      source: joinSources(answers),
      draftMaxBytes: this.options.limits().draftMaxBytes
    });
    if (await this.send(place.course, event)) {
      this._queued.emit({ event, cell, panel, place, graded });
    }
  }

  private _draftKey(place: NotebookPlace, graded: GradedCell): string {
    return `${place.course}\u0000${graded.item}`;
  }

  private _scheduleDraft(
    place: NotebookPlace,
    graded: GradedCell,
    notebook: Notebook
  ): void {
    this._cancelDraft(place, graded);
    const { draftDelayMs, draftMaxBytes } = this.options.limits();
    const timer = setTimeout(() => {
      this._drafts.delete(this._draftKey(place, graded));
      const source = joinSources(answerCells(notebook, null, graded));
      void this.send(
        place.course,
        draftEvent(place, graded, source, draftMaxBytes)
      );
    }, draftDelayMs);
    this._drafts.set(this._draftKey(place, graded), timer);
  }

  private _cancelDraft(place: NotebookPlace, graded: GradedCell): void {
    const key = this._draftKey(place, graded);
    const timer = this._drafts.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this._drafts.delete(key);
    }
  }

  /** Watch the active cell: the first edit of an answer starts the attempt's clock. */
  private _onActiveCell(tracker: INotebookTracker, cell: Cell | null): void {
    this._watched?.model.contentChanged.disconnect(this._onEdit, this);
    this._watched = null;
    if (!cell || cell.isDisposed) {
      return;
    }
    const graded = gradedCell(cell.model.type, cell.model.metadata);
    if (graded?.role === 'answer') {
      this._watched = cell;
      cell.model.contentChanged.connect(this._onEdit, this);
    }
  }

  private _onEdit(): void {
    const cell = this._watched;
    const panel = this.options.tracker.currentWidget;
    const graded = cell && gradedCell(cell.model.type, cell.model.metadata);
    const place =
      panel?.model && notebookPlace(panel.model.metadata, panel.context.path);
    if (graded && place) {
      this.options.progress.markEdited(place.course, graded.item);
    }
  }

  private _isDisposed = false;
  private _watched: Cell | null = null;
  private readonly _drafts = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly _queued = new Signal<this, QueuedAttempt>(this);
}

/**
 * The learner's answer cells of an item: those named after it, else the answer cells just above
 * `tests` (nbgrader pairs a solution cell with the test cell below it).
 */
export function answerCells(
  notebook: Notebook,
  tests: Cell | null,
  graded: GradedCell
): Cell[] {
  const cells = notebook.widgets;
  const answers = cells.filter(cell => {
    const info = gradedCell(cell.model.type, cell.model.metadata);
    return info?.role === 'answer' && info.item === graded.item;
  });
  if (answers.length === 0 && tests) {
    for (let i = cells.indexOf(tests) - 1; i >= 0; i--) {
      const info = gradedCell(cells[i].model.type, cells[i].model.metadata);
      if (info?.role === 'tests') {
        break;
      }
      if (info?.role === 'answer') {
        answers.unshift(cells[i]);
      }
    }
  }
  return answers;
}

/** The learner's answer: the sources of its cells. */
export function joinSources(cells: readonly Cell[]): string {
  return cells.map(cell => cell.model.sharedModel.getSource()).join('\n\n');
}
