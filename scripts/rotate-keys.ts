/**
 * `npm run rotate-keys`: re-encrypts every stored Google refresh token, every booking link
 * still waiting in the email outbox, and every participant's stored booking link, under the first key of TOKEN_ENCRYPTION_KEYS (all
 * listed keys can decrypt). Works on DATABASE_URL or on the embedded database under DATA_DIR.
 */
import { ConfigError, loadConfig } from '../src/config';
import { rotateTokenKeys } from '../src/connections/rotate-token-keys';
import { openDatabase } from '../src/db/database';
import { createKnex } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrations';
import { rotateOutboxLinkKeys } from '../src/mail/rotate-outbox-keys';
import { rotateBookingLinkKeys } from '../src/participants/rotate-booking-link-keys';
import { withDevelopmentSecrets } from '../src/dev-secrets';

async function main(): Promise<void> {
  const config = withDevelopmentSecrets(loadConfig(process.env));
  const database = await openDatabase(config.databaseUrl, config.dataDir, () => {});
  const knex = createKnex(database.url, 2);
  try {
    await migrateToLatest(knex);
    const keys = config.tokenEncryptionKeys;
    console.log(`Re-encrypting under key "${keys[0]?.id}"…`);
    const tokens = await rotateTokenKeys(knex, keys, (done) =>
      process.stdout.write(`\r  refresh tokens: ${done} re-encrypted`),
    );
    console.log(
      `\n  refresh tokens: ${tokens.reencrypted} re-encrypted, ${tokens.left} still under another key.`,
    );
    const links = await rotateOutboxLinkKeys(knex, keys, (done) =>
      process.stdout.write(`\r  booking links waiting in the outbox: ${done} re-encrypted`),
    );
    console.log(
      `\n  booking links waiting in the outbox: ${links.reencrypted} re-encrypted, ${links.left} still under another key.`,
    );
    const stored = await rotateBookingLinkKeys(knex, keys, (done) =>
      process.stdout.write(`\r  participants' booking links: ${done} re-encrypted`),
    );
    console.log(
      `\n  participants' booking links: ${stored.reencrypted} re-encrypted, ${stored.left} still under another key.`,
    );
    if (tokens.left + links.left + stored.left > 0) process.exitCode = 1;
  } finally {
    await knex.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof ConfigError ? `Configuration error: ${message}` : `Key rotation failed: ${message}`,
  );
  process.exit(1);
});
