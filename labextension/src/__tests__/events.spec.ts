import type * as nbformat from '@jupyterlab/nbformat';

import {
  answerError,
  appealEvent,
  attemptEvent,
  draftEvent,
  gradedCell,
  hintEvent,
  MAX_EVALUE_CHARS,
  notebookPlace,
  runOutcome,
  truncateUtf8
} from '../events';

const UUID_RE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const nbgraderTests = {
  adaptive: { item: 'ticket-total', skills: ['py-values-types'] },
  nbgrader: {
    grade: true,
    locked: true,
    solution: false,
    grade_id: 'ticket-total-tests'
  }
};
const nbgraderAnswer = {
  adaptive: {
    item: 'ticket-total',
    skills: ['py-values-types'],
    hints: ['Use int().']
  },
  nbgrader: {
    grade: false,
    locked: false,
    solution: true,
    grade_id: 'ticket-total-answer'
  }
};

describe('notebookPlace', () => {
  it('reads the course and unit from notebook metadata', () => {
    expect(
      notebookPlace(
        { adaptive: { course: 'dsf', unit: '01_basics' } },
        'x/other.ipynb'
      )
    ).toEqual({ course: 'dsf', unit: '01_basics' });
  });

  it('names the unit after the notebook file when metadata does not', () => {
    expect(
      notebookPlace({ adaptive: { course: 'dsf' } }, 'a/02_pandas.ipynb')
    ).toEqual({
      course: 'dsf',
      unit: '02_pandas'
    });
  });

  it('is null for a notebook outside any course', () => {
    expect(notebookPlace({ kernelspec: {} }, 'x.ipynb')).toBeNull();
    expect(notebookPlace({ adaptive: { course: '' } }, 'x.ipynb')).toBeNull();
  });
});

describe('gradedCell', () => {
  it('recognises an nbgrader autograder test cell', () => {
    expect(gradedCell('code', nbgraderTests)).toEqual({
      role: 'tests',
      item: 'ticket-total',
      skills: ['py-values-types'],
      hints: []
    });
  });

  it('recognises an nbgrader solution cell as the answer, with its hints', () => {
    expect(gradedCell('code', nbgraderAnswer)).toMatchObject({
      role: 'answer',
      hints: ['Use int().']
    });
  });

  it('falls back to the nbgrader grade id when there is no adaptive item', () => {
    expect(
      gradedCell('code', {
        nbgrader: { grade: true, locked: true, grade_id: 'q1' }
      })
    ).toMatchObject({ role: 'tests', item: 'q1', skills: [] });
  });

  it('reads the roles of injected practice cells', () => {
    const meta = { item: 'p1', skills: ['s'], injected: true };
    expect(
      gradedCell('code', { adaptive: { ...meta, role: 'answer' } })?.role
    ).toBe('answer');
    expect(
      gradedCell('code', { adaptive: { ...meta, role: 'tests' } })?.role
    ).toBe('tests');
  });

  it('ignores ungraded code, markdown and manually graded cells', () => {
    expect(gradedCell('code', {})).toBeNull();
    expect(
      gradedCell('markdown', { adaptive: { item: 'p1', role: 'prompt' } })
    ).toBeNull();
    expect(
      gradedCell('code', {
        nbgrader: { grade: true, locked: false, grade_id: 'essay' }
      })
    ).toBeNull();
  });
});

describe('runOutcome', () => {
  it('is correct when no output is an error', () => {
    expect(
      runOutcome([{ output_type: 'stream', name: 'stdout', text: 'ok' }])
    ).toEqual({ outcome: 'correct' });
  });

  it('is incorrect on an AssertionError, keeping its message', () => {
    expect(
      runOutcome([
        {
          output_type: 'error',
          ename: 'AssertionError',
          evalue: 'expected 3',
          traceback: []
        }
      ])
    ).toEqual({
      outcome: 'incorrect',
      error: { ename: 'AssertionError', evalue: 'expected 3' }
    });
  });

  it('is error on any other exception, with a short evalue', () => {
    const result = runOutcome([
      {
        output_type: 'error',
        ename: 'NameError',
        evalue: 'x'.repeat(5000),
        traceback: []
      }
    ]);
    expect(result.outcome).toBe('error');
    expect(result.error?.ename).toBe('NameError');
    expect(result.error?.evalue.length).toBe(MAX_EVALUE_CHARS);
  });
});

