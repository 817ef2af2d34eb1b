import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { sha256Hex } from '../../src/security/secrets';
import { decryptToken } from '../../src/security/token-cipher';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const studyBody = {
  title: 'Onboarding interviews',
  durationMinutes: 30,
  timeZone: 'America/New_York',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

describe('Participants', () => {
  let stack: Stack;
  let ada: SignedIn;
  let bob: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    bob = await signIn(stack, 'bob@example.com');
    studyId = (await (await call(ada, 'POST', '/api/studies', studyBody)).json()).id;
  });
  afterAll(() => stack.close());

  function call(who: SignedIn, method: string, path: string, body?: unknown) {
    return fetch(`${stack.url}${path}`, {
      method,
      headers: { ...who.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
  const add = (people: { name: string; email: string }[], who = ada, study = studyId) =>
    call(who, 'POST', `/api/studies/${study}/participants`, { participants: people });

  /**
   * An interview that took place (a confirmed booking a few days back, written directly):
   * No Show and Completed are verdicts on an interview that has started.
   */
  let daysBack = 0;
  async function interviewHeld(participantId: string): Promise<Date> {
    daysBack += 1;
    const start = new Date(Date.now() - daysBack * 86_400_000);
    const id = randomUUID();
    await stack.knex('bookings').insert({
      id,
      participant_id: participantId,
      study_id: studyId,
      researcher_id: ada.researcherId,
      during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, new Date(start.getTime() + 30 * 60_000)]),
      state: 'confirmed',
      google_event_id: eventIdForBooking(id),
      calendar_id: ada.email,
    });
    return start;
  }

  test('When participants are added, then each gets a booking link (only its hash stored), an invited history row and an invitation email', async () => {
    const answer = await add([
      { name: 'Pat Doe', email: '  Pat.Doe@Example.COM ' },
      { name: 'Sam Roe', email: 'sam@example.com' },
    ]);

    expect(answer.status).toBe(201);
    const { participants } = await answer.json();
    expect(participants).toEqual([
      expect.objectContaining({ name: 'Pat Doe', email: 'pat.doe@example.com', status: 'invited' }),
      expect.objectContaining({ name: 'Sam Roe', email: 'sam@example.com', status: 'invited' }),
    ]);
    const token = String(participants[0].bookingUrl).split('/book/')[1] ?? '';
    expect(participants[0].bookingUrl).toBe(`${stack.url}/book/${token}`);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const row = await stack.knex('participants').where({ id: participants[0].id }).first();
    expect(row.booking_token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const detail = await (await call(ada, 'GET', `/api/participants/${participants[0].id}`)).json();
    expect(detail.history).toEqual([
      expect.objectContaining({
        kind: 'invited',
        from: null,
        to: 'invited',
        source: 'researcher',
        actor: ada.researcherId,
      }),
    ]);

    const mailbox = await eventually(async () => {
      const messages = (await (await fetch(`${stack.url}/dev/mailbox?to=pat.doe@example.com`)).json())
        .messages;
      return messages.length > 0 ? messages : undefined;
    });
    expect(mailbox[0].subject).toContain('Onboarding interviews');
    expect(mailbox[0].text).toContain(participants[0].bookingUrl);
    expect(mailbox[0].text).toContain('30');
    expect(mailbox[0].html).toContain('Onboarding interviews');
  });

  test('When an email is already in the study, then the whole request is a 409 naming it and nobody is added', async () => {
    await add([{ name: 'Kim', email: 'kim@example.com' }]);
    const before = await stack.knex('participants').count<{ count: number }[]>('* as count');
    const outboxBefore = await stack.knex('email_outbox').count<{ count: number }[]>('* as count');

    const answer = await add([
      { name: 'New One', email: 'new.one@example.com' },
      { name: 'Kim again', email: 'KIM@example.com' },
    ]);

    expect(answer.status).toBe(409);
    const problem = await answer.json();
    expect(problem.detail).toContain('kim@example.com');
    expect(problem.emails).toEqual(['kim@example.com']);
    expect(await stack.knex('participants').count('* as count')).toEqual(before);
    expect(await stack.knex('email_outbox').count('* as count')).toEqual(outboxBefore);
  });

  test('When the same email is listed twice in one request, then it is a 409 naming it', async () => {
    const answer = await add([
      { name: 'A', email: 'twice@example.com' },
      { name: 'B', email: 'Twice@example.com' },
    ]);
    expect(answer.status).toBe(409);
    expect((await answer.json()).emails).toEqual(['twice@example.com']);
  });

  test.each([
    ['no participants', { participants: [] }, 'participants'],
    ['a bad email', { participants: [{ name: 'X', email: 'not-an-email' }] }, 'participants.0.email'],
    ['no name', { participants: [{ name: ' ', email: 'x@example.com' }] }, 'participants.0.name'],
    [
      'an unknown field',
      { participants: [{ name: 'X', email: 'x@example.com', phone: '1' }] },
      'participants.0',
    ],
    [
      '2,501 participants',
      {
        // Short addresses keep the body under the default JSON_BODY_LIMIT (300kb).
        participants: Array.from({ length: 2_501 }, (_, index) => ({
          name: `P${index}`,
          email: `p${index}@x.co`,
        })),
      },
      'participants',
    ],
  ])('When the request has %s, then it is a 400 naming the field', async (_, body, path) => {
    const answer = await call(ada, 'POST', `/api/studies/${studyId}/participants`, body);
    expect(answer.status).toBe(400);
    expect((await answer.json()).errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  test('When 500 participants are added at once, then all are stored with their emails queued', async () => {
    const study = (await (await call(ada, 'POST', '/api/studies', studyBody)).json()).id;
    const people = Array.from({ length: 500 }, (_, index) => ({
      name: `Person ${index}`,
      email: `bulk${index}@example.com`,
    }));

    const answer = await add(people, ada, study);

    expect(answer.status).toBe(201);
    expect((await answer.json()).participants).toHaveLength(500);
    const outbox = await stack
      .knex('email_outbox')
      .join('participants', 'participants.id', 'participant_id')
      .where({ study_id: study });
    expect(outbox).toHaveLength(500);
  });

  test('When the list is asked for, then it shows status and scheduled time, filterable by status', async () => {
    const { participants } = await (await add([{ name: 'Lee', email: 'lee@example.com' }])).json();
    const held = await interviewHeld(participants[0].id);
    await call(ada, 'POST', `/api/participants/${participants[0].id}/status`, {
      status: 'no_show',
      reason: 'did not come',
    });

    const all = await (await call(ada, 'GET', `/api/studies/${studyId}/participants`)).json();
    const noShows = await (
      await call(ada, 'GET', `/api/studies/${studyId}/participants?status=no_show`)
    ).json();

    expect(all.participants.length).toBeGreaterThan(1);
    expect(noShows.participants).toEqual([
      expect.objectContaining({
        email: 'lee@example.com',
        status: 'no_show',
        statusLabel: 'No Show',
        scheduledStart: held.toISOString(),
        meetUrl: null,
      }),
    ]);
    expect((await call(ada, 'GET', `/api/studies/${studyId}/participants?status=lost`)).status).toBe(400);
  });

  test('When a researcher sets a status by hand, then the history has from, to, source, actor and reason', async () => {
    const { participants } = await (await add([{ name: 'Max', email: 'max@example.com' }])).json();
    await interviewHeld(participants[0].id);

    const answer = await call(ada, 'POST', `/api/participants/${participants[0].id}/status`, {
      status: 'completed',
      reason: 'done by phone',
    });

    expect(answer.status).toBe(200);
    const detail = await answer.json();
    expect(detail.status).toBe('completed');
    expect(detail.history.at(-1)).toMatchObject({
      kind: 'status',
      from: 'invited',
      to: 'completed',
      source: 'researcher',
      actor: ada.researcherId,
      reason: 'done by phone',
    });
  });

  test('When a researcher sets scheduled without a booking, then it is a 409 and nothing changes', async () => {
    const { participants } = await (await add([{ name: 'Noor', email: 'noor@example.com' }])).json();

    const answer = await call(ada, 'POST', `/api/participants/${participants[0].id}/status`, {
      status: 'scheduled',
    });

    expect(answer.status).toBe(409);
    const detail = await (await call(ada, 'GET', `/api/participants/${participants[0].id}`)).json();
    expect(detail.status).toBe('invited');
    expect(detail.history).toHaveLength(1);
  });

  test('When a status is not one of the five, then it is a 400', async () => {
    const { participants } = await (await add([{ name: 'Ola', email: 'ola@example.com' }])).json();
    const answer = await call(ada, 'POST', `/api/participants/${participants[0].id}/status`, {
      status: 'lost',
    });
    expect(answer.status).toBe(400);
  });

  test('When a participant without a booking is cancelled, then the status is canceled with a history row', async () => {
    const { participants } = await (await add([{ name: 'Ren', email: 'ren@example.com' }])).json();

    const detail = await (
      await call(ada, 'POST', `/api/participants/${participants[0].id}/cancel`, {
        reason: 'left the company',
      })
    ).json();

    expect(detail.status).toBe('canceled');
    expect(detail.history.at(-1)).toMatchObject({
      from: 'invited',
      to: 'canceled',
      source: 'researcher',
      reason: 'left the company',
    });
  });

  test('When a participant is re-invited, then the old link dies, a new one works, the status is invited and a new email goes out', async () => {
    const { participants } = await (await add([{ name: 'Tao', email: 'tao@example.com' }])).json();
    const id = participants[0].id;
    const oldHash = sha256Hex(String(participants[0].bookingUrl).split('/book/')[1] ?? '');
    await interviewHeld(id);
    expect((await call(ada, 'POST', `/api/participants/${id}/status`, { status: 'no_show' })).status).toBe(
      200,
    );
    await stack.knex('bookings').where({ participant_id: id }).update({ state: 'cancelled' });

    const answer = await call(ada, 'POST', `/api/participants/${id}/reinvite`);

    expect(answer.status).toBe(200);
    const { bookingUrl } = await answer.json();
    expect(bookingUrl).not.toBe(participants[0].bookingUrl);
    const row = await stack.knex('participants').where({ id }).first();
    expect(row.booking_token_hash).toBe(sha256Hex(String(bookingUrl).split('/book/')[1] ?? ''));
    expect(row.booking_token_hash).not.toBe(oldHash);
    expect(row.status).toBe('invited');
    const emails = await stack.knex('email_outbox').where({ participant_id: id }).orderBy('created_at');
    expect(emails.map((email) => email.kind)).toEqual(['invitation', 'reinvitation']);
    // The outbox keeps no body: the new link waits there encrypted until it is sent (this row
    // may still be behind the 500 invitations of an earlier test), then only the mailbox has it.
    const reinvitation = emails[1];
    expect(reinvitation.text_body).toBeNull();
    const carried =
      reinvitation.state === 'sent'
        ? (await (await fetch(`${stack.url}/dev/mailbox?to=tao@example.com`)).json()).messages[0].text
        : decryptToken(
            { ciphertext: reinvitation.booking_url_ciphertext, keyId: reinvitation.booking_url_key_id },
            stack.config.tokenEncryptionKeys,
          );
    expect(carried).toContain(bookingUrl);
  });

  test("When a researcher of another team touches Ada's participants, then every route answers 404 and nothing changes", async () => {
    const { participants } = await (await add([{ name: 'Private', email: 'private@example.com' }])).json();
    const id = participants[0].id;

    const answers = await Promise.all([
      call(bob, 'GET', `/api/studies/${studyId}/participants`),
      add([{ name: 'Intruder', email: 'intruder@example.com' }], bob),
      call(bob, 'GET', `/api/participants/${id}`),
      call(bob, 'POST', `/api/participants/${id}/status`, { status: 'no_show' }),
      call(bob, 'POST', `/api/participants/${id}/cancel`, {}),
      call(bob, 'POST', `/api/participants/${id}/reinvite`),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const row = await stack.knex('participants').where({ id }).first();
    expect(row.status).toBe('invited');
    expect(await stack.knex('participants').where({ email: 'intruder@example.com' })).toHaveLength(0);
  });
});
