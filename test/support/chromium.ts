/**
 * Gate and driver for tests that open pages in a real browser: the system's Chromium (Debian's
 * `chromium` package), driven by playwright-core, which downloads nothing. Without a Chromium the
 * tests are skipped with a message; under CI=true, where .ci/run installs it, they fail instead.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { PROJECT_ROOT } from './corpus.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $CHROMIUM when set (only it: `CHROMIUM=none` runs as on a machine without one), else Debian's /usr/bin/chromium. */
const candidate = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM: string | null = executable(candidate) ? candidate : null;

/** Where browser tests leave what a person should look at (screenshots); ignored by git. */
export const TEST_OUTPUT = join(PROJECT_ROOT, 'test-output');

type Describe = (name: string, body: () => void) => void;

/** `const describeBrowser = requireChromium(); describeBrowser('…', () => { … })`, as requireRedis. */
export function requireChromium(): Describe {
  if (CHROMIUM) return (name, body) => describe(name, body);
  const why = `chromium not found at ${candidate} ($CHROMIUM or /usr/bin/chromium); install it (apt-get install chromium)`;
  if (process.env.CI === 'true') {
    return (name) =>
      describe(name, () => {
        it('needs chromium (required when CI=true)', () => {
          throw new Error(why);
        });
      });
  }
  console.warn(`[skip] ${why}; browser tests are skipped`);
  return (name, body) => describe.skip(name, body);
}

/**
 * Flags that keep Chromium from reaching any host of its own accord (component updates, field
 * trials, sync, safe-browsing lists): without them its background requests would be counted against
 * the page. `--no-sandbox`: tests run as root in CI, where the sandbox refuses to start.
 */
const QUIET_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  '--metrics-recording-only', '--no-default-browser-check', '--disable-features=Translate,OptimizationHints,MediaRouter',
];

/** A page opened from a file, with every request, console error, page error and dialog it caused. */
export interface OpenedPage {
  page: Page;
  /** Every URL anything in the browser asked for since this page was opened, its own file included (kept up to date). */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

export interface Browser {
  open(file: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  close(): Promise<void>;
}

/**
 * Starts a headless Chromium with a fresh profile. Every request of every page is routed through
 * here: counted, and only `file://` URLs are let through (anything else is aborted after being
 * counted, so a test sees it without the machine reaching the network).
 */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rdbscope-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM!,
    headless: true,
    args: QUIET_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  // Requests go to the page opened last (tests open one page at a time), and to none before the first.
  let current: string[] = [];
  context.on('request', (r) => current.push(r.url()));
  await context.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  return {
    async open(file, viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const opened: OpenedPage = { page, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
      current = opened.requests;
      page.on('console', (m) => {
        if (m.type() === 'error') opened.consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => opened.pageErrors.push(e.message));
      page.on('dialog', (d) => {
        opened.dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      // Late requests (a lazy image, a prefetch) would come within a moment of load.
      await page.waitForTimeout(300);
      return opened;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The path of a screenshot under test-output/ (the folder made when missing). */
export function screenshotPath(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

/**
 * The few DOM members the tests read inside the page (page.evaluate): the test build has no DOM
 * library. In a callback: `const doc = (globalThis as unknown as PageGlobal).document`.
 */
export interface DomElement {
  textContent: string | null;
  readonly children: ArrayLike<DomElement>;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  getAttributeNames(): string[];
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  getBoundingClientRect(): { width: number; height: number };
}

export interface PageGlobal {
  document: {
    title: string;
    scripts: ArrayLike<unknown>;
    documentElement: { scrollHeight: number };
    querySelector(selector: string): DomElement | null;
    querySelectorAll(selector: string): ArrayLike<DomElement>;
  };
  /** Set by an injected script, were one ever to run. */
  __pwned?: unknown;
}
