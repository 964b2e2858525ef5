// A minimal Response (the Fetch Standard's), enough to read a body: made
// from nothing, a string, an ArrayBuffer, a view or a Blob, read once with
// arrayBuffer(), text(), bytes() or blob(). There is no fetch(), no
// headers and no streams. A Response is a platform object that cannot be
// structured-cloned (internal.isPlatformObject names it). It needs
// Blob and internal.blobData from js/40-blob.js.
(function (host, internal) {
  'use strict';

  const ObjectDefineProperty = Object.defineProperty;
  const WeakMapGet = WeakMap.prototype.get;
  const WeakMapSet = WeakMap.prototype.set;
  const ReflectApply = Reflect.apply;
  const PromiseCtor = Promise;
  const PromiseReject = Promise.reject.bind(Promise);
  const Blob = globalThis.Blob;
  const blobData = internal.blobData;
  const makeBlob = internal.makeBlob;
  const U8 = Uint8Array;
  const TypeErrorCtor = TypeError;

  const states = new WeakMap();
  function stateOf(o) {
    const st = typeof o === 'object' && o !== null ? ReflectApply(WeakMapGet, states, [o]) : undefined;
    if (st === undefined) throw new TypeErrorCtor('Illegal invocation');
    return st;
  }

  // consume returns the body's bytes once; a second read rejects, as a
  // used body does.
  function consume(o) {
    let st;
    try {
      st = stateOf(o);
    } catch (e) {
      return PromiseReject(e);
    }
    if (st.used) return PromiseReject(new TypeErrorCtor('the body of this Response was already read'));
    st.used = true;
    return PromiseCtor.resolve(st);
  }

  class Response {
    constructor(body = null, init = undefined) {
      let bytes = new U8(0);
      let type = '';
      if (body !== null && body !== undefined) {
        let d = blobData(body);
        if (d === null) d = blobData(new Blob([typeof body === 'object' ? body : `${body}`]));
        bytes = d.bytes;
        type = d.type;
      }
      let status = 200;
      let statusText = '';
      if (init !== undefined && init !== null) {
        if (init.status !== undefined) status = init.status >>> 0;
        if (status < 200 || status > 599) throw new RangeError(`status ${status} is outside 200-599`);
        if (init.statusText !== undefined) statusText = `${init.statusText}`;
      }
      ReflectApply(WeakMapSet, states, [this, {bytes, type, used: false, status, statusText}]);
    }
    get status() { return stateOf(this).status; }
    get ok() { const s = stateOf(this).status; return s >= 200 && s <= 299; }
    get statusText() { return stateOf(this).statusText; }
    get type() { stateOf(this); return 'default'; }
    get bodyUsed() { return stateOf(this).used; }
    arrayBuffer() { return consume(this).then((st) => st.bytes.slice().buffer); }
    bytes() { return consume(this).then((st) => st.bytes.slice()); }
    text() { return consume(this).then((st) => makeBlob('', st.bytes.slice().buffer, false).text()); }
    blob() { return consume(this).then((st) => makeBlob(st.type, st.bytes.slice().buffer, false)); }
  }
  ObjectDefineProperty(Response.prototype, Symbol.toStringTag, {value: 'Response', configurable: true});
  ObjectDefineProperty(globalThis, 'Response', {value: Response, writable: true, configurable: true, enumerable: false});

  const previous = internal.isPlatformObject;
  internal.isPlatformObject = function (o) {
    if (typeof o === 'object' && o !== null && ReflectApply(WeakMapGet, states, [o]) !== undefined) return 'a Response';
    return typeof previous === 'function' ? previous(o) : false;
  };
})
