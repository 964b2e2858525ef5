// Helpers shared by the scenario scripts: the run mode, result output,
// statistics and the nested test object.

export const quick = process.argv[2] === 'quick';

// emit prints one result line for the Go runner.
export function emit(metric, unit, value) {
  process.stdout.write(JSON.stringify({ metric, unit, value }) + '\n');
}

// median of an array of numbers (sorted copy).
export function median(values) {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

// nested is the 100-key object of the perf anchors: each value is
// {id, name, tags[3], values[10 doubles], nested{flag, pair[2], label}}.
// The Go side (bench/scenario) builds the same data.
export function nested() {
  const o = {};
  for (let i = 0; i < 100; i++) {
    const values = [];
    for (let j = 0; j < 10; j++) values.push(i * 10 + j + 0.5);
    o['key' + String(i).padStart(3, '0')] = {
      id: i,
      name: 'item-' + i,
      tags: ['alpha', 'beta', 'gamma'],
      values,
      nested: { flag: i % 2 === 0, pair: [i, -i], label: 'L' + i },
    };
  }
  return o;
}

// onOne resolves with the next message event on port.
export function onOne(port) {
  return new Promise((resolve) => {
    port.onmessage = (e) => resolve(e);
  });
}
