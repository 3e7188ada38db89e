// Starts our page's client (shell/client.js) in the page's own document, and gives the page the
// JavaScript API tests use (window.videochat, docs/using.md). In an iframe made by a
// <video-chat mode="iframe"> element (embed.js), it also speaks postMessage with that element
// (frame_bridge.js). A file rather than inline script, so the page's Content-Security-Policy can
// forbid inline script.
'use strict';
(function () {
  var status = document.getElementById('status');
  if (!window.WebAssembly || !window.WebGL2RenderingContext) {
    status.textContent = 'This browser cannot run the video chat: it needs WebAssembly and WebGL 2.';
    return;
  }
  // Asked for at once, while the client's code is still on its way, with the devices chosen last
  // time (devices.js's userMedia('both'), written out: this classic script runs before any module
  // has loaded).
  var saved = {};
  try {
    saved = JSON.parse(localStorage.getItem('videochat.devices') || '{}') || {};
  } catch (error) {
    saved = {};
  }
  var constraints = function (withSaved) {
    var video = { width: { ideal: 640 }, height: { ideal: 480 } };
    var audio = { echoCancellation: true, noiseSuppression: true };
    if (withSaved && saved.videoInput) video.deviceId = { exact: saved.videoInput };
    if (withSaved && saved.audioInput) audio.deviceId = { exact: saved.audioInput };
    return { video: video, audio: audio };
  };
  var devices = navigator.mediaDevices;
  var early = devices && devices.getUserMedia ?
      devices.getUserMedia(constraints(true)).catch(function (error) {
        // The saved device is gone: the browser's choice.
        var gone = error.name === 'OverconstrainedError' || error.name === 'NotFoundError';
        if (!gone || (!saved.videoInput && !saved.audioInput)) throw error;
        return devices.getUserMedia(constraints(false));
      }) : null;
  if (early) early.catch(function () {});

  var client = null;
  window.videochat = {
    ready: function () { return client !== null; },
    state: function () { return client.state(); },
    ui: function () { return client.ui(); },
    join: function (room, name, passcode) { return client.join(room, name, passcode); },
    lockRoom: function (locked) { client.lockRoom(locked); },
    leave: function () { client.leave(); },
    renegotiate: function () { client.renegotiate(); },
    setMic: function (on) { client.setMicrophone(on); },
    setCamera: function (on) { client.setCamera(on); },
    framesRendered: function () { return client.framesRendered(); },
    shareScreen: function (on) { client.shareScreen(on); },
    sendChat: function (text) { return client.sendChat(text); },
    chat: function () { return client.chat(); },
    setChatOpen: function (open) { client.setChatOpen(open); },
    setDevices: function (wanted) { return client.setDevices(wanted); },
  };

  import('./page_client.js')
      .then(function (page) { return page.startPageClient(early); })
      .then(function (started) { client = started; })
      .catch(function (error) {
        console.error('[videochat]', error);
        status.textContent = 'The client is not built: run bash scripts/start.sh.';
      });
})();
