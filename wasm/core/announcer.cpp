#include "announcer.hpp"

#include <algorithm>

#include "texts.hpp"

namespace videochat::client {

namespace {

const ScreenView::Peer* find_peer(const std::vector<ScreenView::Peer>& peers, std::uint32_t key) {
  auto found = std::find_if(peers.begin(), peers.end(),
                            [key](const ScreenView::Peer& peer) { return peer.key == key; });
  return found == peers.end() ? nullptr : &*found;
}

bool interrupted(ConnectionState state) {
  return state == ConnectionState::Reconnecting || state == ConnectionState::Failed;
}

}  // namespace

std::vector<Announcement> Announcer::update(const ScreenView& now) {
  std::vector<Announcement> said;
  room_changes(now, said);
  peer_changes(now, said);
  media_changes(now, said);
  if (!now.notice.empty() && now.notice != last_.notice) said.push_back({now.notice, true});
  last_ = now;
  return said;
}

void Announcer::room_changes(const ScreenView& now, std::vector<Announcement>& said) {
  if (last_.in_room && !now.in_room) {
    said.push_back({tr(Text::kSaidLeft), false});
    joined_said_ = false;
    return;
  }
  if (!now.in_room) return;
  if (now.server_online && !(last_.in_room && last_.server_online)) {
    if (!joined_said_) {
      joined_said_ = true;
      said.push_back(
          {tr(now.peers.empty() ? Text::kSaidJoinedAlone : Text::kSaidJoined, now.room), false});
    } else {
      said.push_back({tr(Text::kSaidServerRestored), false});
    }
  } else if (!now.server_online && last_.in_room && last_.server_online) {
    said.push_back(
        {tr(now.peers.empty() ? Text::kSaidServerLost : Text::kSaidServerLostCallGoesOn), true});
  }
}

void Announcer::peer_changes(const ScreenView& now, std::vector<Announcement>& said) {
  for (const auto& peer : last_.peers) {
    if (!find_peer(now.peers, peer.key))
      said.push_back({tr(Text::kSaidPeerLeft, peer.name), false});
  }
  for (const auto& peer : now.peers) {
    const ScreenView::Peer* before = find_peer(last_.peers, peer.key);
    if (!before) {
      said.push_back({tr(Text::kSaidPeerJoined, peer.name), false});
      continue;
    }
    if (peer.sharing_screen != before->sharing_screen) {
      said.push_back(
          {tr(peer.sharing_screen ? Text::kSaidScreenShared : Text::kSaidScreenStopped, peer.name),
           false});
    }
    if (peer.hand_raised && !before->hand_raised) {
      said.push_back({tr(Text::kSaidHandRaised, peer.name), false});
    }
    if (peer.state == before->state) continue;
    if (peer.state == ConnectionState::Failed) {
      said.push_back({tr(Text::kSaidPeerFailed, peer.name), true});
    } else if (peer.state == ConnectionState::Reconnecting) {
      said.push_back({tr(Text::kSaidPeerInterrupted, peer.name), false});
    } else if (peer.state == ConnectionState::Connected && interrupted(before->state)) {
      said.push_back({tr(Text::kSaidPeerRestored, peer.name), false});
    }
  }
}

void Announcer::media_changes(const ScreenView& now, std::vector<Announcement>& said) {
  // Only a switch the person made: a device that arrives or goes is not a mute.
  if (now.has_microphone && last_.has_microphone && now.microphone_on != last_.microphone_on) {
    said.push_back(
        {tr(now.microphone_on ? Text::kSaidMicrophoneOn : Text::kSaidMicrophoneMuted), false});
  }
  if (now.has_camera && last_.has_camera && now.camera_on != last_.camera_on) {
    said.push_back({tr(now.camera_on ? Text::kSaidCameraOn : Text::kSaidCameraOff), false});
  }
  if (!now.media_problem.empty() && now.media_problem != last_.media_problem) {
    said.push_back({now.media_problem, true});
  }
  if (now.in_room && now.sharing_screen != last_.sharing_screen) {
    said.push_back(
        {tr(now.sharing_screen ? Text::kSaidYouShare : Text::kSaidYouStoppedSharing), false});
  }
  if (now.speaking_while_muted && !last_.speaking_while_muted) {
    said.push_back({tr(Text::kSaidYouAreMuted), true});
  }
  if (!now.remark.empty() && now.remark != last_.remark) said.push_back({now.remark, true});
}

}  // namespace videochat::client
