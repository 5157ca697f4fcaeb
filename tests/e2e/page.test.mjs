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
const failOnPageError = (e) => { throw e; };

before(async () => {
  server = await serve(join(repo, 'dist'));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', failOnPageError);
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

test('a node\'s button stops its machine and starts it again, as docker would', async () => {
  // The worker the probed pod does not run on, so the pod keeps running.
  const node = await page.$$eval('.node', (els) => els
    .filter((e) => e.dataset.node !== 'kind-control-plane' && !e.querySelector('.pod[data-pod="probe-demo"]'))
    .map((e) => e.dataset.node)[0]);
  await page.click(`.node[data-node="${node}"] .node-power`);
  await page.waitForSelector(`#terminal-output >> text=$ docker stop ${node}`);
  await page.waitForSelector(`.node[data-node="${node}"] .node-power[data-action="start"]`);
  await page.click(`.node[data-node="${node}"] .node-power`);
  await page.waitForSelector(`#terminal-output >> text=$ docker start ${node}`);
  await page.waitForSelector(`.node[data-node="${node}"] .node-power[data-action="stop"]`);
});

test('kubectl get -w holds the terminal and prints rows as time passes, until Ctrl-C', async () => {
  await page.fill('#terminal-input', 'kubectl run watched --image=nginx');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-output >> text=pod/watched created');
  await page.fill('#terminal-input', 'kubectl get pod watched -w');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-input[placeholder^="watching"]');
  await page.click('#speed-10');
  await page.waitForSelector('#terminal-output >> text=/watched\\s+1\\/1\\s+Running/');
  await page.click('#speed-pause');
  await page.screenshot({ path: join(shots, 'watch.png') });
  await page.press('#terminal-input', 'Control+c');
  await page.waitForSelector('#terminal-output pre >> text="^C"');
  await page.waitForSelector('#terminal-input[placeholder="kubectl get pods"]');
});

test('kubectl exec -it attaches the terminal to the container\'s shell until exit', async () => {
  await page.fill('#terminal-input', 'kubectl exec -it watched -- bash');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('.terminal .prompt >> text="root@watched:/#"');
  await page.fill('#terminal-input', 'hostname');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-output pre >> text="watched"');
  await page.screenshot({ path: join(shots, 'exec.png') });
  await page.fill('#terminal-input', 'exit 3');
  await page.press('#terminal-input', 'Enter');
  await page.waitForSelector('#terminal-output >> text=command terminated with exit code 3');
  await page.waitForSelector('.terminal .prompt >> text="$"');
});

test('a panic in the core reloads the page with the same cluster and says so', async () => {
  // The wasm instance traps on a panic; that one page error is expected here.
  page.off('pageerror', failOnPageError);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.fill('#terminal-input', 'kubeplay debug panic');
  await Promise.all([
    page.waitForEvent('load'),
    page.press('#terminal-input', 'Enter'),
  ]);
  await page.waitForSelector('#terminal-output >> text=/internal error: .*deliberate panic/');
  // The cluster was rebuilt from the journal: the pod applied before is still there, with
  // the terminal's history of it, and time is where it was.
  await page.waitForSelector('.pod[data-pod="probe-demo"][data-status="Running"]');
  await page.waitForSelector('#terminal-output >> text=pod/probe-demo created');
  await page.fill('#terminal-input', 'kubectl get pods');
  await page.press('#terminal-input', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#terminal-output pre').length > 0
    && [...document.querySelectorAll('#terminal-output pre')].filter((p) => /probe-demo\s+1\/1\s+Running/.test(p.textContent)).length >= 2);
  await page.screenshot({ path: join(shots, 'after-panic.png') });
  // The trap, and any call the page's timer makes into the trapped instance before the
  // reload, are the only errors: nothing else may fail. The trap's own report can be lost
  // with the navigation the panic hook starts (Chromium drops a page error raised while the
  // page unloads), so its absence is no failure: the message above proves the panic.
  assert.ok(errors.every((m) => /unreachable/i.test(m)), errors.join('\n'));
  page.on('pageerror', failOnPageError);
});
