/**
 * The learner's own data: a download of everything the course server stores about them, and its
 * erasure, after which this browser forgets their consent choices and sends nothing it had
 * queued before.
 */
import type { AdaptiveClient } from './client';
import type { ConsentGate } from './consent';
import type { Outbox } from './queue';

/** The name of the downloaded file. */
export const EXPORT_FILE_NAME = 'jupyter-adaptive-my-data.json';

export interface MyDataOptions {
  client: Pick<AdaptiveClient, 'exportData' | 'deleteData'>;
  outbox: Pick<Outbox, 'discardAfter'>;
  consent: Pick<ConsentGate, 'forget'>;
}

/** Fetch the learner's export and save it as a JSON file through the browser's download. */
export async function downloadMyData(
  client: MyDataOptions['client'],
  doc: Document = document
): Promise<void> {
  const data = await client.exportData();
  const blob = new Blob([JSON.stringify(data, null, 2)], {
    type: 'application/json'
  });
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = EXPORT_FILE_NAME;
  doc.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started from the click; the object URL is freed once this task ends.
  setTimeout(() => URL.revokeObjectURL(url));
}

/**
 * Erase the learner's data at the server; return how many stored events went.
 *
 * The events waiting in this browser go too, under the outbox's lock so that no tab stores one
 * of them after the erasure (a waiting consent choice would otherwise make the attempts queued
 * behind it count again). Then every consent level this browser remembers is forgotten: the next
 * graded run asks again. When the server does not erase, nothing here changes.
 */
export async function deleteMyData({
  client,
  outbox,
  consent
}: MyDataOptions): Promise<number> {
  const { deleted_events } = await outbox.discardAfter(() =>
    client.deleteData()
  );
  await consent.forget();
  return deleted_events;
}
