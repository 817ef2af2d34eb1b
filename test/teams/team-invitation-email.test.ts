import { invitationStanding } from '../../src/teams/invitation-standing';
import { renderTeamInvitationEmail } from '../../src/teams/team-invitation-email';

describe('A team invitation', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const later = new Date('2026-12-12T10:00:00Z');

  test.each([
    ['open', { acceptedAt: null, revokedAt: null, expiresAt: later }],
    ['expired', { acceptedAt: null, revokedAt: null, expiresAt: now }],
    ['revoked', { acceptedAt: null, revokedAt: now, expiresAt: later }],
    ['accepted', { acceptedAt: now, revokedAt: null, expiresAt: now }],
    ['accepted', { acceptedAt: now, revokedAt: now, expiresAt: later }],
  ] as const)('When its dates say so, then it stands %s', (standing, invitation) => {
    expect(invitationStanding(invitation, now)).toBe(standing);
  });

  test('When its email is written, then names are kept to one line and escaped, the link is the join link, and the invited address and the end date are named', () => {
    const email = renderTeamInvitationEmail({
      inviterName: 'Ada <b>Lovelace</b>\r\nBcc: x@example.com',
      teamName: 'Research & Ops',
      invitedEmail: 'ben@example.com',
      joinUrl: 'https://scheduler.example.com/join/abc_DEF-123',
      expiresAt: later,
    });

    expect(email.subject).toBe(
      'Ada <b>Lovelace</b> Bcc: x@example.com invited you to join Research & Ops on Interview scheduler',
    );
    expect(email.text).toContain('Join the team:\nhttps://scheduler.example.com/join/abc_DEF-123');
    expect(email.text).toContain('Sign in with the Google account of ben@example.com');
    expect(email.text).toContain('Sat, 12 Dec 2026 10:00:00 GMT');
    expect(email.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    expect(email.html).toContain('Join Research &amp; Ops');
    expect(email.html).not.toContain('<b>');
  });

  test('When the link is not a web address, then no email is written', () => {
    expect(() =>
      renderTeamInvitationEmail({
        inviterName: 'Ada',
        teamName: 'Ops',
        invitedEmail: 'ben@example.com',
        joinUrl: 'javascript:alert(1)',
        expiresAt: later,
      }),
    ).toThrow('expected an http(s) URL');
  });
});
