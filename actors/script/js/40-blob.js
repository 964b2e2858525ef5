// Blob and File (the File API; FileReader is in js/42-filereader.js). The
// realm calls this function with its natives (unused here) and its
// internal object, after the files that define internal.DOMException. For
// the structured clone codec it defines internal.blobData(o) and
// internal.makeBlob(...); for FileReader, internal.utf8Decode,
// internal.utf16Decode and internal.installInterface.
(function (host, internal) {
  'use strict';

  const ObjectDefineProperty = Object.defineProperty;
  const ReflectApply = Reflect.apply;
  const WeakMapGet = WeakMap.prototype.get;
  const WeakMapSet = WeakMap.prototype.set;
  const WeakMapHas = WeakMap.prototype.has;
  const ABByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const ABSlice = ArrayBuffer.prototype.slice;
  const ObjectToString = Object.prototype.toString;
  const isView = ArrayBuffer.isView;
  const TA = Object.getPrototypeOf(Uint8Array.prototype);
  const TASet = TA.set;
  const TABuffer = Object.getOwnPropertyDescriptor(TA, 'buffer').get;
  const TAOffset = Object.getOwnPropertyDescriptor(TA, 'byteOffset').get;
  const TALength = Object.getOwnPropertyDescriptor(TA, 'byteLength').get;
  const DVBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
  const DVOffset = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
  const DVLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
  const TATag = Object.getOwnPropertyDescriptor(TA, Symbol.toStringTag).get;
  const StringFromCharCode = String.fromCharCode;
  const MathMin = Math.min;
  const MathMax = Math.max;
  const MathTrunc = Math.trunc;
  const DateNow = Date.now;
  const PromiseCtor = Promise;
  const SymbolIterator = Symbol.iterator;
  const U8 = Uint8Array;

  const DOMException = internal.DOMException;

  // Blob state: {bytes: Uint8Array (never exposed), type, file: null or {name, lastModified}}.
  const states = new WeakMap();
  const stateOf = (o) => ReflectApply(WeakMapGet, states, [o]);
  const isBlob = (o) => ReflectApply(WeakMapHas, states, [o]);
  const brand = (o) => {
    const st = stateOf(o);
    if (st === undefined) throw new TypeError('Illegal invocation');
    return st;
  };

  // isArrayBuffer is the codec's exact check, once the codec exists (it
  // defines internal.isArrayBuffer); before, a check that runs no script
  // code for ordinary objects.
  function isArrayBuffer(v) {
    const exact = internal.isArrayBuffer;
    if (typeof exact === 'function') return exact(v);
    if (ReflectApply(ObjectToString, v, []) !== '[object ArrayBuffer]') return false;
    try {
      ReflectApply(ABByteLength, v, []);
      return true;
    } catch (e) {
      return false;
    }
  }

  // bytesOf returns the bytes of an ArrayBuffer or a view, or null.
  function bytesOf(v) {
    if (typeof v !== 'object' || v === null) return null;
    if (isView(v)) {
      let tag;
      try { tag = ReflectApply(TATag, v, []); } catch (e) { tag = undefined; }
      if (tag !== undefined) {
        return new U8(ReflectApply(TABuffer, v, []), ReflectApply(TAOffset, v, []), ReflectApply(TALength, v, []));
      }
      return new U8(ReflectApply(DVBuffer, v, []), ReflectApply(DVOffset, v, []), ReflectApply(DVLength, v, []));
    }
    return isArrayBuffer(v) ? new U8(v) : null;
  }

  // utf8Encode converts s to a USVString (lone surrogates become U+FFFD)
  // and encodes it in UTF-8.
  function utf8Encode(s) {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
          i++;
        }
      }
      if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xC0 | (c >> 6), 0x80 | (c & 0x3F));
      else if (c < 0x10000) out.push(0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F));
      else out.push(0xF0 | (c >> 18), 0x80 | ((c >> 12) & 0x3F), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F));
    }
    return new U8(out);
  }

  // utf8Decode decodes bytes as UTF-8, replacing each maximal ill-formed
  // subsequence by U+FFFD; a leading byte order mark is dropped.
  function utf8Decode(b) {
    let s = '';
    let chunk = [];
    let i = (b.length >= 3 && b[0] === 0xEF && b[1] === 0xBB && b[2] === 0xBF) ? 3 : 0;
    const flush = () => { s += ReflectApply(StringFromCharCode, null, chunk); chunk = []; };
    while (i < b.length) {
      const b0 = b[i];
      let c = 0xFFFD, n = 1;
      if (b0 < 0x80) {
        c = b0;
      } else if (b0 >= 0xC2 && b0 <= 0xF4) {
        const need = b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3;
        let lo = 0x80, hi = 0xBF;
        if (b0 === 0xE0) lo = 0xA0;
        else if (b0 === 0xED) hi = 0x9F;
        else if (b0 === 0xF0) lo = 0x90;
        else if (b0 === 0xF4) hi = 0x8F;
        let cp = b0 & (need === 1 ? 0x1F : need === 2 ? 0x0F : 0x07);
        let k = 1;
        for (; k <= need; k++) {
          const x = b[i + k];
          if (x === undefined || x < lo || x > hi) break;
          cp = (cp << 6) | (x & 0x3F);
          lo = 0x80; hi = 0xBF;
        }
        if (k > need) { c = cp; n = need + 1; } else { n = k; }
      }
      if (c >= 0x10000) {
        c -= 0x10000;
        chunk.push(0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
      } else {
        chunk.push(c);
      }
      i += n;
      if (chunk.length >= 4096) flush();
    }
    flush();
    return s;
  }

  function utf16Decode(b, littleEndian, start) {
    let s = '';
    let chunk = [];
    for (let i = start; i + 1 < b.length; i += 2) {
      chunk.push(littleEndian ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
      if (chunk.length >= 4096) { s += ReflectApply(StringFromCharCode, null, chunk); chunk = []; }
    }
    if (b.length - start & 1) chunk.push(0xFFFD);
    return s + ReflectApply(StringFromCharCode, null, chunk);
  }

  // normalizeType returns the type lowercased, or '' if it has a
  // character outside U+0020 to U+007E.
  function normalizeType(t) {
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x20 || c > 0x7E) return '';
    }
    return t.toLowerCase();
  }

  function toUSVString(v) {
    if (typeof v === 'symbol') throw new TypeError('Cannot convert a Symbol to a string');
    return `${v}`;
  }

  function nativeEndings(s) {
    return s.replace(/\r\n?/g, '\n');
  }

  function concat(parts, total) {
    const out = new U8(total);
    let at = 0;
    for (const p of parts) { ReflectApply(TASet, out, [p, at]); at += p.length; }
    return out;
  }

  // convertParts is the WebIDL conversion of a sequence<BlobPart>: a copy
  // of each buffer's bytes, a Blob's bytes, or a USVString.
  function convertParts(blobParts, what) {
    const parts = [];
    if (blobParts === undefined) return parts;
    if (typeof blobParts !== 'object' && typeof blobParts !== 'function' || blobParts === null) {
      throw new TypeError(`Failed to construct '${what}': The provided value cannot be converted to a sequence.`);
    }
    if (typeof blobParts[SymbolIterator] !== 'function') {
      throw new TypeError(`Failed to construct '${what}': The object must have a callable @@iterator property.`);
    }
    for (const part of blobParts) {
      if (isBlob(part)) {
        parts.push(stateOf(part).bytes);
        continue;
      }
      const b = bytesOf(part);
      parts.push(b === null ? toUSVString(part) : new U8(b)); // a copy: later changes do not show
    }
    return parts;
  }

  // processParts encodes the converted parts, strings in UTF-8 with their
  // line endings converted if endings is "native", and joins them.
  function processParts(parts, endings) {
    let total = 0;
    for (let i = 0; i < parts.length; i++) {
      if (typeof parts[i] === 'string') parts[i] = utf8Encode(endings === 'native' ? nativeEndings(parts[i]) : parts[i]);
      total += parts[i].length;
    }
    return concat(parts, total);
  }

  // blobOptions converts a BlobPropertyBag (or a FilePropertyBag, with
  // file true), reading its members in WebIDL's order.
  function blobOptions(options, file) {
    const what = file ? 'File' : 'Blob';
    let lastModified = file ? DateNow() : 0;
    if (options === undefined || options === null) return {type: '', endings: 'transparent', lastModified};
    if (typeof options !== 'object' && typeof options !== 'function') {
      throw new TypeError(`Failed to construct '${what}': The provided value is not of type '${what}PropertyBag'.`);
    }
    const endingsV = options.endings;
    let endings = 'transparent';
    if (endingsV !== undefined) {
      endings = `${endingsV}`;
      if (endings !== 'transparent' && endings !== 'native') {
        throw new TypeError(`Failed to construct '${what}': The provided value '${endings}' is not a valid enum value of type EndingType.`);
      }
    }
    const typeV = options.type;
    const type = typeV === undefined ? '' : normalizeType(toUSVString(typeV));
    const lastModifiedV = file ? options.lastModified : undefined;
    if (lastModifiedV !== undefined) {
      const n = +lastModifiedV;
      lastModified = n === n && n !== Infinity && n !== -Infinity ? MathTrunc(n) : 0;
    }
    return {type, endings, lastModified};
  }

  function newState(o, bytes, type, file) {
    ReflectApply(WeakMapSet, states, [o, {bytes, type, file}]);
  }

  // fromFile is passed by File's constructor, which converts its own
  // arguments, as Blob's first argument; no script can pass it.
  const fromFile = {};
  let fileInit = null;

  class Blob {
    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === fromFile && fileInit !== null) {
        const init = fileInit;
        fileInit = null;
        newState(this, init.bytes, init.type, init.file);
        return;
      }
      const parts = convertParts(blobParts, 'Blob');
      const opts = blobOptions(options, false);
      newState(this, processParts(parts, opts.endings), opts.type, null);
    }

    get size() { return brand(this).bytes.length; }

    get type() { return brand(this).type; }

    slice(start = undefined, end = undefined, contentType = undefined) {
      const st = brand(this);
      const size = st.bytes.length;
      const clamp = (v, dflt) => {
        if (v === undefined) return dflt;
        let n = +v;
        n = n !== n ? 0 : MathTrunc(n);
        return n < 0 ? MathMax(size + n, 0) : MathMin(n, size);
      };
      const from = clamp(start, 0);
      const to = clamp(end, size);
      const span = MathMax(to - from, 0);
      const type = contentType === undefined ? '' : normalizeType(toUSVString(contentType));
      const out = ObjectCreate(BlobPrototype);
      newState(out, st.bytes.slice(from, from + span), type, null);
      return out;
    }

    text() {
      let st;
      try { st = brand(this); } catch (e) { return PromiseCtor.reject(e); }
      return PromiseCtor.resolve(utf8Decode(st.bytes));
    }

    arrayBuffer() {
      let st;
      try { st = brand(this); } catch (e) { return PromiseCtor.reject(e); }
      const b = st.bytes;
      return PromiseCtor.resolve(ReflectApply(ABSlice, b.buffer, [b.byteOffset, b.byteOffset + b.length]));
    }

    bytes() {
      let st;
      try { st = brand(this); } catch (e) { return PromiseCtor.reject(e); }
      return PromiseCtor.resolve(new U8(st.bytes));
    }
  }

  class File extends Blob {
    constructor(fileBits, fileName, options = undefined) {
      if (arguments.length < 2) {
        throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
      }
      const parts = convertParts(fileBits, 'File');
      const name = toUSVString(fileName);
      const opts = blobOptions(options, true);
      fileInit = {bytes: processParts(parts, opts.endings), type: opts.type, file: {name, lastModified: opts.lastModified}};
      super(fromFile);
    }

    get name() { return fileState(this).name; }

    get lastModified() { return fileState(this).lastModified; }

    get webkitRelativePath() { fileState(this); return ''; }
  }

  function fileState(o) {
    const st = stateOf(o);
    if (st === undefined || st.file === null) throw new TypeError('Illegal invocation');
    return st.file;
  }

  // installInterface gives an interface WebIDL's shape (operations and
  // attributes enumerable, an @@toStringTag) and puts it on the global
  // object; js/42-filereader.js uses it too.
  function installInterface(C) {
    const proto = C.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (d.configurable && !d.enumerable) { d.enumerable = true; ObjectDefineProperty(proto, key, d); }
    }
    if (!Object.prototype.hasOwnProperty.call(proto, Symbol.toStringTag)) {
      ObjectDefineProperty(proto, Symbol.toStringTag, {value: C.name, configurable: true});
    }
    ObjectDefineProperty(globalThis, C.name, {value: C, writable: true, configurable: true, enumerable: false});
  }
  installInterface(Blob);
  installInterface(File);
  internal.installInterface = installInterface;
  internal.utf8Decode = utf8Decode;
  internal.utf16Decode = utf16Decode;

  const BlobPrototype = Blob.prototype;
  const FilePrototype = File.prototype;
  const ObjectCreate = Object.create;

  // blobData returns null for anything but a Blob or File, else what the
  // codec serializes; bytes is the Blob's own Uint8Array (read only).
  internal.blobData = function (o) {
    const st = stateOf(o);
    if (st === undefined) return null;
    return {
      type: st.type, bytes: st.bytes, isFile: st.file !== null,
      name: st.file === null ? '' : st.file.name, lastModified: st.file === null ? 0 : st.file.lastModified,
    };
  };

  // makeBlob makes a Blob (or a File) that owns the given ArrayBuffer,
  // without running its constructor.
  internal.makeBlob = function (type, arrayBuffer, isFile, name, lastModified) {
    const o = ObjectCreate(isFile ? FilePrototype : BlobPrototype);
    newState(o, new U8(arrayBuffer), `${type}`, isFile ? {name: `${name}`, lastModified: +lastModified} : null);
    return o;
  };
})
