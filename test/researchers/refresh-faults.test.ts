import { findConnection } from '../../src/connections/connection-repository';
import { book, createStudy, invite, slotTomorrow } from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Issue 13: the token endpoint's faults met while a participant books. A refresh token that
 * expired is the researcher's grant gone (revoked); `invalid_client` is the service's own
 * misconfiguration and touches no researcher.
 */
describe('When refreshing the access token fails while a participant books', () => {
  let stack: Stack;
  const WEEK_SECONDS = 7 * 24 * 3600;
  beforeAll(async () => {
    // Refresh tokens age as for an app in "Testing" at Google: 7 days.
    stack = await startStack({ emulator: { refreshTokenMaxAgeSeconds: WEEK_SECONDS } });
  });
  afterAll(() => stack.close());

  const emulatorAdmin = async (path: string, body: unknown = {}) => {
    const answer = await fetch(`${stack.emulatorUrl}/_emulator${path}`, {
      method: path === '/faults' && body === undefined ? 'DELETE' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status >= 400) throw new Error(`emulator ${path}: ${answer.status} ${await answer.text()}`);
  };
  /** The emulator's clock moves on: the service's cached access tokens are expired there. */
  const expireAccessTokens = () => emulatorAdmin('/clock', { advanceSeconds: 3601 });
  const participantWithSlot = async (researcher: SignedIn) => {
    const study = await createStudy(stack, researcher);
    const [person] = await invite(stack, researcher, study.id);
    return { person: person!, slot: await slotTomorrow(stack, person!.token, 10) };
  };
  const googleState = async (researcher: SignedIn) =>
    (
      (await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json()) as {
        google: { state: string } | null;
      }
    ).google?.state;
  const failedBookings = async (researcher: SignedIn, participantId: string) =>
    (
      (await (
        await fetch(`${stack.url}/api/participants/${participantId}`, { headers: researcher.auth })
      ).json()) as { history: { kind: string; reason: string | null }[] }
    ).history.filter((entry) => entry.kind === 'booking_failed');

  test('When Google answers invalid_client to the refresh, then the booking is refused at once, the researcher stays connected and /readyz says why', async () => {
    const ada = await signIn(stack, 'ada@lab.example');
    const { person, slot } = await participantWithSlot(ada);
    await fetch(`${stack.emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'invalid_client', operation: 'oauth.token.refresh' }),
    });
    await expireAccessTokens();

    const answer = await book(stack, person.token, slot.start);

    expect(answer.status).toBe(502);
    expect((await answer.json()).type).toMatch(/calendar-refused$/);
    expect(await googleState(ada)).toBe('connected');
    expect((await findConnection(stack.knex, ada.researcherId))?.state).toBe('connected');
    expect((await failedBookings(ada, person.id))[0]?.reason).toMatch(/OAuth client.*401 invalid_client/);
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toContain('invalid_client');

    await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
    const failed = await (await fetch(`${stack.url}/api/booking/${person.token}`)).json();
    expect(failed.bookingFailure).toMatchObject({ start: slot.start });
    expect((await book(stack, person.token, slot.start)).status).toBe(201);
    // Booked after all: the earlier failure is old news.
    const booked = await (await fetch(`${stack.url}/api/booking/${person.token}`)).json();
    expect(booked.bookingFailure).toBeNull();
    await eventually(async () => (await fetch(`${stack.url}/readyz`)).status === 200, 10_000);
  });

  test('When Google expired the refresh token (admin), then the connection is revoked and the slot released with a clear answer', async () => {
    const bob = await signIn(stack, 'bob@lab.example');
    const { person, slot } = await participantWithSlot(bob);
    await emulatorAdmin('/users/bob@lab.example/expire-refresh-tokens');
    await expireAccessTokens();

    const answer = await book(stack, person.token, slot.start);

    expect(answer.status).toBe(503);
    expect((await answer.json()).type).toMatch(/google-not-connected$/);
    expect(await googleState(bob)).toBe('revoked');
    const live = await stack
      .knex('bookings')
      .where({ participant_id: person.id })
      .whereNot({ state: 'cancelled' });
    expect(live).toHaveLength(0);
  });

  test('When the refresh token outlived its 7 days, then the next call revokes the connection', async () => {
    const cy = await signIn(stack, 'cy@lab.example');
    const { person, slot } = await participantWithSlot(cy);
    await emulatorAdmin('/clock', { advanceSeconds: WEEK_SECONDS + 1 });

    const answer = await book(stack, person.token, slot.start);

    expect(answer.status).toBe(503);
    expect(await googleState(cy)).toBe('revoked');
    expect((await findConnection(stack.knex, cy.researcherId))?.revokedReason).toBe('invalid_grant');
  });
});
