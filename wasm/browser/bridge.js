// The few things Embind cannot reach in Emscripten 3.1.6, or that are smaller written here, as a
// --js-library: the events that make the UI draw a frame, the microphone level meter, which
// follows the microphone by itself on a browser timer, and the count of video frames an element
// has presented. Everything else goes through emscripten::val.
mergeInto(LibraryManager.library, {
  // Asks for a frame (vc_request_frame, in main.cpp) on every event that can change what the UI
  // shows, besides the app's own state: input (GLFW and ImGui handle it; this only wakes the
  // drawing), a resize, a change of devicePixelRatio (zoom, another screen), the page shown again.
  vc_watch_for_redraws__sig: 'v',
  vc_watch_for_redraws: function() {
    var redraw = function() { _vc_request_frame(); };
    var passive = { passive: true };
    ['pointerdown', 'pointerup', 'pointermove', 'pointercancel', 'wheel', 'keydown', 'keyup',
     'focus', 'blur', 'resize', 'paste'].forEach(function(type) {
      window.addEventListener(type, redraw, passive);
    });
    Module.canvas.addEventListener('pointerleave', redraw, passive);
    document.addEventListener('visibilitychange', redraw);
    var watchPixelRatio = function() {
      matchMedia('(resolution: ' + devicePixelRatio + 'dppx)').addEventListener('change',
          function() { redraw(); watchPixelRatio(); }, { once: true });
    };
    watchPixelRatio();
  },

  // Makes the element `elementId` (in the page's picture layer, hidden until the UI places it) a
  // level meter for the audio of `stream`: an AnalyserNode measures the loudness (RMS) ten times a
  // second while the meter is shown and the page visible, and the bar's width follows it. The
  // UI's canvas is not drawn again for it. The AudioContext starts suspended until the page is
  // clicked or typed in, as browsers require.
  vc_follow_level__deps: ['$Emval'],
  vc_follow_level__sig: 'vii',
  vc_follow_level: function(streamHandle, elementId) {
    var stream = Emval.toValue(streamHandle);
    var id = UTF8ToString(elementId);
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || stream.getAudioTracks().length === 0) return;
    var meter = document.getElementById(id);
    if (!meter) {
      meter = document.createElement('div');
      meter.id = id;
      meter.className = 'level-meter';
      meter.hidden = true;
      meter.appendChild(document.createElement('div'));
      (document.getElementById('videos') || document.body).appendChild(meter);
    }
    if (meter.vcStop) meter.vcStop();
    var context = new Context();
    var analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    var samples = new Float32Array(analyser.fftSize);
    var bar = meter.firstChild;
    var shown = -1;
    var measure = function() {
      if (meter.hidden || document.visibilityState !== 'visible') return;
      var on = stream.getAudioTracks().some(function(track) { return track.enabled; });
      var level = 0;
      if (on && context.state === 'running') {
        analyser.getFloatTimeDomainData(samples);
        var sum = 0;
        for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
        level = Math.min(1, 4 * Math.sqrt(sum / samples.length));
      }
      level = Math.round(level * 50) / 50;  // a style write only when the bar visibly moves
      if (level === shown) return;
      shown = level;
      bar.style.transform = 'scaleX(' + level + ')';
    };
    var timer = setInterval(measure, 100);
    var resume = function() { context.resume(); };
    window.addEventListener('pointerdown', resume, { once: true });
    window.addEventListener('keydown', resume, { once: true });
    meter.vcStop = function() {
      clearInterval(timer);
      window.removeEventListener('pointerdown', resume);
      window.removeEventListener('keydown', resume);
      context.close();
    };
  },

  // The frames the element `elementId` has presented to the compositor, as of the last sample,
  // and asks for the next sample (one requestVideoFrameCallback, so watching costs nothing per
  // frame). A picture that freezes presents nothing, so the count stops. -1 when the browser
  // cannot tell (no requestVideoFrameCallback) or there is no such element.
  vc_presented_frames__sig: 'ii',
  vc_presented_frames: function(elementId) {
    var video = document.getElementById(UTF8ToString(elementId));
    if (!video || !video.requestVideoFrameCallback) return -1;
    if (!video.vcSampling) {
      video.vcSampling = true;
      video.requestVideoFrameCallback(function(now, metadata) {
        video.vcSampling = false;
        video.vcPresentedFrames = metadata.presentedFrames;
      });
    }
    return video.vcPresentedFrames || 0;
  },
});
