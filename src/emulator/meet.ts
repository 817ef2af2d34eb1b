import { invalid } from './errors';
import { meetCode, randomDigits } from './ids';
import type { CalendarRecord, ConferenceData } from './state';

const MEET_ICON =
  'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png';

export interface CreateRequestInput {
  requestId: string;
  conferenceSolutionKey?: { type: string } | undefined;
}

/**
 * The Meet conference for a createRequest. Keyed by requestId per calendar, so a retried
 * insert (or patch) with the same requestId gets the same conference, never a second one —
 * also a failed one: only a new requestId asks again. A new conference starts `pending`
 * without entry points, as Google documents (creation is asynchronous); `created` says so,
 * and the caller schedules its outcome (meet-resolver.ts).
 */
export function conferenceFor(
  calendar: CalendarRecord,
  request: CreateRequestInput,
): { conference: ConferenceData; created: boolean } {
  const type = request.conferenceSolutionKey?.type ?? 'hangoutsMeet';
  if (type !== 'hangoutsMeet') throw invalid('Invalid conference type value.');
  const existing = calendar.conferences[request.requestId];
  if (existing) return { conference: existing, created: false };
  const conference: ConferenceData = {
    createRequest: {
      requestId: request.requestId,
      conferenceSolutionKey: { type },
      status: { statusCode: 'pending' },
    },
    conferenceSolution: solution(type),
  };
  calendar.conferences[request.requestId] = conference;
  return { conference, created: true };
}

/** The conference once Google has made it: an id, the video, phone and more entry points. */
export function succeededConference(pending: ConferenceData): ConferenceData {
  const type = pending.createRequest?.conferenceSolutionKey.type ?? 'hangoutsMeet';
  const code = meetCode();
  const pin = randomDigits(10);
  const phone = `+1 ${randomDigits(3)}-${randomDigits(3)}-${randomDigits(4)}`;
  return {
    ...(pending.createRequest
      ? { createRequest: { ...pending.createRequest, status: { statusCode: 'success' } } }
      : {}),
    entryPoints: [
      { entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` },
      {
        entryPointType: 'phone',
        uri: `tel:${phone.replace(' ', '-')}`,
        label: phone,
        pin,
        regionCode: 'US',
      },
      { entryPointType: 'more', uri: `https://tel.meet/${code}?pin=${pin}`, pin },
    ],
    conferenceSolution: solution(type),
    conferenceId: code,
  };
}

/** Google could not make it: `failure`, still no entry points; a new requestId may try again. */
export function failedConference(pending: ConferenceData): ConferenceData {
  return {
    ...pending,
    ...(pending.createRequest
      ? { createRequest: { ...pending.createRequest, status: { statusCode: 'failure' } } }
      : {}),
  };
}

export function isPending(conference: ConferenceData): boolean {
  return conference.createRequest?.status.statusCode === 'pending';
}

export function videoUri(conference: ConferenceData): string | undefined {
  return conference.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri;
}

function solution(type: string): ConferenceData['conferenceSolution'] {
  return { key: { type }, name: 'Google Meet', iconUri: MEET_ICON };
}
