import { CreateStudyBody, MAX_CONSENT_TEXT_LENGTH } from '../../src/studies/study-schema';
import { createStudy } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const study = {
  title: 'Consent study',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

describe('The consent settings of a study (validation)', () => {
  test('When consent is not set, then it is off with no text', () => {
    expect(CreateStudyBody.parse(study)).toMatchObject({ consentRequired: false, consentText: '' });
  });

  test.each([
    ['consent is required without text', { consentRequired: true }],
    ['consent is required with only blanks', { consentRequired: true, consentText: ' \n\t ' }],
  ])('When %s, then consentText is reported', (_story, settings) => {
    const parsed = CreateStudyBody.safeParse({ ...study, ...settings });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['consentText']);
  });

  test('When the text is longer than the limit, then it is refused', () => {
    const parsed = CreateStudyBody.safeParse({
      ...study,
      consentRequired: true,
      consentText: 'x'.repeat(MAX_CONSENT_TEXT_LENGTH + 1),
    });

    expect(parsed.error?.issues[0]?.path).toEqual(['consentText']);
  });

  test('When consent is off, then text may be kept, and CRLF line breaks are stored as LF', () => {
    expect(CreateStudyBody.parse({ ...study, consentText: 'Line one\r\nLine two' })).toMatchObject({
      consentRequired: false,
      consentText: 'Line one\nLine two',
    });
  });

  test('When consentRequired is not a boolean, then it is refused', () => {
    expect(CreateStudyBody.safeParse({ ...study, consentRequired: 'yes' }).success).toBe(false);
  });
});

describe('The consent settings of a study (API)', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    ada = await signIn(stack, 'ada@example.com');
  });
  afterAll(() => stack.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  test('When a study is created with consent, then the API shows the setting and the text', async () => {
    const created = await createStudy(stack, ada, { consentRequired: true, consentText: 'I agree.' });

    const shown = await (await call('GET', `/api/studies/${created.id}`)).json();

    expect(shown).toMatchObject({ consentRequired: true, consentText: 'I agree.' });
  });

  test('When consent is turned on without text, then the answer is 400 naming consentText and nothing changes', async () => {
    const created = await createStudy(stack, ada);

    const answer = await call('PATCH', `/api/studies/${created.id}`, { consentRequired: true });

    expect(answer.status).toBe(400);
    expect((await answer.json()).errors).toEqual([
      expect.objectContaining({ location: 'body', path: 'consentText' }),
    ]);
    const shown = await (await call('GET', `/api/studies/${created.id}`)).json();
    expect(shown).toMatchObject({ consentRequired: false, consentText: '' });
    expect(await stack.knex('study_consent_versions').where({ study_id: created.id })).toEqual([]);
  });

  test('When the text changes, then a new version is the current one and the old one is kept', async () => {
    const created = await createStudy(stack, ada, { consentRequired: true, consentText: 'Old.' });

    await call('PATCH', `/api/studies/${created.id}`, { consentText: 'New.' });

    const shown = await (await call('GET', `/api/studies/${created.id}`)).json();
    expect(shown.consentText).toBe('New.');
    const versions = await stack
      .knex('study_consent_versions')
      .where({ study_id: created.id })
      .orderBy('version');
    expect(versions.map((row) => [row.version, row.text])).toEqual([
      [1, 'Old.'],
      [2, 'New.'],
    ]);
  });

  test('When an unknown consent field is sent, then it is refused', async () => {
    const answer = await call('POST', '/api/studies', { ...study, consentVersion: 2 });

    expect(answer.status).toBe(400);
  });
});
