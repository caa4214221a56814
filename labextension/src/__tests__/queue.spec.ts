import { IDBFactory } from 'fake-indexeddb';

import {
  backoffDelay,
  IndexedDBOutboxStorage,
  Outbox,
  OutboxOptions,
  Refusal
} from '../queue';
import {
  attempt,
  databaseNames,
  jupyterServer,
  server,
  stored,
  storedBody
} from './fixtures';
import type { AdaptiveEvent } from '../tokens';

let dbCount = 0;
function storage(name?: string): IndexedDBOutboxStorage {
  dbCount += 1;
  return new IndexedDBOutboxStorage(name ?? `outbox-test-${dbCount}`);
}

function outbox(
  options: Partial<OutboxOptions> & Pick<OutboxOptions, 'send'>
): Outbox {
  return new Outbox({
    storage: storage(),
    lingerMs: 1,
    baseDelayMs: 5,
    maxDelayMs: 20,
    ...options
  });
}

async function until(
  condition: () => boolean,
  timeoutMs = 2000
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/** A lock for the outbox that notes when it is taken and given back. */
function loggingLock(taken: string[]): OutboxOptions['exclusive'] {
  return async task => {
    taken.push('lock');
    await task();
    taken.push('unlock');
  };
}

/** What the outbox announces: its refusals and the ids of the events it delivered. */
function watch(box: Outbox): { refused: Refusal[]; delivered: string[] } {
  const refused: Refusal[] = [];
  const delivered: string[] = [];
  box.refused.connect((_, r) => refused.push(r));
  box.delivered.connect((_, results) =>
    delivered.push(...results.map(r => r.event_id))
  );
  return { refused, delivered };
}

describe('Outbox', () => {
  it('sends events in the order they were queued, in batches', async () => {
    const { batches, send } = server();
    const box = outbox({ send, batchSize: 2 });
    const events = [attempt(), attempt(), attempt(), attempt(), attempt()];
    await box.enqueue(events);
    await box.flush();
    expect(batches.map(b => b.length)).toEqual([2, 2, 1]);
    expect(batches.flat().map(e => e.event_id)).toEqual(
      events.map(e => e.event_id)
    );
    box.dispose();
  });

  it('queues an event id once, however often it is enqueued', async () => {
    const { batches, send } = server();
    const box = outbox({ send, lingerMs: 10_000 });
    const event = attempt();
    await box.enqueue([event]);
    await box.enqueue([event, { ...event }]);
    await box.flush();
    expect(batches.flat().map(e => e.event_id)).toEqual([event.event_id]);
    box.dispose();
  });

  it('keeps events through a failure and retries them with backoff', async () => {
    const { batches, send } = server((batch, call) =>
      call <= 2 ? { kind: 'failed', message: 'server down' } : stored(batch)
    );
    const box = outbox({ send });
    const counts: number[] = [];
    box.countChanged.connect((_, count) => counts.push(count));
    const delivered: string[] = [];
    box.delivered.connect((_, results) =>
      delivered.push(...results.map(r => r.event_id))
    );
    const event = attempt();
    await box.enqueue([event]);
    await until(() => delivered.length === 1);
    expect(batches).toHaveLength(3);
    expect(delivered).toEqual([event.event_id]);
    expect(counts).toEqual([1, 0]);
    expect(box.failures).toBe(0);
    box.dispose();
  });

  it('survives a reload: a new outbox on the same database sends what waited', async () => {
    const name = 'outbox-reload';
    const down = server(() => ({ kind: 'failed', message: 'offline' }));
    const first = new Outbox({
      storage: storage(name),
      send: down.send,
      lingerMs: 10_000
    });
    const events = [attempt(), attempt()];
    await first.enqueue(events);
    await first.flush();
    first.dispose();

    const up = server();
    const second = new Outbox({ storage: storage(name), send: up.send });
    await second.flush();
    expect(up.batches.flat().map(e => e.event_id)).toEqual(
      events.map(e => e.event_id)
    );
    second.dispose();
  });

  it('drops only the event the server refuses, after retrying the batch one by one', async () => {
    const bad = attempt();
    const { batches, send } = server(batch =>
      batch.some(e => e.event_id === bad.event_id)
        ? {
            kind: 'refused',
            status: 400,
            message: 'bad event',
            details: ['Event 0: bad.']
          }
        : stored(batch)
    );
    const box = outbox({ send, lingerMs: 10_000 });
    const { refused } = watch(box);
    const good = [attempt(), attempt()];
    await box.enqueue([good[0], bad, good[1]]);
    await box.flush();
    expect(refused).toEqual([
      {
        events: [bad],
        status: 400,
        message: 'bad event',
        details: ['Event 0: bad.']
      }
    ]);
    const storedIds = batches
      .filter(b => !b.some(e => e.event_id === bad.event_id))
      .flat()
      .map(e => e.event_id);
    expect(storedIds).toEqual(good.map(e => e.event_id));
    box.dispose();
  });

  it('keeps events while the server extension is missing (404) and stores them once it answers', async () => {
    const events = [attempt(), attempt()];
    let loaded = false;
    const { client, requests } = jupyterServer(() =>
      loaded
        ? { status: 200, body: storedBody(events) }
        : { status: 404, body: '<html><title>404: Not Found</title></html>' }
    );
    const box = outbox({
      send: batch => client.sendEvents(batch),
      baseDelayMs: 60_000,
      lingerMs: 10_000
    });
    const { refused, delivered } = watch(box);
    await box.enqueue(events);
    await box.flush();
    await box.flush();
    expect(requests).toHaveLength(2);
    expect(box.failures).toBe(2);
    expect(refused).toEqual([]);
    expect(delivered).toEqual([]);

    loaded = true;
    await box.flush();
    expect(delivered).toEqual(events.map(e => e.event_id));
    expect(requests.map(r => r.body)).toEqual([
      { events },
      { events },
      { events }
    ]);
    expect(box.failures).toBe(0);
    box.dispose();
  });

  it('drops each event the server refuses for want of consent (409) and sends the rest', async () => {
    const allowed = [attempt(), attempt()];
    const unconsented = { ...attempt(), course: 'never-asked' };
    const { client } = jupyterServer(({ body }) => {
      const { events } = body as { events: AdaptiveEvent[] };
      return events.some(e => e.course === 'never-asked')
        ? {
            status: 409,
            body: {
              error: "Recording is not allowed by the learner's consent.",
              details: [
                "Event 0: the consent level for course 'never-asked' is not given yet."
              ]
            }
          }
        : { status: 200, body: storedBody(events) };
    });
    const box = outbox({
      send: batch => client.sendEvents(batch),
      lingerMs: 10_000
    });
    const { refused, delivered } = watch(box);
    await box.enqueue([allowed[0], unconsented, allowed[1]]);
    await box.flush();
    expect(refused).toEqual([
      {
        events: [unconsented],
        status: 409,
        message: "Recording is not allowed by the learner's consent.",
        details: [
          "Event 0: the consent level for course 'never-asked' is not given yet."
        ]
      }
    ]);
    expect(delivered).toEqual(allowed.map(e => e.event_id));
    expect(box.failures).toBe(0);
    box.dispose();
  });

  it('drops what waits only after the erasure succeeds, holding the lock throughout', async () => {
    const { batches, send } = server(() => ({
      kind: 'failed',
      message: 'offline'
    }));
    const taken: string[] = [];
    // No retry may fire during the test: its flush would take the lock between ours.
    const box = outbox({
      send,
      lingerMs: 10_000,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      exclusive: loggingLock(taken)
    });
    const counts: number[] = [];
    box.countChanged.connect((_, count) => counts.push(count));
    await box.enqueue([attempt(), attempt()]);

    await expect(
      box.discardAfter(async () => {
        throw new Error('server down');
      })
    ).rejects.toThrow('server down');
    await box.flush();
    expect(batches.flat()).toHaveLength(2);

    const erased = await box.discardAfter(async () => {
      taken.push('erase');
      return 7;
    });
    expect(erased).toBe(7);
    expect(taken.slice(-3)).toEqual(['lock', 'erase', 'unlock']);
    expect(counts.at(-1)).toBe(0);
    box.dispose();
  });

  it('flushes under the lock it is given, one run at a time', async () => {
    const { batches, send } = server();
    const taken: string[] = [];
    const box = outbox({
      send,
      lingerMs: 10_000,
      exclusive: loggingLock(taken)
    });
    await box.enqueue([attempt()]);
    await Promise.all([box.flush(), box.flush()]);
    expect(taken).toEqual(['lock', 'unlock']);
    expect(batches).toHaveLength(1);
    box.dispose();
  });

  it('treats a transport that throws as a failed try', async () => {
    const send = jest.fn(async () => {
      throw new Error('network');
    });
    const box = outbox({ send, baseDelayMs: 60_000, lingerMs: 10_000 });
    await box.enqueue([attempt()]);
    await box.flush();
    expect(box.failures).toBe(1);
    box.dispose();
  });
});

describe('IndexedDBOutboxStorage', () => {
  it('is deleted even while another tab has it open, and that tab does not recreate it', async () => {
    const factory = new IDBFactory();
    const thisTab = new IndexedDBOutboxStorage('outbox-two-tabs', factory);
    const otherTab = new IndexedDBOutboxStorage('outbox-two-tabs', factory);
    await thisTab.add([attempt()]);
    expect(await otherTab.count()).toBe(1);
    await thisTab.delete(500);
    expect(await databaseNames(factory)).toEqual([]);
    await expect(otherTab.add([attempt()])).rejects.toThrow(/closed/);
    expect(await databaseNames(factory)).toEqual([]);
  });

  it('opens an existing database only when there is one', async () => {
    const factory = new IDBFactory();
    expect(await IndexedDBOutboxStorage.existing('absent', factory)).toBeNull();
    expect(await databaseNames(factory)).toEqual([]);
    await new IndexedDBOutboxStorage('present', factory).add([attempt()]);
    const present = await IndexedDBOutboxStorage.existing('present', factory);
    expect(await present?.count()).toBe(1);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const exact = (n: number) => backoffDelay(n, 1000, 60_000, () => 0.5);
    expect([1, 2, 3, 4].map(exact)).toEqual([1000, 2000, 4000, 8000]);
    expect(exact(20)).toBe(60_000);
  });

  it('spreads retries by up to 20 % either way', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1200);
  });
});
