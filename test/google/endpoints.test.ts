import { googleEndpoints } from '../../src/google/endpoints';

describe('Google endpoints', () => {
  test('When no base URL is given, then every endpoint is real Google', () => {
    const endpoints = googleEndpoints();

    expect(endpoints).toEqual({
      rootUrl: 'https://www.googleapis.com/',
      oauth2: {
        oauth2AuthBaseUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        oauth2TokenUrl: 'https://oauth2.googleapis.com/token',
        oauth2RevokeUrl: 'https://oauth2.googleapis.com/revoke',
        tokenInfoUrl: 'https://oauth2.googleapis.com/tokeninfo',
        oauth2FederatedSignonPemCertsUrl: 'https://www.googleapis.com/oauth2/v1/certs',
        oauth2FederatedSignonJwkCertsUrl: 'https://www.googleapis.com/oauth2/v3/certs',
      },
      userinfoUrl: 'https://www.googleapis.com/oauth2/v2/userinfo',
      idTokenIssuers: ['accounts.google.com', 'https://accounts.google.com'],
    });
  });

  test("When the emulator's origin is given, then every endpoint is at Google's path on that origin", () => {
    const endpoints = googleEndpoints('http://127.0.0.1:8085');

    expect(endpoints).toEqual({
      rootUrl: 'http://127.0.0.1:8085/',
      oauth2: {
        oauth2AuthBaseUrl: 'http://127.0.0.1:8085/o/oauth2/v2/auth',
        oauth2TokenUrl: 'http://127.0.0.1:8085/token',
        oauth2RevokeUrl: 'http://127.0.0.1:8085/revoke',
        tokenInfoUrl: 'http://127.0.0.1:8085/tokeninfo',
        oauth2FederatedSignonPemCertsUrl: 'http://127.0.0.1:8085/oauth2/v1/certs',
        oauth2FederatedSignonJwkCertsUrl: 'http://127.0.0.1:8085/oauth2/v3/certs',
      },
      userinfoUrl: 'http://127.0.0.1:8085/oauth2/v2/userinfo',
      idTokenIssuers: ['accounts.google.com', 'https://accounts.google.com', 'http://127.0.0.1:8085'],
    });
  });

  test('When the base URL ends with a slash, then no path gets a double slash', () => {
    const endpoints = googleEndpoints('http://127.0.0.1:8085/');

    expect(endpoints.rootUrl).toBe('http://127.0.0.1:8085/');
    expect(endpoints.oauth2.oauth2TokenUrl).toBe('http://127.0.0.1:8085/token');
  });
});
