import { findConnection } from '../../src/connections/connection-repository';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/** Issue 13: `prompt=consent` only when there is no working grant or a permission is missing. */
describe('Asking Google for the consent screen', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
    await eventually(async () => (await findConnection(stack.knex, researcher.researcherId))?.syncToken);
  });
  afterAll(() => stack.close());

  const start = (cookie?: string) =>
    fetch(`${stack.url}/auth/google?login_hint=${encodeURIComponent(researcher.email)}`, {
      redirect: 'manual',
      ...(cookie ? { headers: { cookie } } : {}),
    });

  test('When nobody is signed in, then the consent screen is forced (a refresh token is needed)', async () => {
    const location = new URL((await start()).headers.get('location')!);
    expect(location.searchParams.get('prompt')).toBe('consent');
  });

  const activeChannelIds = async () =>
    (
      await stack
        .knex('calendar_channels')
        .where({ researcher_id: researcher.researcherId, state: 'active' })
        .select('id')
    ).map((row: { id: string }) => row.id);

  test('When a researcher with a complete grant signs in again, then Google is not asked for the screen, and the stored refresh token, sync token and push channel stay', async () => {
    const before = (await findConnection(stack.knex, researcher.researcherId))!;
    const channelsBefore = await activeChannelIds();
    expect(channelsBefore).toHaveLength(1);
    const started = await start(researcher.cookie);
    const location = new URL(started.headers.get('location')!);
    expect(location.searchParams.has('prompt')).toBe(false);

    const nonce = started.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const consent = await fetch(location, { redirect: 'manual' });
    const callback = await fetch(consent.headers.get('location')!, {
      redirect: 'manual',
      headers: { cookie: nonce },
    });
    expect(callback.status).toBe(303);
    const after = (await findConnection(stack.knex, researcher.researcherId))!;
    expect(after.state).toBe('connected');
    expect(after.refreshToken).toEqual(before.refreshToken);
    expect(after.syncToken).toBe(before.syncToken);
    expect(await activeChannelIds()).toEqual(channelsBefore);
  });

  test('When the stored grant lacks a permission, then the consent screen is forced', async () => {
    await stack
      .knex('google_connections')
      .where({ researcher_id: researcher.researcherId })
      .update({ state: 'needs_consent' });
    const location = new URL((await start(researcher.cookie)).headers.get('location')!);
    expect(location.searchParams.get('prompt')).toBe('consent');
  });
});
