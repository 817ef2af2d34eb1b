import { formatInTimeZone } from 'date-fns-tz';
import { instantOf } from './event-time';
import { html, page, type RawHtml } from './html';
import type { CalendarRecord, EmulatorState, EventResource, UserRecord } from './state';

/**
 * `GET /_emulator/`: each account's calendar as its owner would see it in Google Calendar,
 * with the things people do there (move, cancel, answer as an attendee) as plain forms
 * that post to the admin API and come back here. Works without JavaScript. Times in UTC.
 */
export function adminPage(state: EmulatorState, nowMs: number, error: string | undefined): string {
  const users = Object.values(state.users).sort((a, b) => a.email.localeCompare(b.email));
  return page(
    'Google emulator',
    html`<header>
        <h1>Google emulator</h1>
        <p>
          Emulator time:
          <time datetime="${new Date(nowMs).toISOString()}">${utc(nowMs, 'yyyy-MM-dd HH:mm')} UTC</time>.
          <a href="/_emulator/state">State as JSON</a>
        </p>
        ${error ? html`<p role="alert"><strong>Error:</strong> ${error}</p>` : ''}
      </header>
      <main>
        ${users.length === 0 ? html`<p>No accounts yet.</p>` : ''}
        ${users.map((user) => userSection(user, state.calendars[user.email], nowMs))}
        <section aria-labelledby="create-user">
          <h2 id="create-user">Create an account</h2>
          <form method="post" action="/_emulator/users">
            <p>
              <label for="user-email">Email</label>
              <input id="user-email" name="email" type="email" required />
            </p>
            <p><label for="user-name">Name</label> <input id="user-name" name="name" type="text" /></p>
            <p><button type="submit">Create account</button></p>
          </form>
        </section>
      </main>`,
  );
}

function userSection(user: UserRecord, calendar: CalendarRecord | undefined, nowMs: number): RawHtml {
  const zone = calendar?.timeZone ?? 'UTC';
  const upcoming = Object.values(calendar?.events ?? {})
    .map((stored) => stored.resource)
    .filter((event) => instantOf(event.end, zone) > nowMs)
    .sort((a, b) => instantOf(a.start, zone) - instantOf(b.start, zone));
  const base = `/_emulator/calendars/${encodeURIComponent(user.email)}/events`;
  const slug = user.email.replace(/[^a-z0-9]/gi, '-');
  return html`<section aria-labelledby="user-${slug}">
    <h2 id="user-${slug}">${user.name} &lt;${user.email}&gt;</h2>
    ${
      upcoming.length === 0
        ? html`<p>No upcoming events.</p>`
        : html`<table>
            <caption>
              Upcoming events of ${user.email}
            </caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Attendees</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              ${upcoming.map((event) => eventRow(event, base, zone))}
            </tbody>
          </table>`
    }
    <details>
      <summary>Add a busy event to ${user.email}</summary>
      <form method="post" action="${base}">
        <p>
          <label for="new-${slug}-summary">Title</label>
          <input id="new-${slug}-summary" name="summary" type="text" value="Busy" />
        </p>
        <p>
          <label for="new-${slug}-start">Start (UTC)</label>
          <input id="new-${slug}-start" name="start" type="datetime-local" required />
        </p>
        <p>
          <label for="new-${slug}-end">End (UTC)</label>
          <input id="new-${slug}-end" name="end" type="datetime-local" required />
        </p>
        <p>
          <label for="new-${slug}-type">Event type</label>
          <select id="new-${slug}-type" name="eventType">
            <option value="">Event</option>
            <option value="outOfOffice">Out of office</option>
            <option value="focusTime">Focus time</option>
            <option value="workingLocation">Working location</option>
          </select>
        </p>
        <p>
          <label for="new-${slug}-repeat">Repeats</label>
          <select id="new-${slug}-repeat" name="recurrence">
            <option value="">Does not repeat</option>
            <option value="RRULE:FREQ=DAILY">Daily</option>
            <option value="RRULE:FREQ=WEEKLY">Weekly</option>
          </select>
        </p>
        <p><button type="submit">Add event</button></p>
      </form>
    </details>
  </section>`;
}

function eventRow(event: EventResource, base: string, zone: string): RawHtml {
  const title = event.summary ?? '(no title)';
  const start = instantOf(event.start, zone);
  const end = instantOf(event.end, zone);
  const path = `${base}/${encodeURIComponent(event.id)}`;
  const cancelled = event.status === 'cancelled';
  const hour = 3600_000;
  const inputId = `move-${event.id}`;
  return html`<tr id="event-${event.id}" class="status-${event.status}">
    <td>
      <time datetime="${new Date(start).toISOString()}">${utc(start, 'yyyy-MM-dd HH:mm')}</time>–<time
        datetime="${new Date(end).toISOString()}"
        >${utc(end, 'HH:mm')}</time
      >
    </td>
    <td>
      ${title}${event.hangoutLink ? html`<br /><a href="${event.hangoutLink}">${event.hangoutLink}</a>` : ''}
    </td>
    <td>${event.status}</td>
    <td>
      <ul>
        ${(event.attendees ?? []).map(
          (attendee) =>
            html`<li>
              ${attendee.email}: <strong>${attendee.responseStatus}</strong>${
                attendee.organizer || cancelled
                  ? ''
                  : html` ${respondForm(path, attendee.email, 'accepted', `Accept “${title}” as ${attendee.email}`, 'Accept')}${respondForm(path, attendee.email, 'declined', `Decline “${title}” as ${attendee.email}`, 'Decline')}`
              }
            </li>`,
        )}
      </ul>
    </td>
    <td>
      ${
        cancelled
          ? ''
          : html`<form class="inline" method="post" action="${path}/move">
                <input type="hidden" name="start" value="${new Date(start + hour).toISOString()}" />
                <input type="hidden" name="end" value="${new Date(end + hour).toISOString()}" />
                <button type="submit" aria-label="Move “${title}” one hour later">+1 h</button>
              </form>
              <form class="inline" method="post" action="${path}/move">
                <label for="${inputId}">New start (UTC) for “${title}”</label>
                <input
                  id="${inputId}"
                  name="start"
                  type="datetime-local"
                  required
                  value="${utc(start, "yyyy-MM-dd'T'HH:mm")}"
                />
                <button type="submit" aria-label="Move “${title}” to the chosen time">Move</button>
              </form>
              <form class="inline" method="post" action="${path}/cancel">
                <button type="submit" aria-label="Cancel “${title}”">Cancel event</button>
              </form>`
      }
    </td>
  </tr>`;
}

function respondForm(
  path: string,
  email: string,
  responseStatus: string,
  label: string,
  text: string,
): RawHtml {
  return html`<form class="inline" method="post" action="${path}/respond">
    <input type="hidden" name="email" value="${email}" />
    <input type="hidden" name="responseStatus" value="${responseStatus}" />
    <button type="submit" aria-label="${label}">${text}</button>
  </form>`;
}

function utc(ms: number, pattern: string): string {
  return formatInTimeZone(new Date(ms), 'UTC', pattern);
}
