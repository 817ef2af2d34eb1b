/**
 * For the knex CLI against DATABASE_URL, run through tsx so it reads TypeScript:
 * `npx tsx node_modules/knex/bin/cli.js migrate:status --knexfile knexfile.ts`.
 * The service itself and `npm run migrate` do not need this file: they use the same
 * migration list from src/db/migrations.ts and also work on the embedded database.
 */
import type { Knex } from 'knex';
import { migrationSource } from './src/db/migrations';

const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/interview_scheduler',
  migrations: { migrationSource, tableName: 'knex_migrations' },
};

export default config;
