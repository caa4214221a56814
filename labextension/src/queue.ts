/**
 * The outbox: events wait in IndexedDB until the server has stored them.
 *
 * They survive reloads, offline periods and a dead server; they are sent in order, in batches,
 * with exponential backoff between failed tries, and each event id is queued once. The server is
 * idempotent on `event_id`, so an event sent twice (a tab closed mid-request) is stored once.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { AdaptiveEvent, EventResult } from './tokens';

/** Durable, ordered storage of waiting events. */
export interface OutboxStorage {
  /** Whose queue this is: the tabs sharing it flush under a lock of this name. */
  readonly name: string;
  /** Append events in order; an event id already waiting is ignored. */
  add(events: readonly AdaptiveEvent[]): Promise<void>;
  /** The oldest `limit` events. */
  oldest(limit: number): Promise<AdaptiveEvent[]>;
  /** Forget events by id. */
  remove(eventIds: readonly string[]): Promise<void>;
  /** Forget every event. */
  clear(): Promise<void>;
  count(): Promise<number>;
}

/** What happened to one batch sent to the server. */
export type Delivery =
  | { kind: 'stored'; results: EventResult[] }
  /**
   * The server refused the batch for good (400 naming invalid events, 409, 413, 422): retrying
   * cannot help. `message` is the server's sentence, `details` one sentence per problem.
   */
  | { kind: 'refused'; status: number; message: string; details: string[] }
  /** The server could not take it now (network, 404, 5xx, 403 while logged out): retry. */
  | { kind: 'failed'; message: string };

/** Events the server refused for good, with its answer; the outbox has dropped them. */
export interface Refusal {
  events: AdaptiveEvent[];
  status: number;
  message: string;
  details: string[];
}

export type Transport = (events: AdaptiveEvent[]) => Promise<Delivery>;

export interface OutboxOptions {
  storage: OutboxStorage;
  send: Transport;
  /** Events per request. */
  batchSize?: number;
  /** The first retry delay; it doubles after each failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long new events wait for company before a flush (batching). */
  lingerMs?: number;
  /**
   * Runs a flush under a lock shared by the browser's tabs, so that two tabs do not send the
   * same waiting events at once; by default a Web Lock named after the storage, where the
   * browser has Web Locks.
   */
  exclusive?: (task: () => Promise<void>) => Promise<void>;
}

/** A lock shared by the tabs of one browser profile, when the browser has Web Locks. */
function tabsLock(name: string): (task: () => Promise<void>) => Promise<void> {
  return task => {
    const locks =
      typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request(name, task) : task();
  };
}

