/**
 * The REST client of `/adaptive/api/`: ServerConnection carries the token, cookies and XSRF
 * header exactly as for JupyterLab's own requests.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { Delivery } from './queue';
import type {
  AdaptiveEvent,
  ApiErrorBody,
  CheckState,
  ConsentLevel,
  ConsentState,
  CourseNote,
  DeletedData,
  EventsResponse,
  LearnerExport,
  MasteryReport,
  NextExercise
} from './tokens';

/** An error answer of the API, with its status and its one-sentence message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = []
  ) {
    super(message);
  }
}

/**
 * Whether an error answer to `POST events` refuses the events themselves, so that no retry can
 * change it: a 400 whose `details` name the invalid events (a 400 without them comes from
 * something else on the way, such as a proxy), 413 (too large), 422, and 409 (no consent for the
 * course: DEVELOPERS.md says why that one drops too). Anything else, 404 included (the server
 * extension did not load), is a server that cannot take events now: they stay and are retried.
 */
export function refusesEvents(error: ApiError): boolean {
  switch (error.status) {
    case 400:
      return error.details.length > 0;
    case 409:
    case 413:
    case 422:
      return true;
    default:
      return false;
  }
}

/** Bodies shorter than this go as they are: gzip's header and trailer would eat the saving. */
const GZIP_MIN_LENGTH = 200;

/** `body` gzipped where the browser can (`CompressionStream`) and it is worth it; else null. */
async function gzipped(body: string): Promise<Blob | null> {
  if (
    typeof CompressionStream === 'undefined' ||
    body.length < GZIP_MIN_LENGTH
  ) {
    return null;
  }
  const stream = new Blob([body])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

export class AdaptiveClient {
  /**
   * @param language JupyterLab's language (`ITranslator.languageCode`, e.g. `es-ES`), sent as
   * `Accept-Language` so that the server's sentences come in it.
   */
  constructor(
    private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
    private readonly language = 'en'
  ) {}

  /** `POST events` for the outbox: stored, refused for good, or failed (retry later). */
  async sendEvents(events: AdaptiveEvent[]): Promise<Delivery> {
    try {
      const body = JSON.stringify({ events });
      const compressed = await gzipped(body);
      // Every byte counts on a slow network: a gzipped body where the browser can, no cache
      // buster, no Cache-Control and Pragma headers (a POST is never cached) and no Referer
      // (jupyter_server checks the XSRF token).
      // The widget view: only what the feedback widget and the check-in show.
      const answer = await this._request<EventsResponse>(
        'events',
        {
          method: 'POST',
          body: compressed ?? body,
          headers: compressed
            ? { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }
            : { 'Content-Type': 'application/json' },
          cache: 'default',
          referrerPolicy: 'no-referrer'
        },
        { view: 'widget' }
      );
      return { kind: 'stored', results: answer.results };
    } catch (error) {
      if (error instanceof ApiError && refusesEvents(error)) {
        return {
          kind: 'refused',
          status: error.status,
          message: error.message,
          details: error.details
        };
      }
      return { kind: 'failed', message: String(error) };
    }
  }

  async consent(course: string): Promise<ConsentState> {
    return this._request<ConsentState>('consent', {}, { course });
  }

  async setConsent(course: string, level: ConsentLevel): Promise<ConsentState> {
    return this._request<ConsentState>('consent', {
      method: 'PUT',
      body: JSON.stringify({ course, level })
    });
  }

  async mastery(course?: string): Promise<MasteryReport> {
    return this._request<MasteryReport>(
      'mastery',
      {},
      course ? { course } : {}
    );
  }

  /** `GET export`: everything the server stores about the learner. */
  async exportData(): Promise<LearnerExport> {
    return this._request<LearnerExport>('export');
  }

  /** `DELETE data`: erase everything the server stores about the learner. */
  async deleteData(): Promise<DeletedData> {
    return this._request<DeletedData>('data', { method: 'DELETE' });
  }

  async next(course: string, unit?: string): Promise<NextExercise> {
    return this._request<NextExercise>(
      'next',
      {},
      unit ? { course, unit } : { course }
    );
  }

  /** `GET note`: the course's AI-use and privacy note, in the learner's language. */
  async note(course: string): Promise<CourseNote> {
    return this._request<CourseNote>('note', {}, { course });
  }

  /** `GET check`: start or continue the learner's check-in of a unit (or of the course). */
  async check(course: string, unit?: string): Promise<CheckState> {
    return this._request<CheckState>(
      'check',
      {},
      unit ? { course, unit } : { course }
    );
  }

  private async _request<T>(
    endpoint: string,
    init: RequestInit = {},
    query: Record<string, string> = {}
  ): Promise<T> {
    const url =
      URLExt.join(this.settings.baseUrl, 'adaptive', 'api', endpoint) +
      (Object.keys(query).length ? URLExt.objectToQueryString(query) : '');
    const headers = new Headers(init.headers);
    headers.set('Accept-Language', this.language);
    const response = await ServerConnection.makeRequest(
      url,
      { ...init, headers },
      this.settings
    );
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = (body ?? {}) as Partial<ApiErrorBody>;
      throw new ApiError(
        response.status,
        error.error ?? `${response.status} ${response.statusText}`,
        error.details ?? []
      );
    }
    return body as T;
  }
}
