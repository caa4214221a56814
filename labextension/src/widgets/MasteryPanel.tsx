/**
 * The learner's own mastery panel: each skill's estimate with its evidence, and an appeal
 * ("I think this is wrong") that goes to the teacher as an `appeal` event.
 */
import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { MasteryReport, SkillEstimate } from '../tokens';

export interface MasteryPanelActions {
  load(): Promise<MasteryReport>;
  /** File an appeal; resolves to false when the learner cancelled or consent forbids it. */
  appeal(estimate: SkillEstimate): Promise<boolean>;
}

export class MasteryPanel extends ReactWidget {
  constructor(
    private readonly trans: TranslationBundle,
    private readonly actions: MasteryPanelActions
  ) {
    super();
    this.id = 'jupyter-adaptive-mastery';
    this.addClass('jp-adaptive-MasteryPanel');
    this.node.dataset.testid = 'adaptive-mastery';
    this.title.caption = trans.__('My mastery');
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
                  {estimate.skill}
                </span>
                <span
                  className="jp-adaptive-Mastery-bar"
                  role="meter"
                  aria-valuemin={0}
                  aria-valuemax={1}
                  aria-valuenow={estimate.p_mastery}
                  aria-label={trans.__('Mastery of %1', estimate.skill)}
                >
                  <span
                    className="jp-adaptive-Mastery-fill"
                    style={{
                      width: `${Math.round(estimate.p_mastery * 100)}%`
                    }}
                  />
                </span>
                <span>{Math.round(estimate.p_mastery * 100)}%</span>
              </div>
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
                      <li key={e.event_id ?? i}>{e.reason}</li>
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
                  onClick={() => void this._onAppeal(estimate)}
                >
                  {trans.__('I think this is wrong')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    );
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
  private readonly _appealed = new Set<string>();
}
