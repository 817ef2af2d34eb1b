import type { TeamMember } from '../studies/study-host-repository';
import { nameOf, type HostingRefusal, type StudyHosting } from '../studies/study-hosting';
import { html, type SafeHtml } from '../web/html';
import { errorLines, errorsFor, radios } from './form-fields';
import type { FormBody, FormFieldError } from './study-form-input';

/**
 * The study form's Hosts section: which team members host, who organizes, the scheduling
 * type and whose hours. Reading the form gives the API's hosting fields; the rules are the
 * use case's (study-hosting.ts), so the form and the API refuse the same things.
 */

export interface HostingFormValues {
  schedulingType: string;
  hostHours: string;
  /** Ticked members, organizer first. */
  hosts: string[];
  /** The Organizer select: '' = the first host. */
  organizer: string;
  /**
   * Whether the form showed the host checkboxes: then none ticked means "no host" (refused),
   * while a post without them (a script written before hosts) keeps the hosts as they are.
   */
  shown: boolean;
}

const all = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const first = (value: string | string[] | undefined): string => all(value)[0] ?? '';

export function readHostingForm(body: FormBody): HostingFormValues {
  const ticked = [...new Set(all(body.hosts))];
  const organizer = first(body.organizer);
  const hosts = ticked.includes(organizer) ? [organizer, ...ticked.filter((id) => id !== organizer)] : ticked;
  return {
    schedulingType: first(body.schedulingType),
    hostHours: first(body.hostHours),
    hosts,
    organizer,
    shown: first(body.hostsShown) === 'yes',
  };
}

export function hostingFormValuesOf(hosting: StudyHosting): HostingFormValues {
  return { ...hosting, organizer: hosting.hosts[0] ?? '', shown: true };
}

/** A new study: the researcher alone, one-on-one, on the study's schedule (the API's default). */
export function newHostingFormValues(researcherId: string): HostingFormValues {
  return {
    schedulingType: 'one_on_one',
    hostHours: 'study',
    hosts: [researcherId],
    organizer: '',
    shown: true,
  };
}

/** The API's hosting fields the form means; what the post did not carry is left as it is. */
export function hostingInputOf(values: HostingFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (values.schedulingType !== '') input.schedulingType = values.schedulingType;
  if (values.hostHours !== '') input.hostHours = values.hostHours;
  if (values.shown || values.hosts.length > 0) input.hosts = values.hosts;
  return input;
}

/** An organizer who is not ticked as a host is a mistake in the form, not in the API's rules. */
export function organizerProblem(values: HostingFormValues): FormFieldError | undefined {
  if (values.organizer === '' || values.hosts.includes(values.organizer)) return undefined;
  return {
    field: 'organizer',
    message: 'The organizer must be one of the hosts: tick them above, or choose another',
  };
}

/** A hosting rule's refusal beside the field it is about. */
export function hostingFieldError(refusal: HostingRefusal): FormFieldError {
  return { field: refusal.field.startsWith('hosts') ? 'hosts' : refusal.field, message: refusal.message };
}

const CONNECTION_HINTS: Record<TeamMember['connection'], string> = {
  connected: 'Google Calendar connected.',
  revoked: 'Google connection revoked: cannot be chosen until they sign in with Google again.',
  'needs-consent': 'Google needs their consent again: cannot be chosen until they sign in with Google again.',
  none: 'Has not connected Google Calendar: cannot be chosen until they do.',
};

export function hostsSection(
  values: HostingFormValues,
  members: TeamMember[],
  errors: FormFieldError[],
): SafeHtml {
  const mine = errorsFor(errors, 'hosts');
  const organizerErrors = errorsFor(errors, 'organizer');
  const selectable = members.filter(
    (member) => member.connection === 'connected' || values.hosts.includes(member.researcherId),
  );
  return html`<section class="card" aria-labelledby="hosts-heading">
    <h2 id="hosts-heading">Hosts</h2>
    <fieldset
      class="${mine.length > 0 ? 'field radios has-error' : 'field radios'}"
      aria-describedby="hosts-hint"
    >
      <legend>Who holds the interviews</legend>
      <input type="hidden" name="hostsShown" value="yes" />
      <p id="hosts-hint" class="hint">
        Members of your team. Every host’s Google Calendar is checked for busy time. Changing hosts changes
        only interviews booked from now on: booked interviews keep their hosts.
      </p>
      ${errorLines('hosts', mine)}
      ${members.map((member, index) => {
        const id = index === 0 ? 'hosts' : `hosts-${member.researcherId}`;
        const chosen = values.hosts.includes(member.researcherId);
        const blocked = member.connection !== 'connected' && !chosen;
        const hint =
          member.connection !== 'connected' && chosen
            ? `${CONNECTION_HINTS[member.connection].split(':')[0]}: takes no new bookings until they sign in with Google again.`
            : CONNECTION_HINTS[member.connection];
        return html`<div class="radio">
          <input
            type="checkbox"
            id="${id}"
            name="hosts"
            value="${member.researcherId}"
            aria-describedby="host-${member.researcherId}-hint"
            ${chosen ? html`checked` : ''}
            ${blocked ? html`disabled` : ''}
          />
          <label for="${id}"
            >${nameOf(member)}${member.name.trim() ? html` <span class="hint">(${member.email})</span>` : ''}</label
          >
          <p id="host-${member.researcherId}-hint" class="hint">${hint}</p>
        </div>`;
      })}
    </fieldset>
    <div class="${organizerErrors.length > 0 ? 'field has-error' : 'field'}">
      <label for="organizer">Organizer</label>
      <p id="organizer-hint" class="hint">
        With several hosts, collective interviews are organised on this host’s calendar and invite the others.
      </p>
      ${errorLines('organizer', organizerErrors)}
      <select
        id="organizer"
        name="organizer"
        aria-describedby="organizer-hint${organizerErrors.length > 0 ? ' organizer-error' : ''}"
      >
        <option value="" ${values.organizer === '' ? html`selected` : ''}>The first host in the list</option>
        ${selectable.map(
          (member) =>
            html`<option
              value="${member.researcherId}"
              ${values.organizer === member.researcherId ? html`selected` : ''}
            >
              ${nameOf(member)}
            </option>`,
        )}
      </select>
    </div>
    ${radios(
      'schedulingType',
      'Scheduling type',
      values.schedulingType,
      [
        ['one_on_one', 'One-on-one', 'Exactly one host holds every interview.'],
        [
          'collective',
          'Collective: every host attends',
          'A time is offered when every host is free; all are invited.',
        ],
        [
          'round_robin',
          'Round robin: one free host takes it',
          'A time is offered when any host is free; the one with the fewest interviews in this study takes it.',
        ],
      ],
      errors,
    )}
    ${radios(
      'hostHours',
      'Whose hours',
      values.hostHours,
      [
        ['study', 'The study’s schedule', 'The weekly availability below, for every host.'],
        [
          'per_host',
          'Each host’s own hours',
          'The hours each host keeps under Settings, Your hours, in their own time zone.',
        ],
      ],
      errors,
    )}
  </section>`;
}
