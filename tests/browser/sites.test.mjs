// Each site read as a citizen would: starting from /progress/, every page reachable by links is
// opened in Chromium, and every link, style sheet, image, chart and download it names is fetched.
// Per page: status 200 (404 for a missing address, with the site's own 404 page), no console
// errors or failed requests, no html-validate errors, no axe-core violations of WCAG 2.1 A and AA,
// a canonical link to itself, a skip link as the first Tab stop, chart labels inside their charts,
// the same main text with JavaScript off, and no sideways scrolling at 375 px. Per site: every
// file answers 200 with its type, links stay under /progress/, #fragments have targets, and
// sitemap.xml lists exactly the pages the links reach.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sites } from './lib/browser.mjs';
import {
  axeViolations,
  chartTextOutside,
  expectedType,
  horizontalOverflow,
  mainText,
  pageLinks,
  skipLinkProblems,
  validateHtml,
  xmlProblems,
} from './lib/checks.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const list = (problems) => `\n    ${problems.join('\n    ')}`;

function assertNone(problems, what) {
  assert.equal(problems.length, 0, `${what}:${list(problems)}`);
}

// One browser tab per way of reading: wide with JavaScript, wide without it, and a phone.
async function readers() {
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const noScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const narrow = await browser.newContext({ viewport: { width: 375, height: 812 } });
  return {
    wide: await wide.newPage(),
    noScript: await noScript.newPage(),
    narrow: await narrow.newPage(),
    close: () => Promise.all([wide.close(), noScript.close(), narrow.close()]),
  };
}

