// The registry's public pages in a real headless Chromium (Debian's `chromium`), driven with
// Playwright, checked with axe-core: every page type on the demo network, the journeys of issue 15
// clicked as a person clicks them, the keyboard's way in, and never a draft, a withdrawn
// proposition or a private study. It starts the registry itself, once per database: on a fresh
// SQLite file always, and on a fresh PostgreSQL database when TEST_DATABASE_URL names a server.
//
//   cargo build && npm ci --prefix tests/browser && node tests/browser/run.mjs
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node tests/browser/run.mjs
//
// BROWSER_TEST_REGISTRY (default target/debug/registry) and CHROMIUM (default /usr/bin/chromium) override
// what is run. The last line is `browser tests: N passed, N failed (backends)`; the exit code is
// non-zero when anything failed.

import { createServer as createNetServer } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// ---------------------------------------------------------------------------------------------
// What is opened. One entry per page type; a page type added to the site is a line here.
// Every entry must answer `status` (200 unless given): a page type that answers 404 because it
// is not built fails the run. `follow` opens `from` and clicks the link named `link` (the page's
// address is not known beforehand). `h1` is the main heading the page must show. `lang` is the
// page's language (Dutch unless given): English pages are the same pages under `/en`.
const PAGE_TYPES = [
  { name: 'home', path: '/', h1: 'Wat bibliotheken aanbieden' },
  { name: 'libraries', path: '/bibliotheken', h1: 'Bibliotheken' },
  { name: 'search', path: '/zoeken?q=ouderen', h1: 'Zoeken' },
  { name: 'library', path: '/bibliotheken/bibliotheek-zoetermeer', h1: 'Bibliotheek Zoetermeer' },
  { name: 'support organisation', path: '/organisaties/probiblio', h1: 'Probiblio' },
  {
    name: 'proposition',
    follow: { from: '/bibliotheken/bibliotheek-zoetermeer', link: 'Ontmoeten door en voor ouderen' },
    h1: 'Ontmoeten door en voor ouderen',
  },
  { name: 'standard propositions', path: '/standaardproposities', h1: 'Standaardproposities' },
  { name: 'standard proposition', path: '/standaardproposities/SENIOR_MEETING', h1: 'Ontmoeting voor ouderen' },
  { name: 'coverage', path: '/dekking?provincie=zuid-holland', h1: 'Dekking in Zuid-Holland' },
  { name: 'compare: choose', path: '/vergelijk' },
  { name: 'compare', path: '/vergelijk?bibliotheek=bibliotheek-zoetermeer&bibliotheek=dbieb' },
  {
    name: 'study and customer journey',
    follow: { from: '/bibliotheken/bibliotheek-zoetermeer', link: 'Klantreis: Ontmoeten door en voor ouderen' },
    h1: 'Klantreis: Ontmoeten door en voor ouderen',
  },
  { name: 'knowledge by target group', path: '/doelgroepen/SENIORS', h1: 'Ouderen' },
  { name: 'not found', path: '/bestaat-niet', status: 404, h1: 'Pagina niet gevonden' },
  { name: 'library, in English', path: '/en/bibliotheken/bibliotheek-zoetermeer', h1: 'Bibliotheek Zoetermeer', lang: 'en' },
  {
    name: 'study and customer journey, in English',
    follow: { from: '/en/bibliotheken/bibliotheek-zoetermeer', link: 'Klantreis: Ontmoeten door en voor ouderen' },
    h1: 'Klantreis: Ontmoeten door en voor ouderen',
    lang: 'en',
  },
  { name: 'coverage, in English', path: '/en/dekking?provincie=zuid-holland', h1: 'Coverage in Zuid-Holland', lang: 'en' },
];

// The site's name at the end of every title, by language.
const SITE_NAME = { nl: '· Propositieregister bibliotheken', en: '· Proposition registry of the public libraries' };

// What the public must never read, on any page. Titles without characters HTML escapes, so
// they can be looked for in the page's source as well as its text.
const DRAFT_TITLE = 'Geheim concept: zondagse ontmoeting voor ouderen';
const WITHDRAWN_TITLE = 'Ingetrokken taalcafé op zondagmiddag';
const PRIVATE_STUDY_TITLE = 'Vertrouwelijk: gesprekken met mantelzorgers in Zoetermeer';
const EMMEN_PRIVATE_STUDY_TITLE = 'Klantgesprekken in de Bredebieb Academy Emmen';

const ZOETERMEER = 'bibliotheek-zoetermeer';
const OIDC_CLIENT_ID = 'registry-browser-test';
const OIDC_CLIENT_SECRET = 'a-client-secret-for-the-browser-test';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const MAX_CLICKS = 3;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const registryBin = process.env.BROWSER_TEST_REGISTRY ?? join(root, 'target/debug/registry');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// ---------------------------------------------------------------------------------------------
// A small runner: named tests, each counted once, failures printed with their reasons.

const results = [];

