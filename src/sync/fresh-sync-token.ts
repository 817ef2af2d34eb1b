import type { CalendarClient, RetryOptions } from '../google';

/**
 * Pages through the whole calendar only to obtain a sync token: Google hands out
 * `nextSyncToken` on the last page of a full listing and nowhere else. Events before the
 * first booking concern no booking, so their content is not looked at.
 */
export async function takeFreshSyncToken(
  client: CalendarClient,
  calendarId: string,
  retry?: RetryOptions,
): Promise<string | undefined> {
  const pages = client.listAllEvents({ calendarId, maxResults: 2500 }, retry ? { retry } : {});
  for (;;) {
    const next = await pages.next();
    if (next.done) return next.value;
  }
}
