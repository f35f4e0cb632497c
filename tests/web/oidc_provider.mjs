// A real OpenID provider for the company sign-in tests: the npm package oidc-provider on a
// loopback port, with one confidential client (PKCE required; one redirect URI per DutyLoop
// server of the tests) and accounts whose claims come
// from OIDC_ACCOUNTS (login -> claims, such as the employee_number DutyLoop maps to a person).
// Its development interaction pages ask for any login and password, then for consent.
import Provider from 'oidc-provider';

const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS, OIDC_ACCOUNTS } = process.env;
const accounts = JSON.parse(OIDC_ACCOUNTS || '{}');
const issuer = `http://127.0.0.1:${OIDC_PORT}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: OIDC_CLIENT_ID,
    client_secret: OIDC_CLIENT_SECRET,
    redirect_uris: JSON.parse(OIDC_REDIRECT_URIS),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'employee_number'] },
  cookies: { keys: ['dutyloop-test-provider-only'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, ...(accounts[id] || {}) }; } };
  },
});

provider.listen(Number(OIDC_PORT), '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
