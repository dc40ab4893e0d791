// stream-embed loader: the only hand-written JavaScript on the publisher
// page. It defines `Coral` synchronously, instantiates the wasm SDK (inlined
// by scripts/build.sh), queues calls made before it is ready (in order; only
// where the wasm must be compiled asynchronously) and forwards them. All
// logic (options, bridge, events, tokens) lives in Rust.
//
// scripts/build.sh bundles this module with the executor and js/glue.js
// into one classic script (esbuild, IIFE; minified by terser), and then
// replaces "@WASM@" with the wasm's bytes.
import { imports, finish } from "@glue";
import { createStreamEmbed, talkRender, call as invoke } from "./executor.js";

(function (g) {
  "use strict";
  // Loaded twice: keep the first. Only a function counts: page HTML
  // (`<a id="Coral">`) or polluted prototypes cannot make one.
  var prior = g.Coral;
  if (prior && typeof prior.createStreamEmbed == "function") return;
  // The script's own URL, from which Rust derives the stream origin. Read
  // through Document.prototype's getter: `document.currentScript` itself is
  // shadowed by any `<img name="currentScript">` on the page. The ES module
  // (embed.mjs) has no current script; it hands over `import.meta.url` under
  // a symbol key, which neither HTML nor JSON data can create.
  var cur = Reflect.get(Document.prototype, "currentScript", document);
  var base = cur instanceof HTMLScriptElement ? cur.src : g[Symbol.for("stream-embed.base")];
  var loaded = false;
  var failed = null; // why the SDK could not load
  var waiting = [];
  function settle() {
    var w = waiting;
    waiting = null;
    for (var i = 0; i < w.length; i++) w[i]();
  }
  // Embed handle methods, numbered as the SDK's `call` export expects.
  var METHODS = (
    "render remove login logout on off once onAny offAny handleLoginCallback prependListener " +
    "prependOnceListener many prependMany prependAny removeAllListeners listeners listenersAny eventNames emit"
  ).split(" ");
  // Once the page holds no handle, the SDK frees the embed's state (its
  // options, listeners and token, kept by remove() for a later render()).
  var gone =
    typeof FinalizationRegistry == "function" &&
    new FinalizationRegistry(function (id) {
      invoke(id, 98, []);
    });

  // An embed handle (also the emitter given to the `events` option). The
  // SDK binds it to its embed id; calls before that are queued in order.
  function Embed(make) {
    var self = this, id = null, error = null, calls = [];
    function bind(i) {
      id = i;
      if (gone) gone.register(self, i);
      return self;
    }
    function create() {
      if (failed) error = failed; // reported once above
      else
        try {
          make(bind);
        } catch (e) {
          error = e;
          console.error(e);
        }
      var c = calls;
      calls = null;
      // Calls queued for an embed that failed are dropped (the error is
      // in the console, and later calls throw it). A queued call that throws
      // has no caller left to catch it: report it and go on, so the calls
      // and embeds queued after it still run.
      for (var i = 0; !error && i < c.length; i++)
        try {
          call(c[i][0], c[i][1]);
        } catch (e) {
          console.error(e);
        }
    }
    // Every method passes its arguments as an array; one that returns
    // nothing returns the handle, so emitter calls chain as in EventEmitter2.
    function call(k, args) {
      if (error) throw error;
      if (id === null) return calls.push([k, args]), self;
      var r = invoke(id, k, args, self);
      return r === undefined ? self : r;
    }
    METHODS.forEach(function (m, k) {
      self[m] = function () {
        return call(k, Array.prototype.slice.call(arguments));
      };
    });
    // EventEmitter2's aliases and views of the methods above.
    self.addListener = self.on;
    self.removeListener = self.off;
    self.listenerCount = function (name) {
      return self.listeners(name).length;
    };
    self.hasListeners = function (name) {
      return self.listeners(name).length > 0;
    };
    self.setMaxListeners = function () {
      return self;
    };
    // A null-prototype descriptor: a polluted `Object.prototype.value`
    // would otherwise make this throw.
    Object.defineProperty(self, "rendered", {
      __proto__: null,
      get: function () {
        return id !== null && invoke(id, METHODS.length, []);
      },
    });
    if (loaded) make(bind); // synchronous: errors throw to the caller
    else if (waiting) waiting.push(create);
    else error = failed;
  }

  g.Coral = {
    createStreamEmbed: function (config) {
      return new Embed(function (bind) {
        createStreamEmbed(config, base, bind);
      });
    },
    handleLoginCallback: function (embed) {
      return embed.handleLoginCallback();
    },
    createLoginNonce: function () {
      return invoke(0, 99, []);
    },
    Talk: {
      render: function (element, opts) {
        return new Embed(function (bind) {
          talkRender(element, opts, base, bind);
        });
      },
    },
  };

  // The wasm is inlined in this file (one download, no second request): one
  // byte per character, decoded from the UTF-8 the BOM declares.
  var s = "@WASM@",
    bytes;
  function start(r) {
    finish(r.instance, r.module);
    loaded = true;
    settle();
    return g.Coral;
  }
  function fail(e) {
    failed = e;
    console.error("Coral: the stream SDK failed to load (does the page's CSP allow 'wasm-unsafe-eval'?)", e);
    settle();
    throw e;
  }
  var ready, sync;
  try {
    // A file that lost its BOM on the way decodes to another length.
    if (s.length !== 1234567890) throw Error("Coral: embed.js was not read as UTF-8");
    // Characters to bytes natively where the browser can (btoa reads one
    // byte per character): 0.5 ms of a cold page load in Chromium on the
    // bench machine, where this loop (browsers without
    // Uint8Array.fromBase64) takes about 7 ms.
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(btoa(s));
    else for (var i = 0, bytes = new Uint8Array(s.length); i < s.length; i++) bytes[i] = s.charCodeAt(i);
    // Synchronous: `createStreamEmbed` works at once, like hand-written JS.
    var module = new WebAssembly.Module(bytes);
    sync = { module: module, instance: new WebAssembly.Instance(module, imports()) };
  } catch (e) {
    // A browser that compiles only small modules on the main thread
    // (RangeError) goes asynchronous, with calls queued until it is done.
    // Anything else (a CSP refusal, no WebAssembly) is reported once.
    ready = e instanceof RangeError ? WebAssembly.instantiate(bytes, imports()).then(start) : Promise.reject(e);
  }
  // (The executor runs at once: the SDK is ready when this script ends.)
  if (sync)
    ready = new Promise(function (resolve) {
      resolve(start(sync));
    });
  // A failure is reported (in the microtask after this script, before the
  // page's next script runs) by the console error above, not again as an
  // unhandled rejection; `Coral.ready` still rejects for whoever awaits it.
  ready = ready.then(null, fail);
  ready.catch(function () {});
  g.Coral.ready = ready;
})(typeof globalThis !== "undefined" ? globalThis : window);
