// What the page says to screen readers (its live regions): what a sighted person sees change,
// said as it happens. The views describe the screen in each frame they draw; the announcer
// compares it with the last description and says what changed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "call_state.hpp"
#include "ui_mirror.hpp"

namespace videochat::client {

// The parts of the screen worth saying when they change.
struct ScreenView {
  struct Peer {
    std::uint32_t key = 0;
    std::string name;  // as its tile shows it
    ConnectionState state = ConnectionState::Connecting;
    bool sharing_screen = false;
    bool hand_raised = false;
  };
  bool in_room = false;
  std::string room;
  bool server_online = false;  // the signaling server answers
  std::vector<Peer> peers;
  bool has_microphone = false, microphone_on = false;
  bool has_camera = false, camera_on = false;
  std::string media_problem;    // the camera or microphone could not be used
  bool sharing_screen = false;  // ours
  bool speaking_while_muted = false;
  std::string remark;  // a short-lived line of the status bar (screen sharing was cancelled…)
  std::string notice;  // the dialog's title and text
};

class Announcer final {
 public:
  // What to say about the change from the last view to `now`.
  std::vector<Announcement> update(const ScreenView& now);

 private:
  void room_changes(const ScreenView& now, std::vector<Announcement>& said);
  void peer_changes(const ScreenView& now, std::vector<Announcement>& said);
  void media_changes(const ScreenView& now, std::vector<Announcement>& said);

  ScreenView last_;
  bool joined_said_ = false;  // "you joined" was said for this stay in the room
};

}  // namespace videochat::client