async function test(name, body) {
  const started = Date.now();
  try {
    await withTimeout(body(), 120_000, name);
    results.push({ name, ok: true });
    console.log(`ok     ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAILED ${name}\n${indent(error?.stack ?? String(error))}`);
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `       ${line}`)
    .join('\n');
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertIncludes(text, expected, where) {
  assert(text.includes(expected), `${where}: expected to read "${expected}" in:\n${text.slice(0, 2000)}`);
}

// ---------------------------------------------------------------------------------------------
// The registry, started as a separate process on a database of its own.

// Each backend: a name and how to make (and later drop) a fresh database.
function backends() {
  const list = [
    {
      name: 'sqlite',
      create() {
        const dir = mkdtempSync(join(tmpdir(), 'registry-browser-'));
        return { url: `sqlite://${join(dir, 'registry.db')}?mode=rwc`, drop: () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  const admin = process.env.TEST_DATABASE_URL;
  if (admin) {
    list.push({
      name: 'postgres',
      create() {
        const name = `registry_browser_${process.pid}_${Date.now()}`;
        run('createdb', [`--maintenance-db=${admin}`, name]);
        const url = new URL(admin);
        url.pathname = `/${name}`;
        return { url: url.toString(), drop: () => run('dropdb', ['--force', '--if-exists', `--maintenance-db=${admin}`, name]) };
      },
    });
  }
  return list;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

// Starts `registry serve` on a free port (port 0; the URL it prints tells which) and waits for
// `/health`. Tokens are issued by the same binary with the same settings, so they are signed with
// the same (development) secret.
async function startRegistry(databaseUrl, extraEnv = {}) {
  const env = {
    ...process.env,
    REGISTRY_DATABASE__URL: databaseUrl,
    REGISTRY_SERVER__HOST: '127.0.0.1',
    REGISTRY_SERVER__PORT: '0',
    REGISTRY_DEMO__LOAD_IF_EMPTY: 'true',
    // A test clicks through some forty pages a minute from one address; a person does not.
    REGISTRY_RATE_LIMIT__ANONYMOUS_POINTS: '10000000',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
    ...extraEnv,
  };
  const child = spawn(registryBin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const log = [];
  const keep = (chunk) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - 200));
  };
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const origin = await new Promise((resolveOrigin, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the registry printed no address within 120 s:\n${log.join('\n')}`)), 120_000);
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      out += chunk.toString();
      const found = out.match(/The site: (http:\/\/[^\s/]+)\//);
      if (found) {
        clearTimeout(timer);
        resolveOrigin(found[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the registry stopped (${code ?? signal}) before serving:\n${log.join('\n')}`));
    });
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${origin}/health did not answer within 60 s:\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const token = (role, org) => {
    const out = run(registryBin, ['token', '--role', role, '--org', org], { env });
    return out.trim().split('\n').pop();
  };
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };
  return { origin, token, stop, log };
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

async function graphql(app, query, variables, token) {
  const response = await fetch(`${app.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (!response.ok || body.errors) {
    throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(body.errors ?? body)}\n${query}`);
  }
  return body.data;
}

// `Proposition:12` in a global id is the page `/aanbod/12`.
function propositionPath(globalId) {
  const [, number] = Buffer.from(globalId, 'base64url').toString().split(':');
  return `/aanbod/${number}`;
}

// ---------------------------------------------------------------------------------------------
// What an editor of Bibliotheek Zoetermeer does that the public must not see: a draft, a
// proposition published and then withdrawn (in its test), and a private study linked to the
// library's published meeting programme for seniors and to its standard proposition.

async function prepare(app) {
  const editor = app.token('LIBRARY_EDITOR', ZOETERMEER);
  const { organisation } = await graphql(
    app,
    `query($slug: String!) { organisation(slug: $slug) { id propositions(first: 100) { edges { node { id title } } } } }`,
    { slug: ZOETERMEER },
  );
  const seniors = organisation.propositions.edges.map((e) => e.node).find((p) => p.title === 'Ontmoeten door en voor ouderen');
  assert(seniors, 'the demo network has Zoetermeer’s "Ontmoeten door en voor ouderen"');

  const create = `mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id version } } }`;
  const draft = (
    await graphql(app, create, {
      input: {
        organisationId: organisation.id,
        title: DRAFT_TITLE,
        summary: 'Op zondag koffie, een krant en een gesprek, voor ouderen in Seghwaert.',
        channel: 'ON_SITE',
        standardPropositionCode: 'SENIOR_MEETING',
        targetGroupCodes: ['SENIORS'],
      },
    }, editor)
  ).createProposition.proposition;

  const withdrawn = (
    await graphql(app, create, {
      input: {
        organisationId: organisation.id,
        title: WITHDRAWN_TITLE,
        summary: 'Samen Nederlands praten op zondagmiddag; gaat niet door.',
        channel: 'ON_SITE',
        standardPropositionCode: 'TAALHUIS',
        targetGroupCodes: ['LANGUAGE_LEARNERS'],
      },
    }, editor)
  ).createProposition.proposition;
  const state = `{ proposition { id version publicationState } }`;
  const published = (
    await graphql(app, `mutation($input: PropositionStateInput!) { publishProposition(input: $input) ${state} }`, {
      input: { id: withdrawn.id, expectedVersion: withdrawn.version },
    }, editor)
  ).publishProposition.proposition;

  const study = (
    await graphql(app, `mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }`, {
      input: {
        title: PRIVATE_STUDY_TITLE,
        summary: 'Wat mantelzorgers van ouderen van de bibliotheek vragen; alleen voor de bibliotheek zelf.',
        methods: ['INTERVIEWS'],
        participantCount: 12,
        periodStart: '2025-03-01',
        commissionedByIds: [organisation.id],
        visibility: 'PRIVATE',
      },
    }, editor)
  ).createStudy.study;
  const link = `mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }`;
  for (const target of [{ propositionId: seniors.id }, { standardPropositionCode: 'SENIOR_MEETING' }]) {
    await graphql(app, link, { input: { source: { studyId: study.id }, target, relation: 'EVIDENCE_FOR' } }, editor);
  }

  const withdraw = async () => {
    const done = await graphql(app, `mutation($input: PropositionStateInput!) { unpublishProposition(input: $input) ${state} }`, {
      input: { id: published.id, expectedVersion: published.version },
    }, editor);
    assert(done.unpublishProposition.proposition.publicationState !== 'PUBLISHED', 'the proposition is withdrawn');
  };
  return { draftPath: propositionPath(draft.id), withdrawnPath: propositionPath(published.id), withdraw };
}

// ---------------------------------------------------------------------------------------------
// A visitor's browser tab: it records console errors, script errors and any request to another
// origin, and after every page it checks those and that nothing hidden is on the page.

class Tab {
  constructor(page, app, hidden) {
    this.page = page;
    this.app = app;
    this.hidden = hidden;
    this.problems = [];
    this.clicks = 0;
    this.visited = [];
    // Documents opened expecting an error status: the browser reports their status on the console.
    this.expectedStatus = new Map();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location().url;
      const status = this.expectedStatus.get(url);
      if (status && message.text().includes(`status of ${status}`)) return;
      this.problems.push(`console error: ${message.text()} (${url || 'no url'})`);
    });
    page.on('pageerror', (error) => this.problems.push(`script error: ${error.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:')) return;
      if (new URL(url).origin !== app.origin) this.problems.push(`request to another origin: ${request.method()} ${url}`);
    });
  }

  // Opens an address as if typed, and checks the page.
  async open(path, { status = 200 } = {}) {
    const url = `${this.app.origin}${path}`;
    if (status >= 400) this.expectedStatus.set(url, status);
    const response = await this.page.goto(url, { waitUntil: 'load' });
    assert(response, `${path}: no response`);
    assert(response.status() === status, `${path} answered ${response.status()}, expected ${status}`);
    await this.check();
    return response;
  }

  // Clicks a link or button as a person does, waits for the next page, and checks it.
  async click(locator) {
    this.clicks += 1;
    const before = this.page.url();
    await locator.click();
    await this.page.waitForLoadState('load');
    assert(this.page.url() !== before, `the click on ${locator} went nowhere (still at ${before})`);
    await this.check();
  }

  // Sends a form with one of its buttons, as a person does, and checks the answer's status and page
  // (a form may answer at the address it was sent from: a refused or stale form shows itself again).
  async submit(button, { status = 200 } = {}) {
    this.clicks += 1;
    if (status >= 400) this.expectedStatus.set(`${this.page.url().split('?')[0]}`, status);
    const [response] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
    assert(response, `the ${button} sent nothing`);
    assert(response.status() === status, `the ${button} answered ${response.status()}, expected ${status}`);
    await this.check();
    return response;
  }

  async check() {
    const where = this.page.url().replace(this.app.origin, '');
    this.visited.push(where);
    const problems = this.problems.splice(0);
    assert(problems.length === 0, `${where}:\n${problems.join('\n')}`);
    const source = await this.page.content();
    const text = await this.page.locator('body').innerText();
    for (const title of this.hidden) {
      assert(!source.includes(title) && !text.includes(title), `${where} shows "${title}", which the public must not see`);
    }
  }

  // The main content's text, whitespace folded.
  async main() {
    return fold(await this.page.locator('main').innerText());
  }
}

function fold(text) {
  return text.replace(/\s+/g, ' ').trim();
}

// The text of the cell in the row headed `row` and the column headed `column` of a table.
async function tableCell(table, row, column) {
  return table.evaluate(
    (element, [rowName, columnName]) => {
      const text = (cell) => cell.textContent.replace(/\s+/g, ' ').trim();
      const headers = [...element.tHead.rows[0].cells].map(text);
      const index = headers.indexOf(columnName);
      const found = [...element.tBodies[0].rows].find((r) => text(r.cells[0]) === rowName);
      if (index < 0 || !found) return null;
      return text(found.cells[index]);
    },
    [row, column],
  );
}

// ---------------------------------------------------------------------------------------------
// The tests for one running registry.

// Runs axe-core on an open page (in a context that bypasses the CSP, so that its script can be added) and
// fails on serious or critical violations of WCAG 2.1 A/AA; lesser ones are printed as notes.
async function assertAccessible(page, path) {
  // Open what is folded (the page's GraphQL question) so that it is checked too.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await page.addScriptTag({ content: axeSource });
  const outcome = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const describe = (v) =>
    `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${v.nodes.map((n) => `  - ${n.target.join(' ')}`).join('\n')}`;
  const failing = outcome.violations.filter((v) => FAILING_IMPACTS.has(v.impact));
  for (const v of outcome.violations.filter((v) => !FAILING_IMPACTS.has(v.impact))) {
    console.log(`       note: ${path}: ${describe(v).replace(/\n/g, '\n       ')}`);
  }
  assert(failing.length === 0, `${path}: ${failing.length} serious or critical axe violations:\n${failing.map(describe).join('\n')}`);
  assert(outcome.passes.length > 0, `${path}: axe checked nothing`);
}

async function suite(browser, backend, app) {
  const hidden = [DRAFT_TITLE, PRIVATE_STUDY_TITLE, EMMEN_PRIVATE_STUDY_TITLE];
  let prepared;
  const name = (what) => `${backend} › ${what}`;
  // Pages as the public gets them: the site's own Content-Security-Policy in force.
  const context = await browser.newContext({ locale: 'nl-NL' });
  context.setDefaultTimeout(15_000);
  const tab = async () => new Tab(await context.newPage(), app, hidden);

  await test(name('an editor’s draft, withdrawn proposition and private study are made through the API'), async () => {
    prepared = await prepare(app);
  });

  await test(name('a withdrawn proposition is gone from its library’s page at once'), async () => {
    assert(prepared, 'nothing was prepared');
    const t = await tab();
    await t.open('/bibliotheken/bibliotheek-zoetermeer');
    assertIncludes(await t.main(), WITHDRAWN_TITLE, 'while published, the library page shows it');
    await prepared.withdraw();
    hidden.push(WITHDRAWN_TITLE);
    await t.open('/bibliotheken/bibliotheek-zoetermeer');
    await t.open(prepared.withdrawnPath, { status: 404 });
  });

  const pages = new Map();
  for (const type of PAGE_TYPES) {
    await test(name(`page: ${type.name}`), async () => {
      const t = await tab();
      if (type.follow) {
        await t.open(type.follow.from);
        await t.click(t.page.locator('main').getByRole('link', { name: type.follow.link, exact: true }).first());
      } else {
        await t.open(type.path, { status: type.status ?? 200 });
      }
      const page = t.page;
      pages.set(type.name, page.url().replace(app.origin, ''));
      const lang = type.lang ?? 'nl';
      assert((await page.locator('html').getAttribute('lang')) === lang, `${type.name}: the page is in ${lang}`);
      const headings = await page.locator('h1').allInnerTexts();
      assert(headings.length === 1 && headings[0].trim() !== '', `${type.name}: one main heading, got ${JSON.stringify(headings)}`);
      if (type.h1) assert(fold(headings[0]) === type.h1, `${type.name}: heading "${headings[0]}", expected "${type.h1}"`);
      const title = await page.title();
      assert(title.endsWith(SITE_NAME[lang]), `${type.name}: title "${title}"`);
      await page.close();
    });
  }

  // axe-core needs its script in the page, and the pages' Content-Security-Policy
  // (`script-src 'self'`) rightly blocks an injected inline script. This context alone bypasses
  // the CSP, for the axe runs only; every other test sees the pages with their CSP in force.
  const axeContext = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
  axeContext.setDefaultTimeout(15_000);
  for (const type of PAGE_TYPES) {
    await test(name(`axe: ${type.name}`), async () => {
      const path = pages.get(type.name);
      assert(path, `the page test of ${type.name} did not get as far as an address`);
      const page = await axeContext.newPage();
      const response = await page.goto(`${app.origin}${path}`, { waitUntil: 'load' });
      assert(response.status() === (type.status ?? 200), `${path} answered ${response.status()}`);
      await assertAccessible(page, path);
      await page.close();
    });
  }
  await axeContext.close();

  await test(name('journey: seniors’ meeting programmes in Zuid-Holland and the research behind them'), async () => {
    const t = await tab();
    await t.open('/');
    await t.click(t.page.locator('.registry-cards').getByRole('link', { name: 'Ontmoeting voor ouderen', exact: true }).first());
    assert(t.page.url().endsWith('/standaardproposities/SENIOR_MEETING'), `at ${t.page.url()}`);
    const table = t.page.locator('section[aria-labelledby=kaart] table');
    assert((await tableCell(table, 'Zuid-Holland', 'Bieden het aan')) === '1', 'one library in Zuid-Holland offers it');
    const providers = fold(await t.page.locator('section[aria-labelledby=aanbieders]').innerText());
    assertIncludes(providers, 'Bibliotheek Zoetermeer: Ontmoeten door en voor ouderen', 'who offers it');
    const research = fold(await t.page.locator('section[aria-labelledby=kennis]').innerText());
    assertIncludes(research, 'Klantreis: Ontmoeten door en voor ouderen', 'the research behind it');
    assert(t.clicks <= MAX_CLICKS, `${t.clicks} clicks`);
  });

  await test(name('journey: the libraries of Flevoland without Digisterker'), async () => {
    const t = await tab();
    await t.open('/');
    await t.click(t.page.locator('.registry-cards').getByRole('link', { name: 'Digisterker', exact: true }).first());
    assert((await t.page.locator('h1').innerText()).trim() === 'Digisterker', 'the Digisterker page');
    const table = t.page.locator('section[aria-labelledby=kaart] table');
    const lacking = await tableCell(table, 'Flevoland', 'Nog niet');
    assert(lacking !== null, 'a row for Flevoland with a column "Nog niet"');
    assertIncludes(lacking, 'De Nieuwe Bibliotheek Almere', 'Flevoland, not yet');
    assert(!lacking.includes('FlevoMeer Bibliotheek'), `Lelystad’s library offers it: ${lacking}`);
    assert(t.clicks <= MAX_CLICKS, `${t.clicks} clicks`);
  });

  await test(name('journey: what Almere offers language learners'), async () => {
    const t = await tab();
    await t.open('/');
    await t.click(t.page.locator('section[aria-labelledby=bibliotheken]').getByRole('link', { name: 'Flevoland', exact: true }));
    await t.click(t.page.locator('main').getByRole('link', { name: 'De Nieuwe Bibliotheek Almere', exact: true }));
    const offer = t.page.locator('section[aria-labelledby=aanbod] li').filter({ hasText: 'Anderstaligen en taalleerders' });
    const titles = await offer.locator('> a').allInnerTexts();
    assert(titles.includes('Taalhuis Almere'), `the offer for language learners: ${JSON.stringify(titles)}`);
    assert(titles.includes('Rondleidingen voor taalleerders'), `the offer for language learners: ${JSON.stringify(titles)}`);
    await t.click(t.page.locator('main').getByRole('link', { name: 'Taalhuis Almere', exact: true }).first());
    assert((await t.page.locator('h1').innerText()).trim() === 'Taalhuis Almere', 'the proposition page');
    const facts = fold(await t.page.locator('dl.registry-facts').first().innerText());
    assertIncludes(facts, 'Anderstaligen en taalleerders', 'for whom');
    assertIncludes(await t.main(), 'Aanbod van De Nieuwe Bibliotheek Almere', 'whose offer');
    assert(t.clicks <= MAX_CLICKS, `${t.clicks} clicks`);
  });

  await test(name('journey: what the Zoetermeer journey found and which ideas libraries adopted'), async () => {
    const t = await tab();
    await t.open('/');
    await t.click(t.page.locator('section[aria-labelledby=bibliotheken]').getByRole('link', { name: 'Zuid-Holland', exact: true }));
    await t.click(t.page.locator('main').getByRole('link', { name: 'Bibliotheek Zoetermeer', exact: true }));
    await t.click(t.page.locator('main').getByRole('link', { name: 'Klantreis: Ontmoeten door en voor ouderen', exact: true }).first());
    assert((await t.page.locator('h1').innerText()).trim() === 'Klantreis: Ontmoeten door en voor ouderen', 'the study page');
    const insights = fold(await t.page.locator('section[aria-labelledby=inzichten]').innerText());
    assert(insights.length > 0, 'the insights are shown');
    const ideas = fold(await t.page.locator('section[aria-labelledby=verbeterideeen]').innerText());
    assertIncludes(ideas, 'Bibliotheek Zoetermeer', 'who adopted the ideas');
    assert(t.clicks <= MAX_CLICKS, `${t.clicks} clicks`);
  });

  await test(name('GraphiQL loads from the registry itself, with the page’s query filled in, and runs it'), async () => {
    const page = await context.newPage();
    const foreign = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.origin) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    const query = 'query Probe { organisation(slug: "bibliotheek-zoetermeer") { name } }';
    await page.goto(`${app.origin}/graphiql?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('Bibliotheek Zoetermeer').first().waitFor();
    assert(foreign.length === 0, `GraphiQL loaded from elsewhere: ${foreign.join(', ')}`);
    await page.close();
  });

  await test(name('drafts and private studies are not found, not searchable and not in the sitemap'), async () => {
    assert(prepared, 'nothing was prepared');
    const t = await tab();
    await t.open(prepared.draftPath, { status: 404 });
    for (const q of ['geheim', 'zondagse', 'vertrouwelijk', 'mantelzorgers', 'bredebieb', 'ingetrokken']) {
      await t.open(`/zoeken?q=${q}`);
    }
    await t.open('/bibliotheken/bibliotheek-emmen');
    assertIncludes(await t.main(), 'Bibliotheek Emmen', 'Emmen’s page');
    await t.open('/standaardproposities/TAALHUIS');
    const sitemap = await (await fetch(`${app.origin}/sitemap.xml`)).text();
    for (const path of [prepared.draftPath, prepared.withdrawnPath]) {
      assert(!sitemap.includes(`${path}<`), `the sitemap lists ${path}`);
    }
  });

  await test(name('keyboard: Tab reaches the skip link first and Enter moves focus to the content'), async () => {
    const t = await tab();
    await t.open('/');
    await t.page.keyboard.press('Tab');
    const focused = t.page.locator(':focus');
    assert((await focused.innerText()).trim() === 'Naar de inhoud', `Tab focuses "${await focused.innerText()}"`);
    assert(await focused.isVisible(), 'the focused skip link is visible');
    await t.page.keyboard.press('Enter');
    await t.page.waitForFunction(() => document.activeElement?.id === 'inhoud');
    assert((await t.page.evaluate(() => document.activeElement.tagName)) === 'MAIN', 'focus is on main');
    await t.check();
  });

  await test(name('keyboard: the language switch is reached with Tab and Enter opens the same page in English, and back'), async () => {
    const t = await tab();
    await t.open('/dekking?provincie=zuid-holland');
    let found = false;
    for (let i = 0; i < 15 && !found; i += 1) {
      await t.page.keyboard.press('Tab');
      found = (await t.page.evaluate(() => document.activeElement?.getAttribute('hreflang'))) === 'en';
    }
    assert(found, 'Tab reaches the link to the English page within 15 presses');
    assert((await t.page.locator(':focus').innerText()).trim() === 'English', 'the switch says English');
    await Promise.all([t.page.waitForURL('**/en/dekking?provincie=zuid-holland'), t.page.keyboard.press('Enter')]);
    await t.check();
    assert((await t.page.locator('html').getAttribute('lang')) === 'en', 'the English page says so');
    assert(fold(await t.page.locator('h1').innerText()) === 'Coverage in Zuid-Holland', 'the same page, in English');
    const back = t.page.locator('header a[hreflang=nl]');
    assert((await back.getAttribute('lang')) === 'nl' && fold(await back.innerText()) === 'Nederlands', 'the way back is in Dutch');
    await t.click(back);
    assert(t.page.url().endsWith('/dekking?provincie=zuid-holland'), `back at ${t.page.url()}`);
  });

  await test(name('the coverage table sorts with the site’s own script under its CSP'), async () => {
    const t = await tab();
    await t.open('/dekking?provincie=zuid-holland');
    const header = t.page.locator('table[data-sortable] thead th').filter({ hasText: 'Totaal' });
    await header.getByRole('button').click();
    assert((await header.getAttribute('aria-sort')) === 'ascending', 'sorted ascending');
    await header.getByRole('button').click();
    assert((await header.getAttribute('aria-sort')) === 'descending', 'sorted descending');
    const totals = await t.page.locator('table[data-sortable] tbody tr').evaluateAll((rows) =>
      rows.map((r) => Number(r.cells[r.cells.length - 3].dataset.value)),
    );
    assert(totals.every((v, i) => i === 0 || totals[i - 1] >= v), `descending totals: ${totals}`);
    await t.check();
  });

  // ---- signing in (issue 18): the demo sign-in, on by default on a laptop's registry ----------
  // Each person gets a browser context of their own (their own cookies), with the site's CSP in force.
  const signedIn = async (who, hiddenFromThem) => {
    const ctx = await browser.newContext({ locale: 'nl-NL' });
    ctx.setDefaultTimeout(15_000);
    const t = new Tab(await ctx.newPage(), app, hiddenFromThem);
    await t.open('/bibliotheken/bibliotheek-zoetermeer');
    await t.click(t.page.locator('header').getByRole('link', { name: 'Aanmelden', exact: true }));
    assert(fold(await t.page.locator('h1').innerText()) === 'Aanmelden', 'the header leads to the sign-in page');
    await t.click(t.page.getByRole('button', { name: `Aanmelden als ${who}` }));
    assertIncludes(fold(await t.page.locator('header').innerText()), `Aangemeld als ${who}`, 'the header');
    return { t, ctx };
  };

  await test(name('sign-in: a Zoetermeer editor signs in as a demo person, sees the library’s draft, and signs out'), async () => {
    assert(prepared, 'nothing was prepared');
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      await t.open('/bibliotheken/bibliotheek-zoetermeer');
      assertIncludes(await t.main(), DRAFT_TITLE, 'the library page as its editor');
      await t.click(t.page.locator('header').getByRole('button', { name: 'Afmelden', exact: true }));
      assertIncludes(fold(await t.page.locator('header').innerText()), 'Aanmelden', 'signed out, the header offers to sign in');
      t.hidden.push(DRAFT_TITLE);
      await t.open('/bibliotheken/bibliotheek-zoetermeer');
    } finally {
      await ctx.close();
    }
  });

  await test(name('sign-in: a form posted from another site is refused and changes nothing'), async () => {
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      const forged = await ctx.newPage();
      // A page of no origin of ours (about:blank) posts the sign-out form, as a forged link would.
      await forged.setContent(
        `<form method="post" action="${app.origin}/afmelden"><input type="hidden" name="csrf" value="guessed"><button>go</button></form>`,
      );
      const [response] = await Promise.all([forged.waitForNavigation(), forged.click('button')]);
      assert(response.status() === 403, `the forged form answered ${response.status()}, expected 403`);
      assertIncludes(fold(await forged.locator('h1').innerText()), 'geweigerd', 'the refusal says so');
      await forged.close();
      await t.open('/bibliotheken/bibliotheek-zoetermeer');
      assertIncludes(fold(await t.page.locator('header').innerText()), 'Aangemeld als Sanne Jansen (demo)', 'still signed in');
      assertIncludes(await t.main(), DRAFT_TITLE, 'still the editor’s view');
    } finally {
      await ctx.close();
    }
  });

  await test(name('sign-in: an editor of another library does not see Zoetermeer’s draft'), async () => {
    const { t, ctx } = await signedIn('Daan Visser (demo)', [DRAFT_TITLE, PRIVATE_STUDY_TITLE, EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      await t.open('/bibliotheken/bibliotheek-zoetermeer');
      await t.open(prepared.draftPath, { status: 404 });
    } finally {
      await ctx.close();
    }
  });

  // ---- editing a library's offer on the web (issue 18) ----------------------------------------
  const EDITED_TITLE = 'Digitaal spreekuur voor senioren in Seghwaert';
  let editPath;

  await test(name('editing: a Zoetermeer editor creates, maps and publishes a proposition, and the public sees it'), async () => {
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      await t.click(t.page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
      assertIncludes(await t.main(), 'Aanbod beheren: Bibliotheek Zoetermeer', 'the staff page');
      await t.click(t.page.getByRole('link', { name: 'Nieuw aanbod', exact: true }));
      await t.page.getByLabel('Titel').fill(EDITED_TITLE);
      await t.page.getByLabel('Samenvatting').fill('Hulp bij computer, tablet, DigiD en de digitale overheid');
      await t.page.getByLabel('Kanaal').selectOption('ON_SITE');
      await t.page.getByLabel('Kernfunctie').selectOption('KNOWLEDGE_INFORMATION');
      await t.page.getByRole('checkbox', { name: 'Ouderen', exact: true }).check();
      await t.page.getByRole('checkbox', { name: 'Bibliotheek Seghwaert' }).check();
      await t.submit(t.page.getByRole('button', { name: 'Opslaan als concept' }));
      editPath = new URL(t.page.url()).pathname;
      assertIncludes(await t.main(), 'Opgeslagen als concept', 'after saving');
      assertIncludes(await t.main(), 'Status: Concept', 'a draft');
      const anonymous = await browser.newContext({ locale: 'nl-NL' });
      try {
        const publicPath = editPath.replace('/beheer/aanbod/', '/aanbod/');
        const seen = await (await anonymous.newPage()).goto(`${app.origin}${publicPath}`);
        assert(seen.status() === 404, `the draft's public page answered ${seen.status()}, expected 404`);
        // The form's suggestion maps it with one button; Enter in a field would save, not map.
        await t.submit(t.page.getByRole('button', { name: 'Koppel aan Digitaal spreekuur' }));
        assertIncludes(await t.main(), 'Uw wijzigingen zijn opgeslagen', 'mapped');
        assert((await t.page.getByLabel('Standaardpropositie').inputValue()) === 'HELPDESK_DIGITAL', 'the mapping is chosen');
        await t.submit(t.page.getByRole('button', { name: 'Publiceren', exact: true }));
        assertIncludes(await t.main(), 'Gepubliceerd: iedereen kan het nu zien', 'published');
        await t.click(t.page.getByRole('link', { name: 'Bekijk de openbare pagina' }));
        const main = await t.main();
        assertIncludes(main, EDITED_TITLE, 'the public page');
        assertIncludes(main, 'Digitaal spreekuur', 'its mapping on the public page');
        const page = await anonymous.newPage();
        const response = await page.goto(`${app.origin}${publicPath}`);
        assert(response.status() === 200, `the public page answered ${response.status()} to a visitor`);
        assertIncludes(fold(await page.locator('main').innerText()), EDITED_TITLE, 'a visitor sees it');
      } finally {
        await anonymous.close();
      }
    } finally {
      await ctx.close();
    }
  });

  await test(name('editing: a stale form shows what someone else saved and re-applies the person’s own change'), async () => {
    assert(editPath, 'nothing was created');
    const sanne = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    const pieter = await signedIn('Pieter de Vries (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      await sanne.t.open(editPath);
      await pieter.t.open(editPath);
      await pieter.t.page.getByLabel('Wanneer (dagen en tijden)').fill('Dinsdag 10.00–12.00 uur');
      await pieter.t.submit(pieter.t.page.getByRole('button', { name: 'Wijzigingen opslaan' }));
      await sanne.t.page.getByLabel('Samenvatting').fill('Hulp bij de computer, de tablet en DigiD, elke week');
      await sanne.t.submit(sanne.t.page.getByRole('button', { name: 'Wijzigingen opslaan' }), { status: 409 });
      const alert = fold(await sanne.t.page.locator('#conflict').innerText());
      assertIncludes(alert, 'Iemand anders heeft dit aanbod intussen gewijzigd', 'the conflict');
      assertIncludes(alert, 'Pieter de Vries (demo)', 'who saved first');
      assertIncludes(alert, 'Dinsdag 10.00–12.00 uur', 'what they saved');
      assert((await sanne.t.page.getByLabel('Samenvatting').inputValue()).includes('elke week'), 'her change is kept');
      await sanne.t.submit(sanne.t.page.getByRole('button', { name: 'Wijzigingen opslaan' }));
      assertIncludes(await sanne.t.main(), 'Uw wijzigingen zijn opgeslagen', 'saved again');
      await pieter.t.open(editPath);
      assert((await pieter.t.page.getByLabel('Samenvatting').inputValue()).includes('elke week'), 'her summary');
      assert((await pieter.t.page.getByLabel('Wanneer (dagen en tijden)').inputValue()) === 'Dinsdag 10.00–12.00 uur', 'his schedule');
    } finally {
      await sanne.ctx.close();
      await pieter.ctx.close();
    }
  });

  await test(name('editing: a proposition form posted from another site is refused and changes nothing'), async () => {
    assert(editPath, 'nothing was created');
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      const forged = await ctx.newPage();
      await forged.setContent(
        `<form method="post" action="${app.origin}${editPath}"><input type="hidden" name="csrf" value="guessed">` +
          `<input type="hidden" name="version" value="1"><input type="hidden" name="base" value="{}">` +
          `<input type="hidden" name="title" value="Overgenomen"><button>go</button></form>`,
      );
      const [response] = await Promise.all([forged.waitForNavigation(), forged.click('button')]);
      assert(response.status() === 403, `the forged form answered ${response.status()}, expected 403`);
      await forged.close();
      await t.open(editPath);
      assert((await t.page.getByLabel('Titel').inputValue()) === EDITED_TITLE, 'the title is unchanged');
    } finally {
      await ctx.close();
    }
  });

  await test(name('editing: an editor of another library reaches none of Zoetermeer’s forms'), async () => {
    assert(editPath, 'nothing was created');
    const { t, ctx } = await signedIn('Daan Visser (demo)', [DRAFT_TITLE, PRIVATE_STUDY_TITLE, EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      await t.click(t.page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
      assertIncludes(await t.main(), 'De Nieuwe Bibliotheek Almere', 'their own library');
      await t.open(editPath, { status: 404 });
      await t.open(prepared.draftPath.replace('/aanbod/', '/beheer/aanbod/'), { status: 404 });
    } finally {
      await ctx.close();
    }
  });

  await test(name('editing: a 200-row sheet with three bad rows is previewed, nothing is written until confirmed, then all 197 are'), async () => {
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    try {
      let csv = 'sleutel;titel;samenvatting;kernfunctie;doelgroepen;kanaal;kosten;prijs;vestigingen\n';
      const bad = new Map([[9, 'kanaal'], [100, 'doelgroepen'], [152, 'prijs']]);
      for (let i = 0; i < 200; i++) {
        if (bad.get(i) === 'kanaal') csv += `blad-${i};Zonder kanaal ${i};Samenvatting;KNOWLEDGE_INFORMATION;SENIORS;;FREE;;\n`;
        else if (bad.get(i) === 'doelgroepen') csv += `blad-${i};Onbekende doelgroep ${i};Samenvatting;KNOWLEDGE_INFORMATION;MARSMANNETJES;ONLINE;FREE;;\n`;
        else if (bad.get(i) === 'prijs') csv += `blad-${i};Betaald zonder prijs ${i};Samenvatting;KNOWLEDGE_INFORMATION;;ONLINE;PAID;;\n`;
        else csv += `blad-${i};Taalspreekuur ${i};Oefenen met Nederlands;KNOWLEDGE_INFORMATION;SENIORS;ON_SITE;FREE;;Bibliotheek Seghwaert\n`;
      }
      const drafts = async () => {
        const page = await ctx.newPage();
        await page.goto(`${app.origin}/beheer/aanbod`, { waitUntil: 'load' });
        const text = fold(await page.locator('main').innerText());
        await page.close();
        const found = text.match(/Concepten \((\d+)\)/);
        assert(found, `no draft count on the offer page: ${text.slice(0, 300)}`);
        return Number(found[1]);
      };
      const before = await drafts();
      await t.click(t.page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
      await t.click(t.page.getByRole('link', { name: 'Importeren uit een spreadsheet' }));
      await t.page.getByLabel('Bestand').setInputFiles({ name: 'aanbod.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await t.submit(t.page.getByRole('button', { name: 'Controleren' }));
      assertIncludes(fold(await t.page.locator('#uitkomst').innerText()), '197 nieuw, 0 gewijzigd, 0 ongewijzigd, 3 met fouten', 'the preview');
      const refused = await t.page.locator('#fouten-per-rij tbody tr').allInnerTexts();
      const lines = refused.map((row) => fold(row).split(' ')[0]);
      assert(JSON.stringify(lines) === JSON.stringify(['11', '102', '154']), `the refused rows: ${refused.join(' | ')}`);
      assertIncludes(fold(refused[0]), 'kanaal: vul dit in', 'the first refused row names its column');
      assert((await drafts()) === before, 'nothing is written before the confirmation');
      await t.submit(t.page.getByRole('button', { name: 'Importeer 197 rijen' }));
      assertIncludes(fold(await t.page.locator('#uitkomst').innerText()), 'Geïmporteerd', 'written');
      assert((await drafts()) === before + 197, `all 197 rows are drafts now (${before} before)`);
    } finally {
      await ctx.close();
    }
  });

  // ---- customer knowledge kept on the web (issue 18) -------------------------------------------
  await test(name('knowledge: an editor records a study with a journey, reorders its stages and adds an insight'), async () => {
    const STUDY_TITLE = 'Gesprekken met nieuwe leden in Seghwaert';
    const JOURNEY_TITLE = 'Van aanmelden tot terugkomen';
    const INSIGHT = 'Nieuwe leden komen terug als iemand hen bij het eerste bezoek wegwijs maakt';
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    // A folded form of the page, opened by its summary as a person opens it.
    const unfold = async (summary) => {
      const details = t.page.locator('details', { has: t.page.locator('summary', { hasText: new RegExp(`^${summary}$`) }) });
      assert((await details.count()) === 1, `one folded form "${summary}", found ${await details.count()}`);
      await details.locator('summary').click();
      assert((await details.getAttribute('open')) !== null, `"${summary}" opens`);
      return details;
    };
    const stages = t.page.getByRole('region', { name: 'Etappes', exact: true }).locator('ol > li');
    const stageNames = async () =>
      stages.evaluateAll((items) => items.map((li) => li.querySelector('p').textContent.replace(/\s+/g, ' ').trim().split(' · ')[0]));
    try {
      await t.open('/beheer/kennis');
      assert(fold(await t.page.locator('h1').innerText()) === 'Klantkennis beheren: Bibliotheek Zoetermeer', 'the knowledge page');
      for (const link of ['Ideeën van anderen', 'Aanbod beheren']) {
        assert((await t.page.getByRole('link', { name: link, exact: true }).count()) === 1, `a link "${link}"`);
      }
      assert((await t.page.getByRole('region', { name: 'Onderzoeken', exact: true }).count()) === 1, 'a section of studies');
      await t.click(t.page.locator('main').getByRole('link', { name: 'Nieuw onderzoek', exact: true }));
      assert(new URL(t.page.url()).pathname === '/beheer/kennis/nieuw', `at ${t.page.url()}`);

      // The study: open, with its required fields.
      const study = t.page.locator('details', { has: t.page.locator('summary', { hasText: /^Gegevens van het onderzoek$/ }) });
      assert((await study.getAttribute('open')) !== null, 'the new study’s form is open');
      await study.getByLabel('Titel (verplicht)', { exact: true }).fill(STUDY_TITLE);
      await study.getByLabel('Samenvatting', { exact: true }).fill('Tien gesprekken met mensen die het afgelopen jaar lid werden');
      await study.getByRole('group', { name: 'Onderzoeksmethoden (verplicht)' }).getByRole('checkbox', { name: 'Interviews', exact: true }).check();
      await study.getByLabel('Begin van het onderzoek (verplicht)', { exact: true }).fill('2025-03-01');
      await t.submit(study.getByRole('button', { name: 'Nieuw onderzoek', exact: true }));
      const studyUrl = new URL(t.page.url());
      assert(/^\/beheer\/kennis\/\d+$/.test(studyUrl.pathname) && studyUrl.searchParams.get('gedaan') === 'vastgelegd', `at ${t.page.url()}`);
      const studyPath = studyUrl.pathname;
      assertIncludes(fold(await t.page.locator('main').getByRole('status').innerText()), 'Het onderzoek is vastgelegd.', 'the confirmation');
      assert(fold(await t.page.locator('h1').innerText()) === STUDY_TITLE, 'the study’s page');
      for (const part of ['Klantreizen', 'Inzichten', 'Verbeterideeën', 'Koppelingen met aanbod']) {
        assert((await t.page.getByRole('region', { name: part, exact: true }).count()) === 1, `a section "${part}"`);
      }

      // A journey, added from its folded form; it opens the journey's page.
      const journey = await unfold('Klantreis toevoegen');
      await journey.getByLabel('Titel (verplicht)', { exact: true }).fill(JOURNEY_TITLE);
      await journey.getByLabel('Doelgroep (verplicht)', { exact: true }).selectOption({ label: 'Ouderen' });
      await journey.getByLabel('Standaardpropositie', { exact: true }).selectOption('HELPDESK_DIGITAL');
      await t.submit(journey.getByRole('button', { name: 'Toevoegen', exact: true }));
      const journeyPath = new URL(t.page.url()).pathname;
      assert(/^\/beheer\/kennis\/reizen\/\d+$/.test(journeyPath), `at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === JOURNEY_TITLE, 'the journey’s page');

      // Three stages, added in turn; then the second moved up.
      for (const stage of ['Oriëntatie', 'Eerste bezoek', 'Terugkomen']) {
        const add = await unfold('Etappe toevoegen');
        await add.getByLabel('Naam (verplicht)', { exact: true }).fill(stage);
        await t.submit(add.getByRole('button', { name: 'Toevoegen', exact: true }));
      }
      let order = await stageNames();
      assert(JSON.stringify(order) === JSON.stringify(['Oriëntatie', 'Eerste bezoek', 'Terugkomen']), `the stages in order: ${order.join(', ')}`);
      await t.submit(t.page.getByRole('button', { name: 'Omhoog: Eerste bezoek', exact: true }));
      order = await stageNames();
      assert(JSON.stringify(order) === JSON.stringify(['Eerste bezoek', 'Oriëntatie', 'Terugkomen']), `the stages after moving one up: ${order.join(', ')}`);
      assert((await t.page.getByRole('button', { name: 'Omhoog: Eerste bezoek', exact: true }).count()) === 0, 'the first stage cannot move up');
      assert((await t.page.getByRole('button', { name: 'Omlaag: Terugkomen', exact: true }).count()) === 0, 'the last stage cannot move down');
      for (const stage of order) {
        assert((await t.page.getByRole('button', { name: `Verwijderen: ${stage}`, exact: true }).count()) === 1, `"${stage}" can be removed`);
      }

      // Back to the study: the journey is listed, and an insight is added to it.
      await t.click(t.page.getByRole('link', { name: 'Terug naar het onderzoek', exact: true }));
      assert(new URL(t.page.url()).pathname === studyPath, `back at ${t.page.url()}`);
      const journeys = t.page.getByRole('region', { name: 'Klantreizen', exact: true });
      assert((await journeys.getByRole('link', { name: JOURNEY_TITLE, exact: true }).count()) === 1, 'the journey is listed on its study');
      const insight = await unfold('Inzicht toevoegen');
      await insight.getByLabel('Inzicht in één zin (verplicht)', { exact: true }).fill(INSIGHT);
      await t.submit(insight.getByRole('button', { name: 'Toevoegen', exact: true }));
      assert(new URL(t.page.url()).pathname === studyPath, `after adding the insight, at ${t.page.url()}`);
      const insights = t.page.getByRole('region', { name: 'Inzichten', exact: true });
      assert((await insights.getByRole('link', { name: INSIGHT, exact: true }).count()) === 1, 'the insight is listed on its study');

      // The pages, checked with axe (in a context of its own that lets axe's script in).
      const axeCtx = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
      axeCtx.setDefaultTimeout(15_000);
      try {
        const page = await axeCtx.newPage();
        await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
        await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/aanmelden')), page.getByRole('button', { name: 'Aanmelden als Sanne Jansen (demo)' }).click()]);
        for (const path of ['/beheer/kennis', '/beheer/kennis/nieuw', studyPath, journeyPath]) {
          const response = await page.goto(`${app.origin}${path}`, { waitUntil: 'load' });
          assert(response.status() === 200, `${path} answered ${response.status()}`);
          await assertAccessible(page, path);
        }
      } finally {
        await axeCtx.close();
      }
    } finally {
      await ctx.close();
    }
  });

  // ---- the organisation's own records on the web (issue 18): keys, branches, the common model --
  // The same page layout as the knowledge pages: sections with lists, forms folded in <details>.
  // A folded form of a page, found by its summary; `open` says whether it must start open.
  const folded = async (page, summary, { open = false } = {}) => {
    const details = page.locator('details', { has: page.locator('summary', { hasText: new RegExp(`^${summary}$`) }) });
    assert((await details.count()) === 1, `one form "${summary}", found ${await details.count()}`);
    const isOpen = (await details.getAttribute('open')) !== null;
    assert(isOpen === open, `"${summary}" starts ${isOpen ? 'open' : 'folded'}, expected ${open ? 'open' : 'folded'}`);
    if (!open) {
      await details.locator('summary').click();
      assert((await details.getAttribute('open')) !== null, `"${summary}" opens`);
    }
    return details;
  };
  // A signed-in person's pages in a context of its own that lets axe's script in; `more` checks
  // what only a sent form shows, in the same context.
  const axeSignedIn = async (who, paths, more) => {
    const axeCtx = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
    axeCtx.setDefaultTimeout(15_000);
    try {
      const page = await axeCtx.newPage();
      await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/aanmelden')), page.getByRole('button', { name: `Aanmelden als ${who}` }).click()]);
      for (const path of paths) {
        const response = await page.goto(`${app.origin}${path}`, { waitUntil: 'load' });
        assert(response.status() === 200, `${path} answered ${response.status()}`);
        await assertAccessible(page, path);
      }
      if (more) await more(page);
    } finally {
      await axeCtx.close();
    }
  };

  await test(name('keys: an administrator makes an API key, the API takes it, and once revoked refuses it'), async () => {
    const KEY_NAME = 'Koppeling met de catalogus op de website';
    const { t, ctx } = await signedIn('Pieter de Vries (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    const keys = t.page.locator('section[aria-labelledby=sleutels-kop]');
    const listed = () => keys.locator('ol > li').filter({ hasText: KEY_NAME });
    const probe = 'query { organisation(slug: "bibliotheek-zoetermeer") { name } }';
    try {
      await t.open('/account');
      await t.click(t.page.locator('main').getByRole('link', { name: 'API-sleutels', exact: true }));
      assert(new URL(t.page.url()).pathname === '/beheer/sleutels', `at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === 'API-sleutels: Bibliotheek Zoetermeer', 'the keys page');
      assert((await t.page.getByRole('region', { name: 'API-sleutels', exact: true }).count()) === 1, 'a section of keys');
      assert((await listed().count()) === 0, 'no such key yet');

      // The new key's form is open from the start; what it may do starts at reading what is published.
      const add = await folded(t.page, 'Nieuwe sleutel', { open: true });
      const purpose = add.getByLabel('Waarvoor de sleutel is (verplicht)', { exact: true });
      assert((await purpose.getAttribute('id')) === 'sleutel-nieuw-name', 'the name field is labelled');
      await purpose.fill(KEY_NAME);
      const scopes = add.getByRole('group', { name: 'Wat de sleutel mag' });
      assert(await scopes.getByRole('checkbox', { name: 'Gepubliceerd aanbod en openbaar onderzoek lezen', exact: true }).isChecked(), 'reading starts checked');
      assert(!(await scopes.getByRole('checkbox', { name: 'De gegevens van de eigen organisatie wijzigen', exact: true }).isChecked()), 'writing starts unchecked');
      const until = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await add.getByLabel('Werkt tot en met', { exact: true }).fill(until);
      await t.submit(add.getByRole('button', { name: 'Sleutel aanmaken', exact: true }));

      // The key, shown this once on the page that made it.
      assert(new URL(t.page.url()).pathname === '/beheer/sleutels', `after making the key, at ${t.page.url()}`);
      const shown = t.page.getByRole('alert').filter({ has: t.page.getByRole('heading', { name: 'Uw nieuwe sleutel: kopieer hem nu', exact: true }) });
      assert((await shown.count()) === 1, 'the new key is shown in an alert');
      const key = (await shown.locator('pre code').innerText()).trim();
      assert(/^prk_[0-9A-Za-z]+$/.test(key), `the key: ${key}`);
      assert((await listed().count()) === 1, 'the key is listed');
      const made = fold(await listed().innerText());
      for (const part of ['actief', 'nog niet gebruikt', 'verloopt']) assertIncludes(made, part, 'the new key’s line');
      // Listed by its name and its first characters (the hint that tells keys apart), never whole.
      assertIncludes(made, KEY_NAME, 'the new key’s line');
      assertIncludes(made, key.slice(0, 12), 'the new key’s hint');
      assert(!made.includes(key), 'the list does not show the whole key');

      // Never again: the page read anew does not show it.
      await t.open('/beheer/sleutels');
      assert(!(await t.page.content()).includes(key), 'the key is not shown again');
      assert((await t.page.getByRole('heading', { name: 'Uw nieuwe sleutel: kopieer hem nu' }).count()) === 0, 'no key alert');

      // The API takes it, and the page says it was used.
      const answer = await graphql(app, probe, {}, key);
      assert(answer.organisation?.name === 'Bibliotheek Zoetermeer', `the API with the key: ${JSON.stringify(answer)}`);
      await t.open('/beheer/sleutels');
      assertIncludes(fold(await listed().innerText()), 'laatst gebruikt', 'the key’s line after its use');

      // Revoked, it no longer works.
      await t.submit(t.page.getByRole('button', { name: `Intrekken: ${KEY_NAME}`, exact: true }));
      const revokedUrl = new URL(t.page.url());
      assert(revokedUrl.pathname === '/beheer/sleutels' && revokedUrl.searchParams.get('gedaan') === 'ingetrokken', `at ${t.page.url()}`);
      assertIncludes(fold(await t.page.locator('main').getByRole('status').innerText()), 'De sleutel is ingetrokken: hij werkt niet meer.', 'the confirmation');
      assertIncludes(fold(await listed().innerText()), 'ingetrokken', 'the key’s line');
      assert((await t.page.getByRole('button', { name: `Intrekken: ${KEY_NAME}`, exact: true }).count()) === 0, 'a revoked key cannot be revoked again');
      const refused = await fetch(`${app.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: probe }),
      });
      const body = await refused.text();
      assert(refused.status === 401, `the API answered ${refused.status} to the revoked key: ${body}`);
      assertIncludes(body, 'revoked', 'the API’s refusal');

      await axeSignedIn('Pieter de Vries (demo)', ['/beheer/sleutels'], async (page) => {
        await page.getByLabel('Waarvoor de sleutel is (verplicht)', { exact: true }).fill('Toegankelijkheidscontrole');
        const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sleutel aanmaken', exact: true }).click()]);
        assert(response.status() === 200, `making a key answered ${response.status()}`);
        assert((await page.locator('#nieuwe-sleutel pre code').count()) === 1, 'the new key is shown');
        await assertAccessible(page, '/beheer/sleutels (a new key shown)');
      });
    } finally {
      await ctx.close();
    }
  });

  await test(name('branches: an editor adds a branch, the library’s page shows it, and removes it'), async () => {
    const BRANCH = 'Bibliotheekpunt Meerzicht';
    const { t, ctx } = await signedIn('Sanne Jansen (demo)', [EMMEN_PRIVATE_STUDY_TITLE]);
    const branches = t.page.locator('section[aria-labelledby=vestigingen-kop]');
    const listed = () => branches.locator('ol > li').filter({ has: t.page.getByText(BRANCH, { exact: true }) });
    const publicBranches = async () => {
      const page = await ctx.newPage();
      await page.goto(`${app.origin}/bibliotheken/bibliotheek-zoetermeer`, { waitUntil: 'load' });
      const text = fold(await page.locator('main').innerText());
      await page.close();
      return text;
    };
    try {
      await t.click(t.page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
      await t.click(t.page.locator('main').getByRole('link', { name: 'Vestigingen', exact: true }));
      assert(new URL(t.page.url()).pathname === '/beheer/vestigingen', `at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === 'Vestigingen: Bibliotheek Zoetermeer', 'the branches page');
      for (const known of ['Bibliotheek Forum', 'Wijkbibliotheek Oosterheem']) {
        assert((await t.page.getByRole('button', { name: `Verwijderen: ${known}`, exact: true }).count()) === 1, `"${known}" is listed`);
        assert((await t.page.locator('summary', { hasText: new RegExp(`^Vestiging bewerken: ${known}$`) }).count()) === 1, `"${known}" has its folded form`);
      }
      assert((await listed().count()) === 0, 'no such branch yet');

      const add = await folded(t.page, 'Vestiging toevoegen');
      await add.getByLabel('Naam (verplicht)', { exact: true }).fill(BRANCH);
      await add.getByLabel('Adres (straat en huisnummer) (verplicht)', { exact: true }).fill('Meerzichtlaan 20');
      await add.getByLabel('Postcode (verplicht)', { exact: true }).fill('2717 BJ');
      await add.getByLabel('Gemeente (verplicht)', { exact: true }).fill('Zoetermeer');
      await add.getByLabel('Breedtegraad', { exact: true }).fill('52,0535');
      await add.getByLabel('Lengtegraad', { exact: true }).fill('4,4830');
      await t.submit(add.getByRole('button', { name: 'Toevoegen', exact: true }));
      const addedUrl = new URL(t.page.url());
      assert(addedUrl.pathname === '/beheer/vestigingen' && addedUrl.searchParams.get('gedaan') === 'toegevoegd', `at ${t.page.url()}`);
      assertIncludes(fold(await t.page.locator('main').getByRole('status').innerText()), 'Toegevoegd.', 'the confirmation');
      assert((await listed().count()) === 1, 'the branch is listed');
      assertIncludes(fold(await listed().innerText()), 'Meerzichtlaan 20, 2717 BJ Zoetermeer', 'the branch’s address and municipality');
      assert((await t.page.locator('summary', { hasText: new RegExp(`^Vestiging bewerken: ${BRANCH}$`) }).count()) === 1, 'the new branch has its folded form');
      assertIncludes(await publicBranches(), BRANCH, 'the library’s public page');

      await t.submit(t.page.getByRole('button', { name: `Verwijderen: ${BRANCH}`, exact: true }));
      const removedUrl = new URL(t.page.url());
      assert(removedUrl.pathname === '/beheer/vestigingen' && removedUrl.searchParams.get('gedaan') === 'verwijderd', `at ${t.page.url()}`);
      assertIncludes(fold(await t.page.locator('main').getByRole('status').innerText()), 'Verwijderd.', 'the confirmation');
      assert((await listed().count()) === 0, 'the branch is gone from the list');
      assert(!(await publicBranches()).includes(BRANCH), 'the branch is gone from the library’s public page');

      await axeSignedIn('Sanne Jansen (demo)', ['/beheer/vestigingen'], async (page) => {
        // Sent with a municipality the registry does not know: the refusal at its field.
        const form = page.locator('#vestiging-nieuw');
        await form.getByLabel('Naam (verplicht)', { exact: true }).fill(BRANCH);
        await form.getByLabel('Adres (straat en huisnummer) (verplicht)', { exact: true }).fill('Meerzichtlaan 20');
        await form.getByLabel('Postcode (verplicht)', { exact: true }).fill('2717 BJ');
        await form.getByLabel('Gemeente (verplicht)', { exact: true }).fill('Atlantis');
        const [response] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Toevoegen', exact: true }).click()]);
        assert(response.status() >= 400, `an unknown municipality answered ${response.status()}`);
        assert((await page.locator('#vestiging-nieuw-fouten').count()) === 1, 'the refusal is summed up above the form');
        await assertAccessible(page, '/beheer/vestigingen (an unknown municipality)');
      });
    } finally {
      await ctx.close();
    }
  });

  await test(name('model: a network maintainer adds a standard proposition, and the public sees it'), async () => {
    // Each backend runs on a fresh database, so the code is new there.
    const CODE = 'LEESCLUB_JONGEREN';
    const NAME_NL = 'Leesclub voor jongeren';
    const { t, ctx } = await signedIn('Joost Bakker (demo)', []);
    try {
      await t.click(t.page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
      assert(new URL(t.page.url()).pathname === '/beheer/model', `a maintainer’s staff page is the model: at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === 'Het gemeenschappelijk model', 'the model page');
      const standards = t.page.locator('section[aria-labelledby=standaardproposities-kop]');
      assert((await standards.getByRole('link', { name: 'Ontmoeting voor ouderen', exact: true }).count()) === 1, 'the standard propositions are listed');
      assert((await standards.getByRole('link', { name: NAME_NL, exact: true }).count()) === 0, 'no such standard proposition yet');

      const add = await folded(t.page, 'Nieuwe standaardpropositie');
      await add.getByLabel('Code (verplicht)', { exact: true }).fill(CODE);
      await add.getByLabel('Naam (Nederlands) (verplicht)', { exact: true }).fill(NAME_NL);
      await add.getByLabel('Naam (Engels) (verplicht)', { exact: true }).fill('Reading club for young people');
      await add.getByLabel('Kernfunctie (verplicht)', { exact: true }).selectOption('READING_LITERATURE');
      await t.submit(add.getByRole('button', { name: 'Toevoegen', exact: true }));
      const addedUrl = new URL(t.page.url());
      const standardPath = `/beheer/model/standaard/${CODE}`;
      assert(addedUrl.pathname === standardPath && addedUrl.searchParams.get('gedaan') === 'toegevoegd', `at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === NAME_NL, 'the standard proposition’s page');
      assertIncludes(fold(await t.page.locator('main').getByRole('status').innerText()), 'Toegevoegd.', 'the confirmation');

      await t.click(t.page.locator('main').getByRole('link', { name: 'Het gemeenschappelijk model', exact: true }));
      assert((await standards.getByRole('link', { name: NAME_NL, exact: true }).count()) === 1, 'the model lists it');
      await t.click(standards.getByRole('link', { name: NAME_NL, exact: true }));
      assert(new URL(t.page.url()).pathname === standardPath, `at ${t.page.url()}`);
      await t.click(t.page.getByRole('link', { name: 'Bekijk de openbare pagina', exact: true }));
      assert(new URL(t.page.url()).pathname === `/standaardproposities/${CODE}`, `at ${t.page.url()}`);
      assert(fold(await t.page.locator('h1').innerText()) === NAME_NL, 'the public page');

      // As the public sees it, signed out.
      const visitor = await tab();
      await visitor.open(`/standaardproposities/${CODE}`);
      assert(fold(await visitor.page.locator('h1').innerText()) === NAME_NL, 'the public page, signed out');
      await visitor.page.close();

      await axeSignedIn('Joost Bakker (demo)', ['/beheer/model', standardPath]);
    } finally {
      await ctx.close();
    }
  });

  await test(name('axe: the staff pages — the offer, a new form with errors, and a form in conflict'), async () => {
    const ctx = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
    ctx.setDefaultTimeout(15_000);
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/aanmelden')), page.getByRole('button', { name: 'Aanmelden als Pieter de Vries (demo)' }).click()]);
      await page.goto(`${app.origin}/beheer/aanbod`, { waitUntil: 'load' });
      await assertAccessible(page, '/beheer/aanbod');
      await page.goto(`${app.origin}/beheer/aanbod/importeren`, { waitUntil: 'load' });
      await assertAccessible(page, '/beheer/aanbod/importeren');
      await page.getByLabel('Bestand').setInputFiles({
        name: 'aanbod.csv', mimeType: 'text/csv',
        buffer: Buffer.from('titel;samenvatting;kernfunctie;kanaal\nA;B;KNOWLEDGE_INFORMATION;ONLINE\nC;;;\n', 'utf8'),
      });
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Controleren' }).click()]);
      assertIncludes(fold(await page.locator('#uitkomst').innerText()), '1 nieuw', 'the preview');
      await assertAccessible(page, '/beheer/aanbod/importeren (a preview)');
      await page.goto(`${app.origin}/beheer/aanbod/nieuw`, { waitUntil: 'load' });
      await assertAccessible(page, '/beheer/aanbod/nieuw');
      // Sent without a summary (the browser's own check set aside): the API's message at its field.
      await page.evaluate(() => { document.querySelector('form.registry-edit').noValidate = true; });
      await page.getByLabel('Titel').fill('Zonder samenvatting');
      await page.getByLabel('Kanaal').selectOption('ONLINE');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Opslaan als concept' }).click()]);
      assertIncludes(fold(await page.locator('#fouten').innerText()), 'Samenvatting: vul dit in', 'the error summary');
      await assertAccessible(page, '/beheer/aanbod/nieuw (with errors)');
      if (editPath) {
        await page.goto(`${app.origin}${editPath}`, { waitUntil: 'load' });
        await assertAccessible(page, editPath);
      }
    } finally {
      await ctx.close();
    }
  });

  await test(name('axe: the sign-in page, and the account page of a signed-in person'), async () => {
    const ctx = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
    ctx.setDefaultTimeout(15_000);
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
      await assertAccessible(page, '/aanmelden');
      await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/aanmelden')), page.getByRole('button', { name: 'Aanmelden als Pieter de Vries (demo)' }).click()]);
      await page.goto(`${app.origin}/account`, { waitUntil: 'load' });
      assertIncludes(fold(await page.locator('main').innerText()), 'Pieter de Vries (demo)', 'the account page');
      await assertAccessible(page, '/account');
    } finally {
      await ctx.close();
    }
  });

  await context.close();
}

// ---------------------------------------------------------------------------------------------
// Signing in through a real OpenID provider (issue 18): the test provider of tests/oidc (oidc-provider,
// pinned there), a registry configured for it on a database of its own, and Chromium going through
// discovery, the provider's login page, the code's return and the registry's session.

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function startProvider(redirectUri) {
  const providerScript = join(root, 'tests/oidc/provider.mjs');
  const child = spawn(process.execPath, [providerScript], {
    env: { ...process.env, REDIRECT_URI: redirectUri, CLIENT_ID: OIDC_CLIENT_ID, CLIENT_SECRET: OIDC_CLIENT_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk.toString(); });
  const issuer = await new Promise((resolveIssuer, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the test provider printed no issuer within 30 s:\n${errors}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const found = out.match(/issuer (http:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolveIssuer(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the test provider stopped (${code}):\n${errors}`));
    });
  });
  const stop = () => {
    child.kill('SIGTERM');
    running.delete(child);
  };
  return { issuer, stop };
}

async function providerSuite(browser, backend) {
  const name = (what) => `${backend.name} › ${what}`;
  let database;
  let provider;
  let app;
  try {
    database = backend.create();
    const port = await freePort();
    provider = await startProvider(`http://127.0.0.1:${port}/aanmelden/terug`);
    app = await startRegistry(database.url, {
      REGISTRY_SERVER__PORT: String(port),
      REGISTRY_OIDC__ISSUER_URL: provider.issuer,
      REGISTRY_OIDC__CLIENT_ID: OIDC_CLIENT_ID,
      REGISTRY_OIDC__CLIENT_SECRET: OIDC_CLIENT_SECRET,
    });
  } catch (error) {
    results.push({ name: name('start the test provider and a registry configured for it'), ok: false });
    console.log(`FAILED ${name('start the test provider and a registry configured for it')}\n${indent(error.stack)}`);
    provider?.stop();
    if (app) await app.stop();
    database?.drop();
    return;
  }
  try {
    await test(name('sign-in through the OpenID provider: a Zoetermeer editor signs in, is granted a membership, and publishes a proposition'), async () => {
      const ctx = await browser.newContext({ locale: 'nl-NL' });
      ctx.setDefaultTimeout(15_000);
      try {
        const page = await ctx.newPage();
        await page.goto(`${app.origin}/aanmelden`, { waitUntil: 'load' });
        assert(!(await page.content()).includes('demopersoon'), 'no demo sign-in beside a configured provider');
        await page.getByRole('button', { name: 'Aanmelden met uw organisatieaccount' }).click();
        await page.locator('input[name="login"]').waitFor();
        const authorize = new URL(page.url());
        await page.locator('input[name="login"]').fill('anna');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.origin === app.origin && !url.pathname.startsWith('/aanmelden'));
        await page.waitForLoadState('load');
        assertIncludes(fold(await page.locator('header').innerText()), 'Aangemeld als Anna de Vries', 'back at the registry, signed in');
        assert(authorize.origin === provider.issuer, `the sign-in went to the provider (${authorize.origin})`);

        // Who may do what comes from the registry: a maintainer grants her an editor's membership.
        const maintainer = app.token('NETWORK_MAINTAINER', 'koninklijke-bibliotheek');
        const found = await graphql(app, 'query($e: String!) { personByEmail(email: $e) { id } organisation(slug: "bibliotheek-zoetermeer") { id } }', { e: 'anna.devries@bibliotheek-zoetermeer.nl' }, maintainer);
        await graphql(app, 'mutation($input: GrantMembershipInput!) { grantMembership(input: $input) { membership { id } } }', {
          input: { personId: found.personByEmail.id, organisationId: found.organisation.id, role: 'LIBRARY_EDITOR', admin: false },
        }, maintainer);
        const t = new Tab(page, app, []);
        await t.open('/account');
        // Her only membership is the one she acts in; with several she would choose here.
        const choose = page.getByRole('button', { name: 'Werk als: Bibliotheek Zoetermeer' });
        if (await choose.count()) await t.submit(choose);
        assertIncludes(fold(await page.locator('header').innerText()), 'Bibliotheek Zoetermeer, redacteur', 'acting as its editor');
        await t.click(page.locator('header').getByRole('link', { name: 'Beheer', exact: true }));
        await t.click(page.getByRole('link', { name: 'Nieuw aanbod', exact: true }));
        const title = 'Voorleesochtend voor peuters in het Forum';
        await page.getByLabel('Titel').fill(title);
        await page.getByLabel('Samenvatting').fill('Elke zaterdag voorlezen voor peuters en hun ouders');
        await page.getByLabel('Kanaal').selectOption('ON_SITE');
        await page.getByLabel('Kernfunctie').selectOption('READING_LITERATURE');
        await t.submit(page.getByRole('button', { name: 'Opslaan als concept' }));
        await t.submit(page.getByRole('button', { name: 'Publiceren', exact: true }));
        await t.click(page.getByRole('link', { name: 'Bekijk de openbare pagina' }));
        assertIncludes(await t.main(), title, 'the public page');
        const history = await graphql(app, 'query { auditTrail(filter: { recordType: "Proposition" }, first: 1) { nodes { actorPerson { name } } } }', {}, maintainer);
        assert(history.auditTrail.nodes[0]?.actorPerson?.name === 'Anna de Vries', `the audit trail names her: ${JSON.stringify(history)}`);
      } finally {
        await ctx.close();
      }
    });
  } finally {
    await app.stop();
    provider.stop();
    try {
      database.drop();
    } catch (error) {
      console.log(`(could not drop the ${backend.name} database: ${error.message})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const list = backends();
  if (!process.env.TEST_DATABASE_URL) {
    console.log('TEST_DATABASE_URL is not set: the browser tests run on SQLite only');
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  console.log(`${chromiumPath} ${browser.version()}; registry ${registryBin}`);
  try {
    for (const backend of list) {
      console.log(`\n-- ${backend.name}`);
      let database;
      let app;
      try {
        database = backend.create();
        app = await startRegistry(database.url);
        console.log(`registry on ${app.origin}`);
      } catch (error) {
        results.push({ name: `${backend.name} › start the registry`, ok: false });
        console.log(`FAILED ${backend.name} › start the registry\n${indent(error.stack)}`);
      }
      try {
        if (app) await suite(browser, backend.name, app);
      } finally {
        if (app) await app.stop();
        try {
          database?.drop();
        } catch (error) {
          console.log(`(could not drop the ${backend.name} database: ${error.message})`);
        }
      }
      await providerSuite(browser, backend);
    }
  } finally {
    await browser.close();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed > 0) {
    console.log(`\nfailed:\n${results.filter((r) => !r.ok).map((r) => `  ${r.name}`).join('\n')}`);
  }
  console.log(`\nbrowser tests: ${passed} passed, ${failed} failed (${list.map((b) => b.name).join(', ')})`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('\nbrowser tests: 0 passed, 1 failed (could not run)');
    process.exit(1);
  },
);
