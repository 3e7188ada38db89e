// The few things Embind cannot reach in Emscripten 3.1.6, as a --js-library: WebGL uploads from a
// <video> element through Emscripten's GL tables, the audio level of a stream, and the clipboard
// text of the last paste. Everything else goes through emscripten::val.
mergeInto(LibraryManager.library, {
  // Copies the element's current frame into the GL texture `texture` when the element has shown a
  // new frame since the last call (requestVideoFrameCallback), so an unchanged frame costs nothing.
  // Returns the video size as (width << 16) | height, or 0 when there is no new frame.
  vc_upload_video_frame__deps: ['$GL'],
  vc_upload_video_frame__sig: 'iii',
  vc_upload_video_frame: function(texture, elementId) {
    var video = document.getElementById(UTF8ToString(elementId));
    if (!video || video.readyState < 2 || !video.videoWidth) return 0;
    if (video.vcWatching === undefined && video.requestVideoFrameCallback) {
      video.vcWatching = true;
      video.vcNewFrame = true;
      var watch = function() {
        video.vcNewFrame = true;
        video.vcFramesShown = (video.vcFramesShown || 0) + 1;
        video.requestVideoFrameCallback(watch);
      };
      video.requestVideoFrameCallback(watch);
    }
    if (video.vcWatching && !video.vcNewFrame) return 0;
    video.vcNewFrame = false;
    var previous = GLctx.getParameter(0x8069 /* TEXTURE_BINDING_2D */);
    GLctx.bindTexture(0x0DE1 /* TEXTURE_2D */, GL.textures[texture]);
    GLctx.texImage2D(0x0DE1, 0, 0x1908 /* RGBA */, 0x1908, 0x1401 /* UNSIGNED_BYTE */, video);
    GLctx.bindTexture(0x0DE1, previous);
    return (video.videoWidth << 16) | video.videoHeight;
  },

  // The loudness (RMS, 0..1) of the audio in `stream`, measured by an AnalyserNode kept on the
  // stream object. The AudioContext starts suspended until the page is clicked.
  vc_audio_level__deps: ['$Emval'],
  vc_audio_level__sig: 'ii',
  vc_audio_level: function(streamHandle) {
    var stream = Emval.toValue(streamHandle);
    if (!stream || !stream.getAudioTracks || stream.getAudioTracks().length === 0) return 0;
    if (!stream.vcAnalyser) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return 0;
      var context = new Context();
      var analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      stream.vcAnalyser = analyser;
      stream.vcSamples = new Float32Array(analyser.fftSize);
      var resume = function() { context.resume(); };
      window.addEventListener('pointerdown', resume, { once: true });
      window.addEventListener('keydown', resume, { once: true });
    }
    var samples = stream.vcSamples;
    stream.vcAnalyser.getFloatTimeDomainData(samples);
    var sum = 0;
    for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
    return Math.round(Math.sqrt(sum / samples.length) * 1000);
  },
});
