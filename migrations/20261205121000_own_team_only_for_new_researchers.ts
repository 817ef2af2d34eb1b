import type { Knex } from 'knex';

/**
 * Sign-in stores a researcher with `INSERT … ON CONFLICT (google_sub) DO UPDATE`, and
 * PostgreSQL runs BEFORE INSERT triggers even when the row then turns into an update: the
 * trigger of 20261205100000_teams made a team for every sign-in of an existing researcher,
 * left empty. The trigger now makes a team only when no researcher has that Google account
 * yet (two first sign-ins of one new account at the same instant can still leave one empty
 * team behind: harmless), and the empty teams made so far go.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION researcher_own_team() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.team_id IS NULL THEN
        -- An existing account: the insert becomes an update that keeps its team; the value
        -- only satisfies NOT NULL, which is checked before the conflict is found.
        SELECT team_id INTO NEW.team_id FROM researchers WHERE google_sub = NEW.google_sub;
      END IF;
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
  await knex.raw(`DELETE FROM teams t
    WHERE NOT EXISTS (SELECT 1 FROM researchers r WHERE r.team_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM studies s WHERE s.team_id = t.id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION researcher_own_team() RETURNS trigger LANGUAGE plpgsql AS $$
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
}
