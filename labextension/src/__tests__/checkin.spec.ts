import type * as nbformat from '@jupyterlab/nbformat';

import { checkCells, checkScope } from '../checkcells';
import { attemptEvent, gradedCell } from '../events';

const question: nbformat.ICell[] = [
  {
    cell_type: 'markdown',
    source: 'What does `len([1, 2])` give?',
    metadata: { adaptive: { item: 'chk-1', role: 'prompt' } }
  },
  {
    cell_type: 'code',
    source: 'answer = ...',
    metadata: { adaptive: { item: 'chk-1', skills: ['s1'], role: 'answer' } },
    outputs: [],
    execution_count: null
  },
  {
    cell_type: 'code',
    source: 'assert check(answer)',
    metadata: { adaptive: { item: 'chk-1', skills: ['s1'], role: 'tests' } },
    outputs: [],
    execution_count: null
  }
];

describe('check-ins', () => {
  it('reads the scope a tagged cell asks for', () => {
    expect(checkScope({ adaptive: { check: '01_python_basics' } })).toBe(
      '01_python_basics'
    );
    expect(checkScope({ adaptive: { check: '' } })).toBeNull();
    expect(checkScope({ adaptive: { item: 'x' } })).toBeNull();
    expect(checkScope({})).toBeNull();
  });

  it("marks a question's cells as the check's and hides its check cell's output", () => {
    const cells = checkCells(question, 'check-7');
    expect(
      cells.map(c => (c.metadata.adaptive as Record<string, unknown>).check_id)
    ).toEqual(['check-7', 'check-7', 'check-7']);
    expect(cells[2].metadata.jupyter).toEqual({ outputs_hidden: true });
    expect(cells[1].metadata.jupyter).toBeUndefined();
    expect(question[2].metadata.jupyter).toBeUndefined();
  });

  it('makes an answer in a check an ordinary attempt that names the check', () => {
    const [, , tests] = checkCells(question, 'check-7');
    const cell = gradedCell('code', tests.metadata as Record<string, unknown>)!;
    expect(cell.check).toBe('check-7');
    const event = attemptEvent({
      place: { course: 'dsf', unit: 'u1' },
      cell,
      attempt: 1,
      run: {
        outcome: 'incorrect',
        error: { ename: 'AssertionError', evalue: '' }
      },
      durationMs: 5,
      hintsUsed: 0,
      source: 'answer = 2',
      draftMaxBytes: 100
    });
    expect(event).toMatchObject({
      type: 'attempt',
      item: 'chk-1',
      check: 'check-7'
    });
  });
});
