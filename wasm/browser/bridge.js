// The few things Embind cannot reach in Emscripten 3.1.6, or that are smaller written here, as a
// --js-library: the host's canvas for Emscripten's own calls, the pointer and the events that make
// the UI draw a frame, the microphone level meter, which follows the microphone by itself on a
// browser timer, and the count of video frames an element has presented. Everything else goes
// through emscripten::val. Every listener is registered with the host's AbortSignal, so a client
// that is taken off the page (shell/client.js) leaves nothing behind.
mergeInto(LibraryManager.library, {
  // Emscripten's canvas calls (the WebGL context, the canvas's size) find "#canvas" here: the
  // client's own canvas, which may sit in a shadow root that document.querySelector cannot see.
  vc_host_attach__deps: ['$specialHTMLTargets'],
  vc_host_attach__sig: 'v',
  vc_host_attach: function() {
    specialHTMLTargets['#canvas'] = Module.vcHost.canvas;
  },

  // Tells the UI where the pointer is (vc_pointer, in main.cpp: ImGui draws hover and pressed
  // looks from it; what a click does, the page's elements report) and the canvas's size whenever
  // layout changes it (vc_canvas_resized), and asks for a frame (vc_request_frame) on every other
  // event that can change what the UI shows besides the app's own state: a change of
  // devicePixelRatio (zoom, another screen), of the colour scheme or the pointer, the page shown
  // again. And it tells the UI when the browser takes the canvas's WebGL context away and gives it
  // back (vc_context_changed).
  vc_watch_for_redraws__sig: 'v',
  vc_watch_for_redraws: function() {
    var host = Module.vcHost;
    var redraw = function() { _vc_request_frame(); };
    var passive = { passive: true, signal: host.signal };
    var pointer = function(event) {
      var box = host.canvas.getBoundingClientRect();
      // A finger lifted hovers over nothing.
      var gone = event.type === 'pointercancel' ||
                 (event.type === 'pointerup' && event.pointerType !== 'mouse');
      _vc_pointer(gone ? -1e9 : event.clientX - box.left, gone ? -1e9 : event.clientY - box.top,
                  event.buttons & 1);
    };
    ['pointerdown', 'pointerup', 'pointermove', 'pointercancel'].forEach(function(type) {
      host.container.addEventListener(type, pointer, passive);
    });
    host.container.addEventListener('pointerleave', function() {
      _vc_pointer(-1e9, -1e9, 0);
    }, passive);
    // The canvas's size as layout left it: the frame reads it from here rather than asking for
    // it (getBoundingClientRect), which would lay the page out again, in the middle of a frame.
    var resized = new ResizeObserver(function(entries) {
      var box = entries[entries.length - 1].contentRect;
      _vc_canvas_resized(box.width, box.height);
    });
    resized.observe(host.canvas);
    // The browser may take the canvas's WebGL context away and give it back later: only if the
    // loss is prevented (its default is never to give it back).
    host.canvas.addEventListener('webglcontextlost', function(event) {
      event.preventDefault();
      _vc_context_changed(1);
    }, { signal: host.signal });
    host.canvas.addEventListener('webglcontextrestored', function() {
      _vc_context_changed(0);
    }, { signal: host.signal });
    host.signal.addEventListener('abort', function() { resized.disconnect(); });
    document.addEventListener('visibilitychange', redraw, { signal: host.signal });
    // A light or dark scheme chosen, a mouse or a finger (the theme and the targets' size).
    ['(prefers-color-scheme: light)', '(pointer: coarse)'].forEach(function(query) {
      window.matchMedia(query).addEventListener('change', redraw, { signal: host.signal });
    });
    var watchPixelRatio = function() {
      window.matchMedia('(resolution: ' + devicePixelRatio + 'dppx)').addEventListener('change',
          function() { redraw(); watchPixelRatio(); }, { once: true, signal: host.signal });
    };
    watchPixelRatio();
  },

  // Shows `link` in the address bar (history.replaceState) once the page is idle, within a
  // second: a same-document navigation takes the page 10 ms or more, and the browser then fetches
  // the page's icon again, which a join should not wait for. Several calls in between: the last
  // link is shown.
  vc_show_address__sig: 'vi',
  vc_show_address: function(link) {
    var address = Module.vcAddress = UTF8ToString(link);
    var show = function() {
      if (Module.vcAddress === address) history.replaceState(null, '', address);
    };
    if (window.requestIdleCallback) requestIdleCallback(show, { timeout: 1000 });
    else show();
  },

  // Makes the element `elementId` (in the page's picture layer, hidden until the UI places it) a
  // level meter for the audio of `stream`: an AnalyserNode measures the loudness (RMS) ten times a
  // second and the bar's width follows it. The UI's canvas is not drawn again for it. Browsers let
  // audio run only after the person has clicked or typed in the page, and the meter costs
  // nothing until then: its AudioContext is made at the first such gesture, runs only while the
  // meter is shown in a visible page, and is suspended otherwise (in a call, in a hidden tab).
  vc_follow_level__deps: ['$Emval'],
  vc_follow_level__sig: 'vii',
  vc_follow_level: function(streamHandle, elementId) {
    var stream = Emval.toValue(streamHandle);
    var id = UTF8ToString(elementId);
    if (!window.AudioContext || stream.getAudioTracks().length === 0) return;
    var host = Module.vcHost;
    var meter = document.createElement('div');
    meter.id = id;
    meter.className = 'level-meter';
    meter.hidden = true;
    meter.appendChild(document.createElement('div'));
    host.videos.appendChild(meter);
    var bar = meter.firstChild;
    var context = null, analyser = null, samples = null, timer = null, shown = -1;
    var source = null, sourceTrack = null;
    // The microphone's track: another one when the person picks another microphone (setDevices).
    var listen = function() {
      var track = stream.getAudioTracks()[0] || null;
      if (track === sourceTrack) return;
      if (source) source.disconnect();
      sourceTrack = track;
      source = track ? context.createMediaStreamSource(new MediaStream([track])) : null;
      if (source) source.connect(analyser);
    };
    var gestured = !!(navigator.userActivation && navigator.userActivation.hasBeenActive);
    var measure = function() {
      var on = stream.getAudioTracks().some(function(track) { return track.enabled; });
      var level = 0;
      listen();
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
    var update = function() {
      var wanted = gestured && !meter.hidden && document.visibilityState === 'visible';
      if (wanted) {
        if (!context) {
          // The largest buffers the browser offers: the audio thread wakes up least often.
          context = new AudioContext({ latencyHint: 'playback' });
          analyser = context.createAnalyser();
          analyser.fftSize = 1024;
          samples = new Float32Array(analyser.fftSize);
          listen();
        }
        context.resume();
        if (!timer) timer = setInterval(measure, 100);
      } else {
        if (timer) clearInterval(timer);
        timer = null;
        if (context && context.state === 'running') context.suspend();
      }
    };
    var gesture = function() {
      gestured = true;
      update();
    };
    // Called once per client (LocalMedia's stream does not change); all of it ends with the client.
    var placed = new MutationObserver(update);
    placed.observe(meter, { attributes: true, attributeFilter: ['hidden'] });
    document.addEventListener('visibilitychange', update, { signal: host.signal });
    window.addEventListener('pointerdown', gesture, { once: true, signal: host.signal });
    window.addEventListener('keydown', gesture, { once: true, signal: host.signal });
    host.signal.addEventListener('abort', function() {
      placed.disconnect();
      if (timer) clearInterval(timer);
      if (context) context.close();
    });
    update();
  },

  // The loudness (RMS, 0..1) of our own microphone right now, heard through a copy of its track that
  // stays on while the person is muted (the track sent is off then, and carries silence): for the
  // "you are muted" hint. With `listen` false the listening pauses (its AudioContext suspended).
  // -1 when nothing is heard: not listening, no microphone, or audio not yet allowed (browsers
  // let it run only after a click or key press in the page).
  vc_own_voice_level__deps: ['$Emval'],
  vc_own_voice_level__sig: 'dii',
  vc_own_voice_level: function(streamHandle, listen) {
    var stream = Emval.toValue(streamHandle);
    var voice = Module.vcOwnVoice || (Module.vcOwnVoice = {});
    var track = stream.getAudioTracks()[0];
    if (!listen || !track || !window.AudioContext) {
      if (voice.context && voice.context.state === 'running') voice.context.suspend();
      return -1;
    }
    if (!voice.context) {
      voice.context = new AudioContext({ latencyHint: 'playback' });
      voice.analyser = voice.context.createAnalyser();
      voice.analyser.fftSize = 2048;
      voice.samples = new Float32Array(voice.analyser.fftSize);
      Module.vcHost.signal.addEventListener('abort', function() {
        voice.context.close();
        if (voice.copy) voice.copy.stop();
      });
    }
    if (voice.source !== track) {
      if (voice.copy) voice.copy.stop();
      if (voice.node) voice.node.disconnect();
      voice.copy = track.clone();
      voice.copy.enabled = true;
      voice.node = voice.context.createMediaStreamSource(new MediaStream([voice.copy]));
      voice.node.connect(voice.analyser);
      voice.source = track;
    }
    if (voice.context.state !== 'running') {
      voice.context.resume();
      return -1;
    }
    voice.analyser.getFloatTimeDomainData(voice.samples);
    var sum = 0;
    for (var i = 0; i < voice.samples.length; i++) sum += voice.samples[i] * voice.samples[i];
    return Math.sqrt(sum / voice.samples.length);
  },

  // New ICE servers for a connection that exists: its next ICE restart gathers with them. False,
  // with the browser's reason on the console, when it refused (a closed connection, say).
  vc_use_ice_servers__deps: ['$Emval'],
  vc_use_ice_servers__sig: 'iii',
  vc_use_ice_servers: function(connectionHandle, serversHandle) {
    var connection = Emval.toValue(connectionHandle);
    try {
      var config = connection.getConfiguration();
      config.iceServers = Emval.toValue(serversHandle);
      connection.setConfiguration(config);
      return 1;
    } catch (error) {
      err('relay credentials not given to a connection: ' + error);
      return 0;
    }
  },

  // What the client reads from a peer connection's getStats() report, as one JSON text
  // (core/peer_stats.hpp parses it): walking the report's linked entries (transport -> candidate
  // pair -> candidates, certificates; inbound-rtp -> codec) is easier here than through Embind,
  // and the summary crosses into C++ once. `camera` is the element the peer's camera plays in: its
  // frames are counted apart from a shared screen's. `connection` gives the certificates'
  // fingerprints from its descriptions when the report has no certificate entries for them.
  vc_stats_summary__deps: ['$Emval'],
  vc_stats_summary__sig: 'iiii',
  vc_stats_summary: function(reportHandle, cameraHandle, connectionHandle) {
    var report = Emval.toValue(reportHandle);
    var camera = Emval.toValue(cameraHandle);
    var connection = Emval.toValue(connectionHandle);
    var cameraStream = camera && camera.srcObject;
    var cameraTracks = cameraStream ? cameraStream.getVideoTracks().map(function(t) { return t.id; })
                                    : [];
    var byId = {};
    var transport = null;
    report.forEach(function(entry) {
      byId[entry.id] = entry;
      // The transport in use: a connection can also list one left over from an offer it rolled
      // back, with no DTLS and no certificates.
      if (entry.type === 'transport' && (!transport || (transport.dtlsState !== 'connected' &&
                                                        entry.dtlsState === 'connected'))) {
        transport = entry;
      }
    });
    var summary = { at: 0, framesDecoded: 0, audioPackets: 0, audioEnergy: 0, audioDuration: 0,
                    packetsReceived: 0, packetsLost: 0, bytesReceived: 0 };
    report.forEach(function(entry) {
      if (entry.type !== 'inbound-rtp') return;
      summary.at = Math.max(summary.at, entry.timestamp || 0);
      summary.packetsReceived += entry.packetsReceived || 0;
      summary.packetsLost += Math.max(0, entry.packetsLost || 0);
      summary.bytesReceived += entry.bytesReceived || 0;
      if (entry.kind === 'audio') {
        summary.audioPackets += entry.packetsReceived || 0;
        summary.audioEnergy += entry.totalAudioEnergy || 0;
        summary.audioDuration += entry.totalSamplesDuration || 0;
      } else if (entry.kind === 'video' &&
                 (cameraTracks.length === 0 || cameraTracks.indexOf(entry.trackIdentifier) >= 0)) {
        summary.framesDecoded += entry.framesDecoded || 0;
        if (entry.frameWidth) {
          summary.frameWidth = entry.frameWidth;
          summary.frameHeight = entry.frameHeight;
        }
        if (entry.framesPerSecond !== undefined) summary.fps = entry.framesPerSecond;
        var codec = entry.codecId && byId[entry.codecId];
        if (codec) summary.videoCodec = codec.mimeType;
      }
    });
    // Our own microphone, as sent (the same on every connection): how loud we speak.
    report.forEach(function(entry) {
      if (entry.type === 'media-source' && entry.kind === 'audio') {
        summary.ownAudioEnergy = entry.totalAudioEnergy || 0;
        summary.ownAudioDuration = entry.totalSamplesDuration || 0;
      }
    });
    var pair = transport && transport.selectedCandidatePairId &&
               byId[transport.selectedCandidatePairId];
    if (!pair) {
      report.forEach(function(entry) {
        if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
          pair = entry;
        }
      });
    }
    if (pair) {
      if (pair.currentRoundTripTime !== undefined) summary.rttMs = pair.currentRoundTripTime * 1000;
      if (pair.availableOutgoingBitrate !== undefined) {
        summary.availableOutgoingBps = pair.availableOutgoingBitrate;
      }
      var local = byId[pair.localCandidateId], remote = byId[pair.remoteCandidateId];
      if (local) summary.localCandidateType = local.candidateType;
      if (remote) summary.remoteCandidateType = remote.candidateType;
    }
    var certificate = function(id) {
      var entry = id && byId[id];
      return entry ? { algorithm: entry.fingerprintAlgorithm, fingerprint: entry.fingerprint }
                   : undefined;
    };
    if (transport) {
      summary.localCertificate = certificate(transport.localCertificateId);
      summary.remoteCertificate = certificate(transport.remoteCertificateId);
    }
    // Seen on a busy machine: a connected transport whose report lacks one of its certificates,
    // for good. The fingerprints in the descriptions are what DTLS checks the certificates
    // against: the same algorithm and text, and as good for the safety code.
    var fromDescription = function(description) {
      var line = description && /^a=fingerprint:(\S+) (\S+)\s*$/m.exec(description.sdp);
      return line ? { algorithm: line[1], fingerprint: line[2] } : undefined;
    };
    if (connection && connection.connectionState === 'connected') {
      summary.localCertificate = summary.localCertificate ||
                                 fromDescription(connection.currentLocalDescription);
      summary.remoteCertificate = summary.remoteCertificate ||
                                  fromDescription(connection.currentRemoteDescription);
    }
    return Emval.toHandle(JSON.stringify(summary));
  },

  // The frames the element `elementId` has presented to the compositor, as of the last sample,
  // and asks for the next sample (one requestVideoFrameCallback, so watching costs nothing per
  // frame). A picture that freezes presents nothing, so the count stops. -1 when the browser
  // cannot tell (no requestVideoFrameCallback) or there is no such element.
  vc_presented_frames__sig: 'ii',
  vc_presented_frames: function(elementId) {
    var video = Module.vcHost.root.getElementById(UTF8ToString(elementId));
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

  // A setting kept in localStorage, as a number; -1 when there is none. Storage can be refused
  // (a sandboxed frame, a privacy mode): then a setting lasts as long as the page, and the console
  // says why once.
  $vcStorageRefused: function(error) {
    if (!vcStorageRefused.said) console.warn('[videochat] settings are not kept: ' + error);
    vcStorageRefused.said = true;
  },
  vc_setting_get__deps: ['$vcStorageRefused'],
  vc_setting_get__sig: 'ii',
  vc_setting_get: function(name) {
    try {
      var value = window.localStorage.getItem(UTF8ToString(name));
      return value === null || isNaN(Number(value)) ? -1 : Number(value);
    } catch (error) {
      vcStorageRefused(error);
      return -1;
    }
  },
  vc_setting_set__deps: ['$vcStorageRefused'],
  vc_setting_set__sig: 'vii',
  vc_setting_set: function(name, value) {
    try {
      window.localStorage.setItem(UTF8ToString(name), String(value));
    } catch (error) {
      vcStorageRefused(error);
    }
  },
});
