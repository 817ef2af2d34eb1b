import { startStack, type Stack } from '../support/stack';

describe('The OpenAPI document of the whole service', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
  });
  afterAll(() => stack.close());

  test('When /openapi.json is asked for, then every contract path of DESIGN 3 is described with its schemas', async () => {
    const answer = await fetch(`${stack.url}/openapi.json`);
    expect(answer.status).toBe(200);
    const document = await answer.json();

    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/book/{token}',
        '/api/booking/{token}',
        '/api/booking/{token}/slots',
        '/api/booking/{token}/cancel',
        '/api/me',
        '/api/me/tokens',
        '/api/me/google',
        '/api/studies',
        '/api/studies/{id}',
        '/api/studies/{id}/participants',
        '/api/participants/{id}',
        '/api/participants/{id}/status',
        '/api/participants/{id}/cancel',
        '/api/participants/{id}/reinvite',
        '/webhooks/google/calendar',
        '/healthz',
        '/readyz',
        '/metrics',
        '/openapi.json',
      ]),
    );
    const createStudy = document.paths['/api/studies'].post;
    const body = JSON.stringify(createStudy.requestBody);
    for (const field of ['title', 'durationMinutes', 'timeZone', 'availability', 'conflictHandling'])
      expect(body).toContain(field);

    const participant =
      document.paths['/api/participants/{id}'].get.responses['200'].content['application/json'];
    const emails = participant.schema.properties.emails;
    expect(emails.type).toBe('array');
    expect(Object.keys(emails.items.properties)).toEqual(
      expect.arrayContaining(['kind', 'status', 'attempts', 'lastError', 'queuedAt', 'sentAt']),
    );
    expect(emails.items.properties.status.enum).toEqual(['queued', 'sent', 'failed', 'superseded']);
  });
});
