// Starting Debian's Chromium through playwright-core. Nothing here downloads a browser: the
// executable is the system's, and the flags keep it from reaching for the network (this
// machine's network is closed, and Chromium's background connections fail noisily).
import { chromium } from 'playwright-core';

export const executablePath = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';

export function launch() {
  // Playwright gives every launch a new, empty profile folder (its --user-data-dir).
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
    ],
  });
}

// The sites under test, served by nginx (see run and nginx.conf.template).
export const sites = [
  { name: 'demo', url: process.env.GONGKAI_DEMO_URL },
  { name: 'fixture', url: process.env.GONGKAI_FIXTURE_URL },
  { name: 'english', url: process.env.GONGKAI_ENGLISH_URL },
].filter((s) => s.url);

export const screenshotDir = process.env.GONGKAI_SCREENSHOTS ?? 'screenshots';
