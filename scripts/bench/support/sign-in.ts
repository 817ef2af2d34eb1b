/** What an API call of a signed-in researcher needs. */
export interface Researcher {
  id: string;
  email: string;
  headers: Record<string, string>;
}

/**
 * "Connect with Google" as the browser does it, against the emulator (which consents at
 * once for a login_hint), then a bearer API token made with that session.
 */
export async function signInResearcher(
  serviceUrl: string,
  emulatorUrl: string,
  email: string,
): Promise<Researcher> {
  await fetch(`${emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Bench Researcher' }),
  });
  const start = await fetch(`${serviceUrl}/auth/google?login_hint=${encodeURIComponent(email)}`, {
    redirect: 'manual',
  });
  const nonce = cookiePairs(start.headers.getSetCookie());
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: nonce },
  });
  if (callback.status !== 303) throw new Error(`sign-in failed: ${callback.status} ${await callback.text()}`);
  const cookie = cookiePairs(
    callback.headers.getSetCookie().filter((line) => line.startsWith('scheduler_session=')),
  );
  const created = await fetch(`${serviceUrl}/api/me/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { token } = (await created.json()) as { token: string };
  const me = (await (await fetch(`${serviceUrl}/api/me`, { headers: { cookie } })).json()) as {
    researcher: { id: string };
  };
  return {
    id: me.researcher.id,
    email,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  };
}

function cookiePairs(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}
