import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * The console's interviews pages over HTTP, as a browser without script uses them: pages of
 * 25 with a link to the next, and the quick-action forms (posted to the participant page's
 * own routes) coming back to the page they were sent from — and only to such a page.
 */

const HOUR = 3_600_000;

describe('The interviews pages', () => {
  let stack: Stack;
  let cy: SignedIn;
  let studyId: string;
  let participantIds: string[];

  beforeAll(async () => {
    stack = await startStack();
    cy = await signIn(stack, 'cy.pages@example.com', 'Cy Pages');
    const created = await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { ...cy.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Paging study',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
      }),
    });
    studyId = (await created.json()).id;
    const added = await fetch(`${stack.url}/api/studies/${studyId}/participants`, {
      method: 'POST',
      headers: { ...cy.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        participants: Array.from({ length: 27 }, (_, index) => ({
          name: `Person ${String(index + 1).padStart(2, '0')}`,
          email: `person${index + 1}@example.com`,
        })),
      }),
    });
    participantIds = ((await added.json()).participants as { id: string }[]).map((p) => p.id);
    const base = Math.floor(Date.now() / HOUR) * HOUR;
    // 26 upcoming (Person 01 soonest), one past (Person 27, yesterday).
    await stack.knex('bookings').insert(
      participantIds.map((participantId, index) => {
        const id = randomUUID();
        const start = new Date(index === 26 ? base - 24 * HOUR : base + (index + 2) * HOUR);
        return {
          id,
          participant_id: participantId,
          study_id: studyId,
          researcher_id: cy.researcherId,
          during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
          state: 'confirmed',
          google_event_id: eventIdForBooking(id),
          calendar_id: cy.email,
        };
      }),
    );
    await stack.knex('participants').whereIn('id', participantIds).update({ status: 'scheduled' });
  });
  afterAll(() => stack.close());

  const page = (path: string) =>
    fetch(`${stack.url}${path}`, { headers: { cookie: cy.cookie }, redirect: 'manual' });
  const names = (text: string) =>
    [...text.matchAll(/<h2 id="who-[^"]+" class="interview-who">\s*<a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]);

  test('When there are more than 25 upcoming interviews, then the page shows 25 and links to the later ones', async () => {
    const first = await page('/interviews/upcoming');
    expect(first.status).toBe(200);
    const text = await first.text();
    expect(names(text)).toEqual(
      Array.from({ length: 25 }, (_, index) => `Person ${String(index + 1).padStart(2, '0')}`),
    );
    expect(text).toContain('<a href="/interviews/upcoming" aria-current="page"');
    const next =
      /<a class="button secondary" href="(\/interviews\/upcoming\?cursor=[A-Za-z0-9_-]+)"\s*>\s*Later interviews\s*<\/a/.exec(
        text,
      )?.[1];
    expect(next).toBeDefined();

    const second = await (await page(next!)).text();
    expect(names(second)).toEqual(['Person 26']);
    expect(second).toContain('<a href="/interviews/upcoming">First page</a>');
    expect(second).not.toContain('Later interviews');
    // Forms on the second page come back to the second page.
    expect(second).toContain(`name="returnTo" value="${next}"`);
  });

  test('When the past page is opened, then it lists the interview of yesterday and offers no cancel', async () => {
    const text = await (await page('/interviews/past')).text();
    expect(names(text)).toEqual(['Person 27']);
    expect(text).not.toContain('Cancel interview');
    expect(text).toContain('Update Participant Status');
  });

  test('When a quick-action form is posted, then it comes back to the interviews page, and never to another address', async () => {
    const text = await (await page('/interviews/past')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)![1]!;
    const post = (returnTo: string) =>
      fetch(`${stack.url}/participants/${participantIds[26]}/status`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cy.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, status: 'completed', reason: '', returnTo }).toString(),
      });

    const back = await post('/interviews/past');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/interviews/past');
    expect(await stack.knex('participants').where({ id: participantIds[26] }).first('status')).toEqual({
      status: 'completed',
    });
    for (const elsewhere of [
      'https://evil.example/interviews/past',
      '//evil.example',
      '/interviews/past/../../settings',
    ]) {
      const answer = await post(elsewhere);
      expect(answer.headers.get('location')).toBe(`/participants/${participantIds[26]}`);
    }
  });

  test('When the cursor in the address was not made by the service, then the page says so with a 400', async () => {
    const answer = await page('/interviews/upcoming?cursor=bogus');
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('This page of interviews does not exist');
  });

  test('When someone signed out opens the page, then they are sent to sign in', async () => {
    const answer = await fetch(`${stack.url}/interviews/upcoming`, { redirect: 'manual' });
    expect(answer.status).toBe(303);
  });
});
