// clone-compare.js: random values for comparing structuredClone between
// engines (TestStructuredCloneAgreesWithNode). makeGen(seed) returns a
// generator of one value from a seeded PRNG (the same value in every
// engine); describe(v) prints a value canonically: its type tag, own
// enumerable keys in order, Map and Set entries, Date time values, RegExp
// source, flags and lastIndex, an Error's name, message, whether the message
// is its own and its keys, buffer bytes, view ranges and values, wrapper
// values, and back-references (#n) for shared and cyclic objects.
// runRange(from, to, clone) describes clone(value) for seeds from..to, one
// line each, or ERR:<name> when clone throws; runAll(n, clone) is
// runRange(1, n, clone).
function mulberry32(a){return function(){a|=0;a=a+0x6D2B79F5|0;var t=Math.imul(a^a>>>15,1|a);t=t+Math.imul(t^t>>>7,61|t)^t;return((t^t>>>14)>>>0)/4294967296;}}
function esc(s){var o='';for(var i=0;i<s.length;i++){var c=s.charCodeAt(i);o+=(c<32||c>126)?'\\u'+c.toString(16).padStart(4,'0'):s[i];}return o;}
function makeGen(seed){
  var r=mulberry32(seed); var pool=[];
  function ri(n){return Math.floor(r()*n);}
  function pick(a){return a[ri(a.length)];}
  function prim(){
    return pick([
      function(){return undefined},function(){return null},function(){return true},function(){return false},
      function(){return 0},function(){return -0},function(){return NaN},function(){return Infinity},function(){return -Infinity},
      function(){return 1.5},function(){return 2**53},function(){return -1e-300},function(){return ri(1000)-500},
      function(){return ''},function(){return 'abc'},function(){return '\uD800'},function(){return 'x\uDC00y'},function(){return '\uD83D\uDE00'},function(){return '\u0000'},
      function(){return 0n},function(){return -1n},function(){return 2n**64n},function(){return -(2n**70n)+3n}
    ])();
  }
  function leaf(){
    return pick([
      prim,prim,prim,
      function(){return new Number(pick([-0,NaN,3]))},function(){return new String(pick(['','x','\uD800']))},function(){return new Boolean(pick([true,false]))},function(){return Object(pick([0n,-5n]))},
      function(){return new Date(pick([0,NaN,8.64e15,-8.64e15,1e12+0.5,-1]))},
      function(){var x=pick([/a/gi,/x/y,/b/su,/c/m,/(?:)/]);var y=new RegExp(x.source,x.flags);y.lastIndex=ri(3);return y;},
      function(){var e=new (pick([Error,TypeError,RangeError,SyntaxError,ReferenceError,EvalError,URIError]))(pick(['m','','\uD800']));return e;},
      function(){var e=new Error('n');e.name=pick(['Foo','TypeError','']);return e;},
      function(){var e=new Error();return e;},
      function(){return new Error('c',{cause:pick([1,'x',null,undefined,-0])});},
      function(){var e=new Error('x');e.message=pick([5,null,undefined,{toString:function(){return 't'},valueOf:function(){return 'v'}},Symbol('s')]);return e;},
      function(){var e=new Error('x');Object.defineProperty(e,'message',{get:function(){return 'g'}});return e;},
      function(){var b=new ArrayBuffer(ri(9));var u=new Uint8Array(b);for(var i=0;i<u.length;i++)u[i]=ri(256);return b;},
      function(){var b=new ArrayBuffer(16);var u=new Uint8Array(b);for(var i=0;i<16;i++)u[i]=ri(256);
        var T=pick([Int8Array,Uint8Array,Uint8ClampedArray,Int16Array,Uint16Array,Int32Array,Uint32Array,Float32Array,Float64Array,BigInt64Array,BigUint64Array]);
        var sz=T.BYTES_PER_ELEMENT;var off=sz*ri(Math.floor(16/sz));var len=ri(Math.floor((16-off)/sz)+1);return new T(b,off,len);},
      function(){var b=new ArrayBuffer(8);return new DataView(b,ri(4),ri(5));},
      function(){return pick([function(){},Symbol('s')]);},
    ])();
  }
  function val(d){
    if(d<=0||r()<0.3) return leaf();
    if(pool.length&&r()<0.15) return pick(pool);
    var k=ri(9),o;
    if(k<3){o={};pool.push(o);var n=ri(5);for(var i=0;i<n;i++)o[pick(['a','b','1','0','-1','01','4294967295','4294967294','__proto__x','z'])]=val(d-1);
      if(r()<0.1)Object.defineProperty(o,'hidden',{value:1,enumerable:false});
      if(r()<0.1)Object.defineProperty(o,'g',{get:function(){return 'got'},enumerable:true});
      if(r()<0.1)o[Symbol('k')]=1;}
    else if(k<5){o=[];pool.push(o);var n=ri(5);for(var i=0;i<n;i++){if(r()<0.2)continue;o[i]=val(d-1);} if(r()<0.2)o.length=n+ri(3); if(r()<0.1)o.extra=val(d-1);}
    else if(k<6){o=new Map();pool.push(o);var n=ri(4);for(var i=0;i<n;i++)o.set(r()<0.5?val(d-1):pick([NaN,-0,0,'k',1n]),val(d-1));}
    else if(k<7){o=new Set();pool.push(o);var n=ri(4);for(var i=0;i<n;i++)o.add(r()<0.5?val(d-1):pick([NaN,-0,0,'k']));}
    else if(k<8){o=Object.create(null);pool.push(o);o.q=val(d-1);}
    else {class C{constructor(){this.own=1}};C.prototype.inh=2;o=new C();pool.push(o);o.v=val(d-1);}
    return o;
  }
  return function(){pool=[];return val(3);};
}
function describe(root){
  var seen=new Map(),next=0;
  function d(v){
    switch(typeof v){
      case 'undefined':return 'u';case 'boolean':return 'b:'+v;
      case 'number':return Object.is(v,-0)?'n:-0':'n:'+String(v);
      case 'bigint':return 'B:'+v.toString();case 'string':return 's:'+esc(v);
      case 'symbol':return 'sym';case 'function':return 'fn';
    }
    if(v===null)return 'null';
    if(seen.has(v))return '#'+seen.get(v);
    seen.set(v,next++);
    var tag=Object.prototype.toString.call(v);var p=Object.getPrototypeOf(v);
    var s=tag+(p===null?'<nullproto>':'');
    if(v instanceof Date)return s+'('+v.getTime()+')';
    if(v instanceof RegExp)return s+'('+esc(v.source)+'/'+v.flags+' li='+v.lastIndex+')';
    if(v instanceof Number||v instanceof String||v instanceof Boolean||(typeof BigInt!=='undefined'&&v instanceof BigInt))return s+'('+d(v.valueOf())+')';
    if(v instanceof Error)return s+'(name='+esc(String(v.name))+' msg='+esc(String(v.message))+' ownmsg='+Object.prototype.hasOwnProperty.call(v,'message')+' proto='+(p&&p.constructor&&p.constructor.name)+' keys='+Object.keys(v).join(',')+' cause='+(Object.prototype.hasOwnProperty.call(v,'cause')?d(v.cause):'none')+')';
    if(v instanceof ArrayBuffer){var u=new Uint8Array(v);return s+'('+Array.prototype.join.call(u,',')+')';}
    if(ArrayBuffer.isView(v)){if(v instanceof DataView)return s+'(off='+v.byteOffset+' len='+v.byteLength+' buf='+d(v.buffer)+')';
      return s+'(off='+v.byteOffset+' len='+v.length+' buf='+d(v.buffer)+' vals='+Array.prototype.map.call(v,function(x){return String(x)}).join(',')+')';}
    if(v instanceof Map){var o=[];v.forEach(function(val,k){o.push(d(k)+'=>'+d(val))});return s+'{'+o.join(';')+'}';}
    if(v instanceof Set){var o=[];v.forEach(function(k){o.push(d(k))});return s+'{'+o.join(';')+'}';}
    var o=[];if(Array.isArray(v))s+='[len='+v.length+']';
    Object.keys(v).forEach(function(k){o.push(esc(k)+':'+d(v[k]))});
    return s+'{'+o.join(';')+'}';
  }
  return d(root);
}
function runRange(from,to,clone){
  var out=[];
  for(var i=from;i<=to;i++){var g=makeGen(i);var v=g();
    try{out.push(describe(clone(v)));}catch(e){out.push('ERR:'+(e&&e.name));}
  }
  return out.join('\n');
}
function runAll(n,clone){return runRange(1,n,clone);}
