import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { clearFaults, createStudy, emulatorEvents, fault, invite, slotTomorrow } from '../bookings/support';

const GOOGLE_WAIT_MS = 1500;

function bookWith(stack: Stack, token: string, body: Record<string, unknown>) {
  return fetch(`${stack.url}/api/booking/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function patchStudy(stack: Stack, who: SignedIn, id: string, body: Record<string, unknown>) {
  const answer = await fetch(`${stack.url}/api/studies/${id}`, {
    method: 'PATCH',
    headers: { ...who.auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.status).toBe(200);
}

/** Google's next calendar reads are slow: the request is waiting on them while the researcher saves. */
async function slowGoogle(stack: Stack) {
  // The cached busy times would spare the booking its read before the hold.
  await stack.knex('freebusy_cache').del();
  await fault(stack, { latencyMs: GOOGLE_WAIT_MS, count: 2, operation: 'events.list' });
}

const whileGoogleIsSlow = () => new Promise((resolve) => setTimeout(resolve, GOOGLE_WAIT_MS / 4));

describe('Consent switched on while a booking waits for Google', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
  });
  afterEach(() => clearFaults(stack));
  afterAll(() => stack.close());

  test('When the researcher switches consent on while a booking without consent waits for Google, then it answers 400 consent-required and nothing is held', async () => {
    const study = await createStudy(stack, ada);
    const [pat] = await invite(stack, ada, study.id);
    const slot = await slotTomorrow(stack, pat!.token, 9);
    const eventsBefore = (await emulatorEvents(stack, 'ada@example.com')).events.length;
    await slowGoogle(stack);

    const booking = bookWith(stack, pat!.token, { start: slot.start });
    await whileGoogleIsSlow();
    await patchStudy(stack, ada, study.id, { consentRequired: true, consentText: 'Now recorded.' });
    const answer = await booking;

    expect(answer.status).toBe(400);
    expect((await answer.json()).type).toMatch(/consent-required$/);
    expect(await stack.knex('bookings').where({ participant_id: pat!.id })).toEqual([]);
    expect(await stack.knex('participant_consents').where({ participant_id: pat!.id })).toEqual([]);
    expect((await emulatorEvents(stack, 'ada@example.com')).events.length).toBe(eventsBefore);
  });

  test('When new consent words are saved while a participant who agreed to version 1 moves the interview, then the move answers 409 consent-outdated and the interview stays where it was', async () => {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'Version one.' });
    const [pat] = await invite(stack, ada, study.id, 1, 'mover');
    const first = await slotTomorrow(stack, pat!.token, 10);
    const agreed = { version: 1, accepted: true };
    const booked = await bookWith(stack, pat!.token, { start: first.start, consent: agreed });
    expect(booked.status).toBe(201);
    const second = await slotTomorrow(stack, pat!.token, 11);
    await slowGoogle(stack);

    const move = bookWith(stack, pat!.token, { start: second.start, consent: agreed });
    await whileGoogleIsSlow();
    await patchStudy(stack, ada, study.id, { consentText: 'Version two.' });
    const answer = await move;

    expect(answer.status).toBe(409);
    expect((await answer.json()).type).toMatch(/consent-outdated$/);
    const rows = await stack
      .knex('bookings')
      .where({ participant_id: pat!.id })
      .select(stack.knex.raw('lower(during) as start'));
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0].start).toISOString()).toBe(first.start);
    const consents = await stack.knex('participant_consents').where({ participant_id: pat!.id });
    expect(consents.map((row) => row.version)).toEqual([1]);
  });
});
