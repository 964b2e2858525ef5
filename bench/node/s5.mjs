// S5: the 100-key nested object. The message path: a burst of posts of the
// object over one MessageChannel (same thread), read in onmessage, mean per
// message; then structuredClone alone, mean per clone.
import { emit, nested, quick } from './lib.mjs';

const obj = nested();
{
  const N = quick ? 100 : 3_000;
  const { port1, port2 } = new MessageChannel();
  let count = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    port2.onmessage = (e) => {
      if (e.data.key000.id === 0) count++;
      if (count === N) resolve();
    };
    for (let i = 0; i < N; i++) port1.postMessage(obj);
  });
  emit('nested object posted on a channel and read, per message', 'µs', ((performance.now() - t0) * 1000) / N);
  port1.close();
}

const W = quick ? 20 : 200;
const N = quick ? 100 : 2_000;
let keep = null;
let t0 = 0;
for (let i = 0; i < W + N; i++) {
  if (i === W) t0 = performance.now();
  keep = structuredClone(obj);
}
const us = ((performance.now() - t0) * 1000) / N;
if (Object.keys(keep).length !== 100) throw new Error('s5: bad clone');
emit('clone nested object', 'µs', us);
