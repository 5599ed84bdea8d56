// A real OpenID provider for the registry's sign-in test: oidc-provider (pinned in package-lock.json)
// with one confidential client, PKCE required, a fresh RS256 signing key, and a login page of its
// own. It listens on a free port of 127.0.0.1 and prints `issuer <url>` when it is ready.
//
// Settings from the environment: REDIRECT_URI (the registry's callback), CLIENT_ID, CLIENT_SECRET.
// People who can sign in: ACCOUNTS below, by login name.

import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const ACCOUNTS = {
  anna: { name: 'Anna de Vries', email: 'anna.devries@bibliotheek-zoetermeer.nl' },
  bram: { name: 'Bram Smit', email: 'bram.smit@dbieb.nl' },
};

const { REDIRECT_URI, CLIENT_ID, CLIENT_SECRET } = process.env;
if (!REDIRECT_URI || !CLIENT_ID || !CLIENT_SECRET) {
  console.error('REDIRECT_URI, CLIENT_ID and CLIENT_SECRET are required');
  process.exit(2);
}

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [{ ...signingKey, kid: 'test-key-1', use: 'sig', alg: 'RS256' }] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['a-cookie-signing-key-for-the-test-provider'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, name: account.name, email: account.email, email_verified: true }) };
  },
  // The registry is the network's own client: people are not asked to consent to it.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    grant.addOIDCClaims(['name', 'email', 'email_verified']);
    await grant.save();
    return grant;
  },
});

async function formBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

// The login page: a form naming an account; a real provider would check a password here.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name !== 'login') {
    ctx.status = 400;
    ctx.body = `unexpected prompt ${details.prompt.name}`;
    return undefined;
  }
  if (ctx.method === 'GET' && !match[2]) {
    ctx.type = 'html';
    ctx.body = `<form method="post" action="/interaction/${details.uid}/login"><input name="login"><button>Sign in</button></form>`;
    return undefined;
  }
  if (ctx.method === 'POST' && match[2]) {
    const login = (await formBody(ctx.req)).get('login');
    const result = ACCOUNTS[login]
      ? { login: { accountId: login } }
      : { error: 'access_denied', error_description: 'unknown account' };
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(redirectTo);
    return undefined;
  }
  return next();
});

server.on('request', provider.callback());
console.log(`issuer ${issuer}`);
