import http from 'node:http';
import { percentile } from './load';

/** The service's default OAuth client, which the emulator knows when none is configured. */
const CLIENT = { id: 'interview-scheduler.apps.emulator', secret: 'emulator-secret' };
const REDIRECT = 'http://127.0.0.1:1/callback';
const SLOT_MS = 30 * 60_000;

export interface CeilingResult {
  /** Bookings' Google parts completed per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Google calls per booking in this measurement. */
  callsPerBooking: number;
  failed: number;
}

/**
 * What the Google side alone allows: `concurrency` clients each doing, against the emulator,
 * the calls one booking makes — the slot re-check (events.list of the window with the event
 * types that block), events.insert with a Meet request and `sendUpdates=all`, and the read of
 * the Meet answer (events.get) — with no service in between. It is an upper bound on bookings
 * per second through the service: the service also pays for the push notification and the
 * sync that every new event causes, which this leaves out (its calendar has no channel).
 */
export async function measureGoogleCeiling(
  emulatorUrl: string,
  options: { concurrency: number; bookings: number },
): Promise<CeilingResult> {
  const token = await accessTokenFor(emulatorUrl, `ceiling-${Date.now()}@example.com`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const base = new URL(emulatorUrl);
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    send(agent, base, method, path, token, body);
  const calendar = '/calendar/v3/calendars/primary/events';
  const firstSlot = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const client = async () => {
    while (next < options.bookings) {
      const index = next;
      next += 1;
      const start = new Date(firstSlot + index * SLOT_MS);
      const end = new Date(start.getTime() + SLOT_MS);
      const before = performance.now();
      const window = new URLSearchParams({
        timeMin: start.toISOString(),
        timeMax: end.toISOString(),
        singleEvents: 'true',
        eventTypes: 'default',
      });
      window.append('eventTypes', 'outOfOffice');
      window.append('eventTypes', 'focusTime');
      const listed = await call('GET', `${calendar}?${window}`);
      const inserted = await call('POST', `${calendar}?conferenceDataVersion=1&sendUpdates=all`, {
        summary: `Interview ${index}`,
        description: 'A research interview.',
        start: { dateTime: start.toISOString() },
        end: { dateTime: end.toISOString() },
        attendees: [{ email: `participant-${index}@example.org` }],
        extendedProperties: { private: { bookingId: `ceiling-${index}` } },
        conferenceData: {
          createRequest: { requestId: `ceiling-${index}`, conferenceSolutionKey: { type: 'hangoutsMeet' } },
        },
      });
      const id = (inserted.body as { id?: string } | undefined)?.id;
      const read = id ? await call('GET', `${calendar}/${id}`) : { status: 0 };
      latencies.push(performance.now() - before);
      if (listed.status !== 200 || inserted.status !== 200 || read.status !== 200) failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: (options.bookings - failed) / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    callsPerBooking: 3,
    failed,
  };
}

/** A user consents (the emulator approves a login_hint at once) and the code becomes a token. */
async function accessTokenFor(emulatorUrl: string, email: string): Promise<string> {
  await fetch(`${emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Ceiling' }),
  });
  const consent = new URL(`${emulatorUrl}/o/oauth2/v2/auth`);
  consent.search = new URLSearchParams({
    client_id: CLIENT.id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    access_type: 'offline',
    scope: 'openid email https://www.googleapis.com/auth/calendar.events',
    login_hint: email,
  }).toString();
  const approved = await fetch(consent, { redirect: 'manual' });
  const code = new URL(approved.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`the emulator gave no code (${approved.status})`);
  const tokens = await fetch(`${emulatorUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      redirect_uri: REDIRECT,
    }),
  });
  const { access_token: accessToken } = (await tokens.json()) as { access_token?: string };
  if (!accessToken) throw new Error(`the emulator gave no access token (${tokens.status})`);
  return accessToken;
}

function send(
  agent: http.Agent,
  base: URL,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body?: unknown }> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
        response.on('error', () => resolve({ status: 0 }));
      },
    );
    request.on('error', () => resolve({ status: 0 }));
    request.end(payload);
  });
}
