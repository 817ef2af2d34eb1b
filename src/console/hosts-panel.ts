import type { StudyHost } from '../studies/study-host-repository';
import { nameOf } from '../studies/study-hosting';
import type { Study } from '../studies/study-repository';
import { html, type SafeHtml } from '../web/html';

/**
 * Who hosts a study, as the console shows it: the study page's Hosts panel and the mark on
 * the studies list. A host whose Google connection does not work takes no new bookings:
 * the researcher is told who, why, and what it does to the study's times.
 */

export const SCHEDULING_LABELS: Record<Study['schedulingType'], string> = {
  one_on_one: 'One-on-one',
  collective: 'Collective: every host attends',
  round_robin: 'Round robin: one free host takes it',
};

export const HOURS_LABELS: Record<Study['hostHours'], string> = {
  study: 'The study’s schedule',
  per_host: 'Each host’s own hours',
};

const CONNECTION_PROBLEMS: Record<Exclude<StudyHost['connection'], 'connected'>, (name: string) => string> = {
  revoked: (name) => `${name}’s Google connection is revoked`,
  'needs-consent': (name) => `${name}’s Google connection needs their consent again`,
  none: (name) => `${name} has not connected Google Calendar`,
};

/** One sentence per host who cannot take bookings, saying what it means for this study. */
export function hostWarnings(study: Pick<Study, 'schedulingType'>, hosts: readonly StudyHost[]): string[] {
  const down = hosts.filter((host) => host.connection !== 'connected');
  const everyoneDown = down.length === hosts.length;
  return down.map((host) => {
    const name = nameOf(host);
    const problem =
      CONNECTION_PROBLEMS[host.connection as Exclude<StudyHost['connection'], 'connected'>](name);
    // Collective needs every host; one-on-one has only this one; round robin only when all are down.
    const blocksStudy = study.schedulingType !== 'round_robin' || everyoneDown;
    const consequence = blocksStudy
      ? `, so this study offers no times until ${name} reconnects`
      : '; the other hosts take the interviews meanwhile';
    return `${problem}: ${name} takes no new bookings${consequence}.`;
  });
}

export function hostsPanel(study: Study, hosts: readonly StudyHost[]): SafeHtml {
  const warnings = hostWarnings(study, hosts);
  return html`<section class="card hosts-panel" aria-labelledby="hosts-panel-heading">
    <h2 id="hosts-panel-heading">Hosts</h2>
    ${
      warnings.length > 0
        ? html`<div class="host-problems">
            ${warnings.map((warning) => html`<p><strong>Warning:</strong> ${warning}</p>`)}
          </div>`
        : ''
    }
    <ol class="host-list">
      ${hosts.map(
        (host, index) =>
          html`<li>
            ${nameOf(host)}${host.name.trim() ? html` <span class="hint">(${host.email})</span>` : ''}
            ${index === 0 && hosts.length > 1 && study.schedulingType === 'collective' ? html`<span class="hint">· organizes the calendar event</span>` : ''}
            ${host.connection === 'connected' ? '' : html`<strong class="host-down">takes no new bookings</strong>`}
          </li>`,
      )}
    </ol>
    <dl class="hosts-facts">
      <div>
        <dt>Scheduling type</dt>
        <dd>${SCHEDULING_LABELS[study.schedulingType]}</dd>
      </div>
      <div>
        <dt>Whose hours</dt>
        <dd>${HOURS_LABELS[study.hostHours]}</dd>
      </div>
    </dl>
    <p class="hint">
      Changing hosts (Edit study) changes only interviews booked from then on: booked interviews keep their
      hosts.
    </p>
  </section>`;
}

/** The studies list's short note: type and hosts when not one-on-one, and any host who is down. */
export function hostsMark(study: Study, hosts: readonly StudyHost[]): SafeHtml | '' {
  const down = hosts.filter((host) => host.connection !== 'connected').length;
  const type =
    study.schedulingType === 'one_on_one'
      ? ''
      : html`<span
          >${study.schedulingType === 'collective' ? 'Collective' : 'Round robin'}, ${hosts.length}
          hosts</span
        >`;
  const warning =
    down === 0
      ? ''
      : html`<span class="host-down"
          >${down === 1 ? '1 host takes' : `${down} hosts take`} no bookings</span
        >`;
  return type === '' && warning === '' ? '' : html`${type}${warning}`;
}