describe('event builders', () => {
  const place = { course: 'dsf', unit: '01_basics' };
  const cell = gradedCell('code', nbgraderTests)!;
  const now = new Date('2026-11-23T10:00:00Z');

  it('builds a schema-1 attempt with every field the server expects', () => {
    const event = attemptEvent({
      place,
      cell,
      attempt: 2,
      run: {
        outcome: 'incorrect',
        error: { ename: 'AssertionError', evalue: 'no' }
      },
      durationMs: 41_999.6,
      hintsUsed: 1,
      source: 'total = 3',
      draftMaxBytes: 100,
      now
    });
    expect(event).toEqual({
      event_id: expect.stringMatching(UUID_RE),
      schema_version: 1,
      type: 'attempt',
      client_time: '2026-11-23T10:00:00.000Z',
      course: 'dsf',
      unit: '01_basics',
      item: 'ticket-total',
      skills: ['py-values-types'],
      attempt: 2,
      outcome: 'incorrect',
      error: { ename: 'AssertionError', evalue: 'no' },
      duration_ms: 42_000,
      hints_used: 1,
      source: 'total = 3'
    });
  });

  it("carries the answer cell's error and reads the tests' error after it", () => {
    const event = attemptEvent({
      place,
      cell,
      attempt: 1,
      run: {
        outcome: 'error',
        error: {
          ename: 'NameError',
          evalue: "name 'total_cost' is not defined"
        }
      },
      answerError: {
        ename: 'TypeError',
        evalue: 'unsupported operand type(s) for +: int and str'
      },
      durationMs: 0,
      hintsUsed: 0,
      source: 'total_cost = int(n) + price_text',
      draftMaxBytes: 100,
      now
    });
    expect(event.outcome).toBe('error');
    expect(event.answer_error?.ename).toBe('TypeError');
    expect(event.error?.ename).toBe('NameError');
  });

  it('calls a run of a still blank answer skipped, from the answer or the tests', () => {
    const blank = { ename: 'NotImplementedError', evalue: '' };
    const facts = {
      place,
      cell,
      attempt: 1,
      durationMs: 0,
      hintsUsed: 0,
      source: 'raise NotImplementedError()',
      draftMaxBytes: 100,
      now
    };
    const fromAnswer = attemptEvent({
      ...facts,
      run: { outcome: 'error', error: { ename: 'NameError', evalue: 'x' } },
      answerError: blank
    });
    const fromTests = attemptEvent({
      ...facts,
      run: { outcome: 'error', error: blank }
    });
    const wrong = attemptEvent({
      ...facts,
      run: {
        outcome: 'incorrect',
        error: { ename: 'AssertionError', evalue: '' }
      }
    });
    expect([fromAnswer.outcome, fromTests.outcome, wrong.outcome]).toEqual([
      'skipped',
      'skipped',
      'incorrect'
    ]);
  });

  it('reads the first error among answer cells that ran', () => {
    const cellWith = (
      count: number | null,
      outputs: nbformat.IOutput[]
    ): nbformat.ICodeCell => ({
      cell_type: 'code',
      source: '',
      metadata: {},
      execution_count: count,
      outputs
    });
    const failure: nbformat.IError = {
      output_type: 'error',
      ename: 'TypeError',
      evalue: 'bad operand',
      traceback: []
    };
    expect(answerError([cellWith(null, [failure])])).toBeUndefined();
    expect(answerError([cellWith(1, [])])).toBeUndefined();
    expect(answerError([cellWith(1, []), cellWith(2, [failure])])).toEqual({
      ename: 'TypeError',
      evalue: 'bad operand'
    });
  });

  it('gives every event its own id', () => {
    const a = draftEvent(place, cell, 'x', 10, now);
    const b = draftEvent(place, cell, 'x', 10, now);
    expect(a.event_id).not.toBe(b.event_id);
  });

  it('caps drafts at draftMaxBytes without splitting a character', () => {
    const event = draftEvent(place, cell, 'é'.repeat(10), 5, now);
    expect(event.source).toBe('éé');
    expect(truncateUtf8('abc', 10)).toBe('abc');
  });

  it('builds hint and appeal events with their required fields', () => {
    expect(hintEvent(place, cell, 2, now)).toMatchObject({
      type: 'hint',
      item: 'ticket-total',
      hints_used: 2
    });
    expect(
      appealEvent('dsf', 'py-values-types', 'I did it alone', now)
    ).toMatchObject({
      type: 'appeal',
      course: 'dsf',
      skills: ['py-values-types'],
      message: 'I did it alone'
    });
  });
});
