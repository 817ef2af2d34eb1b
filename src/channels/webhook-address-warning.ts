import type { Config } from '../config';

/**
 * The one start-up line saying push cannot work: real Google (a client is configured) only
 * notifies https addresses, so with an http PUBLIC_URL every calendar is polled instead. The
 * emulator is left out: it may be told to accept http on loopback.
 */
export function webhookAddressWarning(
  config: Pick<Config, 'google' | 'publicUrl' | 'pollIntervalMinutes'>,
): string | undefined {
  if (!config.google || config.publicUrl.startsWith('https://')) return undefined;
  return (
    `PUBLIC_URL ${config.publicUrl} is not https: Google will refuse push notifications ` +
    `(push.webhookUrlNotHttps), so calendars are polled every ${config.pollIntervalMinutes} min instead`
  );
}