// Watches a tab for console errors, uncaught exceptions and failed requests while it loads a page.
function watch(page, { allow404 } = {}) {
  const problems = [];
  const onConsole = (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // Chromium logs the 404 page's own status as an error; that status is the point of it.
    if (allow404 && where === allow404 && /status of 404/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  };
  const onPageError = (err) => problems.push(`uncaught exception: ${err.message}`);
  const onResponse = (res) => {
    if (res.status() >= 400 && res.url() !== allow404) problems.push(`${res.status()} for ${res.url()}`);
  };
  const onFailed = (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  return () => {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    return problems;
  };
}

for (const site of sites) {
  test(`${site.name} site at ${site.url}`, async (t) => {
    const base = new URL(site.url);
    const path = (url) => new URL(url).pathname + new URL(url).search;
    const isInternal = (url) => url.origin === base.origin && url.pathname.startsWith(base.pathname);
    const notFoundUrl = new URL('no-such-page/', base).href;

    const tabs = await readers();
    t.after(() => tabs.close());

    const pages = new Map(); // url → ids on the page
    const files = new Map(); // url → the pages that name it
    const queued = new Set([base.href, notFoundUrl]);
    const queue = [base.href];
    const fragments = []; // { from, to, id }
    const strayLinks = []; // same server, outside the site's sub-path

    const follow = (from, link) => {
      if (!link.url) {
        strayLinks.push(`${path(from)}: unreadable address ${link.value}`);
        return;
      }
      const url = new URL(link.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return; // mailto:, tel:
      if (url.origin !== base.origin) return; // a department's own website, not ours to test
      if (!isInternal(url)) {
        strayLinks.push(`${path(from)}: ${link.kind} ${link.value} leaves ${base.pathname}`);
        return;
      }
      if (url.hash) fragments.push({ from, to: url.href.replace(/#.*$/, ''), id: decodeURIComponent(url.hash.slice(1)) });
      url.hash = '';
      const target = url.href;
      const isPage = url.pathname.endsWith('/') || url.pathname.endsWith('.html');
      if (isPage && (link.kind === 'link' || link.kind === 'link rel=canonical')) {
        if (!queued.has(target)) {
          queued.add(target);
          queue.push(target);
        }
      } else {
        if (!files.has(target)) files.set(target, new Set());
        files.get(target).add(path(from));
      }
    };

    async function checkPage(t, url, expectStatus) {
      // The bytes as served: status, type, and the markup html-validate reads.
      const res = await fetch(url, { redirect: 'manual' });
      const html = await res.text();
      await t.test(`answers ${expectStatus} with UTF-8 HTML`, () => {
        assert.equal(res.status, expectStatus, `${path(url)} answered ${res.status}`);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/i);
      });
      await t.test('html-validate finds no errors', async () => {
        assertNone(await validateHtml(html, path(url)), `html-validate on ${path(url)}`);
      });

      const stop = watch(tabs.wide, { allow404: expectStatus === 404 ? url : undefined });
      let loaded = false;
      let found = { links: [], ids: [] };
      try {
        const response = await tabs.wide.goto(url, { waitUntil: 'load' });
        loaded = response?.status() === expectStatus;
        found = await pageLinks(tabs.wide);
      } finally {
        const problems = stop();
        await t.test('loads with no console errors and no failed requests', () => {
          assert.ok(loaded, `${path(url)} did not load with status ${expectStatus}`);
          assertNone(problems, `loading ${path(url)}`);
        });
      }
      pages.set(url, new Set(found.ids));
      for (const link of found.links) follow(url, link);

      await t.test(expectStatus === 200 ? 'names itself as its canonical address' : 'names no canonical address', () => {
        const canonical = found.links.filter((l) => l.kind === 'link rel=canonical').map((l) => l.url);
        // The 404 page answers at every missing address, so it has none of its own.
        assert.deepEqual(canonical, expectStatus === 200 ? [url] : []);
      });
      await t.test('has no axe-core violations (WCAG 2.1 A, AA)', async () => {
        assertNone(await axeViolations(tabs.wide), `axe-core on ${path(url)}`);
      });

      await t.test('lets the keyboard skip to the content first, with a visible focus', async () => {
        assertNone(await skipLinkProblems(tabs.wide), `the skip link on ${path(url)}`);
      });

      await t.test('draws every chart label inside its chart', async () => {
        assertNone(await chartTextOutside(tabs.wide), `chart text cut off on ${path(url)}`);
      });

      await t.test('shows the same main text with JavaScript disabled', async () => {
        const withScript = await mainText(tabs.wide);
        await tabs.noScript.goto(url, { waitUntil: 'load' });
        const withoutScript = await mainText(tabs.noScript);
        assert.ok(withScript, `${path(url)} has exactly one <main> with text`);
        assert.equal(withoutScript, withScript, `${path(url)} reads differently without JavaScript`);
        assert.equal(await tabs.noScript.title(), await tabs.wide.title());
      });

      await t.test('does not scroll sideways at 375 px', async () => {
        await tabs.narrow.goto(url, { waitUntil: 'load' });
        const { scrollWidth, offenders } = await horizontalOverflow(tabs.narrow);
        assert.ok(scrollWidth <= 375, `${path(url)} is ${scrollWidth} px wide at 375 px:${list(offenders)}`);
      });
    }

    // Every page reachable by links, breadth first from the home page.
    while (queue.length > 0) {
      const url = queue.shift();
      await t.test(`page ${path(url)}`, (t) => checkPage(t, url, 200));
    }

    // The 404 page: a real 404 status from the server, with the site's own page and working links.
    await t.test(`page ${path(notFoundUrl)} (a missing page)`, (t) => checkPage(t, notFoundUrl, 404));
    while (queue.length > 0) {
      const url = queue.shift();
      await t.test(`page ${path(url)} (linked from the 404 page)`, (t) => checkPage(t, url, 200));
    }

    // Every style sheet, image, chart, download and feed the pages name.
    await t.test('files the pages link to', async (t) => {
      for (const [url, from] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        await t.test(`${path(url)} answers 200`, async () => {
          const res = await fetch(url, { redirect: 'manual' });
          const body = await res.text();
          assert.equal(res.status, 200, `${path(url)} answered ${res.status}; linked from ${[...from].join(', ')}`);
          const type = expectedType(new URL(url).pathname);
          if (type) assert.equal((res.headers.get('content-type') ?? '').split(';')[0], type, `${path(url)}'s type`);
          assert.ok(body.length > 0, `${path(url)} is empty`);
          if (/\.json$/.test(url)) assert.doesNotThrow(() => JSON.parse(body), `${path(url)} is not valid JSON`);
          if (/\.(svg|xml)$/.test(url)) assertNone(await xmlProblems(tabs.wide, body), `${path(url)} is not well-formed XML`);
        });
      }
    });

    await t.test('every link stays under the site\'s sub-path', () => {
      assertNone([...new Set(strayLinks)], `links that leave ${base.pathname}`);
    });

    await t.test('every #fragment link has its target', () => {
      const missing = [];
      for (const { from, to, id } of fragments) {
        const ids = pages.get(to);
        if (ids && !ids.has(id)) missing.push(`${path(from)} links to ${path(to)}#${id}, which has no such id`);
      }
      assertNone([...new Set(missing)], 'fragment links without a target');
    });

    await t.test('sitemap.xml lists exactly the pages reached by links', async () => {
      const xml = await (await fetch(new URL('sitemap.xml', base))).text();
      const listed = new Set([...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&')));
      const reached = new Set([...pages.keys()].filter((u) => u !== notFoundUrl));
      const problems = [
        ...[...listed].filter((u) => !reached.has(u)).map((u) => `in sitemap.xml but no page links to it: ${u}`),
        ...[...reached].filter((u) => !listed.has(u)).map((u) => `reached by links but not in sitemap.xml: ${u}`),
      ];
      assertNone(problems, 'sitemap.xml and the links disagree');
    });
  });
}

test('the suite was told which sites to test', () => {
  assert.ok(sites.length > 0, 'set GONGKAI_DEMO_URL, GONGKAI_FIXTURE_URL or GONGKAI_ENGLISH_URL (tests/browser/run does)');
});
