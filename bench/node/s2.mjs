// S2: round trip main thread <-> worker over a transferred MessagePort, per
// payload (a number, {i}, the 100-key nested object): the worker echoes
// what arrived; main reads the reply and posts a new payload. The p50 of
// the measured trips after a warm-up.
import { Worker } from 'node:worker_threads';
import { emit, median, nested, quick } from './lib.mjs';

const big = nested();
const payloads = [
  ['number', (i) => i, (d) => d >= 0, quick ? 200 : 2_000, quick ? 1_000 : 20_000],
  ['{i}', (i) => ({ i }), (d) => d.i >= 0, quick ? 200 : 2_000, quick ? 1_000 : 20_000],
  ['nested 100 keys', () => big, (d) => d.key000.id === 0, quick ? 5 : 50, quick ? 20 : 500],
];

const worker = new Worker(new URL('./worker.mjs', import.meta.url));
for (const [name, make, read, W, M] of payloads) {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ kind: 'echo', port: port2 }, [port2]);
  await new Promise((resolve) => worker.once('message', resolve));
  const times = new Float64Array(M);
  let i = 0;
  let t0 = 0;
  await new Promise((resolve) => {
    port1.onmessage = (e) => {
      const t = performance.now();
      if (!read(e.data)) throw new Error('s2: bad reply');
      if (i >= W) times[i - W] = t - t0;
      i++;
      if (i === W + M) {
        resolve();
        return;
      }
      t0 = performance.now();
      port1.postMessage(make(i));
    };
    t0 = performance.now();
    port1.postMessage(make(0));
  });
  emit('round trip p50 main-worker, ' + name, 'µs', median(times) * 1000);
  port1.close();
}
await worker.terminate();
