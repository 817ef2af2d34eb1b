import { eventually, type SignedIn, type Stack } from '../support/stack';

export async function api(
  stack: Stack,
  who: SignedIn,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever JSON came back
): Promise<{ status: number; type: string; body: any }> {
  const answer = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...who.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  return {
    status: answer.status,
    type: answer.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Invites through the API and returns the link from the email the colleague received. */
export async function inviteAndReadLink(
  stack: Stack,
  who: SignedIn,
  email: string,
): Promise<{ id: string; link: string }> {
  const answer = await api(stack, who, 'POST', '/api/team/invitations', { email });
  if (answer.status !== 201) throw new Error(`invite: ${answer.status} ${JSON.stringify(answer.body)}`);
  const link = await joinLinkInMailbox(stack, answer.body.id as string);
  return { id: answer.body.id as string, link };
}

/** The join link of one invitation's email, once the worker has delivered it to the development mailbox. */
export async function joinLinkInMailbox(stack: Stack, invitationId: string): Promise<string> {
  // Once the outbox row says sent (the mailbox row is written just before that commits).
  return eventually(async () => {
    const row = await stack
      .knex('dev_mailbox as m')
      .join('email_outbox as o', 'o.id', 'm.outbox_id')
      .where({ 'o.dedupe_key': `team_invitation:${invitationId}`, 'o.state': 'sent' })
      .first<{ text_body: string } | undefined>('m.text_body');
    return row ? /http\S+\/join\/\S+/.exec(row.text_body)?.[0] : undefined;
  }, 10_000);
}

export function cookiePair(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}

/**
 * A browser's way through an invitation link: the join page's button, Google's consent
 * screen where the person picks `account` (the login hint is only a hint), back to the
 * callback. Returns the callback's answer (a page, or the redirect after joining).
 */
export async function joinThroughLink(
  stack: Stack,
  link: string,
  account: string,
  sessionCookie = '',
): Promise<Response> {
  await fetch(`${stack.emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account, name: account.split('@')[0] }),
  });
  const start = await fetch(`${link}/sign-in`, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(sessionCookie ? { cookie: sessionCookie } : {}) },
  });
  if (start.status !== 302) throw new Error(`join start: ${start.status} ${await start.text()}`);
  const google = new URL(start.headers.get('location') ?? '');
  google.searchParams.set('login_hint', account);
  const consent = await fetch(google, { redirect: 'manual' });
  const nonce = cookiePair(start.headers.getSetCookie());
  return fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { accept: 'text/html', cookie: [nonce, sessionCookie].filter(Boolean).join('; ') },
  });
}

/** The session a successful callback set, as a cookie header. */
export function sessionOf(answer: Response): string {
  return cookiePair(answer.headers.getSetCookie().filter((line) => line.startsWith('scheduler_session=')));
}
