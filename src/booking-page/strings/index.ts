import { de } from './de';
import { en, type BookingStrings } from './en';
import { es } from './es';
import { fr } from './fr';

export type { BookingStrings };
export type StringKey = keyof BookingStrings;

/** The languages of the booking page; the first is the fallback. */
export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGUES: Readonly<Record<Language, BookingStrings>> = { en, de, fr, es };

/**
 * The language of the page from the browser's `Accept-Language` ("de-AT,de;q=0.9,en;q=0.8"):
 * the first of its languages, by weight, that the page speaks; English otherwise. Only the
 * primary subtag counts ("de-CH" reads German).
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { primary: range.trim().toLowerCase().split('-')[0] ?? '', weight: q ? Number(q) : 1, index };
    })
    .filter((range) => range.weight > 0 && !Number.isNaN(range.weight))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const match = LANGUAGES.find((language) => language === range.primary);
    if (match) return match;
  }
  return 'en';
}

/** "{name}" in a string replaced by its value; an unknown placeholder is left as it is. */
export function fill(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
