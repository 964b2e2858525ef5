// S4: a 1 MiB ArrayBuffer bounced main <-> worker over a transferred port,
// in the transfer list or as a structured copy (per message = p50 of
// RTT/2), and structuredClone alone, with and without transfer (mean).
import { Worker } from 'node:worker_threads';
import { emit, median, quick } from './lib.mjs';

const SIZE = 1 << 20;

async function bounce(kind, warm, n) {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ kind, port: port2 }, [port2]);
  await new Promise((resolve) => worker.once('message', resolve));
  const transfer = kind === 'echo-transfer';
  const times = new Float64Array(n);
  let buf = new ArrayBuffer(SIZE);
  let i = 0;
  let t0 = 0;
  await new Promise((resolve) => {
    port1.onmessage = (e) => {
      const t = performance.now();
      buf = e.data;
      if (buf.byteLength !== SIZE) throw new Error('s4: wrong size');
      if (i >= warm) times[i - warm] = (t - t0) / 2;
      i++;
      if (i === warm + n) {
        resolve();
        return;
      }
      t0 = performance.now();
      port1.postMessage(buf, transfer ? [buf] : []);
    };
    t0 = performance.now();
    port1.postMessage(buf, transfer ? [buf] : []);
  });
  port1.close();
  await worker.terminate();
  return median(times) * 1000;
}

function codec(transfer, warm, n) {
  let buf = new ArrayBuffer(SIZE);
  let t0 = 0;
  for (let i = 0; i < warm + n; i++) {
    if (i === warm) t0 = performance.now();
    const out = transfer ? structuredClone(buf, { transfer: [buf] }) : structuredClone(buf);
    if (transfer) buf = out;
  }
  return ((performance.now() - t0) * 1000) / n;
}

const tr = await bounce('echo-transfer', quick ? 20 : 200, quick ? 100 : 2_000);
const cp = await bounce('echo', quick ? 5 : 30, quick ? 20 : 300);
emit('1 MiB transfer per message', 'µs', tr);
emit('1 MiB copy per message', 'µs', cp);
emit('1 MiB copy/transfer over a channel', 'x', cp / tr);
const ct = codec(true, quick ? 100 : 1_000, quick ? 1_000 : 20_000);
const cc = codec(false, quick ? 5 : 30, quick ? 20 : 300);
emit('codec transfer 1 MiB', 'µs', ct);
emit('codec copy 1 MiB', 'µs', cc);
emit('codec copy/transfer', 'x', cc / ct);
