/**
 * The learner's progress on each item, as this browser counts it: attempt numbers, hints opened,
 * and when the answer was first edited. Kept in localStorage so that a reload does not restart
 * attempt numbers at 1, under keys that start with a prefix naming the learner and the server
 * (`learnerstorage.ts`): localStorage is shared by every user of one origin.
 */

/** What progress needs of `window.localStorage`. */
export type ProgressStorage = Pick<
  Storage,
  'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'
>;

/** The prefix of the keys of versions that kept one progress for every user of the origin. */
export const UNKEYED_PROGRESS_PREFIX = 'jupyter-adaptive:progress:';

/** Per-item counters, keyed by course and item. */
interface ItemCounters {
  attempts: number;
  hints: number;
  firstEdit?: number;
}

export class ItemProgress {
  constructor(
    private readonly storage: ProgressStorage | null,
    private readonly prefix: string,
    private readonly clock: () => number = Date.now
  ) {
    this._since = clock();
  }

  /** Count one more run of the item's tests and return its number (1, 2, ...). */
  nextAttempt(course: string, item: string): number {
    return this._update(course, item, c => ({ ...c, attempts: c.attempts + 1 }))
      .attempts;
  }

  /** The number the next attempt will get, without counting one (a blank run is no attempt). */
  upcomingAttempt(course: string, item: string): number {
    return this._read(course, item).attempts + 1;
  }

  /** Count one more hint opened and return how many are open. */
  useHint(course: string, item: string): number {
    return this._update(course, item, c => ({ ...c, hints: c.hints + 1 }))
      .hints;
  }

  hintsUsed(course: string, item: string): number {
    return this._read(course, item).hints;
  }

  /** Note an edit of the item's answer; only the first one counts. */
  markEdited(course: string, item: string): void {
    if (this._read(course, item).firstEdit === undefined) {
      this._update(course, item, c => ({ ...c, firstEdit: this.clock() }));
    }
  }

  /** Time from the first edit of the answer (or, unseen, from page load) to now. */
  elapsedMs(course: string, item: string): number {
    const start = this._read(course, item).firstEdit ?? this._since;
    return Math.max(0, this.clock() - start);
  }

  /** Forget everything counted under this prefix (at logout). */
  forget(): void {
    this._cache.clear();
    if (this.storage) {
      for (const key of keysStartingWith(this.storage, this.prefix)) {
        this.storage.removeItem(key);
      }
    }
  }

  /**
   * Take over the counters kept under the unkeyed prefix of earlier versions, or only delete them
   * when `adopt` is false. Counters already kept under this prefix win. Returns how many items
   * the unkeyed keys held.
   */
  adoptUnkeyed(adopt: boolean): number {
    const storage = this.storage;
    if (!storage) {
      return 0;
    }
    const keys = keysStartingWith(storage, UNKEYED_PROGRESS_PREFIX);
    for (const key of keys) {
      const value = storage.getItem(key);
      const target = this.prefix + key.slice(UNKEYED_PROGRESS_PREFIX.length);
      if (adopt && value !== null && storage.getItem(target) === null) {
        storage.setItem(target, value);
      }
      storage.removeItem(key);
    }
    return keys.length;
  }

  private _key(course: string, item: string): string {
    return `${this.prefix}${course}:${item}`;
  }

  private _read(course: string, item: string): ItemCounters {
    const key = this._key(course, item);
    const cached = this._cache.get(key);
    if (cached) {
      return cached;
    }
    let counters: ItemCounters = { attempts: 0, hints: 0 };
    try {
      const raw = this.storage?.getItem(key);
      if (raw) {
        counters = {
          ...counters,
          ...(JSON.parse(raw) as Partial<ItemCounters>)
        };
      }
    } catch {
      // Unreadable memory: count from zero, as a new browser would.
    }
    this._cache.set(key, counters);
    return counters;
  }

  private _update(
    course: string,
    item: string,
    change: (counters: ItemCounters) => ItemCounters
  ): ItemCounters {
    const key = this._key(course, item);
    const counters = change(this._read(course, item));
    this._cache.set(key, counters);
    try {
      this.storage?.setItem(key, JSON.stringify(counters));
    } catch {
      // Storage full or denied: the counters still hold for this page.
    }
    return counters;
  }

  private readonly _cache = new Map<string, ItemCounters>();
  private readonly _since: number;
}

function keysStartingWith(storage: ProgressStorage, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) {
      keys.push(key);
    }
  }
  return keys;
}
