/**
 * Learner data kept in the browser, one learner on one server at a time.
 *
 * IndexedDB and localStorage belong to an origin. On JupyterHub every user's server shares the
 * Hub's origin (`/user/<name>/`) and the browser outlives a logout, so storage named once per
 * origin would let learner B's server send learner A's queued drafts as B's. Every name therefore
 * carries the server's base URL and the hub user ('' outside a hub): two learners, or two
 * servers, on one browser never see each other's outbox or counters.
 */
import { ItemProgress, ProgressStorage } from './progress';
import { IndexedDBOutboxStorage } from './queue';

/** Whose data a page keeps: one server and one hub user. */
export interface LearnerScope {
  /** The server's base URL (`PageConfig.getBaseUrl()`). */
  baseUrl: string;
  /** The logged-in hub user (`PageConfig.getOption('hubUser')`); '' outside JupyterHub. */
  hubUser: string;
}

/** The outbox database of versions that kept one queue for every user of the origin. */
export const UNKEYED_OUTBOX = 'jupyter-adaptive';

/** `jupyter-adaptive:<base URL>:<hub user>:outbox`; the Web Lock of its tabs has the same name. */
export function outboxName(scope: LearnerScope): string {
  return `${scopeKey(scope)}:outbox`;
}

/** The prefix of the learner's progress keys in localStorage. */
export function progressPrefix(scope: LearnerScope): string {
  return `${scopeKey(scope)}:progress:`;
}

/** The learner's outbox storage and progress counters, ready for this page. */
export interface LearnerStorage {
  outboxStorage: IndexedDBOutboxStorage;
  progress: ItemProgress;
}

/**
 * Open the scope's storage, after taking over (or deleting) what earlier versions kept unkeyed.
 *
 * Events found in the unkeyed outbox belong to whoever used this browser last, and nothing in
 * them says who that was. Outside a hub the origin is one learner's own server, so they are that
 * learner's: they move into the keyed outbox once (each event id at most once, so a tab closed
 * mid-move loses and doubles nothing) and the unkeyed database is deleted. On a hub they may be
 * another learner's: sending them would put that learner's drafts into this learner's record, and
 * keeping them would leave them on a shared computer, so they are deleted unsent (their count is
 * logged). What is lost is the record of a few attempts made offline before the upgrade, not the
 * work: the notebooks are saved on the learner's server. Progress counters (attempt numbers,
 * hints opened) follow the same rule.
 */
export async function openLearnerStorage(
  scope: LearnerScope,
  local: ProgressStorage | null,
  factory: IDBFactory = indexedDB
): Promise<LearnerStorage> {
  const outbox = new IndexedDBOutboxStorage(outboxName(scope), factory);
  const progress = new ItemProgress(local, progressPrefix(scope));
  const adopt = scope.hubUser === '';
  try {
    progress.adoptUnkeyed(adopt);
    await adoptUnkeyedOutbox(outbox, adopt, factory);
  } catch (error) {
    console.warn(
      `jupyter-adaptive: could not clear the unkeyed outbox ${UNKEYED_OUTBOX}`,
      error
    );
  }
  console.info(`jupyter-adaptive: outbox ${outbox.name}`);
  return { outboxStorage: outbox, progress };
}

function scopeKey({ baseUrl, hubUser }: LearnerScope): string {
  return `jupyter-adaptive:${baseUrl}:${encodeURIComponent(hubUser)}`;
}

async function adoptUnkeyedOutbox(
  target: IndexedDBOutboxStorage,
  adopt: boolean,
  factory: IDBFactory
): Promise<void> {
  const unkeyed = await IndexedDBOutboxStorage.existing(
    UNKEYED_OUTBOX,
    factory
  );
  if (!unkeyed) {
    return;
  }
  const waiting = await unkeyed.count();
  if (adopt) {
    for (;;) {
      const batch = await unkeyed.oldest(MOVE_BATCH);
      if (batch.length === 0) {
        break;
      }
      await target.add(batch);
      await unkeyed.remove(batch.map(event => event.event_id));
    }
  }
  await unkeyed.delete();
  console.info(
    adopt
      ? `jupyter-adaptive: moved ${waiting} waiting event(s) from ${UNKEYED_OUTBOX} into ${target.name}`
      : `jupyter-adaptive: deleted ${UNKEYED_OUTBOX} with ${waiting} unsent event(s) of an unknown hub user`
  );
}

const MOVE_BATCH = 500;
