/** What the specs share: events, servers that store them, a localStorage in memory. */
import { ServerConnection } from '@jupyterlab/services';

import { AdaptiveClient } from '../client';
import { attemptEvent, gradedCell } from '../events';
import type { ProgressStorage } from '../progress';
import type { Delivery } from '../queue';
import type { AdaptiveEvent } from '../tokens';

const cell = gradedCell('code', { adaptive: { item: 'i1', skills: ['s1'] } })!;
let attemptNumber = 0;

/** A new attempt event with its own id. */
export function attempt(): AdaptiveEvent {
  attemptNumber += 1;
  return attemptEvent({
    place: { course: 'dsf' },
    cell,
    attempt: attemptNumber,
    run: { outcome: 'correct' },
    durationMs: 0,
    hintsUsed: 0,
    source: '',
    draftMaxBytes: 10
  });
}

/** The server's answer when it stores a whole batch. */
export function stored(batch: AdaptiveEvent[]): Delivery {
  return {
    kind: 'stored',
    results: batch.map(e => ({
      event_id: e.event_id,
      status: 'stored' as const
    }))
  };
}

/** A fake server: records each batch; answers with what `answer` says. */
export function server(
  answer: (batch: AdaptiveEvent[], call: number) => Delivery = stored
) {
  const batches: AdaptiveEvent[][] = [];
  const send = jest.fn(async (batch: AdaptiveEvent[]) => {
    batches.push(batch);
    return answer(batch, batches.length);
  });
  return { batches, send };
}

/** `window.localStorage` in memory. */
export class MemoryStorage implements ProgressStorage {
  get length(): number {
    return this._items.size;
  }

  key(index: number): string | null {
    return [...this._items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    return this._items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this._items.set(key, value);
  }

  removeItem(key: string): void {
    this._items.delete(key);
  }

  keys(): string[] {
    return [...this._items.keys()];
  }

  private readonly _items = new Map<string, string>();
}

/** The names of the databases a factory holds. */
export async function databaseNames(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map(db => db.name ?? '');
}

/** An answer of the fake Jupyter server: a status and a body (JSON unless a string). */
export interface Answer {
  status: number;
  body?: unknown;
}

/** A request the fake Jupyter server got. */
export interface ServerRequest {
  method: string;
  path: string;
  /** The JSON body, or null. */
  body: unknown;
}

/**
 * A fake Jupyter server behind `fetch`: answers each request with what `answer` says and keeps
 * the requests (method, path, JSON body) it got; `client` talks to it.
 */
export function jupyterServer(answer: (request: ServerRequest) => Answer) {
  const requests: ServerRequest[] = [];
  const fetch = jest.fn(async (input: RequestInfo, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const text =
      request.headers.get('Content-Encoding') === 'gzip'
        ? await new Response(
            request.body!.pipeThrough(new DecompressionStream('gzip'))
          ).text()
        : await request.text();
    const got = {
      method: request.method,
      path,
      body: text ? JSON.parse(text) : null
    };
    requests.push(got);
    const { status, body } = answer(got);
    const payload =
      typeof body === 'string' ? body : JSON.stringify(body ?? null);
    return new Response(payload, { status });
  });
  const client = new AdaptiveClient(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch,
      token: 'secret'
    })
  );
  return { client, fetch, requests };
}

/** The body a stored batch gets from `POST /adaptive/api/events`. */
export function storedBody(events: AdaptiveEvent[]): unknown {
  return {
    results: events.map(e => ({ event_id: e.event_id, status: 'stored' }))
  };
}
