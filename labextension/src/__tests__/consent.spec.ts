import { ConsentGate, ConsentSources, gate } from '../consent';
import { attemptEvent, consentEvent, draftEvent, gradedCell } from '../events';
import type { ConsentLevel } from '../tokens';

const place = { course: 'dsf', unit: 'u1' };
const cell = gradedCell('code', { adaptive: { item: 'i1', skills: ['s1'] } })!;
const attempt = attemptEvent({
  place,
  cell,
  attempt: 1,
  run: { outcome: 'correct' },
  durationMs: 10,
  hintsUsed: 0,
  source: 'answer = 42',
  draftMaxBytes: 1000
});
const draft = draftEvent(place, cell, 'answer = 4', 1000);

describe('gate', () => {
  it('lets nothing through at off, except the consent choice itself', () => {
    expect(gate(attempt, 'off')).toBeNull();
    expect(gate(draft, 'off')).toBeNull();
    const choice = consentEvent('dsf', 'off');
    expect(gate(choice, 'off')).toBe(choice);
  });

  it('drops the source at outcomes, and drafts entirely', () => {
    const kept = gate(attempt, 'outcomes');
    expect(kept).not.toHaveProperty('source');
    expect(kept).toMatchObject({ outcome: 'correct', item: 'i1' });
    expect(attempt.source).toBe('answer = 42');
    expect(gate(draft, 'outcomes')).toBeNull();
  });

  it("keeps only errors' names at outcomes: their messages can quote the learner's code", () => {
    const failed = attemptEvent({
      place,
      cell,
      attempt: 1,
      run: {
        outcome: 'error',
        error: { ename: 'KeyError', evalue: "'secret'" }
      },
      answerError: { ename: 'TypeError', evalue: 'my_password + 1' },
      durationMs: 10,
      hintsUsed: 0,
      source: 'x',
      draftMaxBytes: 1000
    });
    const kept = gate(failed, 'outcomes')!;
    expect(kept.error).toEqual({ ename: 'KeyError' });
    expect(kept.answer_error).toEqual({ ename: 'TypeError' });
    expect(gate(failed, 'drafts')!.answer_error?.evalue).toBe(
      'my_password + 1'
    );
  });

  it('sends everything at drafts', () => {
    expect(gate(attempt, 'drafts')).toBe(attempt);
    expect(gate(draft, 'drafts')).toBe(draft);
  });
});

function sources(overrides: Partial<ConsentSources> = {}): ConsentSources & {
  recorded: [string, ConsentLevel][];
  asked: string[];
  forgotten: (readonly string[] | null)[];
} {
  const recorded: [string, ConsentLevel][] = [];
  const asked: string[] = [];
  const forgotten: (readonly string[] | null)[] = [];
  return {
    recorded,
    asked,
    forgotten,
    fetch: async () => null,
    ask: async course => {
      asked.push(course);
      return 'outcomes';
    },
    record: async (course, level) => {
      recorded.push([course, level]);
    },
    remembered: () => ({}),
    forget: async courses => {
      forgotten.push(courses);
    },
    ...overrides
  };
}

describe('ConsentGate', () => {
  it('asks the learner once per course, even for runs at the same moment', async () => {
    const s = sources();
    const consent = new ConsentGate(s);
    const levels = await Promise.all([
      consent.levelFor('dsf'),
      consent.levelFor('dsf'),
      consent.levelFor('other')
    ]);
    expect(levels).toEqual(['outcomes', 'outcomes', 'outcomes']);
    expect(s.asked).toEqual(['dsf', 'other']);
    expect(s.recorded).toEqual([
      ['dsf', 'outcomes'],
      ['other', 'outcomes']
    ]);
    await consent.levelFor('dsf');
    expect(s.asked).toHaveLength(2);
  });

  it('takes the level the server holds without asking or recording it again', async () => {
    const s = sources({ fetch: async () => 'drafts' });
    const consent = new ConsentGate(s);
    expect(await consent.levelFor('dsf')).toBe('drafts');
    expect(s.asked).toEqual([]);
    expect(s.recorded).toEqual([]);
  });

  it('uses the level remembered in this browser without a request', async () => {
    const fetch = jest.fn(async () => 'drafts' as const);
    const consent = new ConsentGate(
      sources({ fetch, remembered: () => ({ dsf: 'off' }) })
    );
    expect(await consent.levelFor('dsf')).toBe('off');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks when the server cannot be reached', async () => {
    const s = sources({
      fetch: async () => {
        throw new Error('offline');
      }
    });
    expect(await new ConsentGate(s).levelFor('dsf')).toBe('outcomes');
    expect(s.asked).toEqual(['dsf']);
  });

  it('sends nothing while the learner has not chosen, and asks again next time', async () => {
    const s = sources({ ask: async () => null });
    const consent = new ConsentGate(s);
    expect(await consent.levelFor('dsf')).toBe('off');
    expect(s.recorded).toEqual([]);
    expect(consent.known('dsf')).toBeNull();
  });

  it('records a changed level and announces it', async () => {
    const s = sources();
    const consent = new ConsentGate(s);
    const changed: string[] = [];
    consent.changed.connect((_, course) => changed.push(course));
    await consent.set('dsf', 'off');
    expect(await consent.levelFor('dsf')).toBe('off');
    expect(s.recorded).toEqual([['dsf', 'off']]);
    expect(changed).toEqual(['dsf']);
  });

  it('lets an event wait until the choice made before it is recorded', async () => {
    let recorded = () => {};
    const s = sources({
      record: () =>
        new Promise<void>(resolve => {
          recorded = resolve;
        })
    });
    const consent = new ConsentGate(s);
    const choice = consent.set('dsf', 'outcomes');
    let level: ConsentLevel | null = null;
    const event = consent.levelFor('dsf').then(l => {
      level = l;
    });
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(level).toBeNull();
    recorded();
    await Promise.all([choice, event]);
    expect(level).toBe('outcomes');
  });

  it('forgets one course, here and in the browser, and asks for it again', async () => {
    const s = sources();
    const consent = new ConsentGate(s);
    await consent.set('dsf', 'drafts');
    await consent.set('other', 'outcomes');
    await consent.forget('dsf');
    expect(s.forgotten).toEqual([['dsf']]);
    expect(consent.known('dsf')).toBeNull();
    expect(consent.known('other')).toBe('outcomes');
    expect(await consent.levelFor('dsf')).toBe('outcomes');
    expect(s.asked).toEqual(['dsf']);
  });

  it('forgets every course at once', async () => {
    const remembered: Record<string, ConsentLevel> = { kept: 'drafts' };
    const s = sources({
      remembered: () => remembered,
      forget: async courses => {
        expect(courses).toBeNull();
        delete remembered.kept;
      }
    });
    const consent = new ConsentGate(s);
    await consent.set('dsf', 'outcomes');
    const changed: string[] = [];
    consent.changed.connect((_, course) => changed.push(course));
    await consent.forget();
    expect(consent.known('dsf')).toBeNull();
    expect(consent.known('kept')).toBeNull();
    expect(changed).toEqual(['dsf']);
  });
});
