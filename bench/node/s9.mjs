// S9: the peer of entangle's JavaScript realms: a burst of {i} over one
// MessageChannel with both ends in this event loop, counted in onmessage,
// which reads e.data.i (the same work as S1's same-thread {i} row).
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
emit('throughput, {i}', 'msgs/s', N / (ms / 1000));
port1.close();
