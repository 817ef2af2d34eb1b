import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { createStudy, invite } from '../bookings/support';

/**
 * A link a re-invite replaced answers 410 `link-replaced` with the time the newest link was
 * sent: every older link points to the newest one, which is the one to use.
 */
describe('Links replaced by a re-invite', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  const reinvite = async (participantId: string) => {
    const answer = await fetch(`${stack.url}/api/participants/${participantId}/reinvite`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { bookingUrl: string }).bookingUrl.split('/book/')[1]!;
  };
  const sentAt = async (token: string) => {
    const answer = await fetch(`${stack.url}/api/booking/${token}`);
    expect(answer.status).toBe(410);
    return ((await answer.json()) as { newLinkSentAt: string }).newLinkSentAt;
  };

  test('When a participant is re-invited twice, then both old links name the date of the newest link, and only it works', async () => {
    const [participant] = await invite(stack, ada, (await createStudy(stack, ada)).id);
    const first = participant!.token;
    const second = await reinvite(participant!.id);
    const firstReplacedAt = await sentAt(first);
    // Back-date the first re-invite, so the second one's time is told apart from it.
    await stack
      .knex('replaced_booking_links')
      .where({ participant_id: participant!.id })
      .update({ replaced_at: new Date('2026-01-01T00:00:00Z') });
    expect(await sentAt(first)).toBe('2026-01-01T00:00:00.000Z');

    const third = await reinvite(participant!.id);
    const newest = await sentAt(second);
    expect(await sentAt(first)).toBe(newest);
    expect(Date.parse(newest)).toBeGreaterThanOrEqual(Date.parse(firstReplacedAt));
    expect((await fetch(`${stack.url}/api/booking/${third}`)).status).toBe(200);
    // Only hashes are kept.
    const rows = await stack.knex('replaced_booking_links').select('token_hash');
    for (const row of rows as { token_hash: string }[]) {
      expect([first, second]).not.toContain(row.token_hash);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('When a link never existed, then it is still simply not valid (404)', async () => {
    expect((await fetch(`${stack.url}/api/booking/${'A'.repeat(43)}`)).status).toBe(404);
  });
});
