import { consentStanding } from '../../src/consent/consent-standing';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { createStudy, invite, slotTomorrow } from '../bookings/support';

interface ConsentJson {
  version: number;
  forCurrentInterview: boolean;
  current: boolean;
}

describe('Which interview a consent covers', () => {
  test('When the consent was given for another booking or to older words, then it does not count as current for the interview', () => {
    const consent = { version: 1, text: 'Words.', consentedAt: new Date(), bookingId: 'a' };
    const base = { consent, required: true, currentVersion: 1 };

    expect(consentStanding({ ...base, liveBookingId: 'a' })).toMatchObject({
      forCurrentInterview: true,
      current: true,
    });
    expect(consentStanding({ ...base, liveBookingId: 'b' }).forCurrentInterview).toBe(false);
    expect(consentStanding({ ...base, liveBookingId: undefined }).forCurrentInterview).toBe(false);
    expect(consentStanding({ ...base, liveBookingId: 'a', currentVersion: 2 }).current).toBe(false);
  });
});

describe('Consent on the participant page and in the API', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const consentOf = async (id: string) =>
    ((await (await call('GET', `/api/participants/${id}`)).json()) as { consent: ConsentJson | null })
      .consent;
  const pageOf = async (id: string) =>
    (
      await (await fetch(`${stack.url}/participants/${id}`, { headers: { cookie: ada.cookie } })).text()
    ).replace(/\s+/g, ' ');

  async function bookedWithConsent(hour: number) {
    const study = await createStudy(stack, ada, { consentRequired: true, consentText: 'Version one.' });
    const [pat] = await invite(stack, ada, study.id);
    const slot = await slotTomorrow(stack, pat!.token, hour);
    const answer = await fetch(`${stack.url}/api/booking/${pat!.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: slot.start, consent: { version: 1, accepted: true } }),
    });
    expect(answer.status).toBe(201);
    return { study, pat: pat! };
  }

  test('When the consent was given for the interview booked, then it is shown as covering it', async () => {
    const { pat } = await bookedWithConsent(10);

    expect(await consentOf(pat.id)).toMatchObject({ version: 1, forCurrentInterview: true, current: true });
    const page = await pageOf(pat.id);
    expect(page).toMatch(/Consent given on [^<]+ \(version 1\)/);
    expect(page).not.toContain('earlier interview');
    expect(page).not.toContain('No consent recorded for this interview');
  });

  test('When the researcher books again by hand after a cancel, then the consent is shown as for an earlier interview and none for this one', async () => {
    const { pat } = await bookedWithConsent(11);
    expect((await call('POST', `/api/participants/${pat.id}/cancel`, {})).status).toBe(200);
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(12, 0, 0, 0);
    const rebooked = await call('POST', `/api/participants/${pat.id}/booking`, {
      start: start.toISOString(),
    });
    expect(rebooked.status).toBe(201);

    expect(await consentOf(pat.id)).toMatchObject({ version: 1, forCurrentInterview: false, current: true });
    const page = await pageOf(pat.id);
    expect(page).toMatch(/Consent given on [^<]+ for an earlier interview \(version 1\)/);
    expect(page).toContain('No consent recorded for this interview.');
  });

  test('When the study has new consent words since, then the consent is not current and the page names the new version', async () => {
    const { study, pat } = await bookedWithConsent(12);
    const saved = await call('PATCH', `/api/studies/${study.id}`, { consentText: 'Version two.' });
    expect(saved.status).toBe(200);

    expect(await consentOf(pat.id)).toMatchObject({ version: 1, forCurrentInterview: true, current: false });
    const page = await pageOf(pat.id);
    expect(page).toMatch(
      /Consent given on [^<]+ for this interview, to older words \(version 1; the study now asks for version 2\)/,
    );
  });
});
