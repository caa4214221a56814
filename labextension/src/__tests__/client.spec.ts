import { ServerConnection } from '@jupyterlab/services';

import { AdaptiveClient } from '../client';
import { Answer, attempt, jupyterServer, storedBody } from './fixtures';

/** Tornado's own 404 page: what a server without the extension answers. */
const NOT_FOUND_PAGE = '<html><title>404: Not Found</title></html>';

function clientAnswering(answer: Answer) {
  return jupyterServer(() => answer);
}

describe('AdaptiveClient.sendEvents', () => {
  it('reports stored events with the server answer', async () => {
    const events = [attempt()];
    const { client, requests } = clientAnswering({
      status: 200,
      body: storedBody(events)
    });
    expect(await client.sendEvents(events)).toEqual({
      kind: 'stored',
      results: [{ event_id: events[0].event_id, status: 'stored' }]
    });
    expect(requests).toEqual([
      { method: 'POST', path: '/adaptive/api/events', body: { events } }
    ]);
  });

  it('drops events a 400 names as invalid, with the server sentence and details', async () => {
    const { client } = clientAnswering({
      status: 400,
      body: {
        error: '1 of 1 events are invalid; nothing of this batch was stored.',
        details: ["Event 0 (x): 'outcome' must be one of correct, incorrect."]
      }
    });
    expect(await client.sendEvents([attempt()])).toEqual({
      kind: 'refused',
      status: 400,
      message: '1 of 1 events are invalid; nothing of this batch was stored.',
      details: ["Event 0 (x): 'outcome' must be one of correct, incorrect."]
    });
  });

  it('keeps events on a 400 that names no event (a proxy, not the API)', async () => {
    const { client } = clientAnswering({
      status: 400,
      body: '<html>400 Request Header Or Cookie Too Large</html>'
    });
    expect((await client.sendEvents([attempt()])).kind).toBe('failed');
  });

  it('keeps events on a 404: the server extension did not load', async () => {
    const { client } = clientAnswering({ status: 404, body: NOT_FOUND_PAGE });
    expect(await client.sendEvents([attempt()])).toEqual({
      kind: 'failed',
      message: expect.stringContaining('404')
    });
  });

  it('drops events the learner has not consented to (409)', async () => {
    const { client } = clientAnswering({
      status: 409,
      body: {
        error: "Recording is not allowed by the learner's consent.",
        details: ["Event 0: the consent level for course 'dsf' is off."]
      }
    });
    expect(await client.sendEvents([attempt()])).toMatchObject({
      kind: 'refused',
      status: 409,
      message: "Recording is not allowed by the learner's consent."
    });
  });

  it('drops a batch too large (413), from the API or a proxy', async () => {
    for (const body of [
      { error: 'The request body is larger than 1048576 bytes.' },
      '<html>413 Request Entity Too Large</html>'
    ]) {
      const { client } = clientAnswering({ status: 413, body });
      expect(await client.sendEvents([attempt()])).toMatchObject({
        kind: 'refused',
        status: 413,
        details: []
      });
    }
  });

  it('drops events on a 422', async () => {
    const { client } = clientAnswering({
      status: 422,
      body: { error: 'Unprocessable.', details: [] }
    });
    expect(await client.sendEvents([attempt()])).toMatchObject({
      kind: 'refused',
      status: 422,
      message: 'Unprocessable.'
    });
  });

  it.each([401, 403, 429, 500, 502, 503])(
    'keeps events on a %i',
    async status => {
      const { client } = clientAnswering({
        status,
        body: { error: 'Not now.', details: [] }
      });
      expect((await client.sendEvents([attempt()])).kind).toBe('failed');
    }
  );

  it('keeps events when the network fails', async () => {
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
