import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config, EncryptionKey } from './config';

interface StoredSecrets {
  sessionSecret: string;
  tokenEncryptionKeys: { id: string; key: string }[];
}

/**
 * Outside production the service must start with no configuration at all, so missing
 * secrets are generated once and kept in DATA_DIR (mode 0600): sessions and encrypted
 * refresh tokens then survive a restart. Production refuses to start without them
 * (see loadConfig), so this never runs there.
 */
export function withDevelopmentSecrets(config: Readonly<Config>): Readonly<Config> {
  if (config.sessionSecret && config.tokenEncryptionKeys.length > 0) return config;
  if (config.env === 'production') throw new Error('production secrets are never generated');
  const file = path.join(config.dataDir, 'dev-secrets.json');
  let stored: StoredSecrets;
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredSecrets;
  } else {
    stored = {
      sessionSecret: randomBytes(32).toString('base64url'),
      tokenEncryptionKeys: [{ id: 'dev1', key: randomBytes(32).toString('base64') }],
    };
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const keys: EncryptionKey[] = stored.tokenEncryptionKeys.map(({ id, key }) => ({
    id,
    key: Buffer.from(key, 'base64'),
  }));
  return Object.freeze({
    ...config,
    sessionSecret: config.sessionSecret ?? stored.sessionSecret,
    tokenEncryptionKeys: config.tokenEncryptionKeys.length > 0 ? config.tokenEncryptionKeys : keys,
  });
}
