import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import express from 'express';
import { OAuth2Client } from 'google-auth-library';
import { google, type calendar_v3 } from 'googleapis';
import { createGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from '../../src/emulator';

export const CLIENT = {
  clientId: 'scheduler-test.apps.googleusercontent.com',
  clientSecret: 'scheduler-test-secret',
  redirectUri: 'http://127.0.0.1:3000/auth/google/callback',
};

/** A second registered client, for codes and tokens presented by the wrong one. */
export const OTHER_CLIENT = {
  clientId: 'other.apps.googleusercontent.com',
  clientSecret: 'other-secret',
  redirectUri: CLIENT.redirectUri,
};

export const SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.readonly',
];

export interface Harness {
  emulator: GoogleEmulator;
  base: string;
  close(): Promise<void>;
}

/**
 * An emulator on 127.0.0.1, a free port, consenting without a click for a login_hint, with
 * CLIENT and OTHER_CLIENT registered (any loopback redirect URI).
 */
export async function startEmulator(options: GoogleEmulatorOptions = {}): Promise<Harness> {
  const emulator = createGoogleEmulator({
    autoApprove: true,
    allowHttpPushOnLoopback: true,
    clients: [CLIENT, OTHER_CLIENT].map(({ clientId, clientSecret }) => ({ clientId, clientSecret })),
    pushRetry: { initialDelayMs: 20, maxAttempts: 5, timeoutMs: 2000 },
    ...options,
  });
  const { url } = await emulator.listen(0);
  return { emulator, base: url, close: () => emulator.close() };
}

/** google-auth-library's real client, pointed at the emulator through its endpoint options. */
export function oauthClient(base: string, overrides: Partial<typeof CLIENT> = {}): OAuth2Client {
  const client = { ...CLIENT, ...overrides };
  return new OAuth2Client({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUri: client.redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      tokenInfoUrl: `${base}/tokeninfo`,
      oauth2FederatedSignonPemCertsUrl: `${base}/oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${base}/oauth2/v3/certs`,
    },
    issuers: ['accounts.google.com', 'https://accounts.google.com'],
    transporterOptions: { fetchImplementation: fetch },
  });
}

/** googleapis' real Calendar client against the emulator. */
export function calendarClient(base: string, auth: OAuth2Client, retry = false): calendar_v3.Calendar {
  return google.calendar({ version: 'v3', rootUrl: `${base}/`, auth, retry, fetchImplementation: fetch });
}

/** Follows the consent redirect by hand and returns what came back to the redirect URI. */
export async function consent(
  client: OAuth2Client,
  params: {
    email: string;
    prompt?: string;
    accessType?: 'online' | 'offline';
    scope?: string[];
    state?: string;
  },
): Promise<URL> {
  const url = client.generateAuthUrl({
    access_type: params.accessType ?? 'offline',
    ...(params.prompt !== undefined ? { prompt: params.prompt } : { prompt: 'consent' }),
    scope: params.scope ?? SCOPES,
    state: params.state ?? 'state-123',
    login_hint: params.email,
  });
  const response = await fetch(url, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(response.headers.get('location') ?? '');
}

export async function authorizationCode(
  client: OAuth2Client,
  params: Parameters<typeof consent>[1],
): Promise<string> {
  const code = (await consent(client, params)).searchParams.get('code');
  if (!code) throw new Error('no code');
  return code;
}

/** A researcher who connected: an OAuth client holding their tokens, and a Calendar client. */
export async function connect(base: string, email: string) {
  const auth = oauthClient(base);
  const { tokens } = await auth.getToken(await authorizationCode(auth, { email }));
  auth.setCredentials(tokens);
  return { auth, tokens, calendar: calendarClient(base, auth) };
}

export async function admin(base: string, path: string, body?: unknown, method = 'POST') {
  const response = await fetch(`${base}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** The status and Google error reason of a failed googleapis call. */
export async function failureOf(
  call: Promise<unknown>,
): Promise<{ status: number; reason?: string; body: unknown }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (!response) throw error;
    const data = response.data as { error?: { errors?: Array<{ reason?: string }> } | string };
    const reason = typeof data.error === 'object' ? data.error.errors?.[0]?.reason : data.error;
    return { status: response.status, ...(reason !== undefined ? { reason } : {}), body: data };
  }
  throw new Error('expected the call to fail');
}

export interface Notification {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on a free loopback port; answers with the queued statuses, then 200. */
export async function startReceiver() {
  const received: Notification[] = [];
  const statuses: number[] = [];
  let delayMs = 0;
  const app = express();
  app.post('/hook', express.text({ type: '*/*' }), async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers[key] = value;
    received.push({ headers, body: typeof req.body === 'string' ? req.body : '' });
    if (delayMs > 0) await sleep(delayMs);
    res.status(statuses.shift() ?? 200).end();
  });
  const server: http.Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respondWith: (...codes: number[]) => statuses.push(...codes),
    answerAfter: (ms: number) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An hour-long event at `hour` o'clock UTC on 2030-01-10 (a fixed future day). */
export function slot(hour: number, minutes = 60) {
  const start = new Date(Date.UTC(2030, 0, 10, hour));
  return {
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + minutes * 60_000).toISOString() },
  };
}
