import { html, page } from './html';
import { isSignInScope, type AuthorizationRequest } from './oauth-store';
import type { UserRecord } from './state';

/**
 * Google's account chooser and consent screen, reduced to what a demo needs: continue as an
 * existing account, create one, or deny. As at Google (granular consent), every scope
 * beyond sign-in has its own checkbox, ticked by default; only the ticked ones are granted.
 * One form for the choice (the authorization request in hidden fields), one for Deny.
 */
export function consentPage(input: {
  action: string;
  params: Record<string, string>;
  request: AuthorizationRequest;
  users: UserRecord[];
}): string {
  const { request, params } = input;
  const hidden = Object.entries(params).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  const hint = request.loginHint?.toLowerCase();
  const users = [...input.users].sort((a, b) => Number(b.email === hint) - Number(a.email === hint));
  const choices = users.map(
    (user) =>
      html`<li>
        <button
          type="submit"
          name="email"
          value="${user.email}"
          formnovalidate
          aria-label="Continue as ${user.name} (${user.email})"
        >
          Continue as ${user.name} &lt;${user.email}&gt;
        </button>
      </li>`,
  );
  const signIn = request.scopes.filter(isSignInScope);
  const optional = request.scopes.filter((scope) => !isSignInScope(scope));
  return page(
    'Sign in – Google emulator',
    html`<main>
      <h1>Choose an account</h1>
      <p>to continue to <strong>${request.clientId}</strong>.</p>
      <form method="post" action="${input.action}">
        ${hidden}
        <input type="hidden" name="granular" value="1" />
        <p>Signing in shares your name, email address and profile picture:</p>
        <ul>
          ${signIn.map((scope) => html`<li><code>${scope}</code></li>`)}
        </ul>
        ${
          optional.length > 0
            ? html`<fieldset>
                <legend>Select what the app can access</legend>
                ${optional.map(
                  (scope, index) =>
                    html`<p>
                      <input
                        type="checkbox"
                        id="grant-${String(index)}"
                        name="grant"
                        value="${scope}"
                        checked
                      />
                      <label for="grant-${String(index)}"><code>${scope}</code></label>
                    </p>`,
                )}
              </fieldset>`
            : ''
        }
        ${request.offline ? html`<p>Offline access: the app can use these while you are away.</p>` : ''}
        <h2>Accounts</h2>
        ${
          users.length > 0
            ? html`<ul>
                ${choices}
              </ul>`
            : html`<p>No accounts yet: create one below.</p>`
        }
        <h2>Create an account</h2>
        <p>
          <label for="new-email">Email</label>
          <input id="new-email" name="new_email" type="email" required value="${request.loginHint ?? ''}" />
        </p>
        <p><label for="new-name">Name</label> <input id="new-name" name="new_name" type="text" /></p>
        <p><button type="submit" name="decision" value="create">Create account and continue</button></p>
      </form>
      <h2>Or</h2>
      <form method="post" action="${input.action}">
        ${hidden}
        <input type="hidden" name="decision" value="deny" />
        <button type="submit">Deny</button>
      </form>
    </main>`,
  );
}

export function oauthErrorPage(error: string, description: string, status = 400): string {
  return page(
    'Error – Google emulator',
    html`<main>
      <h1>Access blocked: this request is invalid</h1>
      <p role="alert">Error ${String(status)}: <code>${error}</code></p>
      <p>${description}</p>
    </main>`,
  );
}
