import { createGoogleClientHealth, describeClientProblem } from '../../src/connections/google-client-health';
import type { Logger } from '../../src/logger';

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: unknown, message: string) => lines.push({ level, message });
  return { lines, logger: { error: at('error'), info: at('info') } as unknown as Logger };
}

describe('Whether Google accepts the service’s OAuth client', () => {
  test('When Google rejects it again and again, then one error log per outage, every rejection counted, and accepted clears it', () => {
    const { lines, logger } = recordingLogger();
    const health = createGoogleClientHealth(logger, () => new Date('2026-12-05T01:00:00Z'));
    const counted: string[] = [];
    health.onRejected((reason) => counted.push(reason));

    health.rejected('invalid_client', 'events.list');
    health.rejected('invalid_client', 'freebusy.query');
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(counted).toEqual(['invalid_client', 'invalid_client']);
    expect(describeClientProblem(health.problem()!)).toContain(
      'invalid_client, since 2026-12-05T01:00:00.000Z',
    );

    health.accepted();
    expect(health.problem()).toBeUndefined();
    health.rejected('deleted_client', 'oauth.exchangeCode');
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(2);
    expect(health.problem()).toMatchObject({ reason: 'deleted_client', operation: 'oauth.exchangeCode' });
  });
});
