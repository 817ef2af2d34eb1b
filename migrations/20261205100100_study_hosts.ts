import type { Knex } from 'knex';

/**
 * Several hosts per study (issue 15).
 * - `studies.scheduling_type`: one_on_one (exactly one host), collective (every host free,
 *   all attend), round_robin (one free host takes it).
 * - `studies.host_hours`: `study` = the study's common schedule for every host; `per_host` =
 *   each host's own weekly hours (`researchers.host_hours`: `{ timeZone, availability }`,
 *   kept per researcher so one set of hours serves all their studies).
 * - `study_hosts`: the hosts in order; the first is the organizer of collective events. A
 *   study inserted without hosts gets its creator as its one host (trigger), so every path
 *   that creates a study keeps "at least one host".
 * - `booking_hosts`: every host a booking occupies, with the booking's range and whether it
 *   is live. The exclusion constraint on it is what makes double booking a host impossible
 *   across studies and instances. Triggers keep it in step with `bookings`: the organizer's
 *   row comes with the booking; a move or cancellation updates every row of the booking.
 *   Further hosts (collective) are inserted by the booking's own transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('studies', (t) => {
    t.text('scheduling_type').notNullable().defaultTo('one_on_one');
    t.text('host_hours').notNullable().defaultTo('study');
  });
  await knex.raw(`ALTER TABLE studies
    ADD CONSTRAINT studies_scheduling_type_check CHECK (scheduling_type IN ('one_on_one', 'collective', 'round_robin')),
    ADD CONSTRAINT studies_host_hours_check CHECK (host_hours IN ('study', 'per_host'))`);

  await knex.schema.alterTable('researchers', (t) => {
    t.jsonb('host_hours');
  });

  await knex.schema.createTable('study_hosts', (t) => {
    t.uuid('study_id').notNullable().references('studies.id').onDelete('CASCADE');
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.uuid('added_by').references('researchers.id').onDelete('SET NULL');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['study_id', 'researcher_id']);
    t.index(['researcher_id']);
  });
  await knex.raw(
    'INSERT INTO study_hosts (study_id, researcher_id, position, added_by, added_at) SELECT id, researcher_id, 0, researcher_id, created_at FROM studies',
  );
  await knex.raw(`
    CREATE FUNCTION study_creator_host() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO study_hosts (study_id, researcher_id, position, added_by)
        VALUES (NEW.id, NEW.researcher_id, 0, NEW.researcher_id);
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER studies_creator_host AFTER INSERT ON studies
    FOR EACH ROW EXECUTE FUNCTION study_creator_host()`);

  await knex.schema.createTable('booking_hosts', (t) => {
    t.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE');
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.specificType('during', 'tstzrange').notNullable();
    t.boolean('live').notNullable();
    t.primary(['booking_id', 'researcher_id']);
  });
  await knex.raw(`ALTER TABLE booking_hosts ADD CONSTRAINT booking_hosts_no_overlap
    EXCLUDE USING gist (researcher_id WITH =, during WITH &&) WHERE (live)`);
  await knex.raw(`INSERT INTO booking_hosts (booking_id, researcher_id, during, live)
    SELECT id, researcher_id, during, state <> 'cancelled' FROM bookings`);
  await knex.raw(`
    CREATE FUNCTION booking_organizer_host() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO booking_hosts (booking_id, researcher_id, during, live)
        VALUES (NEW.id, NEW.researcher_id, NEW.during, NEW.state <> 'cancelled');
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER bookings_organizer_host AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION booking_organizer_host()`);
  await knex.raw(`
    CREATE FUNCTION booking_hosts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.during IS DISTINCT FROM OLD.during OR (NEW.state <> 'cancelled') IS DISTINCT FROM (OLD.state <> 'cancelled') THEN
        UPDATE booking_hosts SET during = NEW.during, live = NEW.state <> 'cancelled'
          WHERE booking_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER bookings_hosts_follow AFTER UPDATE OF during, state ON bookings
    FOR EACH ROW EXECUTE FUNCTION booking_hosts_follow()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS bookings_hosts_follow ON bookings');
  await knex.raw('DROP FUNCTION IF EXISTS booking_hosts_follow()');
  await knex.raw('DROP TRIGGER IF EXISTS bookings_organizer_host ON bookings');
  await knex.raw('DROP FUNCTION IF EXISTS booking_organizer_host()');
  await knex.schema.dropTableIfExists('booking_hosts');
  await knex.raw('DROP TRIGGER IF EXISTS studies_creator_host ON studies');
  await knex.raw('DROP FUNCTION IF EXISTS study_creator_host()');
  await knex.schema.dropTableIfExists('study_hosts');
  await knex.schema.alterTable('researchers', (t) => t.dropColumn('host_hours'));
  await knex.raw(
    'ALTER TABLE studies DROP CONSTRAINT studies_scheduling_type_check, DROP CONSTRAINT studies_host_hours_check',
  );
  await knex.schema.alterTable('studies', (t) => {
    t.dropColumn('scheduling_type');
    t.dropColumn('host_hours');
  });
}
