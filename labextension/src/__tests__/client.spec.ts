import { ServerConnection } from '@jupyterlab/services';

import { AdaptiveClient } from '../client';
import type { Delivery } from '../queue';
import { Answer, attempt, jupyterServer, storedBody } from './fixtures';

/** What `sendEvents` makes of the server's answer to one attempt. */
function deliveryOf(answer: Answer): Promise<Delivery> {
  return jupyterServer(() => answer).client.sendEvents([attempt()]);
}

const INVALID = {
  error: '1 of 1 events are invalid; nothing of this batch was stored.',
  details: ["Event 0 (x): field `outcome` must be one of 'correct'."]
};
const NO_CONSENT = {
  error: "Recording is not allowed by the learner's consent.",
  details: ["Event 0: the consent level for course 'dsf' is off."]
};

describe('AdaptiveClient.sendEvents', () => {
  it('reports stored events with the server answer', async () => {
    const events = [attempt()];
    const { client, requests } = jupyterServer(() => ({
      status: 200,
      body: storedBody(events)
    }));
    expect(await client.sendEvents(events)).toEqual({
      kind: 'stored',
      results: [{ event_id: events[0].event_id, status: 'stored' }]
    });
    expect(requests).toEqual([
      { method: 'POST', path: '/adaptive/api/events', body: { events } }
    ]);
  });

  it('sends a batch gzipped for the widget view, without a cache buster, cache headers or Referer', async () => {
    const { client, fetch } = jupyterServer(() => ({ status: 200, body: {} }));
    await client.sendEvents([attempt()]);
    const request = fetch.mock.calls[0][0] as Request;
    expect(request.headers.get('Content-Encoding')).toBe('gzip');
    expect(new URL(request.url).search).toBe('?view=widget');
    expect(request.cache).toBe('default');
    expect(request.referrerPolicy).toBe('no-referrer');
  });

  it.each<[string, number, unknown]>([
    ['a 400 whose details name the invalid events', 400, INVALID],
    ['no consent for the course (409)', 409, NO_CONSENT],
    ['too large for the API (413)', 413, { error: 'Larger than 1 MB.' }],
    ['too large for a proxy (413)', 413, '<html>413 Too Large</html>'],
    ['a 422', 422, { error: 'Unprocessable.', details: [] }]
  ])(
    'drops the events on %s, with the server sentence and details',
    async (_, status, body) => {
      const api = typeof body === 'string' ? null : (body as typeof INVALID);
      expect(await deliveryOf({ status, body })).toEqual({
        kind: 'refused',
        status,
        message: api?.error ?? expect.stringContaining(String(status)),
        details: api?.details ?? []
      });
    }
  );

  it.each<[string, number, unknown]>([
    [
      'a 400 that names no event (a proxy, not the API)',
      400,
      '<html>400</html>'
    ],
    [
      'a 404: the server extension did not load',
      404,
      '<html><title>404: Not Found</title></html>'
    ],
    ...[401, 403, 429, 500, 502, 503].map(
      (status): [string, number, unknown] => [
        `a ${status}`,
        status,
        { error: 'Not now.', details: [] }
      ]
    )
  ])('keeps the events on %s', async (_, status, body) => {
    expect((await deliveryOf({ status, body })).kind).toBe('failed');
  });

  it('keeps the events when the network fails', async () => {
    const client = new AdaptiveClient(
      ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        }
      })
    );
    expect((await client.sendEvents([attempt()])).kind).toBe('failed');
  });
});

describe('AdaptiveClient: the learner data', () => {
  it('reads the export and deletes the data at their endpoints', async () => {
    const { client, requests } = jupyterServer(({ method }) =>
      method === 'GET'
        ? { status: 200, body: { learner: 'p', events: [] } }
        : { status: 200, body: { deleted_events: 3 } }
    );
    expect(await client.exportData()).toEqual({ learner: 'p', events: [] });
    expect(await client.deleteData()).toEqual({ deleted_events: 3 });
    expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /adaptive/api/export',
      'DELETE /adaptive/api/data'
    ]);
  });
});
