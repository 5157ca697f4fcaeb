// Runs the kubeplay CLI built for wasm32-wasip1 under Node's WASI (V8, Chromium's engine):
//   node bench/wasi-run.mjs target/wasm32-wasip1/release/kubeplay.wasm bench/deploy-30k.sh
// Prints the wall time and the wasm linear memory at the end.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv } from 'node:process';
import path from 'node:path';

const [wasmPath, script] = argv.slice(2);
const dir = path.dirname(path.resolve(script));
const wasi = new WASI({
  version: 'preview1',
  args: ['kubeplay', 'run', '/work/' + path.basename(script)],
  preopens: { '/work': dir },
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const start = process.hrtime.bigint();
let code = 0;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(e);
  code = 1;
}
const secs = (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);
const mem = (instance.exports.memory.buffer.byteLength / 1048576).toFixed(0);
console.error(`wasm: ${secs} s, linear memory ${mem} MiB, exit ${code}`);
