// S2: round trip main thread <-> worker over a transferred MessagePort:
// {i} is echoed back; the p50 of the measured trips after a warm-up.
import { Worker } from 'node:worker_threads';
import { emit, median, quick } from './lib.mjs';

const W = quick ? 200 : 2_000;
const M = quick ? 1_000 : 20_000;

const worker = new Worker(new URL('./worker.mjs', import.meta.url));
const { port1, port2 } = new MessageChannel();
worker.postMessage({ kind: 'echo', port: port2 }, [port2]);
await new Promise((resolve) => worker.once('message', resolve));

const times = new Float64Array(M);
let i = 0;
let t0 = 0;
await new Promise((resolve) => {
  port1.onmessage = (e) => {
    const t = performance.now();
    if (e.data.i !== i) throw new Error('s2: out of order');
    if (i >= W) times[i - W] = t - t0;
    i++;
    if (i === W + M) {
      resolve();
      return;
    }
    t0 = performance.now();
    port1.postMessage({ i });
  };
  t0 = performance.now();
  port1.postMessage({ i: 0 });
});
emit('round trip p50 (main-worker)', 'µs', median(times) * 1000);
port1.close();
await worker.terminate();
