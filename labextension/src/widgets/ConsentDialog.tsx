/**
 * The consent dialog: what is recorded, why, who sees it, for how long; three levels.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { ConsentLevel } from '../tokens';

function ConsentText(props: {
  trans: TranslationBundle;
  course: string;
  current: ConsentLevel | null;
}): JSX.Element {
  const { trans, course, current } = props;
  return (
    <div className="jp-adaptive-Consent">
      <p>
        {trans.__(
          'This notebook belongs to the course "%1". When you run a graded cell, this extension can send a record of your attempt to the course server.',
          course
        )}
      </p>
      <dl>
        <dt>{trans.__('What is recorded')}</dt>
        <dd>
          {trans.__(
            'Which exercise you ran, whether its tests passed, the error name, how long you worked on it and how many hints you opened. With "Outcomes and drafts", also the code of your answer and the error message (never its outputs).'
          )}
        </dd>
        <dt>{trans.__('Why')}</dt>
        <dd>
          {trans.__(
            'To estimate which skills you have mastered, give you feedback and suggest your next exercise.'
          )}
        </dd>
        <dt>{trans.__('Who sees it')}</dt>
        <dd>
          {trans.__(
            'You, and the teachers of this course. Your records are stored under a pseudonym, not your name.'
          )}
        </dd>
        <dt>{trans.__('For how long')}</dt>
        <dd>
          {trans.__(
            'Until the end of the retention period set by the course\'s server, or until you delete your data. You can change this choice at any time: command palette, "Change adaptive learning consent".'
          )}
        </dd>
      </dl>
      {current && (
        <p>{trans.__('Your current choice: %1', levelLabel(trans, current))}</p>
      )}
    </div>
  );
}

/** The button label of a level. */
export function levelLabel(
  trans: TranslationBundle,
  level: ConsentLevel
): string {
  switch (level) {
    case 'off':
      return trans.__('Record nothing');
    case 'outcomes':
      return trans.__('Outcomes only');
    case 'drafts':
      return trans.__('Outcomes and drafts');
  }
}

/**
 * Ask the learner for a level; null when they close the dialog without choosing.
 */
export async function askConsent(
  trans: TranslationBundle,
  course: string,
  current: ConsentLevel | null = null
): Promise<ConsentLevel | null> {
  const body = ReactWidget.create(
    <ConsentText trans={trans} course={course} current={current} />
  );
  body.node.dataset.testid = 'adaptive-consent';
  const button = (level: ConsentLevel, accept: boolean) =>
    (accept ? Dialog.okButton : Dialog.cancelButton)({
      label: levelLabel(trans, level),
      actions: [`adaptive-consent:${level}`]
    });
  const result = await showDialog({
    title: trans.__('Adaptive learning: may we record your work?'),
    body,
    buttons: [
      button('off', false),
      button('outcomes', true),
      button('drafts', true)
    ],
    defaultButton: 1,
    hasClose: true
  });
  const action = result.button.actions.find(a =>
    a.startsWith('adaptive-consent:')
  );
  return action ? (action.split(':')[1] as ConsentLevel) : null;
}
