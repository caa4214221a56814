/**
 * The consent dialog: what is recorded, why, who sees it, for how long; three levels.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { ConsentLevel, CourseNote } from '../tokens';

/** Text with `code` spans in backquotes, as React nodes (never HTML). */
function withCode(text: string): React.ReactNode[] {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

/** The course's AI-use and privacy note, loaded when the learner opens it. */
function NoteDetails(props: {
  trans: TranslationBundle;
  load: () => Promise<CourseNote>;
}): JSX.Element {
  const { trans, load } = props;
  const [note, setNote] = React.useState<CourseNote | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const onToggle = (event: React.SyntheticEvent<HTMLDetailsElement>) => {
    if (event.currentTarget.open && !note) {
      load().then(setNote, reason =>
        setError(String(reason?.message ?? reason))
      );
    }
  };
  return (
    <details
      className="jp-adaptive-Consent-note"
      data-testid="adaptive-note"
      onToggle={onToggle}
    >
      <summary>
        {trans.__('Read the AI-use and privacy note of this course')}
      </summary>
      {error && <p>{trans.__('The note could not be loaded: %1', error)}</p>}
      {!note && !error && <p>{trans.__('Loading…')}</p>}
      {note && (
        <div lang={note.language.replace('_', '-')}>
          {note.sections.map(section => (
            <section key={section.heading}>
              <h3>{section.heading}</h3>
              {section.paragraphs.map((paragraph, i) => (
                <p key={i}>{withCode(paragraph)}</p>
              ))}
            </section>
          ))}
        </div>
      )}
    </details>
  );
}

function ConsentText(props: {
  trans: TranslationBundle;
  course: string;
  current: ConsentLevel | null;
  loadNote?: () => Promise<CourseNote>;
}): JSX.Element {
  const { trans, course, current, loadNote } = props;
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
      {loadNote && <NoteDetails trans={trans} load={loadNote} />}
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
  current: ConsentLevel | null = null,
  loadNote?: () => Promise<CourseNote>
): Promise<ConsentLevel | null> {
  const body = ReactWidget.create(
    <ConsentText
      trans={trans}
      course={course}
      current={current}
      loadNote={loadNote}
    />
  );
  body.node.dataset.testid = 'adaptive-consent';
  // JupyterLab's dialog sends Tab from its last button to the first focusable element it finds
  // when attached, before React has rendered the body: without this, the buttons, and the note
  // is out of the keyboard's cycle. Focusable here, the body (and after it the note) is in.
  body.node.tabIndex = -1;
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
