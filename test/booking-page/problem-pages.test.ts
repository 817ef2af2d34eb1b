import { problemPage, type LinkProblem } from '../../src/booking-page/problem-pages';
import { LANGUAGES } from '../../src/booking-page/strings';

const PROBLEMS: [LinkProblem, number][] = [
  [{ kind: 'unknown' }, 404],
  [{ kind: 'expired' }, 410],
  [{ kind: 'closed' }, 410],
  [{ kind: 'replaced', newLinkSentAt: new Date('2026-12-04T23:30:00Z'), timeZone: 'Asia/Tokyo' }, 410],
  [{ kind: 'failure' }, 500],
  [{ kind: 'unavailable' }, 503],
];

describe('The pages of links that cannot be used', () => {
  test.each(LANGUAGES)('When the browser speaks %s, then every such page is in it, filled in', (language) => {
    for (const [problem, status] of PROBLEMS) {
      const page = problemPage(problem, language);
      expect({ kind: problem.kind, status: page.status, lang: page.lang }).toEqual({
        kind: problem.kind,
        status,
        lang: language,
      });
      expect(page.message).not.toMatch(/\{\w+\}/);
    }
  });

  test.each([
    ['en', 'A new link was sent to you by email on December 5, 2026; use that one.'],
    [
      'de',
      'Am 5. Dezember 2026 wurde Ihnen ein neuer Link per E\u2011Mail geschickt; bitte verwenden Sie diesen.',
    ],
    ['fr', 'Un nouveau lien vous a été envoyé par e-mail le 5 décembre 2026\u202f; utilisez celui-ci.'],
    ['es', 'El 5 de diciembre de 2026 le enviamos un nuevo enlace por correo electrónico; use ese.'],
  ] as const)(
    'When a re-invite replaced the link, then the %s page names the date in the participant’s zone',
    (language, message) => {
      // 23:30 UTC on the 4th is already the 5th in Tokyo.
      expect(problemPage(PROBLEMS[3]![0], language).message).toBe(message);
    },
  );
});
