import { randomUUID } from 'node:crypto';
import { settleBookingConsent } from '../../src/consent/booking-consent';
import { ConsentOutdated } from '../../src/consent/consent-errors';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { createStudy, emulatorEvents, invite, slotTomorrow } from '../bookings/support';

const CONSENT_TEXT = 'I agree that the interview is recorded.\nThe recording is deleted after 90 days.';

function bookWith(stack: Stack, token: string, body: Record<string, unknown>) {
  return fetch(`${stack.url}/api/booking/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function patchStudy(stack: Stack, who: SignedIn, id: string, body: Record<string, unknown>) {
  return fetch(`${stack.url}/api/studies/${id}`, {
    method: 'PATCH',
    headers: { ...who.auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function bookingView(stack: Stack, token: string) {
  return (await (await fetch(`${stack.url}/api/booking/${token}`)).json()) as {
    consent: { version: number; text: string } | null;
    booking: { id: string } | null;
  };
}

async function participantDetail(stack: Stack, who: SignedIn, id: string) {
  return (await (await fetch(`${stack.url}/api/participants/${id}`, { headers: who.auth })).json()) as {
    status: string;
    consent: { version: number; text: string; consentedAt: string } | null;
  };
}

async function storedConsents(stack: Stack, participantId: string) {
  return stack.knex('participant_consents').where({ participant_id: participantId }).select('*');
}

describe('Consent before booking', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada, { consentRequired: true, consentText: CONSENT_TEXT })).id;
  });
  afterAll(() => stack.close());

  test('When a study asks for consent, then the booking link shows its text as version 1', async () => {
    const [pat] = await invite(stack, ada, studyId);

    const view = await bookingView(stack, pat!.token);

    expect(view.consent).toEqual({ version: 1, text: CONSENT_TEXT });
  });

  test('When a study asks for no consent, then the booking link shows none and a booking needs none', async () => {
    const plain = await createStudy(stack, ada);
    const [pat] = await invite(stack, ada, plain.id);
    expect((await bookingView(stack, pat!.token)).consent).toBeNull();

    const slot = await slotTomorrow(stack, pat!.token, 9);
    const answer = await bookWith(stack, pat!.token, { start: slot.start });

    expect(answer.status).toBe(201);
    expect((await participantDetail(stack, ada, pat!.id)).consent).toBeNull();
  });

  test('When the participant books without consent, then the answer is 400 consent-required and nothing is booked, stored or put on the calendar', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 11);
    const eventsBefore = (await emulatorEvents(stack, 'ada@example.com')).events.length;

    for (const body of [
      { start: slot.start },
      { start: slot.start, consent: { version: 1, accepted: false } },
    ]) {
      const answer = await bookWith(stack, pat!.token, body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const problem = await answer.json();
      expect(problem.type).toMatch(/consent-required$/);
      expect(problem.detail).toMatch(/consent/i);
    }

    expect((await bookingView(stack, pat!.token)).booking).toBeNull();
    expect(await storedConsents(stack, pat!.id)).toEqual([]);
    expect((await participantDetail(stack, ada, pat!.id)).status).toBe('invited');
    expect((await emulatorEvents(stack, 'ada@example.com')).events.length).toBe(eventsBefore);
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toEqual([]);
  });

  test('When the participant agrees and books, then the consent is stored with the booking and shown to the researcher', async () => {
    const [pat] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, pat!.token, 12);
    const before = Date.now();

    const answer = await bookWith(stack, pat!.token, {
      start: slot.start,
      consent: { version: 1, accepted: true },
    });

    expect(answer.status).toBe(201);
    const { booking } = await answer.json();
    const stored = await storedConsents(stack, pat!.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ study_id: studyId, version: 1, booking_id: booking.id });
    const detail = await participantDetail(stack, ada, pat!.id);
    expect(detail.consent).toMatchObject({ version: 1, text: CONSENT_TEXT });
    expect(Date.parse(detail.consent!.consentedAt)).toBeGreaterThanOrEqual(before - 1000);
    const page = await (
      await fetch(`${stack.url}/participants/${pat!.id}`, { headers: { cookie: ada.cookie } })
    ).text();
    expect(page).toMatch(/Consent given on \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \(version 1\)/);
    expect(page).toContain('I agree that the interview is recorded.');
  });

  test('When a participant has given no consent, then the participant page says nothing about it', async () => {
    const [pat] = await invite(stack, ada, studyId);

    const page = await (
      await fetch(`${stack.url}/participants/${pat!.id}`, { headers: { cookie: ada.cookie } })
    ).text();

    expect(page).toContain('No interview booked.');
    expect(page).not.toContain('Consent given');
  });

  test('When the text changed after the participant read it, then the booking is refused 409 consent-outdated and nothing changes', async () => {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'First words.' });
    const [pat] = await invite(stack, ada, study.id);
    const shown = (await bookingView(stack, pat!.token)).consent!;
    expect((await patchStudy(stack, ada, study.id, { consentText: 'Second words.' })).status).toBe(200);
    const slot = await slotTomorrow(stack, pat!.token, 13);

    const answer = await bookWith(stack, pat!.token, {
      start: slot.start,
      consent: { version: shown.version, accepted: true },
    });

    expect(answer.status).toBe(409);
    const problem = await answer.json();
    expect(problem.type).toMatch(/consent-outdated$/);
    expect(problem.detail).toMatch(/changed/);
    expect(await storedConsents(stack, pat!.id)).toEqual([]);
    expect((await bookingView(stack, pat!.token)).booking).toBeNull();
    expect((await bookingView(stack, pat!.token)).consent).toEqual({ version: 2, text: 'Second words.' });
  });

  test('When the slot was taken meanwhile, then the consent given with the refused booking is not stored', async () => {
    const [first, second] = await invite(stack, ada, studyId, 2, 'race');
    const slot = await slotTomorrow(stack, first!.token, 17);
    const consent = { version: 1, accepted: true };
    expect((await bookWith(stack, first!.token, { start: slot.start, consent })).status).toBe(201);

    const refused = await bookWith(stack, second!.token, { start: slot.start, consent });

    expect(refused.status).toBe(409);
    expect((await refused.json()).type).toMatch(/slot-taken$/);
    expect(await storedConsents(stack, second!.id)).toEqual([]);
    expect((await participantDetail(stack, ada, second!.id)).consent).toBeNull();
  });

  test('When the text changes between the check and the hold, then the booking transaction refuses it as outdated', async () => {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'Before.' });
    const [pat] = await invite(stack, ada, study.id);
    await patchStudy(stack, ada, study.id, { consentText: 'After.' });
    const link = {
      study: { id: study.id, consentRequired: true },
      participant: { id: pat!.id },
    } as Parameters<typeof settleBookingConsent>[1];

    const recording = stack.knex.transaction((trx) =>
      settleBookingConsent(trx, link, { given: { version: 1, accepted: true } }, randomUUID(), new Date()),
    );

    await expect(recording).rejects.toBeInstanceOf(ConsentOutdated);
    expect(await storedConsents(stack, pat!.id)).toEqual([]);
  });

  test('When the study is saved with the same text, then no new version is made', async () => {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'Same words.' });
    await patchStudy(stack, ada, study.id, { consentText: 'Same words.', title: 'Renamed' });
    await patchStudy(stack, ada, study.id, { consentText: 'Same words.\r\n' });
    await patchStudy(stack, ada, study.id, { consentText: 'Same words.\n' });

    const versions = await stack
      .knex('study_consent_versions')
      .where({ study_id: study.id })
      .orderBy('version');

    expect(versions.map((row) => [row.version, row.text])).toEqual([
      [1, 'Same words.'],
      [2, 'Same words.\n'],
    ]);
  });

  test('When a participant who consented moves the interview, then no consent is asked again; after the text changes, it is', async () => {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'Version one.' });
    const [pat] = await invite(stack, ada, study.id);
    const first = await slotTomorrow(stack, pat!.token, 14);
    expect(
      (await bookWith(stack, pat!.token, { start: first.start, consent: { version: 1, accepted: true } }))
        .status,
    ).toBe(201);

    const second = await slotTomorrow(stack, pat!.token, 15);
    expect((await bookWith(stack, pat!.token, { start: second.start })).status).toBe(201);
    expect(await storedConsents(stack, pat!.id)).toHaveLength(1);

    await patchStudy(stack, ada, study.id, { consentText: 'Version two.' });
    const third = await slotTomorrow(stack, pat!.token, 16);
    const refused = await bookWith(stack, pat!.token, { start: third.start });
    expect(refused.status).toBe(400);
    expect((await refused.json()).type).toMatch(/consent-required$/);

    const moved = await bookWith(stack, pat!.token, {
      start: third.start,
      consent: { version: 2, accepted: true },
    });
    expect(moved.status).toBe(201);
    const detail = await participantDetail(stack, ada, pat!.id);
    expect(detail.consent).toMatchObject({ version: 2, text: 'Version two.' });
  });
});
