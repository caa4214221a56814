import { IDBFactory } from 'fake-indexeddb';

import {
  LearnerScope,
  openLearnerStorage,
  outboxName,
  progressPrefix,
  UNKEYED_OUTBOX
} from '../learnerstorage';
import { UNKEYED_PROGRESS_PREFIX } from '../progress';
import { IndexedDBOutboxStorage, Outbox } from '../queue';
import { attempt, databaseNames, MemoryStorage, server } from './fixtures';

const hub = 'http://127.0.0.1:8000';
const ana: LearnerScope = { baseUrl: `${hub}/user/ana/`, hubUser: 'ana' };
const ben: LearnerScope = { baseUrl: `${hub}/user/ben/`, hubUser: 'ben' };
const alone: LearnerScope = { baseUrl: 'http://localhost:8888/', hubUser: '' };

beforeEach(() => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** What an earlier version left behind: an unkeyed outbox and unkeyed progress. */
async function unkeyedLeftovers(factory: IDBFactory, local: MemoryStorage) {
  const events = [attempt(), attempt()];
  await new IndexedDBOutboxStorage(UNKEYED_OUTBOX, factory).add(events);
  local.setItem(
    `${UNKEYED_PROGRESS_PREFIX}dsf:i1`,
    JSON.stringify({ attempts: 3, hints: 2 })
  );
  return events;
}

describe('outboxName', () => {
  it('names the outbox after the server base URL and the hub user', () => {
    expect(outboxName(ana)).toBe(
      'jupyter-adaptive:http://127.0.0.1:8000/user/ana/:ana:outbox'
    );
    expect(outboxName(alone)).toBe(
      'jupyter-adaptive:http://localhost:8888/::outbox'
    );
  });

  it('gives every (base URL, user) pair its own name', () => {
    const names = new Set([
      outboxName(ana),
      outboxName(ben),
      outboxName({ ...ana, hubUser: 'ben' }),
      outboxName({ ...ana, baseUrl: `${hub}/user/ana/other/` })
    ]);
    expect(names.size).toBe(4);
  });

  it('cannot be forged by a user name with separators in it', () => {
    expect(outboxName({ baseUrl: 'http://h/', hubUser: 'a:b' })).toBe(
      'jupyter-adaptive:http://h/:a%3Ab:outbox'
    );
  });

  it('keys progress the same way, apart from the unkeyed prefix', () => {
    expect(progressPrefix(ana)).toBe(
      'jupyter-adaptive:http://127.0.0.1:8000/user/ana/:ana:progress:'
    );
    expect(progressPrefix(alone).startsWith(UNKEYED_PROGRESS_PREFIX)).toBe(
      false
    );
  });
});

describe('openLearnerStorage', () => {
  it('keeps two learners on one browser apart', async () => {
    const factory = new IDBFactory();
    const local = new MemoryStorage();
    const forAna = await openLearnerStorage(ana, local, factory);
    const forBen = await openLearnerStorage(ben, local, factory);
    const anaEvents = [attempt(), attempt()];
    await forAna.outboxStorage.add(anaEvents);
    forAna.progress.useHint('dsf', 'i1');

    const bensServer = server();
    const bensOutbox = new Outbox({
      storage: forBen.outboxStorage,
      send: bensServer.send
    });
    await bensOutbox.flush();
    bensOutbox.dispose();
    expect(bensServer.batches).toEqual([]);
    expect(forBen.progress.hintsUsed('dsf', 'i1')).toBe(0);
    expect(
      (await forAna.outboxStorage.oldest(10)).map(e => e.event_id)
    ).toEqual(anaEvents.map(e => e.event_id));
  });

  it('logs the name of the outbox it opens', async () => {
    await openLearnerStorage(ana, new MemoryStorage(), new IDBFactory());
    expect(console.info).toHaveBeenCalledWith(
      `jupyter-adaptive: outbox ${outboxName(ana)}`
    );
  });

  it('outside a hub, moves the unkeyed outbox and progress in once', async () => {
    const factory = new IDBFactory();
    const local = new MemoryStorage();
    const events = await unkeyedLeftovers(factory, local);

    const first = await openLearnerStorage(alone, local, factory);
    expect((await first.outboxStorage.oldest(10)).map(e => e.event_id)).toEqual(
      events.map(e => e.event_id)
    );
    expect(first.progress.hintsUsed('dsf', 'i1')).toBe(2);
    expect(first.progress.nextAttempt('dsf', 'i1')).toBe(4);
    expect(await databaseNames(factory)).toEqual([outboxName(alone)]);
    expect(local.keys()).toEqual([`${progressPrefix(alone)}dsf:i1`]);

    const again = await openLearnerStorage(alone, local, factory);
    expect(await again.outboxStorage.count()).toBe(2);
  });

  it('on a hub, deletes the unkeyed outbox and progress unsent', async () => {
    const factory = new IDBFactory();
    const local = new MemoryStorage();
    await unkeyedLeftovers(factory, local);

    const opened = await openLearnerStorage(ana, local, factory);
    expect(await opened.outboxStorage.count()).toBe(0);
    expect(opened.progress.hintsUsed('dsf', 'i1')).toBe(0);
    expect(await databaseNames(factory)).toEqual([outboxName(ana)]);
    expect(local.keys()).toEqual([]);
    expect(console.info).toHaveBeenCalledWith(
      `jupyter-adaptive: deleted ${UNKEYED_OUTBOX} with 2 unsent event(s) of an unknown hub user`
    );
  });

  it('creates no unkeyed outbox where there was none', async () => {
    const factory = new IDBFactory();
    await openLearnerStorage(alone, new MemoryStorage(), factory);
    expect(await databaseNames(factory)).toEqual([]);
  });
});
