/**
 * The calendar event's title and description come from the study, with placeholders the
 * researcher may use. Unknown placeholders are refused when the study is saved, so a typo
 * never reaches a participant's calendar as literal braces.
 */
export const EVENT_PLACEHOLDERS = [
  'participantName',
  'studyTitle',
  'durationMinutes',
  'researcherName',
] as const;
export type EventPlaceholder = (typeof EVENT_PLACEHOLDERS)[number];

const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export const DEFAULT_EVENT_TITLE = '{{studyTitle}}: interview with {{participantName}}';
export const DEFAULT_EVENT_DESCRIPTION =
  'A {{durationMinutes}}-minute research interview for "{{studyTitle}}" with {{researcherName}}. Join with the Google Meet link in this invitation.';

export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(EVENT_PLACEHOLDERS);
  return [...template.matchAll(PLACEHOLDER_PATTERN)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.has(name));
}

export function renderEventTemplate(template: string, values: Record<EventPlaceholder, string>): string {
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
    name in values ? values[name as EventPlaceholder] : whole,
  );
}
