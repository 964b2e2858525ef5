// The worker of s1, s2, s3 and s4. The main thread sends it {kind, port} with
// the port transferred; the worker then serves that port until terminated.
import { parentPort } from 'node:worker_threads';

const readers = {
  'count-number': (d) => d >= 0,
  'count-{i}': (d) => d.i >= 0,
  'count-nested 100 keys': (d) => d.key000.id === 0,
};

parentPort.on('message', ({ kind, port, n }) => {
  if (kind.startsWith('count-on-')) {
    // s1 with Node's own listener: the value itself, no MessageEvent.
    const read = readers['count-' + kind.slice('count-on-'.length)];
    let count = 0;
    port.on('message', (data) => {
      if (read(data)) count++;
      if (count === n) port.postMessage('done');
    });
    parentPort.postMessage('ready');
    return;
  }
  switch (kind) {
    case 'count-number':
    case 'count-{i}':
    case 'count-nested 100 keys': {
      // s1: count n messages, reading each, then answer "done".
      const read = readers[kind];
      let count = 0;
      port.onmessage = (e) => {
        if (read(e.data)) count++;
        if (count === n) port.postMessage('done');
      };
      break;
    }
    case 'echo':
      // s2, s4 copy: send back what arrived, cloned again.
      port.onmessage = (e) => port.postMessage(e.data);
      break;
    case 'echo-transfer':
      // s4 transfer: send the ArrayBuffer back in the transfer list.
      port.onmessage = (e) => port.postMessage(e.data, [e.data]);
      break;
    case 'adopt':
      // s3: each message carries a fresh port; wait for one message on
      // it, close it and acknowledge on the long-lived port.
      port.onmessage = (e) => {
        const p = e.ports[0];
        p.onmessage = () => {
          p.close();
          port.postMessage(0);
        };
      };
      break;
    default:
      throw new Error('worker: unknown kind ' + kind);
  }
  parentPort.postMessage('ready');
});
