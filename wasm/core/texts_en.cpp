// The client's texts in English (see texts.hpp).
#include "texts.hpp"

namespace videochat::client {

namespace {

constexpr TextEntry kEnglish[] = {
    {Text::kAppTitle, "Video chat"},
    {Text::kIntro, "Pick a room and talk face to face with everyone in it."},
    {Text::kKeyboardShortcuts, "Keyboard shortcuts"},
    {Text::kWaitingForPermission, "Waiting for camera permission..."},
    {Text::kNoCamera, "No camera"},
    {Text::kStartingCamera, "Starting the camera..."},
    {Text::kCameraIsOff, "Camera is off"},
    {Text::kCamera, "Camera"},
    {Text::kMicrophone, "Microphone"},
    {Text::kRoom, "Room"},
    {Text::kRoomPlaceholder, "e.g. team-standup"},
    {Text::kRandomRoom, "Random room"},
    {Text::kYourName, "Your name (optional)"},
    {Text::kNamePlaceholder, "Shown to the others"},
    {Text::kJoinRoom, "Join room"},
    {Text::kLoading, "Loading..."},

    {Text::kRoomEmpty, "Type a room name, or pick a random one."},
    {Text::kRoomTooLong, "This room name is too long."},
    {Text::kRoomBadCharacters,
     "A room name may use letters and digits of any script, - and _, but no spaces or other "
     "punctuation."},
    {Text::kStillLoading, "Still loading; try again in a moment."},

    {Text::kMediaRefused,
     "Camera and microphone access was refused. Allow it in the browser's address bar to be seen "
     "and heard; you can still join and watch."},
    {Text::kMediaNotFound, "No camera or microphone was found."},
    {Text::kMediaBusy, "The camera or microphone is in use by another program."},
    {Text::kMediaUnavailable, "Camera and microphone are unavailable ({0})."},
    {Text::kMediaNeedsSecureContext,
     "This page cannot use a camera here (it needs https or localhost)."},

    {Text::kPeerConnecting, "Connecting..."},
    {Text::kPeerConnected, "Connected"},
    {Text::kPeerSignalingLost, "Signaling lost: the call continues while the connection holds"},
    {Text::kPeerReconnecting, "Connection interrupted, reconnecting..."},
    {Text::kPeerFailed, "Could not connect (a firewall may block the call)"},
    {Text::kNoVideo, "No video"},
    {Text::kYou, "You"},
    {Text::kNameIsYou, "{0} (you)"},
    {Text::kMutedTag, "(muted)"},
    {Text::kMutedDescription, "muted"},
    {Text::kConnectedDescription, "connected"},
    {Text::kGuest, "Guest {0}"},
    {Text::kWaitingForOthers, "Waiting for others to join"},
    {Text::kInTheCall, "In the call"},
    {Text::kConnectingToServer, "Connecting to the server..."},
    {Text::kReconnectingToServer, "Reconnecting to the server; the call goes on..."},
    {Text::kServerUnreachable, "Server unreachable: retrying in {0} s"},
    {Text::kServerUnreachableCallGoesOn,
     "Server unreachable (the call goes on): retrying in {0} s"},
    {Text::kOffline, "Offline"},
    {Text::kRoomName, "Room {0}"},
    {Text::kMute, "Mute"},
    {Text::kStopVideo, "Stop video"},
    {Text::kCopyLink, "Copy link"},
    {Text::kLeave, "Leave"},
    {Text::kLinkCopied, "Link copied."},
    {Text::kAloneHint,
     "Nobody else is here yet. Copy the link and send it to whoever you want to talk to."},
    {Text::kParticipants, "Participants"},

    {Text::kOk, "OK"},
    {Text::kShortcutMicrophone, "M: mute or unmute the microphone"},
    {Text::kShortcutCamera, "V: stop or start the camera"},
    {Text::kShortcutLeave, "L: leave the call (asks first)"},
    {Text::kShortcutHelp, "?: this list"},
    {Text::kShortcutKeys,
     "Tab, Shift+Tab: move between controls; Enter or Space: use one; Esc: close a dialog"},
    {Text::kShortcutsSwitch, "Single-key shortcuts (M, V, L, ?)"},
    {Text::kClose, "Close"},
    {Text::kLeaveTitle, "Leave the call?"},
    {Text::kLeaveText, "You can come back with the same link."},
    {Text::kStay, "Stay"},
    {Text::kRoomFullTitle, "This room is full"},
    {Text::kRoomFullText,
     "The room already has as many people as it can hold. Try another room, or this one later."},
    {Text::kDisconnectedTitle, "Disconnected by the server"},
    {Text::kServerRefusedTitle, "The server refused a request"},
    {Text::kErrorBadRequest,
     "The server did not understand this page. Reload it; if it happens again, the page and the "
     "server may be of different versions."},
    {Text::kErrorNotInRoom, "The server no longer counts you in this room. Leave and join again."},
    {Text::kErrorTooLarge, "A message for the others was too large to send."},
    {Text::kErrorPeerIdInUse, "You are already in this room in another tab or on another device."},
    {Text::kErrorUnknownRecipient, "A message went to someone who has left the room."},
    {Text::kErrorInternal, "The server could not complete a request. Trying again may help."},

    {Text::kSaidLeft, "You left the room."},
    {Text::kSaidJoined, "You joined room {0}."},
    {Text::kSaidJoinedAlone, "You joined room {0}. Nobody else is here yet."},
    {Text::kSaidServerRestored, "Connection to the server restored."},
    {Text::kSaidServerLost, "Connection to the server lost. Reconnecting."},
    {Text::kSaidServerLostCallGoesOn,
     "Connection to the server lost. The call goes on; reconnecting."},
    {Text::kSaidPeerLeft, "{0} left the call."},
    {Text::kSaidPeerJoined, "{0} joined the call."},
    {Text::kSaidPeerFailed, "Could not connect to {0}."},
    {Text::kSaidPeerInterrupted, "Connection to {0} interrupted. Reconnecting."},
    {Text::kSaidPeerRestored, "Connection to {0} restored."},
    {Text::kSaidMicrophoneOn, "Microphone on."},
    {Text::kSaidMicrophoneMuted, "Microphone muted."},
    {Text::kSaidCameraOn, "Camera on."},
    {Text::kSaidCameraOff, "Camera off."},
};

}  // namespace

std::span<const TextEntry> english_texts() {
  return kEnglish;
}

}  // namespace videochat::client
