import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { book, createStudy, invite, slotTomorrow } from './support';

/**
 * GET /api/booking/:token tells a `canceled` participant who ended their interview and
 * which time it was for, so the booking page can say it before offering new times.
 */
describe('The booking view of a cancelled interview', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  let hour = 8;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(() => stack.close());

  async function bookedParticipant() {
    const [participant] = await invite(stack, ada, studyId);
    const slot = await slotTomorrow(stack, participant!.token, (hour += 1));
    expect((await book(stack, participant!.token, slot.start)).status).toBe(201);
    return { participant: participant!, slot };
  }

  const view = async (token: string) =>
    (await (await fetch(`${stack.url}/api/booking/${token}`)).json()) as {
      cancellation: { by: string; at: string; start: string | null; end: string | null } | null;
    };

  test('When the participant cancels from the link, then the view says they did, with the time', async () => {
    const { participant, slot } = await bookedParticipant();
    expect((await view(participant.token)).cancellation).toBeNull();
    const cancelled = await fetch(`${stack.url}/api/booking/${participant.token}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancelled.status).toBe(200);
    const { cancellation } = await view(participant.token);
    expect(cancellation).toMatchObject({ by: 'you', start: slot.start, end: slot.end });
  });

  test('When the researcher cancels, then the view says the research team did', async () => {
    const { participant, slot } = await bookedParticipant();
    const cancelled = await fetch(`${stack.url}/api/participants/${participant.id}/cancel`, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancelled.status).toBe(200);
    expect((await view(participant.token)).cancellation).toMatchObject({
      by: 'researcher',
      start: slot.start,
    });
  });

  test('When the participant books again after a cancellation, then the view no longer speaks of it', async () => {
    const { participant } = await bookedParticipant();
    await fetch(`${stack.url}/api/booking/${participant.token}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const again = await slotTomorrow(stack, participant.token, (hour += 1));
    expect((await book(stack, participant.token, again.start)).status).toBe(201);
    expect((await view(participant.token)).cancellation).toBeNull();
  });
});
