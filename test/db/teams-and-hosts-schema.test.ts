import type { Knex } from 'knex';
import { upsertResearcherByGoogleSub } from '../../src/researchers/researcher-repository';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The database rules under teams and hosts (migrations 20261205100000/100100). */
describe('Teams, study hosts and booking hosts in the schema', () => {
  let db: TestDatabase;
  let knex: Knex;
  let ada: string;
  let ben: string;

  async function researcher(sub: string, name: string): Promise<string> {
    const [{ id }] = await knex('researchers')
      .insert({ google_sub: sub, email: `${sub}@example.com`, name })
      .returning('id');
    return id as string;
  }

  async function study(creator: string): Promise<string> {
    const [{ id }] = await knex('studies')
      .insert({
        researcher_id: creator,
        title: 'Study',
        duration_minutes: 30,
        time_zone: 'UTC',
        availability: JSON.stringify({ weekly: {} }),
        horizon_days: 14,
        event_title: 'Interview',
      })
      .returning('id');
    return id as string;
  }

  let counter = 0;
  async function book(studyId: string, organizer: string, range: string): Promise<string> {
    counter += 1;
    const [{ id: participantId }] = await knex('participants')
      .insert({
        study_id: studyId,
        researcher_id: organizer,
        name: `P${counter}`,
        email: `p${counter}@example.com`,
        booking_token_hash: `hash-${counter}`,
      })
      .returning('id');
    const [{ id }] = await knex('bookings')
      .insert({
        participant_id: participantId,
        study_id: studyId,
        researcher_id: organizer,
        during: range,
        state: 'pending',
        google_event_id: `ev${counter}`,
        calendar_id: 'cal@example.com',
      })
      .returning('id');
    return id as string;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    ada = await researcher('ada', 'Ada');
    ben = await researcher('ben', '');
  });
  afterAll(() => db.drop());

  test('When a researcher is created, then they get a team of their own named after them', async () => {
    const rows = await knex({ r: 'researchers' })
      .join({ t: 'teams' }, 't.id', 'r.team_id')
      .whereIn('r.id', [ada, ben])
      .orderBy('r.name', 'desc')
      .select('r.team_id', 't.name');
    expect(rows.map((row: { name: string }) => row.name)).toEqual(["Ada's team", "ben@example.com's team"]);
    expect(rows[0].team_id).not.toBe(rows[1].team_id);
  });

  test('When a researcher signs in again (an insert that turns into an update), then no team is made for it', async () => {
    const first = await upsertResearcherByGoogleSub(knex, { sub: 'cy', email: 'cy@example.com', name: 'Cy' });
    const teams = async () =>
      Number((await knex('teams').count<{ count: string }[]>('* as count'))[0]?.count);
    const before = await teams();

    const again = await upsertResearcherByGoogleSub(knex, {
      sub: 'cy',
      email: 'cy@example.com',
      name: 'Cy B',
    });
    await upsertResearcherByGoogleSub(knex, { sub: 'cy', email: 'cy@example.com', name: 'Cy C' });

    expect(again.id).toBe(first.id);
    expect(await teams()).toBe(before);
    const empty = await knex('teams as t')
      .whereNotExists(knex('researchers as r').whereRaw('r.team_id = t.id').select(knex.raw('1')))
      .count<{ count: string }[]>('* as count');
    expect(Number(empty[0]?.count)).toBe(0);
  });

  test('When a study is created, then it belongs to its creator’s team and has the creator as its one host', async () => {
    const studyId = await study(ada);
    const row = await knex('studies')
      .where({ id: studyId })
      .first('team_id', 'scheduling_type', 'host_hours');
    const adaTeam = await knex('researchers').where({ id: ada }).first('team_id');
    expect(row).toEqual({ team_id: adaTeam.team_id, scheduling_type: 'one_on_one', host_hours: 'study' });
    expect(
      await knex('study_hosts').where({ study_id: studyId }).select('researcher_id', 'position'),
    ).toEqual([{ researcher_id: ada, position: 0 }]);
  });

  test('When a booking is made, moved and cancelled, then its hosts follow its range and state', async () => {
    const studyId = await study(ada);
    const bookingId = await book(studyId, ada, '[2030-02-04 10:00Z, 2030-02-04 10:30Z)');
    await knex('booking_hosts').insert({
      booking_id: bookingId,
      researcher_id: ben,
      during: knex.raw("'[2030-02-04 10:00Z, 2030-02-04 10:30Z)'::tstzrange"),
      live: true,
    });
    await knex('bookings')
      .where({ id: bookingId })
      .update({ during: knex.raw("'[2030-02-04 11:00Z, 2030-02-04 11:30Z)'::tstzrange") });
    const moved = await knex('booking_hosts')
      .where({ booking_id: bookingId })
      .orderBy('researcher_id')
      .select(knex.raw('lower(during) AS start'), 'live');
    expect(moved).toHaveLength(2);
    for (const host of moved) expect(host).toEqual({ start: new Date('2030-02-04T11:00:00Z'), live: true });

    await knex('bookings').where({ id: bookingId }).update({ state: 'cancelled' });
    expect(await knex('booking_hosts').where({ booking_id: bookingId }).pluck('live')).toEqual([
      false,
      false,
    ]);
  });

  test('When two studies share a host, then that host can never be booked twice at once', async () => {
    const adaStudy = await study(ada);
    const benStudy = await study(ben);
    const collective = await book(adaStudy, ada, '[2030-03-04 10:00Z, 2030-03-04 11:00Z)');
    await knex('booking_hosts').insert({
      booking_id: collective,
      researcher_id: ben,
      during: knex.raw("'[2030-03-04 10:00Z, 2030-03-04 11:00Z)'::tstzrange"),
      live: true,
    });
    await expect(book(benStudy, ben, '[2030-03-04 10:30Z, 2030-03-04 11:30Z)')).rejects.toMatchObject({
      code: '23P01',
      constraint: 'booking_hosts_no_overlap',
    });
    // Back to back is fine, and a cancelled booking frees its hosts.
    await book(benStudy, ben, '[2030-03-04 11:00Z, 2030-03-04 11:30Z)');
    await knex('bookings').where({ id: collective }).update({ state: 'cancelled' });
    await book(benStudy, ben, '[2030-03-04 10:00Z, 2030-03-04 10:30Z)');
  });
});
