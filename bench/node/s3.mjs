// S3: create a MessageChannel, transfer port2 to the other side over a
// long-lived channel, post one message on port1; the other side adopts the
// port, waits for that message, closes the port; then port1 is closed and
// the next round starts. Same thread (the other side is the other end of the
// long-lived channel), then to a worker. Mean time per round.
import { Worker } from 'node:worker_threads';
import { emit, quick } from './lib.mjs';

const W = quick ? 50 : 500;
const N = quick ? 200 : 5_000;
const NW = quick ? 100 : 2_000;

// rounds runs n rounds against the receiving end `to`; arrived(cb) must
// call cb once the other side has received the message on the new port.
function rounds(n, to, arrived) {
  return new Promise((resolve) => {
    let i = 0;
    let prev = null;
    const next = () => {
      if (prev) prev.close();
      if (i === n) {
        resolve();
        return;
      }
      i++;
      const ch = new MessageChannel();
      prev = ch.port1;
      to.postMessage(null, [ch.port2]);
      ch.port1.postMessage('hi');
    };
    arrived(next);
    next();
  });
}

// Same thread.
{
  const link = new MessageChannel();
  let cb = null;
  link.port2.onmessage = (e) => {
    const p = e.ports[0];
    p.onmessage = () => {
      p.close();
      cb();
    };
  };
  const arrived = (f) => {
    cb = f;
  };
  await rounds(W, link.port1, arrived);
  const t0 = performance.now();
  await rounds(N, link.port1, arrived);
  const ms = performance.now() - t0;
  emit('port transfer round', 'µs', (ms * 1000) / N);
  link.port1.close();
}

// To a worker.
{
  const worker = new Worker(new URL('./worker.mjs', import.meta.url));
  const link = new MessageChannel();
  worker.postMessage({ kind: 'adopt', port: link.port2 }, [link.port2]);
  await new Promise((resolve) => worker.once('message', resolve));
  const arrived = (f) => {
    link.port1.onmessage = () => f();
  };
  await rounds(W, link.port1, arrived);
  const t0 = performance.now();
  await rounds(NW, link.port1, arrived);
  const ms = performance.now() - t0;
  emit('port transfer round to worker', 'µs', (ms * 1000) / NW);
  link.port1.close();
  await worker.terminate();
}
