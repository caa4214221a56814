/**
 * Clearing the learner's browser storage at logout.
 *
 * On a shared computer the next learner must find nothing of the last one. Before JupyterLab's
 * logout commands navigate away, the outbox gets a bounded chance to send what waits; then its
 * database and the learner's progress counters are deleted, sent or not.
 *
 * How the commands are hooked: `hub:logout` (@jupyterlab/hub-extension) and `filemenu:logout`
 * (@jupyterlab/mainmenu-extension) assign `window.location` inside their `execute`.
 * `commandExecuted` is emitted after that, too late to hold the navigation, and `beforeunload`
 * cannot wait for IndexedDB. Lumino offers no way to wrap a command another plugin registered
 * (`addCommand` throws for a taken id; only that plugin holds the disposable), so we wrap
 * `execute` of the application's `CommandRegistry` instead. Menus, the palette and key bindings
 * all go through `commands.execute(id, args)`, so every way of logging out passes here, whichever
 * plugin registered the command and whether it did so before or after us. Other commands go
 * straight through, unchanged and synchronous. The original command always runs afterwards, also
 * when clearing failed or took too long, so logging out never depends on this extension.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { LogoutCommandIDs } from './commands';
import type { ItemProgress } from './progress';
import type { IndexedDBOutboxStorage, Outbox } from './queue';

export interface LogoutClearing {
  outbox: Outbox;
  storage: IndexedDBOutboxStorage;
  progress: ItemProgress;
  /** How long the last flush may take before what still waits is deleted unsent. */
  flushMs?: number;
}

/** Clear the learner's outbox and progress before any logout command runs. */
export function clearAtLogout(
  commands: Pick<JupyterFrontEnd['commands'], 'execute'>,
  options: LogoutClearing
): void {
  const ids: readonly string[] = Object.values(LogoutCommandIDs);
  let clearing: Promise<void> | null = null;
  const execute = commands.execute.bind(commands);
  commands.execute = (id: string, args?: ReadonlyPartialJSONObject) => {
    if (!ids.includes(id)) {
      return execute(id, args);
    }
    clearing ??= clear(options).catch(error =>
      console.warn('jupyter-adaptive: could not clear the outbox', error)
    );
    return clearing.then(() => execute(id, args));
  };
}

async function clear({
  outbox,
  storage,
  progress,
  flushMs = 3000
}: LogoutClearing): Promise<void> {
  await settleWithin(outbox.flush(), flushMs);
  outbox.dispose();
  progress.forget();
  const unsent = await storage.count().catch(() => 0);
  await storage.delete();
  console.info(
    `jupyter-adaptive: cleared outbox ${storage.name} (${unsent} unsent)`
  );
}

/** Wait for `work` to settle, but no longer than `ms`. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise(resolve => {
      timer = setTimeout(resolve, ms);
    })
  ]);
  clearTimeout(timer);
}
