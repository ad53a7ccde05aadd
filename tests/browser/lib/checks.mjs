// What the suite asks of one page or one file. Each function returns a list of problems in words
// (empty when all is well), so that a failing test says which page lacked what.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';

const require = createRequire(import.meta.url);
const here = new URL('..', import.meta.url);

// ---- html-validate, configured by the committed .htmlvalidate.json ----

// The rules are html-validate's recommended set. One is off, in .htmlvalidate.json (plain JSON,
// so it cannot say why): long-title, which warns past 70 characters in <title>. A title here is the
// page's own title and the site's name, and a Chinese government item's title alone often runs past
// that; its length is the content's, not a fault of the markup. And no-inline-style allows
// text-align: it is how cmark-gfm writes a Markdown table column's alignment (the deprecated
// align attribute being the only other way), and it carries no content of its own.
const htmlvalidateConfig = JSON.parse(readFileSync(new URL('.htmlvalidate.json', here), 'utf8'));
const validator = new HtmlValidate(new StaticConfigLoader(htmlvalidateConfig));

export async function validateHtml(html, name) {
  const report = await validator.validateString(html, name);
  const problems = [];
  for (const result of report.results) {
    for (const m of result.messages) {
      if (m.severity < 2) continue;
      problems.push(`${name}:${m.line}:${m.column}: ${m.ruleId}: ${m.message} (${(m.selector ?? '').slice(0, 120)})`);
    }
  }
  return problems;
}

// ---- axe-core, injected from node_modules ----

export const axePath = require.resolve('axe-core/axe.min.js');
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
    }));
  }, axeTags);
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} element(s):\n      ${v.nodes.slice(0, 6).join('\n      ')}`,
  );
}

// ---- what a page links to, and the ids it has for #fragment links ----

export function pageLinks(page) {
  return page.evaluate(() => {
    const out = [];
    const add = (el, value, kind) => {
      if (value === null || value === undefined || value === '') return;
      let abs;
      try {
        abs = new URL(value, document.baseURI).href;
      } catch {
        abs = null;
      }
      out.push({ kind, value, url: abs, element: el.outerHTML.slice(0, 160) });
    };
    for (const a of document.querySelectorAll('a[href], area[href]')) add(a, a.getAttribute('href'), 'link');
    for (const l of document.querySelectorAll('link[href]')) add(l, l.getAttribute('href'), `link rel=${l.rel}`);
    for (const i of document.querySelectorAll('img[src], script[src], iframe[src], source[src], video[src], audio[src]')) {
      add(i, i.getAttribute('src'), i.localName);
    }
    for (const o of document.querySelectorAll('object[data]')) add(o, o.getAttribute('data'), 'object');
    for (const e of document.querySelectorAll('use, image')) {
      add(e, e.getAttribute('href') ?? e.getAttribute('xlink:href'), `svg ${e.localName}`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
    return { links: out, ids };
  });
}

// The page's main text, as a reader sees it, with white space folded.
export async function mainText(page) {
  const main = page.locator('main');
  if ((await main.count()) !== 1) return null;
  return (await main.innerText()).replace(/\s+/g, ' ').trim();
}

// At a narrow width: does the page scroll sideways, and which elements stick out?
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const offenders = [];
    if (scrollWidth > window.innerWidth) {
      const clipped = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
        }
        return false;
      };
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 0.5 && !clipped(el)) {
          const cls = el.getAttribute('class');
          offenders.push(`<${el.localName}${cls ? ` class="${cls}"` : ''}> right edge at ${Math.round(r.right)} px: ${(el.textContent ?? '').trim().slice(0, 40)}`);
        }
      }
    }
    return { scrollWidth, offenders: offenders.slice(0, 8) };
  });
}

// ---- files: data, feeds, charts ----

const expectedTypes = [
  [/\.css$/, 'text/css'],
  [/\.svg$/, 'image/svg+xml'],
  [/\.json$/, 'application/json'],
  [/\.csv$/, 'text/csv'],
  [/atom\.xml$/, 'application/atom+xml'],
  [/\.xml$/, 'text/xml'],
  [/\.txt$/, 'text/plain'],
];

export function expectedType(pathname) {
  for (const [re, type] of expectedTypes) if (re.test(pathname)) return type;
  return null;
}

// Parses XML (SVG, Atom, sitemap) in the browser: a parser error is a problem.
export async function xmlProblems(page, text) {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'application/xml');
    const error = doc.querySelector('parsererror');
    return error ? [error.textContent.replace(/\s+/g, ' ').slice(0, 300)] : [];
  }, text);
}

// Every text in an SVG chart drawn inside the chart's own box: a label cut off at the edge
// cannot be read (gongkai sizes its labels itself; the fonts are the reader's).
export function chartTextOutside(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const svg of document.querySelectorAll('svg')) {
      const vb = svg.viewBox?.baseVal;
      if (!vb || vb.width === 0 || svg.closest('[aria-hidden="true"]')) continue;
      for (const text of svg.querySelectorAll('text')) {
        const box = text.getBBox();
        if (box.width === 0) continue;
        const left = box.x - vb.x;
        const right = vb.x + vb.width - (box.x + box.width);
        if (left < -0.5 || right < -0.5) {
          problems.push(`svg#${svg.id || '?'}: "${text.textContent}" runs ${Math.round(Math.max(-left, -right))} px past the ${left < -0.5 ? 'left' : 'right'} edge`);
        }
      }
    }
    return problems;
  });
}

// The keyboard's first stop: a skip link to <main>, shown on focus with a visible focus style.
export async function skipLinkProblems(page) {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return ['Tab reaches nothing'];
    const problems = [];
    const href = el.getAttribute('href') ?? '';
    const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
    if (!target) problems.push(`the first Tab stop is ${el.outerHTML.slice(0, 120)}, not a skip link to the page's content`);
    else if (target.localName !== 'main' && !target.closest('main')) problems.push(`the skip link points at <${target.localName}>, not <main>`);
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.bottom < 0 || r.top > window.innerHeight) problems.push('the skip link is not visible when focused');
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' && style.boxShadow === 'none') problems.push('the focused skip link has no focus outline');
    return problems;
  });
}
