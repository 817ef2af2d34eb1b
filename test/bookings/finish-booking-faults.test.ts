import { randomUUID } from 'node:crypto';
import { insertPendingBooking } from '../../src/bookings/booking-repository';
import { resumePendingBookings, retryPendingBookingsNow } from '../../src/bookings/finish-booking-job';
import { FINISH_BOOKING } from '../../src/jobs/names';
import { eventIdForBooking } from '../../src/google';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { clearFaults, createStudy, emulatorEvents, fault, invite, slotsFor } from './support';

describe('Finishing held bookings through a Google outage', () => {
  let stack: Stack;
  let ada: SignedIn;
  let studyId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com');
    studyId = (await createStudy(stack, ada)).id;
  });
  afterAll(() => stack.close());

  test('When Google answers 500 and then 429 while held bookings are finished, then each is confirmed once with one event and one scheduled entry', async () => {
    const people = await invite(stack, ada, studyId, 6, 'held');
    const slots = (await slotsFor(stack, people[0]!.token)).slice(0, people.length);
    // Held as a booking request leaves them when Google does not answer in time.
    const bookingIds: string[] = people.map(() => randomUUID());
    await stack.knex.transaction(async (trx) => {
      for (const [index, person] of people.entries()) {
        await insertPendingBooking(trx, {
          id: bookingIds[index]!,
          participantId: person.id,
          studyId,
          researcherId: ada.researcherId,
          start: new Date(slots[index]!.start),
          end: new Date(slots[index]!.end),
          googleEventId: eventIdForBooking(bookingIds[index]!),
          calendarId: 'ada@example.com',
        });
      }
    });
    await fault(stack, { status: 500, reason: 'backendError', operation: 'events.insert' });

    await resumePendingBookings(stack.knex, stack.queue, 0);
    // Every job has met the outage (and is waiting for its retry) before it ends.
    await eventually(async () => {
      const attempts = await stack.knex('bookings').whereIn('id', bookingIds).min('insert_attempts as least');
      return Number(attempts[0]?.least) >= 1;
    }, 20_000);
    await clearFaults(stack);
    // Recovering, Google still refuses some calls for a moment: rate limits.
    await fault(stack, { status: 429, reason: 'rateLimitExceeded', count: 3, operation: 'events.insert' });

    await eventually(async () => {
      const confirmed = await stack.knex('bookings').whereIn('id', bookingIds).where('state', 'confirmed');
      return confirmed.length === bookingIds.length;
    }, 60_000);
    await clearFaults(stack);
    const events = (await emulatorEvents(stack, 'ada@example.com')).events.filter((event) =>
      bookingIds.includes(event.extendedProperties?.private?.bookingId ?? ''),
    );
    expect(events.map((event) => event.id).sort()).toEqual(bookingIds.map(eventIdForBooking).sort());
    const scheduled = await stack
      .knex('status_history')
      .whereIn(
        'participant_id',
        people.map((person) => person.id),
      )
      .where('to_status', 'scheduled')
      .select('participant_id');
    expect(scheduled.map((row) => row.participant_id).sort()).toEqual(
      people.map((person) => person.id).sort(),
    );
  }, 90_000);

  test('When Google answers a researcher again, then only the waiting jobs of their bookings held for a while are due now', async () => {
    // A stack without workers: the jobs stay where the wake-up leaves them.
    const quiet = await startStack({ db: stack.db, sharedEmulator: stack.emulator, workers: false });
    try {
      await quiet.queue.defineQueue(FINISH_BOOKING, {
        retryLimit: 12,
        retryDelaySeconds: 10,
        retryBackoff: true,
        expireInSeconds: 120,
      });
      const people = await invite(stack, ada, studyId, 3, 'wake');
      const slots = (await slotsFor(stack, people[0]!.token)).slice(-3);
      const [heldLong, confirmed, justHeld] = people.map(() => randomUUID() as string);
      await quiet.knex.transaction(async (trx) => {
        for (const [index, id] of [heldLong!, confirmed!, justHeld!].entries()) {
          await insertPendingBooking(trx, {
            id,
            participantId: people[index]!.id,
            studyId,
            researcherId: ada.researcherId,
            start: new Date(slots[index]!.start),
            end: new Date(slots[index]!.end),
            googleEventId: eventIdForBooking(id),
            calendarId: 'ada@example.com',
          });
          await quiet.queue.send(FINISH_BOOKING, { bookingId: id }, { trx, startAfter: 3600 });
        }
      });
      await quiet
        .knex('bookings')
        .whereIn('id', [heldLong!, confirmed!])
        .update({ created_at: new Date(Date.now() - 60_000) });
      await quiet.knex('bookings').where({ id: confirmed }).update({ state: 'confirmed' });

      const woken = await retryPendingBookingsNow(quiet.knex, quiet.queue.schema, ada.researcherId);

      expect(woken).toBe(1);
      const due = await quiet.knex
        .withSchema(quiet.queue.schema)
        .from('job')
        .where('name', FINISH_BOOKING)
        .whereRaw('start_after <= now()')
        .whereRaw("data->>'bookingId' = ANY(?)", [[heldLong!, confirmed!, justHeld!]])
        .select<{ bookingId: string }[]>(quiet.knex.raw("data->>'bookingId' AS ??", ['bookingId']));
      expect(due.map((row) => row.bookingId)).toEqual([heldLong]);
    } finally {
      await quiet.close();
    }
  });
});
