// Starts the client: the Emscripten module's settings, the JavaScript API (window.videochat), and
// the module itself. A file rather than inline script, so the page's Content-Security-Policy can
// forbid inline script.
'use strict';
(function () {
  var canvas = document.getElementById('canvas');
  var status = document.getElementById('status');
  canvas.addEventListener('contextmenu', function (event) { event.preventDefault(); });

  window.Module = {
    canvas: canvas,
    onRuntimeInitialized: function () {
      status.remove();
      canvas.focus();
    },
    printErr: function (text) { console.error(text); },
  };

  // The client's JavaScript API, for tests and pages that embed it: see the README.
  window.videochat = {
    ready: function () { return typeof Module.vcState === 'function'; },
    state: function () { return JSON.parse(Module.vcState()); },
    ui: function () { return JSON.parse(Module.vcUi()); },
    join: function (room, name) { return Module.vcJoin(String(room), String(name || '')) || null; },
    leave: function () { Module.vcLeave(); },
    renegotiate: function () { Module.vcRenegotiate(); },
    setMic: function (on) { Module.vcSetMicrophone(!!on); },
    setCamera: function (on) { Module.vcSetCamera(!!on); },
  };

  if (!window.WebAssembly || !window.WebGL2RenderingContext) {
    status.textContent = 'This browser cannot run the video chat: it needs WebAssembly and WebGL 2.';
    return;
  }
  var script = document.createElement('script');
  script.src = 'videochat.js';
  script.async = true;
  script.onerror = function () {
    status.textContent = 'The client is not built: run bash scripts/start.sh.';
  };
  document.body.appendChild(script);
})();
