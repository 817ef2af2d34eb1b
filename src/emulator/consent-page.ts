import { html, page } from './html';
import type { AuthorizationRequest } from './oauth-store';
import type { UserRecord } from './state';

/**
 * Google's account chooser and consent screen, reduced to what a demo needs: continue as an
 * existing account, create one, or deny. Plain forms; they post back to the same path with
 * the authorization request carried in hidden fields.
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
        <form method="post" action="${input.action}">
          ${hidden}
          <input type="hidden" name="decision" value="allow" />
          <input type="hidden" name="email" value="${user.email}" />
          <button type="submit" aria-label="Continue as ${user.name} (${user.email})">
            Continue as ${user.name} &lt;${user.email}&gt;
          </button>
        </form>
      </li>`,
  );
  return page(
    'Sign in – Google emulator',
    html`<main>
      <h1>Choose an account</h1>
      <p>to continue to <strong>${request.clientId}</strong>, which asks for:</p>
      <ul>
        ${request.scopes.map((scope) => html`<li><code>${scope}</code></li>`)}
      </ul>
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
      <form method="post" action="${input.action}">
        ${hidden}
        <input type="hidden" name="decision" value="allow" />
        <p>
          <label for="new-email">Email</label>
          <input id="new-email" name="email" type="email" required value="${request.loginHint ?? ''}" />
        </p>
        <p><label for="new-name">Name</label> <input id="new-name" name="name" type="text" /></p>
        <p><button type="submit">Create account and continue</button></p>
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
