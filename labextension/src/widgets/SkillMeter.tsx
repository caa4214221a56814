/**
 * A skill's estimate as learners read it: the skill by its name (never its id when the server
 * names it), and a meter that assistive technology reads out as a percentage.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { SkillEstimate } from '../tokens';

/** A probability as a whole percentage: `0.714` -> `71%`. */
export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** What learners read for a skill: its name, or its id when the server does not name it. */
export function skillName(
  estimate: Pick<SkillEstimate, 'skill' | 'name'>
): string {
  return estimate.name ?? estimate.skill;
}

/** The meter of one skill's estimate, labelled with the skill's name. */
export function SkillMeter(props: {
  trans: TranslationBundle;
  name: string;
  p: number;
}): JSX.Element {
  const { trans, name, p } = props;
  return (
    <span
      className="jp-adaptive-Mastery-bar"
      role="meter"
      aria-valuemin={0}
      aria-valuemax={1}
      aria-valuenow={p}
      aria-valuetext={percent(p)}
      aria-label={trans.__('Mastery of %1', name)}
    >
      <span
        className="jp-adaptive-Mastery-fill"
        style={{ width: percent(p) }}
      />
    </span>
  );
}
