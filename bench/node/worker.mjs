// The worker of s2, s3 and s4. The main thread sends it {kind, port} with
// the port transferred; the worker then serves that port until terminated.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ kind, port }) => {
  switch (kind) {
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
