import { randomUUID } from 'node:crypto';
import { createStudy, invite } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

describe('A re-invitation and the emails still waiting', () => {
  let stack: Stack;
  let rita: SignedIn;
  beforeAll(async () => {
    // No mail worker: every email stays pending, as when the mail server holds them back.
    stack = await startStack({ env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    rita = await signIn(stack, 'rita@example.com', 'Rita Researcher');
  });
  afterAll(() => stack.close());

  test('When a participant is re-invited while a cancellation to them is still unsent, then only the old invitation is superseded and the cancellation still goes', async () => {
    const study = await createStudy(stack, rita);
    const [pat] = await invite(stack, rita, study.id);
    const cancellationId = randomUUID();
    await stack.knex('email_outbox').insert({
      id: cancellationId,
      participant_id: pat!.id,
      kind: 'cancellation',
      to_email: pat!.email,
      to_name: 'Pat',
      state: 'pending',
    });
    await stack
      .knex('email_outbox')
      .where({ participant_id: pat!.id, kind: 'invitation' })
      .update({ state: 'pending' });

    const answer = await fetch(`${stack.url}/api/participants/${pat!.id}/reinvite`, {
      method: 'POST',
      headers: rita.auth,
    });

    expect(answer.status).toBe(200);
    const rows = await stack.knex('email_outbox').where({ participant_id: pat!.id }).select('kind', 'state');
    expect(rows.map((row) => `${row.kind} ${row.state}`).sort()).toEqual([
      'cancellation pending',
      'invitation superseded',
      'reinvitation pending',
    ]);
  });
});
