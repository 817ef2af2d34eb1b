import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run emulator (src/emulator/main.ts)', () => {
  test('When started with EMULATOR_PORT=0, then it prints its URL, answers there, and SIGTERM ends it cleanly', async () => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/emulator/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        EMULATOR_PORT: '0',
        EMULATOR_AUTO_APPROVE: '1',
        EMULATOR_STATE_FILE: '',
        EMULATOR_CLIENT_ID: 'c',
        EMULATOR_CLIENT_SECRET: 's',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Google emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      const certs = await fetch(`${url}/oauth2/v1/certs`);
      expect(certs.status).toBe(200);
      // Auto-approve is on: a login_hint goes straight back to the redirect URI.
      const consent = await fetch(
        `${url}/o/oauth2/v2/auth?${new URLSearchParams({
          client_id: 'c',
          redirect_uri: 'http://127.0.0.1:1/cb',
          response_type: 'code',
          scope: 'openid email',
          login_hint: 'demo@example.com',
        })}`,
        { redirect: 'manual' },
      );
      expect(consent.status).toBe(302);
      const exitCode = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exitCode).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
