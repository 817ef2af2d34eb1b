import { findConnection } from '../../src/connections/connection-repository';
import {
  eventually,
  signIn,
  startStack,
  TEST_GOOGLE_CLIENT,
  type SignedIn,
  type Stack,
} from '../support/stack';

/**
 * Issue 13: Google refusing the service's own OAuth client (a rotated or wrong secret) is
 * the deployer's misconfiguration. Only `invalid_grant` may revoke a researcher.
 */
describe('When Google rejects the service’s OAuth client', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
    await eventually(async () => (await findConnection(stack.knex, researcher.researcherId))?.syncToken);
  });
  afterAll(() => stack.close());

  test('then a sync fails, nobody is marked revoked, and /readyz and /metrics say why', async () => {
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
    // The secret is rotated in the Cloud console; this instance still has the old one, and
    // its cached access token is expired, so the next call must refresh.
    stack.emulator.setClientSecret(TEST_GOOGLE_CLIENT.clientId, 'rotated-secret');
    await emulatorAdmin(stack, '/clock', { advanceSeconds: 3601 });
    await emulatorAdmin(stack, `/calendars/${encodeURIComponent(researcher.email)}/events`, {
      summary: 'Dentist',
      start: new Date(Date.now() + 86_400_000).toISOString(),
      end: new Date(Date.now() + 90_000_000).toISOString(),
    });

    const ready = await eventually(async () => {
      const answer = await fetch(`${stack.url}/readyz`);
      return answer.status === 503 ? ((await answer.json()) as { detail: string }) : undefined;
    }, 10_000);
    expect(ready.detail).toContain('invalid_client');
    expect(ready.detail).toMatch(/GOOGLE_CLIENT_SECRET/);

    const me = (await (await fetch(`${stack.url}/api/me`, { headers: researcher.auth })).json()) as {
      google: { state: string } | null;
    };
    expect(me.google?.state).toBe('connected');
    expect((await findConnection(stack.knex, researcher.researcherId))?.state).toBe('connected');

    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/google_oauth_client_rejections_total\{reason="invalid_client"\} [1-9]/);
  });

  test('then, once the right secret is back, the next sync succeeds and /readyz is ready again', async () => {
    stack.emulator.setClientSecret(TEST_GOOGLE_CLIENT.clientId, TEST_GOOGLE_CLIENT.clientSecret);
    await emulatorAdmin(stack, `/calendars/${encodeURIComponent(researcher.email)}/events`, {
      summary: 'Lunch',
      start: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      end: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(),
    });
    await eventually(async () => (await fetch(`${stack.url}/readyz`)).status === 200, 10_000);
    expect((await findConnection(stack.knex, researcher.researcherId))?.state).toBe('connected');
  });
});

async function emulatorAdmin(stack: Stack, path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status >= 400) throw new Error(`emulator ${path}: ${answer.status} ${await answer.text()}`);
}

describe('When the service starts with a wrong client secret', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      googleClient: { clientId: TEST_GOOGLE_CLIENT.clientId, clientSecret: 'a-typo-in-the-secret' },
    });
  });
  afterAll(() => stack.close());

  test('then signing in ends on a 503 that blames the configuration, no researcher is stored, and /readyz says why', async () => {
    await expect(signIn(stack, 'grace@lab.example')).rejects.toThrow(
      /sign-in failed: 503 .*google-client-rejected.*administrator must fix it/s,
    );
    const { count } = (await stack.knex('researchers').count({ count: '*' }).first()) as { count: string };
    expect(Number(count)).toBe(0);
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toContain('invalid_client');
  });
});
