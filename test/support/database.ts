import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex';
import { ADMIN_ENV, TEMPLATE_ENV, withDatabase } from './database-names';

export interface TestDatabase {
  url: string;
  knex: Knex;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!adminUrl || !template) throw new Error('the jest global setup did not run');
  const name = `scheduler_test_${randomBytes(6).toString('hex')}`;
  const admin = createKnex(adminUrl, 1);
  try {
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(adminUrl, name);
  const knex = createKnex(url, 5);
  return {
    url,
    knex,
    async drop() {
      await knex.destroy();
      const cleanup = createKnex(adminUrl, 1);
      try {
        await cleanup.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
