import fs from 'node:fs';
import { createKnex } from '../../src/db/knex';
import { ADMIN_ENV, TEMPLATE_ENV } from './database-names';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[ADMIN_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (adminUrl && template) {
    const admin = createKnex(adminUrl, 1);
    try {
      await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
    } finally {
      await admin.destroy();
    }
  }
  const embedded = globalThis.__embeddedTestDatabase;
  if (embedded) {
    await embedded.db.stop();
    fs.rmSync(embedded.dir, { recursive: true, force: true });
  }
}
