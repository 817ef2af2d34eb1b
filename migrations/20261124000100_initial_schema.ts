import type { Knex } from 'knex';

/**
 * The whole data model of DESIGN 4. All times are timestamptz; every researcher-owned row
 * carries researcher_id so each query can be scoped by it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gist');

  await knex.schema.createTable('researchers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('google_sub').notNullable().unique();
    t.text('email').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('google_connections', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('researcher_id').notNullable().unique().references('researchers.id').onDelete('CASCADE');
    t.text('google_email').notNullable();
    t.text('calendar_id').notNullable();
    t.text('refresh_token_ciphertext').notNullable();
    t.text('key_id').notNullable();
    t.specificType('scopes', 'text[]').notNullable().defaultTo('{}');
    t.text('state').notNullable().defaultTo('connected');
    t.text('sync_token');
    t.timestamp('last_synced_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE google_connections
    ADD CONSTRAINT google_connections_state_check CHECK (state IN ('connected', 'revoked'))`);

  await knex.schema.createTable('calendar_channels', (t) => {
    t.uuid('id').primary(); // the channel id we give Google
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.text('calendar_id').notNullable();
    t.text('resource_id');
    t.text('token_hash').notNullable();
    t.text('address').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('state').notNullable().defaultTo('active');
    t.bigInteger('last_message_number');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('stopped_at', { useTz: true });
    t.index(['researcher_id', 'state']);
    t.index(['state', 'expires_at']);
  });
  await knex.raw(`ALTER TABLE calendar_channels
    ADD CONSTRAINT calendar_channels_state_check CHECK (state IN ('active', 'stopped', 'expired'))`);

  await knex.schema.createTable('sessions', (t) => {
    t.text('id_hash').primary();
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['researcher_id']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.text('name').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('studies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.integer('duration_minutes').notNullable();
    t.text('time_zone').notNullable();
    t.jsonb('availability').notNullable();
    t.integer('buffer_before_minutes').notNullable().defaultTo(0);
    t.integer('buffer_after_minutes').notNullable().defaultTo(0);
    t.integer('min_notice_minutes').notNullable().defaultTo(0);
    t.integer('horizon_days');
    t.date('start_date');
    t.date('end_date');
    t.integer('slot_step_minutes');
    t.integer('daily_limit');
    t.text('event_title').notNullable();
    t.text('event_description').notNullable().defaultTo('');
    t.specificType('guests', 'text[]').notNullable().defaultTo('{}');
    t.text('conflict_handling').notNullable().defaultTo('busy');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['researcher_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE studies
    ADD CONSTRAINT studies_status_check CHECK (status IN ('open', 'closed')),
    ADD CONSTRAINT studies_conflict_handling_check CHECK (conflict_handling IN ('busy', 'strict', 'off')),
    ADD CONSTRAINT studies_duration_check CHECK (duration_minutes BETWEEN 5 AND 480),
    ADD CONSTRAINT studies_window_check CHECK (
      (horizon_days IS NOT NULL AND start_date IS NULL AND end_date IS NULL)
      OR (horizon_days IS NULL AND start_date IS NOT NULL AND end_date IS NOT NULL AND start_date <= end_date))`);

  await knex.schema.createTable('participants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('study_id').notNullable().references('studies.id').onDelete('CASCADE');
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('status').notNullable().defaultTo('invited');
    // Only the SHA-256 of the booking token is kept: a database leak gives no working link.
    t.text('booking_token_hash').notNullable().unique();
    t.timestamp('token_expires_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['study_id', 'email']);
    t.index(['researcher_id']);
  });
  await knex.raw(`ALTER TABLE participants
    ADD CONSTRAINT participants_status_check
    CHECK (status IN ('invited', 'scheduled', 'canceled', 'no_show', 'completed'))`);

  await knex.schema.createTable('bookings', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.uuid('study_id').notNullable().references('studies.id').onDelete('CASCADE');
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.specificType('during', 'tstzrange').notNullable();
    t.text('state').notNullable().defaultTo('pending');
    t.text('google_event_id').notNullable().unique();
    t.text('calendar_id').notNullable();
    t.text('etag');
    t.integer('sequence');
    t.timestamp('event_updated_at', { useTz: true });
    t.text('meet_url');
    t.text('html_link');
    t.integer('insert_attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('cancelled_at', { useTz: true });
    t.index(['participant_id']);
    t.index(['state']);
  });
  await knex.raw(`ALTER TABLE bookings
    ADD CONSTRAINT bookings_state_check CHECK (state IN ('pending', 'confirmed', 'cancelled')),
    ADD CONSTRAINT bookings_range_check CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during))`);
  // The rule that makes a double booking impossible, whatever the number of service
  // instances: two live bookings of one researcher may not overlap. Half-open ranges '[)'
  // let one interview end at 10:00 and the next start at 10:00.
  await knex.raw(`ALTER TABLE bookings
    ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (researcher_id WITH =, during WITH &&) WHERE (state <> 'cancelled')`);
  // A participant holds at most one live booking; booking again moves it.
  await knex.raw(`CREATE UNIQUE INDEX bookings_one_live_per_participant
    ON bookings (participant_id) WHERE state <> 'cancelled'`);

  await knex.schema.createTable('status_history', (t) => {
    t.bigIncrements('id');
    t.uuid('participant_id').notNullable().references('participants.id').onDelete('CASCADE');
    t.text('kind').notNullable().defaultTo('status');
    t.text('from_status');
    t.text('to_status').notNullable();
    t.text('source').notNullable();
    t.text('actor');
    t.text('reason');
    t.jsonb('details');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['participant_id', 'at']);
  });
  await knex.raw(`ALTER TABLE status_history
    ADD CONSTRAINT status_history_source_check CHECK (source IN ('researcher', 'participant', 'calendar', 'system')),
    ADD CONSTRAINT status_history_kind_check CHECK (kind IN ('status', 'rescheduled', 'invited'))`);

  await knex.schema.createTable('email_outbox', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('participant_id').references('participants.id').onDelete('SET NULL');
    t.text('kind').notNullable();
    t.text('to_email').notNullable();
    t.text('to_name').notNullable().defaultTo('');
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.text('state').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.text('message_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['state', 'created_at']);
  });
  await knex.raw(`ALTER TABLE email_outbox
    ADD CONSTRAINT email_outbox_state_check CHECK (state IN ('pending', 'sent', 'failed'))`);

  await knex.schema.createTable('dev_mailbox', (t) => {
    t.bigIncrements('id');
    t.uuid('outbox_id').unique();
    t.text('from_email').notNullable();
    t.text('to_email').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('freebusy_cache', (t) => {
    t.uuid('researcher_id').notNullable().references('researchers.id').onDelete('CASCADE');
    t.text('calendar_id').notNullable();
    t.timestamp('range_start', { useTz: true }).notNullable();
    t.timestamp('range_end', { useTz: true }).notNullable();
    t.jsonb('busy').notNullable();
    t.timestamp('fetched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['researcher_id', 'calendar_id']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.integer('response_status');
    t.jsonb('response_body');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['scope', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'freebusy_cache',
    'dev_mailbox',
    'email_outbox',
    'status_history',
    'bookings',
    'participants',
    'studies',
    'api_tokens',
    'sessions',
    'calendar_channels',
    'google_connections',
    'researchers',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
