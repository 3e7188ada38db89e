// The baseline of the client benchmark: a video chat page as the tutorial describes it, in plain
// JavaScript. One <video> per stream, the tutorial's wire format (joinRoom with a room id;
// offer, answer and candidates broadcast to the room with sendMsgToRoom; the member already in
// the room offers to a newcomer), the same camera and microphone constraints as our client, and
// config.json read the same way. Nothing runs per frame. window.plain is for the benchmark.
'use strict';
(function () {
  var status = document.getElementById('status');
  var localVideo = document.getElementById('local');
  var remoteVideo = document.getElementById('remote');
  var state = { configLoaded: false, signaling: 'offline', joined: false, peerState: 'new',
                framesDecoded: 0 };
  var config = { signalingUrl: null, iceServers: [] };
  var stream = null, socket = null, pc = null, room = null;
  var pendingCandidates = [];

  var media = navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 } },
    audio: { echoCancellation: true, noiseSuppression: true },
  }).then(function (s) {
    stream = s;
    localVideo.srcObject = s;
    return s;
  });

  fetch('/config.json').then(function (response) { return response.json(); })
    .then(function (loaded) {
      config = loaded;
      state.configLoaded = true;
      status.textContent = 'Ready';
    });

  function send(message) {
    socket.send(JSON.stringify({ action: 'sendMsgToRoom', roomId: room,
                                 message: JSON.stringify(message) }));
  }

  function makePeer() {
    pc = new RTCPeerConnection({ iceServers: config.iceServers });
    stream.getTracks().forEach(function (track) { pc.addTrack(track, stream); });
    pc.onicecandidate = function (event) {
      if (event.candidate) send({ type: 'candidate', candidate: event.candidate });
    };
    pc.ontrack = function (event) {
      if (remoteVideo.srcObject !== event.streams[0]) remoteVideo.srcObject = event.streams[0];
    };
    pc.onconnectionstatechange = function () { state.peerState = pc.connectionState; };
  }

  function addCandidates() {
    var candidates = pendingCandidates;
    pendingCandidates = [];
    return Promise.all(candidates.map(function (c) { return pc.addIceCandidate(c); }));
  }

  function handle(data) {
    if (data.type === 'joined') {
      state.joined = true;
      status.textContent = 'In room ' + room;
    } else if (data.type === 'newParticipant') {
      makePeer();
      return pc.createOffer().then(function (offer) {
        return pc.setLocalDescription(offer).then(function () {
          send({ type: 'offer', offer: offer });
        });
      });
    } else if (data.type === 'offer') {
      makePeer();
      return pc.setRemoteDescription(data.offer).then(addCandidates).then(function () {
        return pc.createAnswer();
      }).then(function (answer) {
        return pc.setLocalDescription(answer).then(function () {
          send({ type: 'answer', answer: answer });
        });
      });
    } else if (data.type === 'answer') {
      return pc.setRemoteDescription(data.answer).then(addCandidates);
    } else if (data.type === 'candidate') {
      pendingCandidates.push(data.candidate);
      if (pc && pc.remoteDescription) return addCandidates();
    }
    return Promise.resolve();
  }

  window.plain = {
    ready: function () { return state.configLoaded && stream !== null; },
    state: function () { return state; },
    // Joins `roomId`; resolves once the socket is open and joinRoom is sent.
    join: function (roomId) {
      room = roomId;
      return media.then(function () {
        socket = new WebSocket(config.signalingUrl);
        state.signaling = 'connecting';
        // Messages are handled one after another: each may wait on the peer connection.
        var queue = Promise.resolve();
        socket.onmessage = function (event) {
          var data = JSON.parse(event.data);
          queue = queue.then(function () { return handle(data); });
        };
        return new Promise(function (resolve) {
          socket.onopen = function () {
            state.signaling = 'online';
            socket.send(JSON.stringify({ action: 'joinRoom', roomId: room }));
            resolve();
          };
        });
      });
    },
    // Frames of remote video decoded so far (getStats), for the benchmark's checks.
    refreshStats: function () {
      if (!pc) return Promise.resolve(0);
      return pc.getStats().then(function (report) {
        var frames = 0;
        report.forEach(function (entry) {
          if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
            frames += entry.framesDecoded || 0;
          }
        });
        state.framesDecoded = frames;
        return frames;
      });
    },
  };
})();
