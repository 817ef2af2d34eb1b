import { findConnection } from '../../src/connections/connection-repository';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/** Issue 13: a permission taken away later (403 insufficientPermissions) asks for consent again. */
describe('When Google answers 403 insufficientPermissions for a connected researcher', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
    await eventually(async () => (await findConnection(stack.knex, researcher.researcherId))?.syncToken);
  });
  afterAll(() => stack.close());

  const emulator = (path: string, body: unknown) =>
    fetch(`${stack.emulatorUrl}/_emulator${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const me = async () =>
    (
      (await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json()) as {
        google: { state: string } | null;
      }
    ).google;

  test('then the connection needs consent, /api/me and the home page say so, and signing in again connects it', async () => {
    await emulator('/faults', { operation: 'events.list', status: 403, reason: 'insufficientPermissions' });
    await emulator(`/calendars/${encodeURIComponent(researcher.email)}/events`, {
      summary: 'Dentist',
      start: new Date(Date.now() + 86_400_000).toISOString(),
      end: new Date(Date.now() + 90_000_000).toISOString(),
    });

    await eventually(async () => (await me())?.state === 'needs_consent', 10_000);
    const home = await (await fetch(`${stack.url}/`, { headers: { cookie: researcher.cookie } })).text();
    expect(home).toContain('Permission missing');
    expect(home).toContain('Reconnect Google Calendar');

    await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
    await signIn(stack, researcher.email);
    expect((await me())?.state).toBe('connected');
  });
});
