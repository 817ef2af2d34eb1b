import type { Knex } from 'knex';

/**
 * Research teams (issue 15): studies belong to a team and every member sees and manages
 * them. Every researcher is in exactly one team; a new researcher gets a team of their own.
 * Triggers give a researcher inserted without a team their own one, and a study inserted
 * without a team its creator's, so that every path that creates either keeps the rule.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('teams', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable('researchers', (t) => {
    t.uuid('team_id').references('teams.id');
    t.timestamp('joined_team_at', { useTz: true });
  });
  await knex.raw(`
    CREATE FUNCTION researcher_own_team() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.team_id IS NULL THEN
        INSERT INTO teams (name)
          VALUES (COALESCE(NULLIF(btrim(NEW.name), ''), NEW.email) || '''s team')
          RETURNING id INTO NEW.team_id;
      END IF;
      IF NEW.joined_team_at IS NULL THEN
        NEW.joined_team_at := now();
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER researchers_own_team BEFORE INSERT ON researchers
    FOR EACH ROW EXECUTE FUNCTION researcher_own_team()`);
  // Existing researchers: a team each, named after them.
  await knex.raw(`
    DO $$
    DECLARE r record; new_team uuid;
    BEGIN
      FOR r IN SELECT id, name, email, created_at FROM researchers WHERE team_id IS NULL LOOP
        INSERT INTO teams (name, created_at)
          VALUES (COALESCE(NULLIF(btrim(r.name), ''), r.email) || '''s team', r.created_at)
          RETURNING id INTO new_team;
        UPDATE researchers SET team_id = new_team, joined_team_at = r.created_at WHERE id = r.id;
      END LOOP;
    END $$`);
  await knex.raw(
    'ALTER TABLE researchers ALTER COLUMN team_id SET NOT NULL, ALTER COLUMN joined_team_at SET NOT NULL',
  );
  await knex.raw('CREATE INDEX researchers_team_index ON researchers (team_id)');

  await knex.schema.alterTable('studies', (t) => {
    t.uuid('team_id').references('teams.id');
  });
  await knex.raw('UPDATE studies s SET team_id = r.team_id FROM researchers r WHERE r.id = s.researcher_id');
  await knex.raw('ALTER TABLE studies ALTER COLUMN team_id SET NOT NULL');
  await knex.raw('CREATE INDEX studies_team_created_index ON studies (team_id, created_at)');
  await knex.raw(`
    CREATE FUNCTION study_creator_team() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.team_id IS NULL THEN
        SELECT team_id INTO NEW.team_id FROM researchers WHERE id = NEW.researcher_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER studies_creator_team BEFORE INSERT ON studies
    FOR EACH ROW EXECUTE FUNCTION study_creator_team()`);

  // An invitation is a link sent by email; only its SHA-256 is kept, like sessions.
  await knex.schema.createTable('team_invitations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('token_hash').notNullable().unique();
    t.uuid('invited_by').references('researchers.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.uuid('accepted_by').references('researchers.id').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true });
  });
  // One open invitation per address and team: inviting again replaces the link.
  await knex.raw(`CREATE UNIQUE INDEX team_invitations_open_email_index ON team_invitations (team_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('team_invitations');
  await knex.raw('DROP TRIGGER IF EXISTS studies_creator_team ON studies');
  await knex.raw('DROP FUNCTION IF EXISTS study_creator_team()');
  await knex.schema.alterTable('studies', (t) => t.dropColumn('team_id'));
  await knex.raw('DROP TRIGGER IF EXISTS researchers_own_team ON researchers');
  await knex.raw('DROP FUNCTION IF EXISTS researcher_own_team()');
  await knex.schema.alterTable('researchers', (t) => {
    t.dropColumn('team_id');
    t.dropColumn('joined_team_at');
  });
  await knex.schema.dropTableIfExists('teams');
}
