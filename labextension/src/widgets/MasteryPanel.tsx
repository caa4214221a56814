/**
 * The learner's own mastery panel: each skill's estimate with its evidence, an appeal ("I think
 * this is wrong") that goes to the teacher as an `appeal` event, and the learner's own data:
 * download it, or delete it after a confirmation.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { MasteryReport, SkillEstimate } from '../tokens';
import { Markdown } from './Markdown';
import { percent, SkillMeter, skillName } from './SkillMeter';

export interface MasteryPanelActions {
  load(): Promise<MasteryReport>;
  /** File an appeal; resolves to false when the learner cancelled or consent forbids it. */
  appeal(estimate: SkillEstimate): Promise<boolean>;
  /** Save everything the server stores about the learner as a file. */
  download(): Promise<void>;
  /** Erase the learner's data (already confirmed); resolves to the number of events erased. */
  erase(): Promise<number>;
}

/** Ask before erasing: true only when the learner confirms. */
export async function confirmDeletion(
  trans: TranslationBundle
): Promise<boolean> {
  const body = ReactWidget.create(
    <div className="jp-adaptive-DeleteData">
      <p>
        {trans.__(
          'This erases everything the course server stores about you, in every course: your recorded attempts and drafts, your mastery estimates and their evidence, your appeals and your consent choices. Learning events still waiting in this browser are dropped too.'
        )}
      </p>
      <p>
        <strong>{trans.__('This cannot be undone.')}</strong>{' '}
        {trans.__(
          'Download your data first if you want a copy. Your notebooks are not touched. Your next graded run asks for your consent again.'
        )}
      </p>
    </div>
  );
  body.node.dataset.testid = 'adaptive-delete-confirm';
  const result = await showDialog({
    title: trans.__('Delete all your data?'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete my data') })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}

export class MasteryPanel extends ReactWidget {
  /** @param rendermime JupyterLab's renderers when there are some: reasons are markdown. */
  constructor(
    private readonly trans: TranslationBundle,
    private readonly actions: MasteryPanelActions,
    private readonly rendermime: () => IRenderMimeRegistry | null = () => null
  ) {
    super();
    this.id = 'jupyter-adaptive-mastery';
    this.addClass('jp-adaptive-MasteryPanel');
    this.node.dataset.testid = 'adaptive-mastery';
    this.title.caption = trans.__('My mastery');
    this.node.tabIndex = -1;
  }

  /** Opened from the keyboard (a command, a link): the focus goes into the panel. */
  protected onActivateRequest(): void {
    this.node.focus();
  }

  /** Fetch the estimates again (after an attempt, when shown). */
  async refresh(): Promise<void> {
    try {
      this._report = await this.actions.load();
      this._error = null;
    } catch (error) {
      this._error = (error as Error).message;
    }
    this.update();
  }

  protected onAfterShow(): void {
    void this.refresh();
  }

  render(): JSX.Element {
    const { trans } = this;
    const report = this._report;
    return (
      <div className="jp-adaptive-MasteryPanel-body">
        <h2>{trans.__('My mastery')}</h2>
        <p className="jp-adaptive-MasteryPanel-intro">
          {trans.__(
            'What the course server estimates you have mastered, and the evidence for it. If an estimate looks wrong, tell your teacher.'
          )}
        </p>
        {this._error && (
          <p className="jp-adaptive-MasteryPanel-error">
            {trans.__('Could not load your estimates: %1', this._error)}
          </p>
        )}
        {report && report.mastery.length === 0 && (
          <p>
            {trans.__('No estimates yet: run the tests of a graded exercise.')}
          </p>
        )}
        <ul className="jp-adaptive-MasteryPanel-skills">
          {report?.mastery.map(estimate => (
            <li
              key={`${estimate.course}/${estimate.skill}`}
              data-skill={estimate.skill}
              className="jp-adaptive-MasteryPanel-skill"
            >
              <div className="jp-adaptive-MasteryPanel-head">
                <span className="jp-adaptive-Mastery-name">
                  {skillName(estimate)}
                </span>
                <SkillMeter
                  trans={trans}
                  name={skillName(estimate)}
                  p={estimate.p_mastery}
                />
                <span>{percent(estimate.p_mastery)}</span>
              </div>
              {estimate.review_on && (
                <p className="jp-adaptive-MasteryPanel-review">
                  {trans.__(
                    'Mastered: comes back for review on %1',
                    estimate.review_on
                  )}
                </p>
              )}
              <details>
                <summary>
                  {trans._n(
                    '%1 observation',
                    '%1 observations',
                    estimate.n_observations
                  )}
                </summary>
                <ul>
                  {report.evidence
                    .filter(
                      e =>
                        e.skill === estimate.skill &&
                        e.course === estimate.course
                    )
                    .map((e, i) => (
                      <li key={e.event_id ?? i}>
                        <Markdown
                          rendermime={this.rendermime()}
                          source={e.reason}
                        />
                      </li>
                    ))}
                </ul>
              </details>
              {this._appealed.has(this._key(estimate)) ? (
                <span className="jp-adaptive-MasteryPanel-appealed">
                  {trans.__('Sent to your teacher.')}
                </span>
              ) : (
                <button
                  className="jp-mod-styled"
                  data-testid="adaptive-appeal"
                  aria-label={trans.__(
                    'I think this is wrong: %1',
                    skillName(estimate)
                  )}
                  onClick={() => void this._onAppeal(estimate)}
                >
                  {trans.__('I think this is wrong')}
                </button>
              )}
            </li>
          ))}
        </ul>
        {this._renderData()}
      </div>
    );
  }

  private _renderData(): JSX.Element {
    const { trans } = this;
    return (
      <section className="jp-adaptive-MasteryPanel-data">
        <h3>{trans.__('My data')}</h3>
        <p>
          {trans.__(
            'Everything the course server stores about you: attempts, drafts, estimates, evidence, appeals and consent choices.'
          )}
        </p>
        <div className="jp-adaptive-MasteryPanel-dataActions">
          <button
            className="jp-mod-styled"
            data-testid="adaptive-download-data"
            disabled={this._busy}
            onClick={() => void this._onDownload()}
          >
            {trans.__('Download my data')}
          </button>
          <button
            className="jp-mod-styled jp-mod-warn"
            data-testid="adaptive-delete-data"
            disabled={this._busy}
            onClick={() => void this._onDelete()}
          >
            {trans.__('Delete my data')}
          </button>
        </div>
        {this._dataStatus && (
          <p
            className="jp-adaptive-MasteryPanel-dataStatus"
            data-testid="adaptive-data-status"
            role="status"
          >
            {this._dataStatus}
          </p>
        )}
      </section>
    );
  }

  private async _onDownload(): Promise<void> {
    await this._dataAction(
      async () => {
        await this.actions.download();
        return null;
      },
      reason => this.trans.__('Could not download your data: %1', reason)
    );
  }

  private async _onDelete(): Promise<void> {
    if (!(await confirmDeletion(this.trans))) {
      return;
    }
    await this._dataAction(
      async () => {
        const erased = await this.actions.erase();
        this._appealed.clear();
        await this.refresh();
        return this.trans._n(
          'Deleted: %1 recorded event is gone from the course server. Your next graded run asks for your consent again.',
          'Deleted: %1 recorded events are gone from the course server. Your next graded run asks for your consent again.',
          erased
        );
      },
      reason => this.trans.__('Could not delete your data: %1', reason)
    );
  }

  /** Run a data action with the buttons disabled; show its outcome or its error. */
  private async _dataAction(
    action: () => Promise<string | null>,
    failure: (reason: string) => string
  ): Promise<void> {
    this._busy = true;
    this._dataStatus = null;
    this.update();
    try {
      this._dataStatus = await action();
    } catch (error) {
      this._dataStatus = failure((error as Error).message);
    } finally {
      this._busy = false;
      this.update();
    }
  }

  private _key(estimate: SkillEstimate): string {
    return `${estimate.course}/${estimate.skill}`;
  }

  private async _onAppeal(estimate: SkillEstimate): Promise<void> {
    if (await this.actions.appeal(estimate)) {
      this._appealed.add(this._key(estimate));
      this.update();
    }
  }

  private _report: MasteryReport | null = null;
  private _error: string | null = null;
  private _busy = false;
  private _dataStatus: string | null = null;
  private readonly _appealed = new Set<string>();
}
