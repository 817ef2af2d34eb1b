/**
 * `npm run rotate-keys`: re-encrypts every stored Google refresh token under the first key
 * of TOKEN_ENCRYPTION_KEYS (all listed keys can decrypt). Works on DATABASE_URL or on the
 * embedded database under DATA_DIR.
 */
import { ConfigError, loadConfig } from '../src/config';
import { rotateTokenKeys } from '../src/connections/rotate-token-keys';
import { openDatabase } from '../src/db/database';
import { createKnex } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrations';
import { withDevelopmentSecrets } from '../src/dev-secrets';

async function main(): Promise<void> {
  const config = withDevelopmentSecrets(loadConfig(process.env));
  const database = await openDatabase(config.databaseUrl, config.dataDir, () => {});
  const knex = createKnex(database.url, 2);
  try {
    await migrateToLatest(knex);
    const keyId = config.tokenEncryptionKeys[0]?.id;
    console.log(`Re-encrypting refresh tokens under key "${keyId}"…`);
    const { reencrypted, left } = await rotateTokenKeys(knex, config.tokenEncryptionKeys, (done) =>
      process.stdout.write(`\r  ${done} re-encrypted`),
    );
    console.log(`\nDone: ${reencrypted} re-encrypted, ${left} still under another key.`);
    if (left > 0) process.exitCode = 1;
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
