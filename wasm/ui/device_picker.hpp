// The device picker (shell/devices.js): the page's own dialog with a <select> for the camera, the
// microphone and the speaker, in the client's language. Opened from the lobby's Devices button and
// from the own tile in a call.
#pragma once

namespace videochat::ui {

void open_device_picker();

}  // namespace videochat::ui
