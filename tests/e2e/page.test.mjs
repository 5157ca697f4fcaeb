// The page, end to end, in Debian's headless Chromium: apply a probed pod through the editor,
// let virtual time run, and see it Running in the cluster view and in the terminal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const shots = join(here, 'screenshots');
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let server;
let browser;
let page;

before(async () => {
  server = await serve(join(repo, 'dist'));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => { throw e; });
  await mkdir(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the page loads and draws the default cluster', async () => {
  await page.goto(server.url);
  await page.waitForSelector('.node[data-node="kind-worker2"]');
  const nodes = await page.$$eval('.node', (els) => els.map((e) => e.dataset.node));
  assert.deepEqual(nodes, ['kind-control-plane', 'kind-worker', 'kind-worker2']);
  const paint = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return fcp ? fcp.startTime : null;
  });
  // A measurement for the record, not an assertion.
  await writeFile(join(shots, 'first-paint.txt'), `first-contentful-paint ${paint} ms\n`);
});

test('a probed pod applied from the editor becomes Running and Ready', async () => {
  const manifest = await readFile(join(here, 'probed-pod.yaml'), 'utf8');
  await page.fill('#editor', manifest);
  await page.click('#apply');
  await page.waitForSelector('#terminal-output >> text=pod/probe-demo created');
  await page.click('#speed-10');
  const chip = page.locator('.pod[data-pod="probe-demo"]');
  await chip.waitFor();
  await page.waitForFunction(() => {
    const el = document.querySelector('.pod[data-pod="probe-demo"]');
    return el && el.dataset.status === 'Running' && el.classList.contains('running');
  }, null, { timeout: 60_000 });
  await page.click('#speed-pause');
  await page.fill('#terminal-input', 'kubectl get pods');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-output >> text=/probe-demo\\s+1\\/1\\s+Running/');
  await page.screenshot({ path: join(shots, 'probe-pod.png') });
});

test('a bad command prints kubectl\'s error and changes nothing', async () => {
  await page.fill('#terminal-input', 'kubectl get pod nosuch');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-output >> text=Error from server (NotFound): pods "nosuch" not found');
  const pods = await page.$$eval('.pod', (els) => els.map((e) => e.dataset.pod));
  assert.deepEqual(pods, ['probe-demo']);
});
