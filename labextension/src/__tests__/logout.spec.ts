import { IDBFactory } from 'fake-indexeddb';

import { LogoutCommandIDs } from '../commands';
import { LearnerScope, openLearnerStorage } from '../learnerstorage';
import { clearAtLogout } from '../logout';
import { Outbox, Transport } from '../queue';
import { attempt, databaseNames, MemoryStorage, server } from './fixtures';

const ana: LearnerScope = {
  baseUrl: 'http://127.0.0.1:8000/user/ana/',
  hubUser: 'ana'
};
const ben: LearnerScope = {
  baseUrl: 'http://127.0.0.1:8000/user/ben/',
  hubUser: 'ben'
};

/**
 * The part of Lumino's CommandRegistry that logout touches, as Lumino does it: `execute` runs the
 * command at once and answers with a promise of its result. (Lumino itself needs a DOM to load.)
 */
class Commands {
  addCommand(id: string, options: { execute: () => unknown }): void {
    this._commands.set(id, options.execute);
  }

  execute(id: string): Promise<unknown> {
    const command = this._commands.get(id);
    if (!command) {
      return Promise.reject(new Error(`Command '${id}' not registered.`));
    }
    try {
      return Promise.resolve(command());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private readonly _commands = new Map<string, () => unknown>();
}

let info: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** Ana's page: her storage, an outbox on `send`, logout cleared on a command registry. */
async function anasPage(send: Transport, flushMs?: number) {
  const factory = new IDBFactory();
  const local = new MemoryStorage();
  const { outboxStorage, progress } = await openLearnerStorage(
    ana,
    local,
    factory
  );
  const outbox = new Outbox({ storage: outboxStorage, send, lingerMs: 60_000 });
  const commands = new Commands();
  clearAtLogout(commands, {
    outbox,
    storage: outboxStorage,
    progress,
    flushMs
  });
  return {
    factory,
    local,
    outbox,
    progress,
    commands,
    name: outboxStorage.name
  };
}

/** A logout command as JupyterLab's: it notes what the browser still held when it navigated. */
function logoutCommand(
  commands: Commands,
  id: string,
  factory: IDBFactory,
  local: MemoryStorage
) {
  const navigations: { databases: Promise<string[]>; keys: string[] }[] = [];
  commands.addCommand(id, {
    execute: () => {
      navigations.push({
        databases: databaseNames(factory),
        keys: local.keys()
      });
    }
  });
  return navigations;
}

describe('clearAtLogout', () => {
  it.each(Object.values(LogoutCommandIDs))(
    'sends what waits, then deletes the outbox and progress before %s navigates',
    async id => {
      const { batches, send } = server();
      const page = await anasPage(send);
      const navigations = logoutCommand(
        page.commands,
        id,
        page.factory,
        page.local
      );
      const events = [attempt(), attempt()];
      await page.outbox.enqueue(events);
      page.progress.useHint('dsf', 'i1');

      await page.commands.execute(id);

      expect(batches.flat().map(e => e.event_id)).toEqual(
        events.map(e => e.event_id)
      );
      expect(navigations).toHaveLength(1);
      expect(await navigations[0].databases).toEqual([]);
      expect(navigations[0].keys).toEqual([]);
      expect(info).toHaveBeenLastCalledWith(
        `jupyter-adaptive: cleared outbox ${page.name} (0 unsent)`
      );
    }
  );

  it('deletes what the server did not take in time, and still logs out', async () => {
    const page = await anasPage(() => new Promise(() => undefined), 20);
    const navigations = logoutCommand(
      page.commands,
      LogoutCommandIDs.hub,
      page.factory,
      page.local
    );
    await page.outbox.enqueue([attempt(), attempt()]);

    await page.commands.execute(LogoutCommandIDs.hub);

    expect(navigations).toHaveLength(1);
    expect(await navigations[0].databases).toEqual([]);
    expect(info).toHaveBeenLastCalledWith(
      `jupyter-adaptive: cleared outbox ${page.name} (2 unsent)`
    );
  });

  it('leaves other commands and other learners alone', async () => {
    const page = await anasPage(server().send);
    const forBen = await openLearnerStorage(ben, page.local, page.factory);
    await forBen.outboxStorage.add([attempt()]);
    forBen.progress.useHint('dsf', 'i1');
    page.commands.addCommand('other', { execute: () => 42 });
    logoutCommand(
      page.commands,
      LogoutCommandIDs.hub,
      page.factory,
      page.local
    );

    expect(await page.commands.execute('other')).toBe(42);
    await page.commands.execute(LogoutCommandIDs.hub);

    expect(await forBen.outboxStorage.count()).toBe(1);
    expect(forBen.progress.hintsUsed('dsf', 'i1')).toBe(1);
  });
});
