import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('The bookings table', () => {
  let db: TestDatabase;
  let knex: Knex;
  let researcherId: string;
  let studyId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    [{ id: researcherId }] = await knex('researchers')
      .insert({ google_sub: 'sub-1', email: 'r@example.com', name: 'R' })
      .returning('id');
    [{ id: studyId }] = await knex('studies')
      .insert({
        researcher_id: researcherId,
        title: 'Study',
        duration_minutes: 30,
        time_zone: 'UTC',
        availability: JSON.stringify({ weekly: {} }),
        horizon_days: 14,
        event_title: 'Interview',
      })
      .returning('id');
  });
  afterAll(() => db.drop());

  let participantCounter = 0;
  async function book(range: string, state = 'pending', researcher = researcherId): Promise<void> {
    participantCounter += 1;
    const [{ id: participantId }] = await knex('participants')
      .insert({
        study_id: studyId,
        researcher_id: researcherId,
        name: `P${participantCounter}`,
        email: `p${participantCounter}@example.com`,
        booking_token_hash: `hash-${participantCounter}`,
      })
      .returning('id');
    await knex('bookings').insert({
      participant_id: participantId,
      study_id: studyId,
      researcher_id: researcher,
      during: range,
      state,
      google_event_id: `ev${participantCounter}`,
      calendar_id: 'r@example.com',
    });
  }

  test('When two live bookings of one researcher overlap, then the second is rejected', async () => {
    await book('[2030-01-07 10:00Z, 2030-01-07 10:30Z)');
    await expect(book('[2030-01-07 10:15Z, 2030-01-07 10:45Z)')).rejects.toMatchObject({
      code: '23P01',
      constraint: 'bookings_no_overlap',
    });
  });

  test('When a booking starts exactly where another ends, then both are accepted', async () => {
    await book('[2030-01-08 10:00Z, 2030-01-08 10:30Z)');
    await expect(book('[2030-01-08 10:30Z, 2030-01-08 11:00Z)', 'confirmed')).resolves.toBeUndefined();
    await expect(book('[2030-01-08 09:30Z, 2030-01-08 10:00Z)')).resolves.toBeUndefined();
  });

  test('When the earlier booking is cancelled, then its time can be booked again', async () => {
    await book('[2030-01-09 10:00Z, 2030-01-09 10:30Z)', 'cancelled');
    await expect(book('[2030-01-09 10:00Z, 2030-01-09 10:30Z)')).resolves.toBeUndefined();
  });

  test('When another researcher books the same time, then it does not conflict', async () => {
    const [{ id: other }] = await knex('researchers')
      .insert({ google_sub: 'sub-2', email: 'o@example.com', name: 'O' })
      .returning('id');
    await book('[2030-01-10 10:00Z, 2030-01-10 10:30Z)');
    await expect(book('[2030-01-10 10:00Z, 2030-01-10 10:30Z)', 'pending', other)).resolves.toBeUndefined();
  });
});