/** The delay before retry number `failures` (1, 2, ...): doubling, capped, with ±20 % jitter. */
export function backoffDelay(
  failures: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random
): number {
  const exponential = Math.min(
    maxDelayMs,
    baseDelayMs * 2 ** Math.max(0, failures - 1)
  );
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

export class Outbox {
  constructor(options: OutboxOptions) {
    this._storage = options.storage;
    this._send = options.send;
    this._batchSize = options.batchSize ?? 100;
    this._baseDelayMs = options.baseDelayMs ?? 1000;
    this._maxDelayMs = options.maxDelayMs ?? 60_000;
    this._lingerMs = options.lingerMs ?? 250;
    this._exclusive = options.exclusive ?? tabsLock(this._storage.name);
  }

  /** The server's answer for each stored (or duplicate) event. */
  get delivered(): ISignal<this, EventResult[]> {
    return this._delivered;
  }

  /** Events refused for good, with the server's reason; they are dropped. */
  get refused(): ISignal<this, Refusal> {
    return this._refused;
  }

  /** The number of waiting events, after every change. */
  get countChanged(): ISignal<this, number> {
    return this._countChanged;
  }

  /** Consecutive failed tries; 0 when the last try reached the server. */
  get failures(): number {
    return this._failures;
  }

  /** Queue events durably and schedule a flush. */
  async enqueue(events: readonly AdaptiveEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await this._storage.add(events);
    await this._announceCount();
    if (this._failures === 0) {
      this._schedule(this._lingerMs);
    }
  }

  /**
   * Send everything that waits, oldest first, until the outbox is empty or a try fails.
   *
   * Concurrent calls share one run. A refused batch of several events is retried one event at a
   * time so that one bad event does not take its neighbours down with it. Once the outbox is
   * disposed, a flush does nothing, and a run still under way ends quietly when its storage is
   * gone (deleted at logout).
   */
  flush(): Promise<void> {
    if (this._disposed) {
      return Promise.resolve();
    }
    if (!this._running) {
      this._clearTimer();
      this._running = this._exclusive(() => this._flushAll())
        .catch(error => {
          if (!this._disposed) {
            throw error;
          }
        })
        .finally(() => {
          this._running = null;
        });
    }
    return this._running;
  }

  /**
   * Run `task` (the server erasing the learner's data) while no tab of this browser sends, then
   * drop every waiting event unsent, so that nothing queued before the erasure is stored after
   * it. When `task` fails, nothing is dropped.
   */
  async discardAfter<T>(task: () => Promise<T>): Promise<T> {
    const results: T[] = [];
    await this._exclusive(async () => {
      results.push(await task());
      await this._storage.clear();
    });
    await this._announceCount();
    return results[0];
  }

  /** Stop timers; waiting events stay in storage for the next page. */
  dispose(): void {
    this._disposed = true;
    this._clearTimer();
    Signal.clearData(this);
  }

  private async _flushAll(): Promise<void> {
    let size = this._batchSize;
    for (;;) {
      const batch = await this._storage.oldest(size);
      if (batch.length === 0 || this._disposed) {
        return;
      }
      const delivery = await this._deliver(batch);
      if (delivery.kind === 'failed') {
        this._failures += 1;
        this._schedule(
          backoffDelay(this._failures, this._baseDelayMs, this._maxDelayMs)
        );
        return;
      }
      this._failures = 0;
      if (delivery.kind === 'refused' && batch.length > 1) {
        size = 1;
        continue;
      }
      await this._storage.remove(batch.map(event => event.event_id));
      await this._announceCount();
      if (delivery.kind === 'stored') {
        this._delivered.emit(delivery.results);
      } else {
        const { status, message, details } = delivery;
        this._refused.emit({ events: batch, status, message, details });
      }
      size = this._batchSize;
    }
  }

  private async _deliver(batch: AdaptiveEvent[]): Promise<Delivery> {
    try {
      return await this._send(batch);
    } catch (error) {
      return { kind: 'failed', message: String(error) };
    }
  }

  private async _announceCount(): Promise<void> {
    this._countChanged.emit(await this._storage.count());
  }

  private _schedule(delayMs: number): void {
    if (this._disposed) {
      return;
    }
    this._clearTimer();
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.flush();
    }, delayMs);
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private readonly _storage: OutboxStorage;
  private readonly _send: Transport;
  private readonly _batchSize: number;
  private readonly _baseDelayMs: number;
  private readonly _maxDelayMs: number;
  private readonly _lingerMs: number;
  private readonly _exclusive: (task: () => Promise<void>) => Promise<void>;
  private _failures = 0;
  private _running: Promise<void> | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _disposed = false;
  private readonly _delivered = new Signal<this, EventResult[]>(this);
  private readonly _refused = new Signal<this, Refusal>(this);
  private readonly _countChanged = new Signal<this, number>(this);
}

/**
 * The outbox's storage in IndexedDB, shared by the tabs of one learner on one server.
 *
 * The database name says whose queue it is (`learnerstorage.ts`). When another tab deletes the
 * database (logout) or upgrades it, this tab closes its connection and the storage stays closed:
 * its operations fail rather than recreate a queue that was meant to be gone.
 */
