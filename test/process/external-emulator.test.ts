import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createGoogleEmulator, type GoogleEmulator } from '../../src/emulator';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/net/free-port';
import { startService, type RunningService } from '../../src/service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { signInAt, TEST_KEYS } from '../support/stack';

/**
 * GOOGLE_EMULATOR_URL: the service talks to an emulator running elsewhere (its own process
 * in the benchmarks) and starts none of its own.
 */
describe('A service given GOOGLE_EMULATOR_URL', () => {
  let db: TestDatabase;
  let dataDir: string;
  let emulator: GoogleEmulator;
  let emulatorUrl: string;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-external-emulator-'));
    emulator = createGoogleEmulator({ autoApprove: true, allowHttpPushOnLoopback: true });
    emulatorUrl = (await emulator.listen(0)).url;
    const port = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
      TOKEN_ENCRYPTION_KEYS: TEST_KEYS,
      GOOGLE_EMULATOR_URL: `${emulatorUrl}/`,
      // The emulator's own port: an emulator started in-process here could not listen.
      EMULATOR_PORT: new URL(emulatorUrl).port,
      NIGHTLY_CRON: 'off',
    });
    service = await startService(config, createLogger('silent'));
  });

  afterAll(async () => {
    await service.stop();
    await emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  test('When a researcher connects Google, then the sign-in goes through that emulator and none is started in-process', async () => {
    expect(service.emulatorUrl).toBe(emulatorUrl);
    const ada = await signInAt(service.url, emulatorUrl, 'ada@example.com');
    expect(ada.researcherId).toMatch(/^[0-9a-f-]{36}$/);
    const connection = await service
      .knex('google_connections')
      .where({ researcher_id: ada.researcherId })
      .first();
    expect(connection).toBeDefined();
    expect(fs.existsSync(path.join(dataDir, 'emulator-state.json'))).toBe(false);
  });
});
