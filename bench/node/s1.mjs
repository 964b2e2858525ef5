// S1: small-message throughput over one MessageChannel, same thread: a
// burst of N posts of {i}, counted in onmessage (which reads e.data).
import { emit, quick } from './lib.mjs';

const N = quick ? 20_000 : 1_000_000;
const { port1, port2 } = new MessageChannel();
let count = 0;
const t0 = performance.now();
await new Promise((resolve) => {
  port2.onmessage = (e) => {
    if (e.data.i >= 0) count++;
    if (count === N) resolve();
  };
  for (let i = 0; i < N; i++) port1.postMessage({ i });
});
const ms = performance.now() - t0;
emit('throughput', 'msgs/s', N / (ms / 1000));
port1.close();
