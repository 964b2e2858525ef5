// S5: structuredClone of the 100-key nested object, mean per clone.
import { emit, nested, quick } from './lib.mjs';

const W = quick ? 20 : 200;
const N = quick ? 100 : 2_000;
const obj = nested();
let keep = null;
let t0 = 0;
for (let i = 0; i < W + N; i++) {
  if (i === W) t0 = performance.now();
  keep = structuredClone(obj);
}
const us = ((performance.now() - t0) * 1000) / N;
if (Object.keys(keep).length !== 100) throw new Error('s5: bad clone');
emit('clone nested object', 'µs', us);
