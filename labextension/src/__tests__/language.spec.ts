/**
 * The learner's language: requests name it, and a course's translated hints are picked by it.
 */
import { ServerConnection } from '@jupyterlab/services';

import { AdaptiveClient } from '../client';
import { contentLanguage, translatedHints } from '../language';

describe('AdaptiveClient', () => {
  it.each([
    ['es-ES', 'es-ES'],
    [undefined, 'en']
  ])(
    'asks for the server sentences in JupyterLab language %s',
    async (language, header) => {
      const sent: (string | null)[] = [];
      const fetch = jest.fn(async (input: RequestInfo, init?: RequestInit) => {
        sent.push(new Request(input, init).headers.get('Accept-Language'));
        return new Response(JSON.stringify({ mastery: [], evidence: [] }));
      });
      const settings = ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch,
        token: 'secret'
      });
      const client = language
        ? new AdaptiveClient(settings, language)
        : new AdaptiveClient(settings);
      await client.mastery();
      await client.next('dsf');
      expect(sent).toEqual([header, header]);
    }
  );
});

describe('translated hints', () => {
  const metadata = {
    adaptive: {
      item: 'ticket-total',
      hints: ['Use **+**.', 'Assign it.'],
      hints_es: ['Usa **+**.', 'Asígnalo.']
    }
  };

  it('names the language as course files do', () => {
    expect(['es-ES', 'es_ES', 'ES', 'en'].map(contentLanguage)).toEqual([
      'es',
      'es',
      'es',
      'en'
    ]);
  });

  it('come in the learner language when the course translated them', () => {
    expect(translatedHints(metadata, 'es-ES')).toEqual([
      'Usa **+**.',
      'Asígnalo.'
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another language', metadata, 'fr-FR'],
    ['English, the original', metadata, 'en'],
    [
      'fewer hints than the originals',
      { adaptive: { hints: ['a', 'b'], hints_es: ['a'] } },
      'es'
    ],
    [
      'hints that are not texts',
      { adaptive: { hints: ['a'], hints_es: [3] } },
      'es'
    ],
    ['no adaptive metadata', {}, 'es']
  ])('fall back to the originals for %s', (_, cell, language) => {
    expect(translatedHints(cell, language)).toBeNull();
  });
});
