// S1: burst throughput over one MessageChannel, per payload (a number, {i},
// the 100-key nested object): N posts counted in onmessage, which reads
// e.data. Same thread (both ends in this event loop), then main thread to
// a worker over a transferred port (the worker counts and answers "done").
// Each again with Node's own listener, port.on('message', f), which gets
// the value itself and makes no MessageEvent (entangle's OnData is its
// like): the metrics end in " (on('message'))".
import { Worker } from 'node:worker_threads';
import { emit, nested, quick } from './lib.mjs';

const big = nested();
const payloads = [
  ['number', (i) => i, (d) => d >= 0, quick ? 20_000 : 1_000_000],
  ['{i}', (i) => ({ i }), (d) => d.i >= 0, quick ? 20_000 : 1_000_000],
  ['nested 100 keys', () => big, (d) => d.key000.id === 0, quick ? 100 : 3_000],
];

const onStyle = " (on('message'))";

for (const style of ['', onStyle]) {
  for (const [name, make, read, N] of payloads) {
    const { port1, port2 } = new MessageChannel();
    let count = 0;
    const t0 = performance.now();
    await new Promise((resolve) => {
      if (style === '') {
        port2.onmessage = (e) => {
          if (read(e.data)) count++;
          if (count === N) resolve();
        };
      } else {
        port2.on('message', (data) => {
          if (read(data)) count++;
          if (count === N) resolve();
        });
      }
      for (let i = 0; i < N; i++) port1.postMessage(make(i));
    });
    const ms = performance.now() - t0;
    emit('throughput, ' + name + style, 'msgs/s', N / (ms / 1000));
    port1.close();
  }
}

const worker = new Worker(new URL('./worker.mjs', import.meta.url));
for (const style of ['', onStyle]) {
  for (const [name, make, , N] of payloads) {
    const { port1, port2 } = new MessageChannel();
    const kind = (style === '' ? 'count-' : 'count-on-') + name;
    worker.postMessage({ kind, port: port2, n: N }, [port2]);
    await new Promise((resolve) => worker.once('message', resolve));
    const t0 = performance.now();
    const done = new Promise((resolve) => {
      port1.onmessage = resolve;
    });
    for (let i = 0; i < N; i++) port1.postMessage(make(i));
    await done;
    const ms = performance.now() - t0;
    emit('throughput to worker, ' + name + style, 'msgs/s', N / (ms / 1000));
    port1.close();
  }
}
await worker.terminate();
