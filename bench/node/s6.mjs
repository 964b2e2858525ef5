// S6: memory per open MessageChannel: N channels kept in an array, the
// difference of process.memoryUsage() after gc(). Needs --expose-gc.
// heapUsed counts only the V8 heap (a port's native part is outside it);
// rss counts the whole process.
import { emit, quick } from './lib.mjs';

const N = quick ? 10_000 : 100_000;
if (typeof gc !== 'function') throw new Error('s6: run node with --expose-gc');
gc();
gc();
const before = process.memoryUsage();
const keep = [];
for (let i = 0; i < N; i++) keep.push(new MessageChannel());
gc();
gc();
const after = process.memoryUsage();
emit('heap per open channel (V8 heapUsed)', 'B', (after.heapUsed - before.heapUsed) / N);
emit('rss per open channel', 'B', (after.rss - before.rss) / N);
for (const ch of keep) {
  ch.port1.close();
}
