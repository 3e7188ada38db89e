// The example host page's script (docs/embedding.md): the element's methods behind the page's
// own buttons, and its events in a log. The room, name and mode may come from the address
// (?room=, ?name=, ?mode=iframe), so the page can be opened twice to see both sides of a call.
const call = document.getElementById('call');
const params = new URLSearchParams(location.search);
const field = (id) => document.getElementById(id);
if (params.has('room')) field('room').value = params.get('room');
if (params.has('name')) field('name').value = params.get('name');
call.setAttribute('room', field('room').value);
if (params.get('mode') === 'iframe') call.setAttribute('mode', 'iframe');

// Every event the element fires, in order, for the page's log (and for tests: window.events).
window.events = [];
const EVENTS = ['ready', 'joined', 'left', 'participant-joined', 'participant-left',
                'participant-updated', 'microphone-changed', 'camera-changed',
                'connection-state-changed', 'audio-blocked', 'device-error', 'error'];
for (const type of EVENTS) {
  call.addEventListener(type, (event) => {
    window.events.push({ type, detail: event.detail });
    const line = document.createElement('li');
    line.textContent = `${type} ${JSON.stringify(event.detail)}`;
    field('log').prepend(line);
  });
}

// Methods return promises; a refusal is a VideoChatError with a code (ROOM_FULL, BAD_REQUEST…).
const report = (error) => window.events.push({ type: 'rejected', detail: error.code });
field('join').addEventListener('click', () => {
  const name = field('name').value;
  call.join(field('room').value, name ? { displayName: name } : {}).catch(report);
});
field('leave').addEventListener('click', () => call.leave().catch(report));
// The page's Mute and Stop video follow the device's state, however it changed (these buttons,
// the call's own toolbar, its keyboard shortcuts): the events say.
const toggle = (button, method, event) => {
  button.addEventListener('click', () => {
    call[method](button.getAttribute('aria-pressed') === 'true').catch(report);
  });
  call.addEventListener(event, (changed) => {
    button.setAttribute('aria-pressed', String(!changed.detail.on));
  });
};
toggle(field('mic'), 'setMicrophone', 'microphone-changed');
toggle(field('camera'), 'setCamera', 'camera-changed');
call.addEventListener('audio-blocked', () => {
  // Browsers play sound only after a click: the next click anywhere starts it.
  document.addEventListener('click', () => call.startAudio(), { once: true });
});
