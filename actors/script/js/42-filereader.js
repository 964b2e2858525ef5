// FileReader (the File API), and ProgressEvent if the realm has none. The
// realm calls this function with its natives (unused here) and its internal
// object, after js/40-blob.js (internal.blobData, internal.utf8Decode,
// internal.utf16Decode, internal.installInterface) and the files that define
// internal.EventTarget, internal.Event and internal.DOMException.
(function (host, internal) {
  'use strict';

  const ObjectDefineProperty = Object.defineProperty;
  const ReflectApply = Reflect.apply;
  const WeakMapGet = WeakMap.prototype.get;
  const WeakMapSet = WeakMap.prototype.set;
  const ABSlice = ArrayBuffer.prototype.slice;
  const StringFromCharCode = String.fromCharCode;
  const savedSetTimeout = globalThis.setTimeout;

  const DOMException = internal.DOMException;
  const EventTarget = internal.EventTarget;
  const Event = internal.Event;
  const addListener = EventTarget.prototype.addEventListener;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const blobData = internal.blobData;
  const utf8Decode = internal.utf8Decode;
  const utf16Decode = internal.utf16Decode;

  // ProgressEvent, unless the realm defines one.
  let ProgressEvent = internal.ProgressEvent;
  const ownProgressEvent = typeof ProgressEvent !== 'function';
  if (ownProgressEvent) {
    ProgressEvent = class ProgressEvent extends Event {
      constructor(type, init = undefined) {
        super(type, init);
        const i = init === undefined || init === null ? {} : init;
        ObjectDefineProperty(this, '_progress', {value: {
          lengthComputable: !!i.lengthComputable,
          loaded: i.loaded === undefined ? 0 : +i.loaded,
          total: i.total === undefined ? 0 : +i.total,
        }});
      }
      get lengthComputable() { return this._progress.lengthComputable; }
      get loaded() { return this._progress.loaded; }
      get total() { return this._progress.total; }
    };
    internal.ProgressEvent = ProgressEvent;
  }

  const queueTask = (fn) => {
    const q = internal.queueTask;
    if (typeof q === 'function') return q(fn);
    const st = typeof savedSetTimeout === 'function' ? savedSetTimeout : globalThis.setTimeout;
    return st(fn, 0);
  };

  const EMPTY = 0, LOADING = 1, DONE = 2;
  const readers = new WeakMap();
  const readerOf = (o) => {
    const st = ReflectApply(WeakMapGet, readers, [o]);
    if (st === undefined) throw new TypeError('Illegal invocation');
    return st;
  };
  const handlerNames = ['loadstart', 'progress', 'load', 'abort', 'error', 'loadend'];

  class FileReader extends EventTarget {
    constructor() {
      super();
      ReflectApply(WeakMapSet, readers, [this, {state: EMPTY, result: null, error: null, gen: 0, handlers: {}}]);
    }

    get readyState() { return readerOf(this).state; }

    get result() { return readerOf(this).result; }

    get error() { return readerOf(this).error; }

    readAsArrayBuffer(blob) { read(this, blob, 'ArrayBuffer'); }

    readAsBinaryString(blob) { read(this, blob, 'BinaryString'); }

    readAsText(blob, encoding = undefined) { read(this, blob, 'Text', encoding); }

    readAsDataURL(blob) { read(this, blob, 'DataURL'); }

    abort() {
      const st = readerOf(this);
      if (st.state === EMPTY || st.state === DONE) {
        st.result = null;
        return;
      }
      st.state = DONE;
      st.result = null;
      st.gen++; // drops the tasks of the read being aborted
      fire(this, 'abort', 0, 0);
      if (st.state !== LOADING) fire(this, 'loadend', 0, 0);
    }
  }

  function fire(reader, type, loaded, total) {
    ReflectApply(dispatch, reader, [new ProgressEvent(type, {lengthComputable: true, loaded, total})]);
  }

  function packageData(bytes, kind, encoding, type) {
    switch (kind) {
      case 'ArrayBuffer':
        return ReflectApply(ABSlice, bytes.buffer, [bytes.byteOffset, bytes.byteOffset + bytes.length]);
      case 'BinaryString': {
        let s = '';
        for (let i = 0; i < bytes.length; i += 4096) {
          s += ReflectApply(StringFromCharCode, null, Array.from(bytes.subarray(i, i + 4096)));
        }
        return s;
      }
      case 'Text': {
        if (bytes.length >= 2 && bytes[0] === 0xFF && bytes[1] === 0xFE) return utf16Decode(bytes, true, 2);
        if (bytes.length >= 2 && bytes[0] === 0xFE && bytes[1] === 0xFF) return utf16Decode(bytes, false, 2);
        const label = encoding === undefined ? '' : `${encoding}`.trim().toLowerCase();
        if (label === 'utf-16le' || label === 'utf-16') return utf16Decode(bytes, true, 0);
        if (label === 'utf-16be') return utf16Decode(bytes, false, 0);
        return utf8Decode(bytes);
      }
      default: {
        const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        let out = '';
        for (let i = 0; i < bytes.length; i += 3) {
          const n = (bytes[i] << 16) | ((bytes[i + 1] | 0) << 8) | (bytes[i + 2] | 0);
          out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] +
            (i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? chars[n & 63] : '=');
        }
        return `data:${type || 'application/octet-stream'};base64,${out}`;
      }
    }
  }

  // read is the File API's "read operation": the events are tasks, dropped
  // if abort() (or a new read after it) came first.
  function read(reader, blob, kind, encoding) {
    const st = readerOf(reader);
    const bs = blobData(blob);
    if (bs === null) {
      throw new TypeError(`Failed to execute 'readAs${kind}' on 'FileReader': parameter 1 is not of type 'Blob'.`);
    }
    if (st.state === LOADING) {
      throw new DOMException('The object is already busy reading Blobs.', 'InvalidStateError');
    }
    st.state = LOADING;
    st.result = null;
    st.error = null;
    const gen = ++st.gen;
    const bytes = bs.bytes;
    const total = bytes.length;
    queueTask(() => {
      if (st.gen !== gen) return;
      fire(reader, 'loadstart', 0, total);
      queueTask(() => {
        if (st.gen !== gen) return;
        fire(reader, 'progress', total, total);
        queueTask(() => {
          if (st.gen !== gen) return;
          st.state = DONE;
          try {
            st.result = packageData(bytes, kind, encoding, bs.type);
          } catch (e) {
            st.error = e;
            fire(reader, 'error', total, total);
            if (st.state !== LOADING) fire(reader, 'loadend', total, total);
            return;
          }
          fire(reader, 'load', total, total);
          if (st.state !== LOADING) fire(reader, 'loadend', total, total);
        });
      });
    });
  }

  // The onX event handler attributes: the handler is called by a listener
  // added when it is first set, so it runs in that place among listeners.
  for (const name of handlerNames) {
    ObjectDefineProperty(FileReader.prototype, 'on' + name, {
      get() { const h = readerOf(this).handlers[name]; return h ? h.fn : null; },
      set(fn) {
        const handlers = readerOf(this).handlers;
        const value = typeof fn === 'function' || (typeof fn === 'object' && fn !== null) ? fn : null;
        if (handlers[name] === undefined) {
          const h = {fn: null};
          handlers[name] = h;
          ReflectApply(addListener, this, [name, function (ev) {
            if (typeof h.fn === 'function') {
              const r = ReflectApply(h.fn, this, [ev]);
              if (r === false && typeof ev.preventDefault === 'function') ev.preventDefault();
            }
          }]);
        }
        handlers[name].fn = value;
      },
      enumerable: true, configurable: true,
    });
  }

  const consts = [['EMPTY', EMPTY], ['LOADING', LOADING], ['DONE', DONE]];
  for (const [k, v] of consts) {
    ObjectDefineProperty(FileReader, k, {value: v, enumerable: true});
    ObjectDefineProperty(FileReader.prototype, k, {value: v, enumerable: true});
  }

  if (ownProgressEvent) internal.installInterface(ProgressEvent);
  internal.installInterface(FileReader);
})
