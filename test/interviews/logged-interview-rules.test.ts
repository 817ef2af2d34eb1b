import { checkLoggedTimes, verdictStanding } from '../../src/interviews/logged-interview-rules';
import type { StatusRow } from '../../src/interviews/logged-interview-repository';

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const row = (
  from: StatusRow['from'],
  to: StatusRow['to'],
  details: Record<string, unknown> | null = null,
) => ({
  from,
  to,
  details,
});

describe('verdictStanding', () => {
  test('When the logging row is the latest decision, then it stands and deleting returns to the status before it', () => {
    const rows = [row('invited', 'completed', { loggedInterviewId: A }), row(null, 'invited')];
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', rows)).toEqual({
      stands: true,
      before: 'invited',
    });
  });

  test('When the verdict was edited, then the status before is the one before the logging, not before the edit', () => {
    const rows = [
      row('completed', 'no_show', { loggedInterviewId: A, loggedInterviewChange: 'edited' }),
      row('completed', 'completed', { loggedInterviewId: A, loggedInterviewChange: 'edited' }),
      row('canceled', 'completed', { loggedInterviewId: A }),
      row('invited', 'canceled'),
    ];
    expect(verdictStanding({ id: A, verdict: 'no_show' }, 'no_show', rows)).toEqual({
      stands: true,
      before: 'canceled',
    });
  });

  test('When a later decision came after it, then it does not stand', () => {
    const rows = [
      row('completed', 'no_show', { loggedInterviewId: B }),
      row('invited', 'completed', { loggedInterviewId: A }),
    ];
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'no_show', rows)).toEqual({ stands: false });
    // Even when the later decision happens to be the same status.
    const manual = [
      row('completed', 'completed', null),
      row('invited', 'completed', { loggedInterviewId: A }),
    ];
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', manual)).toEqual({ stands: false });
  });

  test('When the status is not its verdict, then it does not stand', () => {
    const rows = [row('invited', 'completed', { loggedInterviewId: A })];
    expect(verdictStanding({ id: A, verdict: 'no_show' }, 'completed', rows)).toEqual({ stands: false });
  });

  test('When rows that kept the status lie in between, then they are passed over', () => {
    const rows = [
      row('completed', 'completed', {
        loggedInterviewId: B,
        loggedInterviewChange: 'deleted',
        statusKept: true,
      }),
      row('invited', 'completed', { loggedInterviewId: A }),
    ];
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', rows)).toEqual({
      stands: true,
      before: 'invited',
    });
  });

  test('When a logged interview deleted since lies in between, then its rows are taken back with it', () => {
    const rows = [
      row('no_show', 'completed', { loggedInterviewId: B, loggedInterviewChange: 'deleted' }),
      row('completed', 'no_show', { loggedInterviewId: B }),
      row('invited', 'completed', { loggedInterviewId: A }),
    ];
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', rows)).toEqual({
      stands: true,
      before: 'invited',
    });
    // The deleted one's rows alone are not this interview's verdict.
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', rows.slice(0, 2))).toEqual({
      stands: false,
    });
  });

  test('When there is no history, then it does not stand', () => {
    expect(verdictStanding({ id: A, verdict: 'completed' }, 'completed', [])).toEqual({ stands: false });
  });
});

describe('checkLoggedTimes', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  const at = (iso: string) => new Date(iso);

  test('When the interview is over and at most 24 hours long, then it passes', () => {
    expect(() => checkLoggedTimes(at('2026-12-04T12:00:00Z'), at('2026-12-05T12:00:00Z'), now)).not.toThrow();
  });

  test.each([
    ['starts now', '2026-12-05T12:00:00Z', undefined],
    ['ends after now', '2026-12-05T11:00:00Z', '2026-12-05T12:00:01Z'],
    ['ends at its start', '2026-12-05T11:00:00Z', '2026-12-05T11:00:00Z'],
    ['lasts a minute over 24 hours', '2026-12-04T10:59:00Z', '2026-12-05T11:00:00Z'],
  ])('When it %s, then it is refused', (_name, start, end) => {
    expect(() => checkLoggedTimes(at(start), end ? at(end) : undefined, now)).toThrow();
  });
});
