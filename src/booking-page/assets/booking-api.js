/* global fetch, crypto */
/**
 * The booking page's only way to the server: the JSON booking API (DESIGN 3), and what its
 * error answers (problem+json) mean for the participant, in the page's language.
 */
import { lang, t } from './booking-strings.js';

/** Resolves with `{ status, body }`; rejects only when the server could not be reached. */
export function bookingApi(base) {
  return async function request(method, path, body, headers = {}) {
    const response = await fetch(base + path, {
      method,
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { status: response.status, body: data };
  };
}

const problemTypeEndsWith = (answer, suffix) =>
  typeof answer.body?.type === 'string' && answer.body.type.endsWith(suffix);

export const isSlotTaken = (answer) => answer.status === 409 && problemTypeEndsWith(answer, 'slot-taken');

/** Google refused the event for good: nothing is booked, pressing again would not help now. */
export const isCalendarRefused = (answer) =>
  answer.status === 502 && problemTypeEndsWith(answer, 'calendar-refused');

/** One key per confirm click; a retry of the same click sends the same key again. */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context (https or localhost); getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The page says these in its own words; the server's `detail` is English. */
const REFUSALS = {
  'slot-taken': 'slotTaken',
  'status-final': 'statusFinal',
  'interview-started': 'interviewStarted',
  'no-booking': 'noBooking',
  'consent-outdated': 'consentOutdated',
  'consent-required': 'consentRequired',
};

/**
 * The server's own explanation where it can be more precise than the catalogue (why the
 * calendar refused), on an English page; the catalogue's words otherwise.
 */
export const localDetail = (detail, key) => (lang === 'en' && detail ? detail : t(key));

/** The words for a refusal of the link (a 409 `type`, or the view's `cannotChangeReason`). */
export function refusalText(problem) {
  const slug = typeof problem?.type === 'string' ? problem.type.split(':').pop() : '';
  const key = REFUSALS[slug];
  return key ? t(key) : t('changedMeanwhile');
}

export const isConsentRequired = (answer) =>
  answer.status === 400 && problemTypeEndsWith(answer, 'consent-required');
export const isConsentOutdated = (answer) =>
  answer.status === 409 && problemTypeEndsWith(answer, 'consent-outdated');

/**
 * What an error answer means for the participant; a `fatal` one ends the page.
 * `formatDate` writes the date a replaced link's successor was sent.
 */
export function explain(answer, formatDate) {
  switch (answer.status) {
    case 404:
      return { fatal: t('invalidLinkHeading'), text: t('invalidLinkText') };
    case 410:
      if (problemTypeEndsWith(answer, 'link-replaced')) {
        const sentAt = answer.body?.newLinkSentAt;
        return {
          fatal: t('replacedLinkHeading'),
          text: t('replacedLinkText', { date: sentAt ? formatDate(sentAt) : '' }),
        };
      }
      if (problemTypeEndsWith(answer, 'study-closed')) {
        return { fatal: t('closedStudyHeading'), text: t('closedStudyText') };
      }
      return { fatal: t('expiredLinkHeading'), text: t('expiredLinkText') };
    case 400:
      if (isConsentRequired(answer)) return { text: t('consentRequired') };
      return { text: t('errorCode', { status: answer.status }) };
    case 409:
      return { text: refusalText(answer.body) };
    case 429:
      return { text: t('tooMany') };
    case 502:
      if (isCalendarRefused(answer)) return { text: localDetail(answer.body?.detail, 'calendarRefused') };
      return { text: t('errorCode', { status: answer.status }) };
    case 503:
      if (problemTypeEndsWith(answer, 'google-not-connected')) return { text: t('calendarUnavailable') };
      return { text: t('serviceBusy') };
    default:
      return { text: t('errorCode', { status: answer.status }) };
  }
}
