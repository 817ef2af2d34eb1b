/**
 * Where the service finds Google. Real Google by default; given a base URL (the emulator's
 * origin) every endpoint moves there at Google's own paths, so the production code path is
 * the same code path whichever Google answers.
 */

/** The endpoint names of google-auth-library's `OAuth2ClientEndpoints` (not exported by its index). */
export interface OAuth2Endpoints {
  oauth2AuthBaseUrl: string;
  oauth2TokenUrl: string;
  oauth2RevokeUrl: string;
  tokenInfoUrl: string;
  oauth2FederatedSignonPemCertsUrl: string;
  oauth2FederatedSignonJwkCertsUrl: string;
}

export interface GoogleEndpoints {
  /** The googleapis `rootUrl`: Calendar URLs are `rootUrl + 'calendar/v3/…'`, so it ends with '/'. */
  rootUrl: string;
  oauth2: OAuth2Endpoints;
  userinfoUrl: string;
  /** The `iss` values an id_token may carry (checked by OAuth2Client.verifyIdToken). */
  idTokenIssuers: string[];
}

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

export function googleEndpoints(baseUrl?: string): GoogleEndpoints {
  if (baseUrl === undefined) {
    return {
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
      idTokenIssuers: [...GOOGLE_ISSUERS],
    };
  }
  // A trailing slash would give '//token'; the origin is all that matters here.
  const base = baseUrl.replace(/\/+$/, '');
  return {
    rootUrl: `${base}/`,
    oauth2: {
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      tokenInfoUrl: `${base}/tokeninfo`,
      oauth2FederatedSignonPemCertsUrl: `${base}/oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${base}/oauth2/v3/certs`,
    },
    userinfoUrl: `${base}/oauth2/v2/userinfo`,
    // The emulator may sign as Google does or as itself; both are accepted, nothing else.
    idTokenIssuers: [...GOOGLE_ISSUERS, base],
  };
}
