// A dedicated worker written for the web: it receives a MessagePort from
// the page that created it, then answers every request on that port with
// the statistics of a text. Nothing here knows it runs inside Go.

function analyze(text) {
  const words = text.toLowerCase().match(/[a-z']+/g) || [];
  const counts = new Map();
  for (const w of words) counts.set(w, (counts.get(w) || 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3);
  const longest = words.reduce((l, w) => (w.length > l.length ? w : l), '');
  return { words: words.length, unique: counts.size, longest, top };
}

self.onmessage = (event) => {
  const [port] = event.ports;
  port.onmessage = ({ data }) => {
    // data is the Go struct the page posted: its fields keep their Go names.
    port.postMessage({ id: data.ID, ...analyze(data.Text) });
  };
  port.postMessage({ ready: self.name });
};
