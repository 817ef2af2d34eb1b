import fc from 'fast-check';
import { renderInvitationEmail, type InvitationEmailInput } from '../../src/mail/invitation-email';

const invitation: InvitationEmailInput = {
  participantName: 'Ada Lovelace',
  studyTitle: 'Checkout redesign',
  durationMinutes: 45,
  researcherName: 'Grace Hopper',
  bookingUrl: 'https://scheduler.example.org/book/abc_DEF-123',
  kind: 'invitation',
};

/** The only elements the template itself writes; anything else came from unescaped input. */
const templateTags = new Set(['html', 'head', 'meta', 'title', 'body', 'main', 'p', 'a', 'br']);

describe('The invitation email', () => {
  test('When a participant is invited, then subject, text and HTML name the study, duration and link', () => {
    const email = renderInvitationEmail(invitation);

    expect(email.subject).toBe('Choose a time for your interview: Checkout redesign');
    expect(email.text).toContain('Hello Ada Lovelace,');
    expect(email.text).toContain(
      'Grace Hopper invites you to an interview for the study “Checkout redesign”.',
    );
    expect(email.text).toContain('The interview takes 45 minutes.');
    expect(email.text).toContain('Choose a time:\nhttps://scheduler.example.org/book/abc_DEF-123\n');
    expect(email.html).toContain('<html lang="en">');
    expect(email.html).toContain('<a href="https://scheduler.example.org/book/abc_DEF-123"');
    expect(email.html).toContain('Checkout redesign');
    expect(email.html).toContain('45 minutes');
  });

  test('When a participant is re-invited, then the email says it is a new link and the old one is void', () => {
    const email = renderInvitationEmail({ ...invitation, kind: 'reinvitation' });

    expect(email.subject).toBe('New link to choose your interview time: Checkout redesign');
    expect(email.text).toContain('Any earlier link no longer works.');
    expect(email.html).toContain('Any earlier link no longer works.');
  });

  test('When names contain markup, then the HTML shows them as text', () => {
    const email = renderInvitationEmail({
      ...invitation,
      participantName: '<script>alert(1)</script>',
      studyTitle: 'Tom & Jerry\'s "test" <b>',
    });

    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Tom &amp; Jerry&#39;s &quot;test&quot; &lt;b&gt;');
    expect(email.text).toContain('Hello <script>alert(1)</script>,');
  });

  test('When the title has a line break, then the subject stays one line (no header injection)', () => {
    const email = renderInvitationEmail({ ...invitation, studyTitle: 'Study\r\nBcc: victim@example.org' });
    expect(email.subject).toBe('Choose a time for your interview: Study Bcc: victim@example.org');
  });

  test('When names are empty, then the email still greets politely', () => {
    const email = renderInvitationEmail({ ...invitation, participantName: ' ', researcherName: '' });
    expect(email.text.startsWith('Hello,\n')).toBe(true);
    expect(email.text).toContain('The research team invites you');
  });

  test('When the booking link is not an http(s) URL or the duration is not a whole number, then it refuses', () => {
    expect(() => renderInvitationEmail({ ...invitation, bookingUrl: 'javascript:alert(1)' })).toThrow(
      'http(s)',
    );
    expect(() => renderInvitationEmail({ ...invitation, bookingUrl: 'not a url' })).toThrow('http(s)');
    expect(() => renderInvitationEmail({ ...invitation, durationMinutes: 0 })).toThrow('positive');
    expect(() => renderInvitationEmail({ ...invitation, durationMinutes: 2.5 })).toThrow('positive');
  });

  test('For any names, title and link, the HTML holds only the template’s own tags and the link in both parts', () => {
    fc.assert(
      fc.property(
        fc.record({
          participantName: fc.string({ unit: 'binary', maxLength: 40 }),
          studyTitle: fc.string({ unit: 'binary', maxLength: 80 }),
          researcherName: fc.string({ unit: 'binary', maxLength: 40 }),
          durationMinutes: fc.integer({ min: 1, max: 480 }),
          bookingUrl: fc.webUrl({ withQueryParameters: true, withFragments: true }),
          kind: fc.constantFrom('invitation' as const, 'reinvitation' as const),
        }),
        (input) => {
          const email = renderInvitationEmail(input);
          const url = new URL(input.bookingUrl).href;
          const tags = [...email.html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) => match[1]);
          expect(tags.filter((tag) => !templateTags.has(tag!.toLowerCase()))).toEqual([]);
          expect(email.text).toContain(`\n${url}\n`);
          expect(email.html).toContain(`href="${url.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}"`);
          expect(email.subject).not.toMatch(/[\r\n]/);
          expect(email.text).toContain(`${input.durationMinutes} minute`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
