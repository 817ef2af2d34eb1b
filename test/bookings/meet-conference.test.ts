import { eventIdForBooking } from '../../src/google';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { pushesAndSyncsSettled } from '../sync/calendar-support';
import { book, clearFaults, createStudy, fault, invite, slotTomorrow } from './support';

/** The event as the emulator has it (its state view), with the conference's request. */
async function eventAtGoogle(stack: Stack, eventId: string) {
  const state = (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as {
    events: Record<
      string,
      {
        id: string;
        hangoutLink?: string;
        conferenceData?: { createRequest?: { requestId: string; status: { statusCode: string } } };
      }[]
    >;
  };
  return (state.events['ada@example.com'] ?? []).find((event) => event.id === eventId);
}

async function bookOne(stack: Stack, ada: SignedIn, studyId: string, hour: number) {
  const [pat] = await invite(stack, ada, studyId);
  const slot = await slotTomorrow(stack, pat!.token, hour);
  const answer = await book(stack, pat!.token, slot.start);
  expect(answer.status).toBe(201);
  const { booking } = (await answer.json()) as { booking: { id: string; meetUrl: string | null } };
  return { pat: pat!, booking, eventId: eventIdForBooking(booking.id) };
}

const meetUrlOf = async (stack: Stack, ada: SignedIn, participantId: string) =>
  (
    (await (await fetch(`${stack.url}/api/participants/${participantId}`, { headers: ada.auth })).json()) as {
      meetUrl: string | null;
    }
  ).meetUrl;

describe('A Meet conference that Google makes slowly', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    // Longer than the booking request waits for it.
    stack = await startStack({ emulator: { meetDelayMs: 6000 } });
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(() => stack.close());

  test('When the conference is still pending at booking, then the booking has no link yet, and the sync picks the link up once Google has it', async () => {
    const { pat, booking, eventId } = await bookOne(stack, ada, studyId, 10);
    expect(booking.meetUrl).toBeNull();

    const meetUrl = await eventually(async () => (await meetUrlOf(stack, ada, pat.id)) ?? undefined, 15_000);
    expect(meetUrl).toBe((await eventAtGoogle(stack, eventId))?.hangoutLink);
    const view = (await (await fetch(`${stack.url}/api/booking/${pat.token}`)).json()) as {
      booking: { meetUrl: string | null };
    };
    expect(view.booking.meetUrl).toBe(meetUrl);
  }, 30_000);
});

describe('A Meet conference that Google fails to make', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(() => stack.close());
  afterEach(() => clearFaults(stack));

  test('When the conference fails, then the event is patched with a new requestId and the link arrives', async () => {
    await fault(stack, { operation: 'conferences.create', status: 500, count: 1 });
    const { pat, booking, eventId } = await bookOne(stack, ada, studyId, 10);

    const meetUrl = await eventually(async () => (await meetUrlOf(stack, ada, pat.id)) ?? undefined, 15_000);
    const event = await eventAtGoogle(stack, eventId);
    expect(event?.conferenceData?.createRequest).toMatchObject({
      requestId: `${booking.id}-meet-2`,
      status: { statusCode: 'success' },
    });
    expect(meetUrl).toBe(event?.hangoutLink);
  });

  test('When every conference fails, then the requests stop after a few and the interview stands without a link', async () => {
    await fault(stack, { operation: 'conferences.create', status: 500, count: 20 });
    const { pat, booking, eventId } = await bookOne(stack, ada, studyId, 12);

    await eventually(async () => {
      const request = (await eventAtGoogle(stack, eventId))?.conferenceData?.createRequest;
      return request?.requestId === `${booking.id}-meet-4` && request.status.statusCode === 'failure';
    }, 15_000);
    await pushesAndSyncsSettled(stack);

    expect((await eventAtGoogle(stack, eventId))?.conferenceData?.createRequest?.requestId).toBe(
      `${booking.id}-meet-4`,
    );
    expect(await meetUrlOf(stack, ada, pat.id)).toBeNull();
  });
});