export class IndexedDBOutboxStorage implements OutboxStorage {
  constructor(
    readonly name: string,
    private readonly factory: IDBFactory = indexedDB
  ) {}

  /** The storage of an existing database, or null when there is none (and none is created). */
  static async existing(
    name: string,
    factory: IDBFactory = indexedDB
  ): Promise<IndexedDBOutboxStorage | null> {
    const storage = new IndexedDBOutboxStorage(name, factory);
    const db = await storage._open(false).catch(() => null);
    return db ? storage : null;
  }

  async add(events: readonly AdaptiveEvent[]): Promise<void> {
    const db = await this._db();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const event of events) {
        const request = store.add({ event_id: event.event_id, event });
        request.onerror = e => {
          // A second add of the same event id: already waiting, keep the first.
          if (request.error?.name === 'ConstraintError') {
            e.preventDefault();
            e.stopPropagation();
          }
        };
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  async oldest(limit: number): Promise<AdaptiveEvent[]> {
    const db = await this._db();
    return new Promise((resolve, reject) => {
      const request = db
        .transaction(STORE, 'readonly')
        .objectStore(STORE)
        .getAll(null, limit);
      request.onsuccess = () =>
        resolve(
          (request.result as { event: AdaptiveEvent }[]).map(row => row.event)
        );
      request.onerror = () => reject(request.error);
    });
  }

  async remove(eventIds: readonly string[]): Promise<void> {
    const db = await this._db();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const index = tx.objectStore(STORE).index('event_id');
      for (const id of eventIds) {
        const request = index.getKey(id);
        request.onsuccess = () => {
          if (request.result !== undefined) {
            tx.objectStore(STORE).delete(request.result);
          }
        };
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  async clear(): Promise<void> {
    const db = await this._db();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).clear();
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  async count(): Promise<number> {
    const db = await this._db();
    return new Promise((resolve, reject) => {
      const request = db
        .transaction(STORE, 'readonly')
        .objectStore(STORE)
        .count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /**
   * Close the storage for good and delete its database with every event in it. Rejects when the
   * deletion has not happened within `timeoutMs` (another connection keeps the database open).
   */
  async delete(timeoutMs = 2000): Promise<void> {
    this._closed = true;
    (await this._opening?.catch(() => null))?.close();
    await new Promise<void>((resolve, reject) => {
      const request = this.factory.deleteDatabase(this.name);
      const timer = setTimeout(
        () => reject(new Error(`could not delete ${this.name} in time`)),
        timeoutMs
      );
      request.onsuccess = () => {
        clearTimeout(timer);
        resolve();
      };
      request.onerror = () => {
        clearTimeout(timer);
        reject(request.error);
      };
    });
  }

  private _db(): Promise<IDBDatabase> {
    if (this._closed) {
      return Promise.reject(new Error(`the outbox ${this.name} is closed`));
    }
    return this._opening ?? this._open(true);
  }

  private _open(create: boolean): Promise<IDBDatabase> {
    this._opening = openDatabase(this.factory, this.name, create).then(db => {
      db.onversionchange = () => {
        this._closed = true;
        db.close();
      };
      return db;
    });
    return this._opening;
  }

  private _opening: Promise<IDBDatabase> | null = null;
  private _closed = false;
}

const STORE = 'outbox';

/**
 * Open the outbox database `name`. Without `create`, a database that does not exist yet is not
 * created: its first upgrade is aborted (which removes it) and the promise rejects.
 */
function openDatabase(
  factory: IDBFactory,
  name: string,
  create: boolean
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = event => {
      if (!create && event.oldVersion === 0) {
        request.transaction?.abort();
        return;
      }
      // Keys are an increasing sequence: getAll() returns events in the order queued.
      const store = request.result.createObjectStore(STORE, {
        autoIncrement: true
      });
      store.createIndex('event_id', 'event_id', { unique: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
