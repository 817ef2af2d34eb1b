import type { Knex } from 'knex';
import client, { type Registry } from 'prom-client';
import { PUSH_STATES } from '../channels/push-state';
import { countCalendarsByPushState } from '../channels/push-state-repository';
import type { Logger } from '../logger';

/**
 * `calendar_push_calendars{state}`: connected calendars by push state (live, unavailable,
 * expired), counted when /metrics is read. Calendars not `live` are being polled.
 */
export function registerPushStateGauge(registry: Registry, knex: Knex, logger: Logger): void {
  if (registry.getSingleMetric('calendar_push_calendars')) return;
  new client.Gauge({
    name: 'calendar_push_calendars',
    help: 'Connected calendars by push state (live, unavailable, expired); those not live are polled',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      try {
        const counts = await countCalendarsByPushState(knex, new Date());
        for (const state of PUSH_STATES) this.set({ state }, counts[state]);
      } catch (error) {
        // A scrape during a database outage still answers, without this gauge's values.
        this.reset();
        logger.warn({ err: error }, 'could not count calendars by push state');
      }
    },
  });
}
