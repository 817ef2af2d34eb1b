import { CATALOGUES, fill, LANGUAGES, pickLanguage } from '../../src/booking-page/strings';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('The booking page catalogue', () => {
  const english = CATALOGUES.en;

  test.each(LANGUAGES.filter((language) => language !== 'en'))(
    'When the page speaks %s, then it has every English key and no other',
    (language) => {
      expect(Object.keys(CATALOGUES[language]).sort()).toEqual(Object.keys(english).sort());
    },
  );

  test.each(LANGUAGES)(
    'When the page speaks %s, then every string is written and keeps the placeholders of the English one',
    (language) => {
      for (const [key, text] of Object.entries(CATALOGUES[language])) {
        expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
        expect({ key, placeholders: placeholders(text) }).toEqual({
          key,
          placeholders: placeholders(english[key as keyof typeof english]),
        });
      }
    },
  );

  test('When a string is filled, then its placeholders take the values and unknown ones stay', () => {
    expect(fill('Hello {name}, {count} {missing}', { name: 'Zoë', count: 2 })).toBe('Hello Zoë, 2 {missing}');
  });
});

describe('The language of the page', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['de-CH', 'de'],
    ['fr-CA, en;q=0.5', 'fr'],
    ['es-419', 'es'],
    ['nb-NO, nb;q=0.9, fr;q=0.4, es;q=0.7', 'es'],
    ['en;q=0.2, de;q=0.9', 'de'],
    ['pt-BR, it', 'en'],
    ['de;q=0, fr', 'fr'],
    ['*', 'en'],
    ['DE', 'de'],
  ])('When the browser sends Accept-Language %p, then the page speaks %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});
