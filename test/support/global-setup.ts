import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnex } from '../../src/db/knex';
import { migrateToLatest } from '../../src/db/migrations';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';
import { adminUrlFor, TEMPLATE_ENV, ADMIN_ENV, withDatabase } from './database-names';

declare global {
  var __embeddedTestDatabase: { db: EmbeddedDatabase; dir: string } | undefined;
}

/**
 * One PostgreSQL per test run: the one in DATABASE_URL, or an embedded one in a temporary
 * folder. A template database is migrated once; each test file copies it (CREATE DATABASE …
 * TEMPLATE is a file copy, far faster than migrating again).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres(dir);
    globalThis.__embeddedTestDatabase = { db, dir };
    serverUrl = db.url;
  }
  const templateName = `scheduler_template_${process.pid}`;
  const admin = createKnex(adminUrlFor(serverUrl), 1);
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${templateName}`);
    await admin.raw(`CREATE DATABASE ${templateName}`);
  } finally {
    await admin.destroy();
  }
  const template = createKnex(withDatabase(serverUrl, templateName), 1);
  try {
    await migrateToLatest(template);
  } finally {
    await template.destroy();
  }
  process.env[ADMIN_ENV] = adminUrlFor(serverUrl);
  process.env[TEMPLATE_ENV] = templateName;
}
