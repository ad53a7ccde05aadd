// Screenshots for people to look at: the home, a department, a project and a report page of each
// site at 1280 px and 375 px, and a report printed (print media emulated, and a PDF on A4).
// They are written to build/screenshots/ (ignored by git); the test fails only if a page cannot
// be shown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshotDir, sites } from './lib/browser.mjs';

// The pages to show, relative to each site's /progress/.
const shots = {
  demo: {
    home: '',
    department: 'departments/education/',
    project: 'projects/2020-043/',
    report: 'projects/2020-043/reports/2020-10/',
  },
  fixture: {
    home: '',
    department: 'departments/fgw/',
    project: 'projects/2024-001/',
    report: 'projects/2024-001/reports/2024-q3/',
  },
  english: {
    home: '',
    department: 'departments/place/',
    project: 'projects/g1-economy/',
    report: 'projects/g1-economy/reports/2024-q3/',
  },
};

let browser;
before(async () => {
  browser = await launch();
  mkdirSync(screenshotDir, { recursive: true });
});
after(async () => {
  await browser?.close();
});

for (const site of sites) {
  for (const width of [1280, 375]) {
    test(`${site.name} screenshots at ${width} px`, async (t) => {
      const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
      t.after(() => context.close());
      const page = await context.newPage();
      for (const [name, rel] of Object.entries(shots[site.name] ?? {})) {
        await t.test(name, async () => {
          const response = await page.goto(new URL(rel, site.url).href, { waitUntil: 'load' });
          assert.equal(response?.status(), 200);
          await page.screenshot({ path: join(screenshotDir, `${site.name}-${name}-${width}.png`), fullPage: true });
        });
      }
    });
  }

  test(`${site.name} report printed`, async (t) => {
    const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
    t.after(() => context.close());
    const page = await context.newPage();
    const response = await page.goto(new URL(shots[site.name].report, site.url).href, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(screenshotDir, `${site.name}-report-print.png`), fullPage: true });
    await page.pdf({ path: join(screenshotDir, `${site.name}-report.pdf`), format: 'A4', printBackground: false });
  });
}
