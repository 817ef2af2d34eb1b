import { GoogleNotConnected } from '../../src/connections/google-access';
import { eventually, signIn, startStack, type Stack } from '../support/stack';

describe('Connecting a Google account', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test('When a researcher connects, then they are signed in, the refresh token is stored encrypted, a push channel is open and a sync token taken', async () => {
    const researcher = await signIn(stack, 'ada@example.com', 'Ada Lovelace');

    const me = await (await fetch(`${stack.url}/api/me`, { headers: { cookie: researcher.cookie } })).json();
    expect(me).toMatchObject({
      researcher: { email: 'ada@example.com', name: 'Ada Lovelace' },
      google: { state: 'connected', email: 'ada@example.com', calendarId: 'ada@example.com' },
    });
    const row = await stack
      .knex('google_connections')
      .where({ researcher_id: researcher.researcherId })
      .first();
    const refreshTokens = Object.keys(stack.emulator.state.refreshTokens);
    expect(refreshTokens.length).toBeGreaterThan(0);
    for (const token of refreshTokens) expect(row.refresh_token_ciphertext).not.toContain(token);
    expect(row.refresh_token_ciphertext).toMatch(/^v1\./);
    expect(row.key_id).toBe('k1');
    expect(row.sync_token).toEqual(expect.any(String));

    const channels = await stack.knex('calendar_channels').where({ researcher_id: researcher.researcherId });
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({ state: 'active', address: `${stack.url}/webhooks/google/calendar` });
    expect(channels[0].resource_id).toEqual(expect.any(String));
    const googleChannel = stack.emulator.state.channels[channels[0].id];
    expect(googleChannel).toBeDefined();
  });

  test('When the same researcher connects again, then there is still one researcher, and the live channel is kept rather than replaced', async () => {
    const first = await signIn(stack, 'grace@example.com');
    const second = await signIn(stack, 'grace@example.com');

    expect(second.researcherId).toBe(first.researcherId);
    expect(await stack.knex('researchers').where({ email: 'grace@example.com' })).toHaveLength(1);
    const channels = await stack.knex('calendar_channels').where({ researcher_id: first.researcherId });
    expect(channels.map((channel) => channel.state)).toEqual(['active']);
    expect(stack.emulator.state.channels[channels[0].id]?.stoppedAt).toBeUndefined();
  });

  test('When the live channel is close to its end at a second sign-in, then a new one is opened and the old one stopped', async () => {
    const first = await signIn(stack, 'hopper@example.com');
    await stack
      .knex('calendar_channels')
      .where({ researcher_id: first.researcherId })
      .update({ expires_at: new Date(Date.now() + 3600_000) });

    await signIn(stack, 'hopper@example.com');

    const channels = await stack
      .knex('calendar_channels')
      .where({ researcher_id: first.researcherId })
      .orderBy('created_at');
    expect(channels.map((channel) => channel.state)).toEqual(['stopped', 'active']);
    expect(stack.emulator.state.channels[channels[0].id]?.stoppedAt).toBeDefined();
  });

  test('When the callback comes with a forged state, then it is a 400 problem and nobody is signed in', async () => {
    const before = await stack.knex('researchers').count<{ count: number }[]>('* as count');
    const answer = await fetch(`${stack.url}/auth/google/callback?code=abc&state=forged.123.sig`, {
      redirect: 'manual',
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.headers.getSetCookie().some((line) => line.startsWith('scheduler_session='))).toBe(false);
    expect(await stack.knex('researchers').count('* as count')).toEqual(before);
  });

  test('When the state comes back in another browser (no matching nonce cookie), then it is refused', async () => {
    const start = await fetch(`${stack.url}/auth/google?login_hint=eve@example.com`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });

    const answer = await fetch(consent.headers.get('location') ?? '', { redirect: 'manual' });

    expect(answer.status).toBe(400);
    expect(await stack.knex('researchers').where({ email: 'eve@example.com' })).toHaveLength(0);
  });

  test('When an authorization code is used twice, then the second use is a clear 400', async () => {
    const start = await fetch(`${stack.url}/auth/google?login_hint=bob@example.com`, { redirect: 'manual' });
    const cookie = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const callbackUrl = consent.headers.get('location') ?? '';
    expect((await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } })).status).toBe(303);

    const again = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });

    expect(again.status).toBe(400);
    expect((await again.json()).detail).toMatch(/already used|expired/);
  });

  test('When the researcher denies access on the consent screen, then the callback explains it with a 400', async () => {
    const start = await fetch(`${stack.url}/auth/google`, { redirect: 'manual' });
    const cookie = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';

    const answer = await fetch(
      `${stack.url}/auth/google/callback?error=access_denied&state=${encodeURIComponent(state)}`,
      {
        redirect: 'manual',
        headers: { cookie },
      },
    );

    expect(answer.status).toBe(400);
    expect((await answer.json()).detail).toContain('access_denied');
  });

  test('When the returnTo is another site, then the sign-in start is refused (no open redirect)', async () => {
    const answer = await fetch(`${stack.url}/auth/google?returnTo=${encodeURIComponent('//evil.example/')}`, {
      redirect: 'manual',
    });
    expect(answer.status).toBe(400);
    expect((await answer.json()).errors[0]).toMatchObject({ location: 'query', path: 'returnTo' });
  });

  test('When Google answers invalid_grant for a refresh, then the connection is marked revoked and /api/me says so', async () => {
    const researcher = await signIn(stack, 'linus@example.com');
    await fetch(`${stack.emulatorUrl}/_emulator/users/linus@example.com/revoke`, { method: 'POST' });
    const { access } = stack.features;

    await expect(
      access.withCalendar(researcher.researcherId, (calendar) =>
        calendar.client.freeBusy(calendar.calendarId, new Date(), new Date(Date.now() + 3600_000)),
      ),
    ).rejects.toBeInstanceOf(GoogleNotConnected);

    const me = await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json();
    expect(me.google).toMatchObject({ state: 'revoked', revokedReason: 'invalid_grant' });
  });

  test('When the researcher disconnects, then channels stop, the grant is revoked at Google, the data stays', async () => {
    const researcher = await signIn(stack, 'margaret@example.com');
    const study = await fetch(`${stack.url}/api/studies`, {
      method: 'POST',
      headers: { ...researcher.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Kept',
        durationMinutes: 30,
        timeZone: 'UTC',
        availability: { weekly: {} },
      }),
    });
    expect(study.status).toBe(201);

    const answer = await fetch(`${stack.url}/api/me/google`, { method: 'DELETE', headers: researcher.auth });

    expect(answer.status).toBe(204);
    const me = await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json();
    expect(me.google).toMatchObject({ state: 'revoked', revokedReason: 'disconnected' });
    const channels = await stack.knex('calendar_channels').where({ researcher_id: researcher.researcherId });
    expect(channels.every((channel) => channel.state === 'stopped')).toBe(true);
    expect(channels.every((channel) => stack.emulator.state.channels[channel.id]?.stoppedAt)).toBe(true);
    const grants = Object.values(stack.emulator.state.grants).filter(
      (grant) => grant.email === 'margaret@example.com',
    );
    expect(grants.every((grant) => grant.revokedAt)).toBe(true);
    const studies = await (await fetch(`${stack.url}/api/studies`, { headers: researcher.auth })).json();
    expect(studies.studies.map((item: { title: string }) => item.title)).toEqual(['Kept']);
  });

  test('When the researcher connects again after a disconnect, then the connection is back to connected', async () => {
    const researcher = await signIn(stack, 'barbara@example.com');
    await fetch(`${stack.url}/api/me/google`, { method: 'DELETE', headers: researcher.auth });

    await signIn(stack, 'barbara@example.com');

    await eventually(async () => {
      const me = await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json();
      return me.google.state === 'connected';
    });
  });
});
