import type { TranslationBundle } from '@jupyterlab/translation';

import { percent, SkillMeter, skillName } from '../widgets/SkillMeter';

/** Substitutes `%1`, as JupyterLab's bundle does for English. */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    args.reduce<string>(
      (s, arg, i) => s.replace(`%${i + 1}`, String(arg)),
      text
    )
} as unknown as TranslationBundle;

describe('skills as learners read them', () => {
  it('names a skill by its name, by its id only when the server gives none', () => {
    expect(
      skillName({
        skill: 'py-values-types',
        name: 'Values, types and variables'
      })
    ).toBe('Values, types and variables');
    expect(skillName({ skill: 'py-values-types' })).toBe('py-values-types');
  });

  it('labels the meter with the name and reads its value as a percentage', () => {
    const meter = SkillMeter({
      trans,
      name: 'Values, types and variables',
      p: 0.714
    });
    expect(meter.props).toMatchObject({
      role: 'meter',
      'aria-label': 'Mastery of Values, types and variables',
      'aria-valuenow': 0.714,
      'aria-valuetext': '71%',
      'aria-valuemin': 0,
      'aria-valuemax': 1
    });
    expect(percent(0.005)).toBe('1%');
  });
});
