import { ConsentGate } from '../consent';
import { deleteMyData, downloadMyData, EXPORT_FILE_NAME } from '../mydata';
import { IndexedDBOutboxStorage, Outbox } from '../queue';
import type { ConsentLevel } from '../tokens';
import { attempt, jupyterServer, server } from './fixtures';

/** A consent gate whose browser memory is a plain object. */
function consentRemembering(remembered: Record<string, ConsentLevel>) {
  return new ConsentGate({
    fetch: async () => null,
    ask: async () => null,
    record: async (course, level) => {
      remembered[course] = level;
    },
    remembered: () => remembered,
    forget: async courses => {
      for (const course of courses ?? Object.keys(remembered)) {
        delete remembered[course];
      }
    }
  });
}

/** An outbox whose server cannot be reached: what is queued waits. */
function offlineOutbox(name: string) {
  const storage = new IndexedDBOutboxStorage(name);
  const outbox = new Outbox({
    storage,
    send: server(() => ({ kind: 'failed', message: 'offline' })).send,
    lingerMs: 10_000
  });
  return { storage, outbox };
}

describe('deleteMyData', () => {
  it('erases at the server, drops what waits here, then forgets every consent level', async () => {
    const remembered: Record<string, ConsentLevel> = { other: 'drafts' };
    const consent = consentRemembering(remembered);
    await consent.set('dsf', 'outcomes');
    const { storage, outbox } = offlineOutbox('mydata-delete');
    await outbox.enqueue([attempt(), attempt()]);
    const { client, requests } = jupyterServer(() => ({
      status: 200,
      body: { deleted_events: 4 }
    }));

    expect(await deleteMyData({ client, outbox, consent })).toBe(4);
    expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'DELETE /adaptive/api/data'
    ]);
    expect(await storage.count()).toBe(0);
    expect(remembered).toEqual({});
    expect(consent.known('dsf')).toBeNull();
    outbox.dispose();
  });

  it('changes nothing in the browser when the server does not erase', async () => {
    const remembered: Record<string, ConsentLevel> = {};
    const consent = consentRemembering(remembered);
    await consent.set('dsf', 'outcomes');
    const { storage, outbox } = offlineOutbox('mydata-refused');
    await outbox.enqueue([attempt()]);
    const { client } = jupyterServer(() => ({
      status: 503,
      body: { error: 'The adaptive service is unreachable.', details: [] }
    }));

    await expect(deleteMyData({ client, outbox, consent })).rejects.toThrow(
      'The adaptive service is unreachable.'
    );
    expect(await storage.count()).toBe(1);
    expect(remembered).toEqual({ dsf: 'outcomes' });
    outbox.dispose();
  });
});

describe('downloadMyData', () => {
  afterEach(() => jest.restoreAllMocks());

  it('saves the export as a JSON file with its name', async () => {
    const exported = { learner: 'p', events: [attempt()] };
    const { client } = jupyterServer(() => ({ status: 200, body: exported }));
    const saved: Blob[] = [];
    jest.spyOn(URL, 'createObjectURL').mockImplementation(blob => {
      saved.push(blob as Blob);
      return 'blob:my-data';
    });
    jest.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: { href: string; download: string }[] = [];
    const link = {
      href: '',
      download: '',
      click() {
        clicked.push({ href: this.href, download: this.download });
      },
      remove: jest.fn()
    };
    const doc = {
      createElement: () => link,
      body: { appendChild: jest.fn() }
    } as unknown as Document;

    await downloadMyData(client, doc);
    expect(clicked).toEqual([
      { href: 'blob:my-data', download: EXPORT_FILE_NAME }
    ]);
    expect(saved[0].type).toBe('application/json');
    expect(JSON.parse(await saved[0].text())).toEqual(exported);
    expect(link.remove).toHaveBeenCalled();
  });
});
