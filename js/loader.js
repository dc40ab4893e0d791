// stream-embed loader: the only hand-written JavaScript on the publisher
// page. It defines `Coral` synchronously, loads the wasm SDK, queues calls
// made before it is ready (in order) and then forwards them. All logic
// (options, bridge, events, tokens) lives in Rust.
(function (g) {
  "use strict";
  if (g.Coral && g.Coral.createStreamEmbed) return; // loaded twice: keep the first
  var cur = document.currentScript;
  var base = (cur && cur.src) || g.__streamEmbedBase || location.href;
  /*@GLUE@*/
  var sdk = null;
  var failed = null; // why the SDK could not load
  var waiting = [];
  function settle() {
    var w = waiting;
    waiting = null;
    for (var i = 0; i < w.length; i++) w[i]();
  }
  var ready = wasm_bindgen({ module_or_path: new URL("/*@WASM@*/", base) }).then(
    function () {
      sdk = wasm_bindgen;
      settle();
      return g.Coral;
    },
    function (e) {
      failed = e;
      console.error("Coral: the stream SDK failed to load (does the page's CSP allow 'wasm-unsafe-eval'?)", e);
      settle();
      throw e;
    }
  );

  // Embed handle methods, numbered as the SDK's `call` export expects.
  var METHODS = "render remove login logout on off once onAny offAny handleLoginCallback".split(" ");

  // An embed handle (also the emitter given to the `events` option). The
  // SDK binds it to its embed id; calls before that are queued in order.
  function Embed(make) {
    var self = this, id = null, error = null, calls = [];
    function bind(i) {
      id = i;
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
          call(c[i][0], c[i][1], c[i][2]);
        } catch (e) {
          console.error(e);
        }
    }
    function call(k, a, b) {
      if (error) throw error;
      if (id === null) return void calls.push([k, a, b]);
      return sdk.call(id, k, a, b);
    }
    METHODS.forEach(function (m, k) {
      self[m] = function (a, b) {
        return call(k, a, b);
      };
    });
    Object.defineProperty(self, "rendered", {
      get: function () {
        return id !== null && sdk.call(id, METHODS.length);
      },
    });
    if (sdk) make(bind); // synchronous: errors throw to the caller
    else if (waiting) waiting.push(create);
    else error = failed;
  }

  g.Coral = {
    createStreamEmbed: function (config) {
      return new Embed(function (bind) {
        sdk.createStreamEmbed(config, base, bind);
      });
    },
    handleLoginCallback: function (embed) {
      return embed.handleLoginCallback();
    },
    Talk: {
      render: function (element, opts) {
        return new Embed(function (bind) {
          sdk.talkRender(element, opts, base, bind);
        });
      },
    },
    ready: ready,
  };
})(typeof globalThis !== "undefined" ? globalThis : window);
