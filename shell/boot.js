// Starts the client: the Emscripten module's settings, the JavaScript API (window.videochat), and
// the module itself. A file rather than inline script, so the page's Content-Security-Policy can
// forbid inline script.
'use strict';
(function () {
  var canvas = document.getElementById('canvas');
  var status = document.getElementById('status');
  canvas.addEventListener('contextmenu', function (event) { event.preventDefault(); });

  // What the client asks of the camera and microphone: 'both', or one of them ('audio', 'video')
  // when the other is missing.
  function constraints(attempt) {
    var wanted = {};
    if (attempt !== 'audio') wanted.video = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (attempt !== 'video') wanted.audio = { echoCancellation: true, noiseSuppression: true };
    return wanted;
  }
  // Asked for at once, while the client's code is still on its way: the permission prompt and the
  // camera's start overlap the download and compilation instead of following them.
  var early = null;
  var devices = navigator.mediaDevices;
  if (devices && devices.getUserMedia) {
    early = devices.getUserMedia(constraints('both'));
    // Its outcome, refusal included, is taken by the client (LocalMedia) once it runs; until then
    // a refusal must not be reported as unhandled.
    early.catch(function () {});
  }

  window.Module = {
    canvas: canvas,
    printErr: function (text) { console.error(text); },
    // getUserMedia for the client (wasm/browser/local_media.cpp): the early request the first
    // time both are asked for, a new one after that.
    vcUserMedia: function (attempt) {
      if (attempt === 'both' && early) {
        var promise = early;
        early = null;
        return promise;
      }
      return navigator.mediaDevices.getUserMedia(constraints(attempt));
    },
  };

  // The client's JavaScript API, for tests and pages that embed it: see docs/using.md.
  window.videochat = {
    ready: function () { return typeof Module.vcState === 'function'; },
    state: function () { return JSON.parse(Module.vcState()); },
    // Where each control was drawn, whether it is disabled, and whether it has the focus.
    ui: function () {
      var controls = JSON.parse(Module.vcUi());
      Object.keys(controls).forEach(function (id) {
        var element = document.getElementById('ui-' + id);
        controls[id].focused = !!element && element === document.activeElement;
      });
      return controls;
    },
    join: function (room, name) { return Module.vcJoin(String(room), String(name || '')) || null; },
    leave: function () { Module.vcLeave(); },
    renegotiate: function () { Module.vcRenegotiate(); },
    setMic: function (on) { Module.vcSetMicrophone(!!on); },
    setCamera: function (on) { Module.vcSetCamera(!!on); },
    // UI frames drawn since the page opened: the UI is drawn only when something changed.
    framesRendered: function () { return Module.vcFramesRendered(); },
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
