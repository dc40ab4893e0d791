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

  // An embed handle: forwards to the wasm StreamEmbed made by `make()`,
  // queueing calls until the SDK is ready.
  function Embed(make) {
    var self = this, real = null, error = null, calls = [];
    function create() {
      if (failed) error = failed; // reported once above
      else
        try {
          real = make();
        } catch (e) {
          error = e;
          console.error(e);
        }
      var c = calls;
      calls = null;
      for (var i = 0; i < c.length; i++) call(c[i][0], c[i][1]);
    }
    function call(name, args) {
      if (error) throw error;
      if (!real) return void calls.push([name, args]);
      return real[name].apply(real, args);
    }
    "render remove login logout on off once onAny offAny handleLoginCallback".split(" ").forEach(function (m) {
      self[m] = function () {
        return call(m, Array.prototype.slice.call(arguments));
      };
    });
    Object.defineProperty(self, "rendered", {
      get: function () {
        return !!real && real.rendered;
      },
    });
    if (sdk) real = make(); // synchronous: errors throw to the caller
    else if (waiting) waiting.push(create);
    else error = failed;
  }

  g.Coral = {
    createStreamEmbed: function (config) {
      return new Embed(function () {
        return sdk.createStreamEmbed(config, base);
      });
    },
    handleLoginCallback: function (embed) {
      return embed.handleLoginCallback();
    },
    Talk: {
      render: function (element, opts) {
        return new Embed(function () {
          return sdk.talkRender(element, opts, base);
        });
      },
    },
    ready: ready,
  };
})(typeof globalThis !== "undefined" ? globalThis : window);
